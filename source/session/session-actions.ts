// What the operator's actions do to the session, whatever screen asked: run a block (or do a guide's gh step
// natively), record a refusal, fill a template, mark or note a step, declare an incident and open the rollback
// path, and the words a native rollback or approval is recorded in. The screen only says and shows what these
// report through a Screen.

import type {SessionController} from './controller.js';
import type {Answers, Question} from './questions.js';
import {currentActor} from './locks.js';
import type {ScreenTruth} from './template-facts.js';
import {planTemplateBlock} from './template-filling.js';
import {declaredIncident, stepStatus} from './session-state.js';
import {assessmentMark, blockDoneBy, markMet, nativeMark, templateMark} from './step-purpose.js';
import type {HistoryEntry} from './templates.js';

export type Purpose = 'skip' | 'done' | 'note' | 'incident' | 'resolve';

/** Work a prompt's answer asks for: the screen's reducer makes one, the services below carry it out once. */
export type SessionRequest =
  | {kind: 'run'; blockId: string; answers: Answers; native?: boolean}
  | {kind: 'mark'; purpose: Purpose; stepId: string; text: string}
  | {kind: 'refuse'; blockId: string; reason: string}
  | {kind: 'template'; blockId: string};

export type Tone = 'failed' | 'done' | 'warn' | 'muted';

/** What the services need of a screen: a line for the operator, a step to show, the terminal's clipboard. */
export interface Screen {
  say(text: string, tone: Tone): void;
  go(stepIndex: number): void;
  copy(text: string): void;
}

/** What the screen knows that a template may use: the workload's rollout history, the pipeline run, the pods. */
export interface ScreenFacts {
  history: readonly HistoryEntry[];
  screen?: ScreenTruth;
}

/** A deployment review sent natively (pipeline/use-approval.ts), as the session records it. */
export interface ApprovalReport {
  what: 'approve' | 'reject';
  runId: number;
  /** The environments' names (the ids sent are the integer ids behind them). */
  environments: string[];
  comment: string;
  /** `refused` covers GitHub's refusals and any failure to get an answer; `message` says which. */
  result: 'ok' | 'refused';
  message: string;
}

/** A native rollback's report (cluster/use-undo.ts): first the patch (or its refusal), then how the rollout ended. */
export interface UndoReport {
  namespace: string;
  deployment: string;
  kind?: string;
  fromRevision: number;
  toRevision: number;
  image: string;
  result: 'rolled back' | 'skipped' | 'failed';
  message: string;
  /** The patch's time, then the rollout's (from the patch to its end). */
  durationMs?: number;
}

/** Where a declaration came from, in the words the report shows: the step and how it stood. */
function declaredFrom(c: SessionController, stepId: string): string {
  const step = c.steps.find(s => s.id === stepId);
  if (!step) return '(from the session)';
  const status = stepStatus(c.session, step);
  const how = status === 'failed' ? 'a failed step' : status === 'in-progress' ? 'a step in progress' : status === 'done' ? 'a step done' : 'a step not started';
  return `(from ${how}: ${step.title})`;
}

const firstLine = (error: unknown) => (error instanceof Error ? error.message : String(error)).split('\n')[0];

export class SessionActions {
  constructor(private readonly controller: SessionController) {}

  /** Carries out what a prompt's answer asked for. */
  carryOut(request: SessionRequest, screen: Screen, facts: ScreenFacts): void {
    const c = this.controller;
    switch (request.kind) {
      case 'run':
        // A message template's questions answered: fill it with them.
        if (c.block(request.blockId)?.block.kind === 'template') return this.fillTemplate(request.blockId, screen, facts, request.answers.placeholders);
        if (request.native) {
          screen.say('Asking GitHub…', 'muted');
          void c.native(request.blockId, request.answers).then(outcome => {
            if (outcome) screen.say(`${outcome.ok ? '✓' : '✗'} ${outcome.message}`, outcome.ok ? 'done' : 'failed');
          });
        } else {
          // Whatever goes wrong on the way to a run (a rehearsal's sandbox that never came up) is said, never a crash.
          c.run(request.blockId, request.answers).catch((error: unknown) => screen.say(`✗ the block did not run: ${firstLine(error)}`, 'failed'));
        }
        return;
      case 'refuse':
        c.refuse(request.blockId, request.reason);
        return;
      case 'template':
        return this.fillTemplate(request.blockId, screen, facts);
      case 'mark':
        return this.mark(request, screen);
    }
  }

  /** Fills a message template and copies it; recorded, so a step of templates is done once each was (step-purpose.ts). */
  private fillTemplate(blockId: string, screen: Screen, facts: ScreenFacts, answers: Record<string, string> = {}) {
    const c = this.controller;
    const severity = declaredIncident(c.session)?.severity ?? null;
    const filled = c.fillTemplate(blockId, {history: facts.history, severity, ...(facts.screen ? {screen: facts.screen} : {}), answers});
    const step = c.block(blockId)?.step;
    if (!filled || !step) return;
    screen.copy(filled.text);
    const open = filled.open.length ? `; ${filled.open.length} field(s) left to fill: ${filled.open.join(', ')}` : '';
    c.note(step.id, `Filled the message from the session and copied it${open}; also in ${filled.file}`, blockId, filled.text);
    markMet(c, step.id, templateMark(c.session, step) ?? assessmentMark(c.session, step, false));
    screen.say(`Filled and copied (OSC 52)${open}; also in ${filled.file}`, open ? 'warn' : 'done');
  }

  /** The fields of a message template the session holds no fact for: asked before it is copied (template-facts.ts). */
  templateQuestions(blockId: string, facts: ScreenFacts): Question[] {
    const c = this.controller;
    const found = c.block(blockId);
    if (found?.block.kind !== 'template') return [];
    const severity = declaredIncident(c.session)?.severity ?? null;
    const session = {runbook: c.runbook, env: c.shell().env, events: c.events(), startedAt: c.session.startedAt, now: new Date(), who: currentActor().user};
    const {open} = planTemplateBlock(found.block, {history: facts.history, severity, ...(facts.screen ? {screen: facts.screen} : {})}, session);
    return open.map(text => ({kind: 'placeholder', text, variable: null, suggestion: text}));
  }

  /** Ticks or unticks an item; a rollback trigger ticked as holding answers the step's assessment. */
  tick(stepId: string, itemId: string) {
    const c = this.controller;
    c.toggleCheck(stepId, itemId);
    const step = c.steps.find(s => s.id === stepId);
    if (step) markMet(c, stepId, assessmentMark(c.session, step, false));
  }

  private mark(request: Extract<SessionRequest, {kind: 'mark'}>, screen: Screen) {
    const c = this.controller;
    if (request.purpose === 'note') return c.note(request.stepId, request.text);
    if (request.purpose === 'resolve') {
      if (c.recordIncident('resolved', request.text)) screen.say('Incident resolved: its clock has stopped (the report has the times)', 'done');
      return;
    }
    if (request.purpose === 'incident') {
      c.note(request.stepId, `Incident declared: ${request.text.toUpperCase()} ${declaredFrom(c, request.stepId)}`);
      // An incident opens the rollback path at its start (where to decide whether to roll back).
      const rollback = c.runbook.rollback;
      if (rollback) screen.go(rollback.first);
      return;
    }
    c.mark(request.stepId, request.purpose === 'skip' ? 'skipped' : 'done', request.text);
  }

  /** An incident declared or seen, and not resolved: what X closes. */
  openIncident(): boolean {
    const s = this.controller.session;
    return !s.resolved && (s.detected !== null || declaredIncident(s) !== null);
  }

  /** Where R goes: the rollback's first step with commands (a section may open with when to roll back). */
  rollbackStep(): number | null {
    const path = this.controller.runbook.rollback;
    return path ? (path.firstRunnable ?? path.first) : null;
  }

  /**
   * Leaving a step (→): one with nothing to run or tick is done once the operator has read it; one of rollback
   * triggers is assessed (none ticked: none holds).
   */
  leave(stepId: string, actionable: number) {
    const c = this.controller;
    if (c.session.marks[stepId]) return;
    const step = c.steps.find(s => s.id === stepId);
    if (step && markMet(c, stepId, assessmentMark(c.session, step, true))) return;
    if (actionable === 0) c.mark(stepId, 'done', 'read');
  }

  cancelRun(screen: Screen) {
    this.controller.cancel();
    screen.say('Cancelling: SIGTERM to the command’s process group, SIGKILL in 2 s if it holds on', 'warn');
  }

  /** The first step whose title holds the text; null (and said) when none does. */
  findStep(text: string, screen: Screen): number | null {
    const needle = text.trim().toLowerCase();
    if (!needle) return null;
    const found = this.controller.steps.findIndex(s => s.title.toLowerCase().includes(needle));
    if (found >= 0) return found;
    screen.say(`No step title contains "${text.trim()}"`, 'warn');
    return null;
  }

  /**
   * A deployment review, recorded as the gh call it stands for: an approval as a run of the step's block that
   * approves (its job done), a rejection apart from it.
   */
  recordApproval(stepId: string, r: ApprovalReport) {
    const command = `gh api -X POST …/actions/runs/${r.runId}/pending_deployments  # native: ${r.what} ${r.environments.join(', ')} — "${r.comment}"`;
    const ok = r.result === 'ok';
    this.recordNative(stepId, 'A', {command, ok, message: r.message}, r.what === 'approve', ok);
  }

  /**
   * A native rollback, recorded as the kubectl commands it stands for (the undo first, then the rollout's status), as
   * runs of the step's `kubectl rollout undo` block; its job is done once the rollout ended well.
   */
  recordUndo(stepId: string, e: UndoReport, first: boolean) {
    const kind = e.kind ?? 'deployment';
    const command = first
      ? `kubectl rollout undo ${kind}/${e.deployment} --to-revision=${e.toRevision} -n ${e.namespace}  # native: revision ${e.fromRevision} → ${e.toRevision} (${e.image})`
      : `kubectl rollout status ${kind}/${e.deployment} -n ${e.namespace}  # followed natively`;
    const ok = e.result !== 'failed';
    // A patch sent is followed by the rollout's end, reported next: the job is judged then.
    const ended = !first || e.result !== 'rolled back';
    this.recordNative(stepId, 'u', {command, ok, message: e.message, ...(e.durationMs !== undefined ? {durationMs: e.durationMs} : {})}, true, ok && ended);
  }

  /** A dialog's native action, as a run of the step's block it does (when `forBlock` and it has one), and its mark. */
  private recordNative(stepId: string, key: 'A' | 'u', action: {command: string; ok: boolean; message: string; durationMs?: number}, forBlock: boolean, done: boolean) {
    const c = this.controller;
    const step = c.steps.find(s => s.id === stepId);
    const block = step && forBlock ? blockDoneBy(step, key) : null;
    c.recordAction(stepId, {...action, native: key, ...(block ? {blockId: block.id} : {})});
    if (step && block && done) markMet(c, stepId, nativeMark(c.session, step, key, action.message));
  }
}
