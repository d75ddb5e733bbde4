// What `runbook status` prints for one session, computed from its events and the outline stored at creation, so
// listing never reparses a runbook (which may have changed or gone since).

import type {Runbook, RunbookNode} from '../runbook/model.js';
import {walkSteps} from '../runbook/walk.js';
import type {SessionEvent} from './events.js';
import type {LockInfo} from './locks.js';
import type {OutlineStep, SessionFile, SessionKind} from './schema.js';
import {foldEvents, stepStatus} from './session-state.js';
import {storyOf, type SessionStory} from './session-story.js';
import {recordedFollowUps, type FollowUpsRecord} from './follow-ups.js';

export interface SessionSummary {
  id: string;
  runbook: {path: string; hash: string; title: string};
  kind: SessionKind;
  createdAt: string;
  updatedAt: string;
  finished: boolean;
  /** Checklist items ticked now. */
  checked: number;
  /** Checklist items in the runbook, when known at creation. */
  total?: number;
  steps?: number;
  stepsDone: number;
  failed: number;
  skipped: number;
  lastStepId: string | null;
  eventCount: number;
  /** Its incident, last failure and rollback (session-story.ts); absent in a listing cached by an older runbook. */
  story?: SessionStory;
  /** The follow-ups after its deploy, once the deploy completed (follow-ups.ts): due times and ticks, no clock. */
  followUps?: FollowUpsRecord;
  /** The live process writing it, if any (not cached: read at each listing). */
  inUse?: LockInfo;
}

export interface Totals {
  checks: number;
  steps: number;
}

/** The totals and outline to store with a new session. */
export function outlineOf(runbook: Pick<Runbook, 'sections'>): {totals: Totals; outline: OutlineStep[]} {
  const steps = walkSteps(runbook);
  const outline = steps.map(step => ({
    id: step.id,
    blocks: step.blocks.filter(b => b.kind === 'command').map(b => b.id),
    checks: step.checklist.map(c => c.id),
  }));
  return {totals: {checks: outline.reduce((n, s) => n + s.checks.length, 0), steps: steps.length}, outline};
}

// stepStatus reads only a step's id, its command blocks' ids and its checklist ids; the outline holds exactly
// those, so rebuilding that much of a node lets the summary share the UI's definition of "done".
function nodeOf(step: OutlineStep): RunbookNode {
  return {
    id: step.id,
    blocks: step.blocks.map(id => ({id, kind: 'command'})),
    checklist: step.checks.map(id => ({id})),
  } as unknown as RunbookNode;
}

export function summarize(file: Omit<SessionFile, 'events'>, events: readonly SessionEvent[]): SessionSummary {
  const state = foldEvents(events);
  const summary: SessionSummary = {
    id: file.id,
    runbook: file.runbook,
    kind: file.kind,
    createdAt: file.createdAt,
    updatedAt: events.at(-1)?.at ?? file.updatedAt, // the last thing recorded, by the recorder's clock
    finished: file.finished,
    checked: Object.values(state.checks).filter(Boolean).length,
    stepsDone: 0,
    failed: 0,
    skipped: 0,
    lastStepId: state.currentStepId,
    eventCount: events.length,
    story: storyOf(events),
  };
  const followUps = recordedFollowUps(events);
  if (followUps) summary.followUps = followUps;
  if (file.totals) {
    summary.total = file.totals.checks;
    summary.steps = file.totals.steps;
  }
  if (file.outline) {
    for (const step of file.outline) {
      const status = stepStatus(state, nodeOf(step));
      if (status === 'done') summary.stepsDone++;
      else if (status === 'failed') summary.failed++;
      else if (status === 'skipped') summary.skipped++;
    }
  } else {
    // No outline: only what the operator marked explicitly is known.
    for (const mark of Object.values(state.marks)) {
      if (mark.status === 'done') summary.stepsDone++;
      else if (mark.status === 'skipped') summary.skipped++;
    }
  }
  return summary;
}
