// A session as a timeline: the post-mortem and audit document. Pure: the caller reads the session and (if it still
// exists) the runbook; nothing here touches the disk or the clock, so a report of the same files is the same report.

import type {CommandNote} from '../exec/types.js';
import type {Runbook} from '../runbook/model.js';
import {walkSteps} from '../runbook/walk.js';
import type {Actor, Context, DetectionSource, DoneBy, EventOf, NativeKey, SessionEvent} from './events.js';
import type {SessionFile, SessionKind} from './schema.js';
import {runWentWrong} from './run-outcome.js';
import {isSecretName} from '../runbook/secret-names.js';
import {summarize} from './summary.js';
import {incidentTimeline, isDeclaration, type IncidentTimeline} from './incident-lifecycle.js';

export {codeHead, formatReportMarkdown, localTime} from './report-markdown.js';
export {firstRollback, isRollbackCommand} from './rollback-rule.js';

export const MASK = '•••';

export type SessionMeta = Omit<SessionFile, 'events'>;

interface EntryBase {
  at: string;
  by: Actor | null;
  stepId: string | null;
  /** The step's title from the runbook, or its id when the runbook (or that step) is gone. */
  step: string | null;
}

export type ReportEntry = EntryBase &
  (
    | {kind: 'session-started'; runbook: {path: string; hash: string; title: string}; mode: string | null}
    | {
        kind: 'run';
        runId: string;
        blockId: string;
        command: string;
        exitCode: number | null;
        signal: string | null;
        cancelled: boolean;
        durationMs: number | null;
        /** null: no run-finished was recorded (the process died mid-run). */
        finishedAt: string | null;
        error: string | null;
        tail: string[];
        /** The line whose failure stopped the block, when bash could tell. */
        failedLine?: number;
        /** Commands that found nothing or were stopped by the operator, and the block went on. */
        commandNotes?: CommandNote[];
        /** For a run whose end runbook did not see (it was killed): what became of it (session/run-fate.ts). */
        recovered?: string;
        /** Done by the app itself through this key rather than by running the block's commands. */
        native?: NativeKey;
      }
    | {kind: 'check'; itemId: string; item: string; checked: boolean}
    | {kind: 'step-marked'; status: 'done' | 'skipped' | 'not-started'; reason: string; doneBy?: DoneBy}
    | {kind: 'note'; text: string; /** A message template as filled and copied. */ message?: string}
    | {kind: 'refused'; blockId: string; reason: string}
    | {kind: 'incident'; phase: 'detected' | 'resolved'; what: string; source: DetectionSource | null}
    | {kind: 'variable'; name: string; value: string; secret: boolean}
    | {kind: 'placeholder'; text: string; value: string}
    | {kind: 'shell'; cwd: string; env: Record<string, string | null>; vars?: Record<string, string | null>}
    | {kind: 'context'; context: Context}
  );

/** The incident's timeline (incident-lifecycle.ts), and its recovery as the metrics name it (the mitigation). */
export type IncidentFacts = IncidentTimeline & {
  recoveredAt: string | null;
  /** What recovered it: the command, or the step marked done. */
  recoveredBy: string | null;
  /** From the first sign (the detection, else the declaration) to the rollback rolled out. */
  timeToRecoveryMs: number | null;
};

export interface Report {
  id: string;
  kind: SessionKind;
  runbook: {path: string; hash: string; title: string; available: boolean; changed: boolean};
  /** Everyone who recorded something, in order of first appearance (a colleague may take over). */
  actors: Actor[];
  context: Context;
  startedAt: string;
  finished: boolean;
  /** finishedAt when finished, else the last event's time. */
  endedAt: string;
  durationMs: number;
  progress: {checked: number; total: number | null; stepsDone: number; failed: number; skipped: number; steps: number | null};
  runs: {total: number; failed: number};
  incident: IncidentFacts | null;
  entries: ReportEntry[];
}

/** The incident's timeline; recovered at the first rollback after its first sign. */
export function incidentFacts(meta: Pick<SessionMeta, 'createdAt'>, events: readonly SessionEvent[], rollbackSteps?: readonly string[] | null): IncidentFacts {
  const t = incidentTimeline(events, rollbackSteps, events[0]?.at ?? meta.createdAt)!;
  return {...t, recoveredAt: t.mitigatedAt, recoveredBy: t.mitigatedBy, timeToRecoveryMs: t.timeToMitigateMs};
}

const sameContext = (a: Context, b: Context) => a.kubeContext === b.kubeContext && a.namespace === b.namespace && a.repository === b.repository;
const hasContext = (c: Context) => Boolean(c.kubeContext || c.namespace || c.repository);

/**
 * `whatBecameOf` says, for a run with no recorded end, what became of it (its exit file, its process group), when the
 * session has not been resumed since runbook was killed.
 */
export function buildReport(meta: SessionMeta, events: readonly SessionEvent[], runbook: Runbook | null, whatBecameOf?: (runId: string) => string | null): Report {
  const steps = new Map<string, string>();
  const items = new Map<string, string>();
  if (runbook) {
    for (const step of walkSteps(runbook)) {
      steps.set(step.id, step.title);
      for (const item of [...step.checklist, ...(step.triggers ?? [])]) items.set(item.id, item.text);
    }
  }
  const titleOf = (stepId: string | null) => (stepId === null ? null : (steps.get(stepId) ?? stepId));
  const actors: Actor[] = [];
  const finishes = new Map<string, EventOf<'run-finished'>>();
  for (const event of events) {
    if (event.by && !actors.some(a => a.user === event.by!.user && a.host === event.by!.host)) actors.push(event.by);
    if (event.type === 'run-finished') finishes.set(event.runId, event);
  }

  // Entries stay in append order rather than being sorted by `at`: the journal's order is the order things
  // happened, while `at` comes from whichever host recorded it, and two hosts' clocks can disagree.
  const entries: ReportEntry[] = [];
  let context: Context = {};
  for (const event of events) {
    const now = event.context ?? {};
    if (event.context && !sameContext(now, context) && (hasContext(now) || hasContext(context))) {
      // Shown once when it changes rather than on every line: what an auditor needs is "from here on, aimed at X".
      if (entries.length > 0) entries.push({at: event.at, by: event.by ?? null, stepId: null, step: null, kind: 'context', context: now});
      context = now;
    }
    const entry = entryOf(event, finishes, items, titleOf);
    if (entry?.kind === 'run' && entry.finishedAt === null) {
      const recovered = whatBecameOf?.(entry.runId);
      if (recovered) entry.recovered = recovered;
    }
    if (entry) entries.push(entry);
  }

  const summary = summarize(meta, events);
  const startedAt = events[0]?.at ?? meta.createdAt;
  const endedAt = meta.finished && meta.finishedAt ? meta.finishedAt : (events.at(-1)?.at ?? meta.updatedAt);
  const runs = entries.filter(e => e.kind === 'run');
  return {
    id: meta.id,
    kind: meta.kind,
    runbook: {...meta.runbook, available: runbook !== null, changed: runbook !== null && runbook.hash !== meta.runbook.hash},
    actors,
    context,
    startedAt,
    finished: meta.finished,
    endedAt,
    durationMs: Math.max(0, Date.parse(endedAt) - Date.parse(startedAt)),
    progress: {
      checked: summary.checked,
      total: summary.total ?? null,
      stepsDone: summary.stepsDone,
      failed: summary.failed,
      skipped: summary.skipped,
      steps: summary.steps ?? null,
    },
    runs: {total: runs.length, failed: runs.filter(r => r.kind === 'run' && runFailed(r)).length},
    // A rehearsed incident (kind rehearsal, kept out of the production metrics) still gets its incident timeline.
    incident: meta.kind === 'incident' || events.some(e => isDeclaration(e) || e.type === 'incident') ? incidentFacts(meta, events, runbook ? (runbook.rollback?.stepIds ?? []) : null) : null,
    entries,
  };
}

export const runFailed = (r: {command: string; exitCode: number | null; cancelled: boolean; finishedAt: string | null; tail: readonly string[]}) =>
  r.finishedAt !== null && runWentWrong(r.command, r);

function entryOf(
  event: SessionEvent,
  finishes: ReadonlyMap<string, EventOf<'run-finished'>>,
  items: ReadonlyMap<string, string>,
  titleOf: (id: string | null) => string | null,
): ReportEntry | null {
  const base = (stepId: string | null): EntryBase => ({at: event.at, by: event.by ?? null, stepId, step: titleOf(stepId)});
  switch (event.type) {
    case 'session-started':
      return {...base(null), kind: 'session-started', runbook: event.runbook, mode: event.mode ?? null};
    case 'run-started': {
      const end = finishes.get(event.runId);
      return {
        ...base(event.stepId),
        kind: 'run',
        runId: event.runId,
        blockId: event.blockId,
        command: event.command,
        exitCode: end?.exitCode ?? null,
        signal: end?.signal ?? null,
        cancelled: end?.cancelled ?? false,
        durationMs: end?.durationMs ?? null,
        finishedAt: end?.at ?? null,
        error: end?.error ?? null,
        tail: end?.tail ?? [],
        ...(end?.failedLine ? {failedLine: end.failedLine} : {}),
        ...(end?.commandNotes?.length ? {commandNotes: end.commandNotes} : {}),
        ...(end?.recovered ? {recovered: end.recovered} : {}),
        ...(event.native ? {native: event.native} : {}),
      };
    }
    case 'check-toggled':
      return {...base(event.stepId), kind: 'check', itemId: event.itemId, item: items.get(event.itemId) ?? event.itemId, checked: event.checked};
    case 'step-marked':
      return {...base(event.stepId), kind: 'step-marked', status: event.status, reason: event.reason, ...(event.doneBy ? {doneBy: event.doneBy} : {})};
    case 'note':
      return {...base(event.stepId), kind: 'note', text: event.text, ...(event.message !== undefined ? {message: event.message} : {})};
    case 'refused':
      return {...base(event.stepId), kind: 'refused', blockId: event.blockId, reason: event.reason};
    case 'variable-set': {
      // The store writes secret values as null; the name check also masks one recorded by an older, laxer writer.
      const secret = event.secret || event.value === null || isSecretName(event.name);
      return {...base(null), kind: 'variable', name: event.name, value: secret ? MASK : (event.value as string), secret};
    }
    case 'placeholder-set':
      return {...base(null), kind: 'placeholder', text: event.text, value: event.value};
    case 'shell-changed': {
      const masked = (vars: Record<string, string | null>) => Object.fromEntries(Object.entries(vars).map(([k, v]) => [k, v !== null && isSecretName(k) ? MASK : v]));
      return {...base(null), kind: 'shell', cwd: event.cwd, env: masked(event.env), ...(event.vars ? {vars: masked(event.vars)} : {})};
    }
    case 'incident':
      return {...base(null), kind: 'incident', phase: event.phase, what: event.what, source: event.source ?? null};
    case 'run-finished': // folded into its run-started entry
    case 'step-entered':
      return null; // where the operator looked, not what they did: noise in an audit trail
  }
}
