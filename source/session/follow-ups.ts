// The follow-ups after the deploy, as the session records them. When the runbook's deploy step (runbook/follow-ups.ts)
// becomes done, a note carrying the schedule is recorded with the moment it became done: from then on everything —
// the status bar, `runbook status` across closed sessions, the report — reads the schedule from the session alone,
// not from a runbook that may have changed since. Each follow-up is ticked by a note naming it. Pure but for the
// clock, which is always passed in.

import type {FollowUpSchedule} from '../runbook/follow-ups.js';
import type {RunbookNode} from '../runbook/model.js';
import type {FollowUpsScheduled, NewEvent, SessionEvent} from './events.js';
import {applyEvent, emptySessionState, stepStatus, type SessionState} from './session-state.js';

export type FollowUpState = 'done' | 'overdue' | 'due' | 'upcoming';

export interface FollowUp {
  id: string;
  action: string;
  who: string | null;
  dueAt: string;
  done: {at: string; note: string} | null;
}

export interface FollowUpsRecord {
  /** The deploy step the schedule counts from. */
  stepId: string;
  from: string;
  items: FollowUp[];
}

/** A follow-up stays "due" this long past its time; after that it is overdue. */
export const DUE_GRACE_MS = 15 * 60_000;

/** The moment the anchor step last became done, replaying the events; null when it is not done now. */
export function deployDoneAt(events: readonly SessionEvent[], anchor: RunbookNode): string | null {
  let state = emptySessionState();
  let doneAt: string | null = null;
  for (const event of events) {
    const was = stepStatus(state, anchor) === 'done';
    state = applyEvent(state, event);
    const is = stepStatus(state, anchor) === 'done';
    if (is && !was) doneAt = event.at;
    if (!is) doneAt = null;
  }
  return doneAt;
}

function scheduleNote(schedule: FollowUpSchedule, from: string): NewEvent {
  const last = schedule.items.at(-1)!;
  const followUps: FollowUpsScheduled = {from, items: schedule.items.map(({id, afterMs, action, who}) => ({id, afterMs, action, who}))};
  const text = `Deploy completed (${schedule.anchorTitle} done): ${schedule.items.length} follow-up${schedule.items.length === 1 ? '' : 's'} scheduled, ${schedule.items[0]!.id} to ${last.id}`;
  return {type: 'note', stepId: schedule.anchorStepId, text, followUps};
}

/** Decides, as events are recorded, when the deploy completed and the schedule is to be recorded. */
export class FollowUpWatch {
  private readonly anchor: RunbookNode | null;

  constructor(
    private readonly schedule: FollowUpSchedule | null,
    steps: readonly RunbookNode[],
  ) {
    this.anchor = schedule ? (steps.find(s => s.id === schedule.anchorStepId) ?? null) : null;
  }

  /** After an event: the schedule note when this event made the deploy step done. */
  observe(before: SessionState, after: SessionState, event: SessionEvent): NewEvent | null {
    if (!this.schedule || !this.anchor || event.type === 'note') return null;
    if (stepStatus(before, this.anchor) === 'done' || stepStatus(after, this.anchor) !== 'done') return null;
    return scheduleNote(this.schedule, event.at);
  }

  /** On opening a session: the schedule note its history calls for and does not hold (done before this program). */
  catchUp(events: readonly SessionEvent[]): NewEvent | null {
    if (!this.schedule || !this.anchor) return null;
    const doneAt = deployDoneAt(events, this.anchor);
    if (!doneAt) return null;
    const recorded = recordedFollowUps(events);
    return recorded && recorded.from >= doneAt ? null : scheduleNote(this.schedule, doneAt);
  }
}

/** The latest schedule the session recorded, with the ticks recorded after it; null when the deploy never completed. */
export function recordedFollowUps(events: readonly SessionEvent[]): FollowUpsRecord | null {
  let record: FollowUpsRecord | null = null;
  for (const event of events) {
    if (event.type !== 'note') continue;
    if (event.followUps) {
      const from = Date.parse(event.followUps.from);
      record = {
        stepId: event.stepId,
        from: event.followUps.from,
        items: event.followUps.items.map(i => ({id: i.id, action: i.action, who: i.who, dueAt: new Date(from + i.afterMs).toISOString(), done: null})),
      };
    } else if (event.followUp && record) {
      const item = record.items.find(i => i.id === event.followUp);
      // The operator's words, without the prefix tickNote puts before them.
      const prefix = item ? `Follow-up ${item.id} done (${item.action})` : '';
      if (item && !item.done) item.done = {at: event.at, note: event.text.startsWith(prefix) ? event.text.slice(prefix.length).replace(/^: /, '') : event.text};
    }
  }
  return record;
}

export function followUpState(item: FollowUp, now: Date): FollowUpState {
  if (item.done) return 'done';
  const late = now.getTime() - Date.parse(item.dueAt);
  if (late < 0) return 'upcoming';
  return late < DUE_GRACE_MS ? 'due' : 'overdue';
}

/** The first follow-up not ticked, by due time. */
export function nextFollowUp(record: FollowUpsRecord | null): FollowUp | null {
  return record?.items.filter(i => !i.done).sort((a, b) => Date.parse(a.dueAt) - Date.parse(b.dueAt))[0] ?? null;
}

/** Follow-ups whose time has come and that are not ticked. */
export const dueFollowUps = (record: FollowUpsRecord | null, now: Date): FollowUp[] =>
  record?.items.filter(i => {
    const state = followUpState(i, now);
    return state === 'due' || state === 'overdue';
  }) ?? [];

/** The note that ticks a follow-up. */
export function tickNote(record: FollowUpsRecord, id: string, note: string): NewEvent | null {
  const item = record.items.find(i => i.id === id);
  if (!item || item.done) return null;
  const said = note.trim();
  return {type: 'note', stepId: record.stepId, text: `Follow-up ${item.id} done (${item.action})${said ? `: ${said}` : ''}`, followUp: item.id};
}

/** A span as the status bar says it: 45s, 12m, 1h 5m, 3d 4h. */
export function spanWords(ms: number): string {
  const s = Math.max(0, Math.round(Math.abs(ms) / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 24) return m % 60 ? `${h}h ${m % 60}m` : `${h}h`;
  const d = Math.floor(h / 24);
  return h % 24 ? `${d}d ${h % 24}h` : `${d}d`;
}

/**
 * The clock follow-ups are timed by. RUNBOOK_NOW (an ISO time) sets what "now" is at start, and it runs on from there:
 * tests and rehearsals see a deploy's T+4hr without waiting four hours.
 */
export function followUpClock(env: NodeJS.ProcessEnv = process.env, real: () => number = Date.now): () => Date {
  const given = env.RUNBOOK_NOW ? Date.parse(env.RUNBOOK_NOW) : Number.NaN;
  if (Number.isNaN(given)) return () => new Date(real());
  const offset = given - real();
  return () => new Date(real() + offset);
}
