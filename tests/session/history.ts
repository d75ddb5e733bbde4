// Recorded history for the report, metrics and status tests: realistic sessions against the shipped guide, with
// explicit times so every figure can be worked out by hand.
import {readRunbookFile, walkSteps} from '../../source/runbook/index.js';
import {createSession} from '../../source/session/durable-store.js';
import type {SessionEvent} from '../../source/session/events.js';
import type {SessionKind} from '../../source/session/schema.js';
import {outlineOf} from '../../source/session/summary.js';
import {SHIPPED_GUIDE} from '../helpers/paths.js';

export const guide = readRunbookFile(SHIPPED_GUIDE);
export const steps = walkSteps(guide);
export const step = (suffix: string) => {
  const found = steps.find(s => s.id.endsWith(suffix));
  if (!found) throw new Error(`no step ${suffix}`);
  return found;
};
export const RUNBOOK = {path: SHIPPED_GUIDE, hash: guide.hash, title: guide.title};

export const by = {user: 'alice', host: 'laptop'};
export const context = {kubeContext: 'prod-eu', namespace: 'overlord-production', repository: 'legion/overlord'};
const MIN = 60_000;

type Body = SessionEvent extends infer E ? (E extends SessionEvent ? Omit<E, 'at' | 'by' | 'context'> : never) : never;

/** Events at start + minutes, stamped with alice and the production context. */
export class Timeline {
  readonly events: SessionEvent[] = [];
  private runs = 0;
  constructor(readonly start: number) {}
  at(minutes: number, body: Body, extra: Partial<Pick<SessionEvent, 'by' | 'context'>> = {}) {
    this.events.push({at: new Date(this.start + minutes * MIN).toISOString(), by, context, ...extra, ...body} as SessionEvent);
    return this;
  }
  run(minutes: number, stepId: string, blockId: string, command: string, exitCode: number, durationMin: number, tail: string[] = []) {
    const runId = `r${++this.runs}`;
    this.at(minutes, {type: 'run-started', runId, stepId, blockId, command, outputFile: null, interactive: false});
    return this.at(minutes + durationMin, {type: 'run-finished', runId, exitCode, signal: null, cancelled: false, durationMs: durationMin * MIN, lines: tail.length, tail});
  }
}

export const T0 = Date.parse('2025-03-03T09:00:00Z');

export const gates = step('1-code-quality-gates');
export const staging = step('2-staging-verification');
export const approve = step('step-8-approve-production-deployment');
export const pods = step('check-pods-status');
export const kubeRollback = step('option-2-via-kubernetes-emergency');

export const MULTILINE = 'kubectl apply -f k8s/production/ \\\n  --namespace overlord-production\necho applied';

/** A deploy with runs, a tick and untick, a failed run, a skip, a note, variables, a refusal and a manual done. */
export function deployTimeline(start = T0): Timeline {
  return new Timeline(start)
    .at(0, {type: 'session-started', runbook: RUNBOOK})
    .at(0.5, {type: 'step-entered', stepId: gates.id})
    .at(1, {type: 'check-toggled', stepId: gates.id, itemId: gates.checklist[0]!.id, checked: true})
    .run(2, gates.id, gates.blocks[0]!.id, 'npm test', 0, 0.75)
    .at(3, {type: 'check-toggled', stepId: gates.id, itemId: gates.checklist[0]!.id, checked: false})
    .run(4, pods.id, pods.blocks[0]!.id, MULTILINE, 1, 1, ['error: deployments.apps "overlord" is forbidden'])
    .at(6, {type: 'step-marked', stepId: staging.id, status: 'skipped', reason: 'verified on staging yesterday (CHG-1042)'})
    .at(7, {type: 'note', stepId: pods.id, text: 'paged #deploys about the RBAC error'})
    .at(8, {type: 'variable-set', name: 'GITHUB_TOKEN', value: null, secret: true})
    .at(8.5, {type: 'variable-set', name: 'VERSION', value: 'v1.2.0', secret: false})
    .at(9, {type: 'refused', stepId: approve.id, blockId: approve.blocks[0]!.id, reason: 'production approval typed wrong'})
    .at(10, {type: 'step-marked', stepId: approve.id, status: 'done', reason: 'approved in the Actions UI'}, {context: {...context, namespace: 'overlord-staging'}});
}

/** An incident: a failed rollback attempt at +5, the successful one finishing at +12.5. */
export function incidentTimeline(start = T0): Timeline {
  const undo = 'kubectl rollout undo deployment/overlord -n overlord-production';
  return new Timeline(start)
    .at(0, {type: 'session-started', runbook: RUNBOOK})
    .at(1, {type: 'note', stepId: kubeRollback.id, text: '5xx at 40%, rolling back'})
    .run(4, kubeRollback.id, kubeRollback.blocks[0]!.id, undo, 1, 1)
    .run(11, kubeRollback.id, kubeRollback.blocks[0]!.id, undo, 0, 1.5)
    .at(20, {type: 'note', stepId: kubeRollback.id, text: 'error rate back to 0.05%'});
}

/** Writes a session through the real store (createSession + append + markFinished), as the TUI would. */
export function writeSession(stateDir: string, o: {id: string; kind: SessionKind; events: SessionEvent[]; finishedAt?: number | null; keepOpen?: boolean}) {
  const store = createSession({stateDir, id: o.id, kind: o.kind, runbook: RUNBOOK, ...outlineOf(guide), now: () => new Date(o.events[0]?.at ?? T0)});
  for (const event of o.events) store.append(event);
  if (o.finishedAt != null) store.markFinished(true, new Date(o.finishedAt));
  if (!o.keepOpen) store.close();
  return store;
}
