// The session as the operator sees it, folded from its events. Pure: no I/O, no clock.

import type {Runbook, RunbookNode} from '../runbook/model.js';
import type {DetectionSource, DoneBy, EventOf, SessionEvent, StepStatus} from './events.js';
import {runWentWell, runWentWrong} from './run-outcome.js';
import {SEVERITY_IN_TEXT} from '../runbook/severity.js';

/** A run as its run-started event recorded it (process group included, see run-fate.ts), and how it ended. */
export type RunRecord = Pick<EventOf<'run-started'>, 'runId' | 'stepId' | 'blockId' | 'command' | 'outputFile' | 'interactive' | 'processGroup' | 'processStart' | 'native'> & {
  startedAt: string;
  finished: EventOf<'run-finished'> | null;
  /** Where it runs: a shared session's follower (or its next driver) shows another host's unfinished run as running there. */
  host?: string;
};

export interface SessionState {
  startedAt: string | null;
  currentStepId: string | null;
  checks: Record<string, boolean>;
  marks: Record<string, {status: 'done' | 'skipped' | 'not-started'; reason: string; doneBy?: DoneBy}>;
  runs: RunRecord[];
  variables: Record<string, string>;
  placeholders: Record<string, string>;
  /** Environment changes since the session began (null: unset), and the working directory. */
  env: Record<string, string | null>;
  /** The plain (unexported) shell variables blocks set, the same way. */
  vars: Record<string, string | null>;
  cwd: string | null;
  notes: Array<{stepId: string; text: string; at: string}>;
  /** Message templates filled from the session and copied: block id → when. */
  filled: Record<string, string>;
  /** The first failure the app saw, and the incident's close (incident-lifecycle.ts). */
  detected: {at: string; what: string; source?: DetectionSource} | null;
  resolved: {at: string; note: string} | null;
}

export const emptySessionState = (): SessionState => ({
  startedAt: null,
  currentStepId: null,
  checks: {},
  marks: {},
  runs: [],
  variables: {},
  placeholders: {},
  env: {},
  vars: {},
  cwd: null,
  notes: [],
  filled: {},
  detected: null,
  resolved: null,
});

export function applyEvent(state: SessionState, event: SessionEvent): SessionState {
  switch (event.type) {
    case 'session-started':
      return {...state, startedAt: state.startedAt ?? event.at};
    case 'step-entered':
      return {...state, currentStepId: event.stepId};
    case 'check-toggled':
      return {...state, checks: {...state.checks, [event.itemId]: event.checked}};
    case 'run-started':
      return {
        ...state,
        runs: [
          ...state.runs,
          {
            runId: event.runId,
            stepId: event.stepId,
            blockId: event.blockId,
            command: event.command,
            outputFile: event.outputFile,
            interactive: event.interactive,
            startedAt: event.at,
            finished: null,
            ...(event.processGroup ? {processGroup: event.processGroup} : {}),
            ...(event.processStart ? {processStart: event.processStart} : {}),
            ...(event.native ? {native: event.native} : {}),
            ...(event.by?.host ? {host: event.by.host} : {}),
          },
        ],
      };
    case 'run-finished':
      return {...state, runs: state.runs.map(r => (r.runId === event.runId ? {...r, finished: event} : r))};
    case 'step-marked': {
      const marks = {...state.marks, [event.stepId]: {status: event.status, reason: event.reason, ...(event.doneBy ? {doneBy: event.doneBy} : {})}};
      return {...state, marks};
    }
    case 'variable-set':
      if (event.value === null) return state; // secrets are recorded as set, never with their value
      return {...state, variables: {...state.variables, [event.name]: event.value}};
    case 'placeholder-set':
      return {...state, placeholders: {...state.placeholders, [event.text]: event.value}};
    case 'shell-changed':
      return {...state, env: {...state.env, ...event.env}, vars: event.vars ? {...state.vars, ...event.vars} : state.vars, cwd: event.cwd};
    case 'note': {
      const notes = [...state.notes, {stepId: event.stepId, text: event.text, at: event.at}];
      return event.filled ? {...state, notes, filled: {...state.filled, [event.filled]: event.at}} : {...state, notes};
    }
    case 'refused':
      return state;
    case 'incident':
      if (event.phase === 'resolved') return {...state, resolved: {at: event.at, note: event.what}};
      return state.detected ? state : {...state, detected: {at: event.at, what: event.what, ...(event.source ? {source: event.source} : {})}};
  }
}

export const foldEvents = (events: readonly SessionEvent[]) => events.reduce(applyEvent, emptySessionState());

/** The last run of each block of a step, in block order. */
export function lastRuns(state: SessionState, stepId: string): Map<string, RunRecord> {
  const out = new Map<string, RunRecord>();
  for (const run of state.runs) if (run.stepId === stepId) out.set(run.blockId, run);
  return out;
}

export const runSucceeded = (run: RunRecord | undefined) => !!run?.finished && runWentWell(run.command, run.finished);
// A cancelled run is the operator's choice, not a failure of the step.
export const runFailed = (run: RunRecord | undefined) => !!run?.finished && runWentWrong(run.command, run.finished);

/**
 * A step is done when the operator says so, or when every command block has run cleanly and every checklist item
 * is ticked. A failed last run makes it failed until it is re-run, skipped or marked done.
 */
export function stepStatus(state: SessionState, step: RunbookNode): StepStatus {
  const mark = state.marks[step.id];
  if (mark && mark.status !== 'not-started') return mark.status;
  const runs = lastRuns(state, step.id);
  if ([...runs.values()].some(runFailed)) return 'failed';
  const commands = step.blocks.filter(b => b.kind === 'command');
  const ticked = step.checklist.filter(c => state.checks[c.id]).length;
  const ran = commands.filter(b => runSucceeded(runs.get(b.id))).length;
  const actionable = commands.length + step.checklist.length;
  if (actionable > 0 && ran === commands.length && ticked === step.checklist.length) return 'done';
  if (runs.size > 0 || ticked > 0) return 'in-progress';
  return 'not-started';
}

export interface Progress {
  checked: number;
  checks: number;
  stepsDone: number;
  steps: number;
  failed: number;
  skipped: number;
}

export function progressOf(state: SessionState, steps: readonly RunbookNode[]): Progress {
  const p: Progress = {checked: 0, checks: 0, stepsDone: 0, steps: steps.length, failed: 0, skipped: 0};
  for (const step of steps) {
    p.checks += step.checklist.length;
    p.checked += step.checklist.filter(c => state.checks[c.id]).length;
    const status = stepStatus(state, step);
    if (status === 'done') p.stepsDone++;
    if (status === 'failed') p.failed++;
    if (status === 'skipped') p.skipped++;
  }
  return p;
}

export type {Runbook};

/** The incident declared in this session (incident mode, or a failed deploy turned into one), from its note. */
export function declaredIncident(state: SessionState): {severity: string | null; at: string} | null {
  const note = state.notes.find(n => n.text.startsWith('Incident declared'));
  if (!note) return null;
  return {severity: SEVERITY_IN_TEXT.exec(note.text)?.[0] ?? null, at: note.at};
}
