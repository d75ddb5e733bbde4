// What the screen says of the follow-ups after the deploy: the status bar's one line, the notice when one comes due,
// and the rows of the list F opens. Pure: the clock is passed in.

import {followUpState, nextFollowUp, spanWords, type FollowUp, type FollowUpsRecord, type FollowUpState} from '../session/follow-ups.js';
import {safeText} from '../terminal/safe-text.js';
import type {Tone} from './theme.js';

const TONE: Record<FollowUpState, Tone> = {done: 'done', overdue: 'failed', due: 'warn', upcoming: 'muted'};

/** The status bar's line: the next follow-up and when it is due; null before the deploy completed. */
export function followUpStatus(record: FollowUpsRecord | null, now: Date): {text: string; tone: Tone} | null {
  if (!record) return null;
  const next = nextFollowUp(record);
  if (!next) return {text: `follow-ups ${record.items.length}/${record.items.length} done`, tone: 'done'};
  const state = followUpState(next, now);
  const gap = Date.parse(next.dueAt) - now.getTime();
  const when = state === 'upcoming' ? `in ${spanWords(gap)}` : state === 'due' ? 'due now · F' : `overdue ${spanWords(gap)} · F`;
  return {text: `next: ${safeText(next.id)} ${safeText(next.action)} · ${when}`, tone: TONE[state]};
}

/** Follow-ups due now that were not announced yet (the caller remembers which were). */
export function toAnnounce(record: FollowUpsRecord | null, now: Date, announced: ReadonlySet<string>): FollowUp[] {
  if (!record) return [];
  return record.items.filter(i => !announced.has(`${record.from}\0${i.id}`) && ['due', 'overdue'].includes(followUpState(i, now)));
}

export const announceKey = (record: FollowUpsRecord, item: FollowUp) => `${record.from}\0${item.id}`;

/** The notice line for follow-ups that came due. */
export function announcement(items: readonly FollowUp[]): string {
  const named = items.map(i => `${safeText(i.id)} ${safeText(i.action)}${i.who ? ` (${safeText(i.who)})` : ''}`);
  return `Follow-up${items.length === 1 ? '' : 's'} due: ${named.join('; ')} — F to tick with a note`;
}

export interface FollowUpRow {
  id: string;
  text: string;
  tone: Tone;
  done: boolean;
}

/** One row per follow-up: its time, action, who, and when it is (or was) due or done. */
export function followUpRows(record: FollowUpsRecord, now: Date): FollowUpRow[] {
  return record.items.map(item => {
    const state = followUpState(item, now);
    const gap = Date.parse(item.dueAt) - now.getTime();
    const when =
      state === 'done' ? `done ${spanWords(now.getTime() - Date.parse(item.done!.at))} ago` : state === 'upcoming' ? `in ${spanWords(gap)}` : state === 'due' ? 'due now' : `overdue ${spanWords(gap)}`;
    const mark = state === 'done' ? '✓' : state === 'upcoming' ? '○' : '!';
    const who = item.who ? ` — ${safeText(item.who)}` : '';
    const note = item.done ? `  “${safeText(item.done.note)}”` : '';
    return {id: item.id, text: `${mark} ${safeText(item.id).padEnd(8)} ${safeText(item.action)}${who} · ${when}${note}`, tone: TONE[state], done: state === 'done'};
  });
}
