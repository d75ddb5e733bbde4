// The follow-ups `runbook status` lists: those of every session whose time has come and that nobody ticked, whether
// or not the session's terminal is still open. Read from what each session recorded (session/follow-ups.ts).

import {dueFollowUps, followUpState, nextFollowUp, spanWords, type FollowUp, type FollowUpsRecord} from '../session/follow-ups.js';
import type {SessionSummary} from '../session/persistence.js';
import {localTime} from '../session/report-markdown.js';
import {padEnd, truncate, width} from '../terminal/columns.js';
import {safeText} from '../terminal/safe-text.js';

// A summary comes from the index cache too: a hand-edited entry must not break the listing.
const recordOf = (s: SessionSummary): FollowUpsRecord | null =>
  s.followUps && Array.isArray(s.followUps.items) && typeof s.followUps.from === 'string' ? s.followUps : null;

const itemJson = (item: FollowUp, now: Date) => ({
  id: item.id,
  action: item.action,
  who: item.who,
  dueAt: item.dueAt,
  state: followUpState(item, now),
  ...(item.done ? {doneAt: item.done.at, note: item.done.note} : {}),
});

/** What `--json` adds per session: null before its deploy completed. */
export function followUpsJson(s: SessionSummary, now: Date) {
  const record = recordOf(s);
  if (!record) return null;
  const next = nextFollowUp(record);
  return {
    deployCompletedAt: record.from,
    due: dueFollowUps(record, now).map(i => itemJson(i, now)),
    next: next ? itemJson(next, now) : null,
    done: record.items.filter(i => i.done).length,
    total: record.items.length,
  };
}

/** The table of follow-ups due or overdue across sessions, oldest first; '' when there are none. */
export function formatFollowUpsDue(sessions: readonly SessionSummary[], now: Date): string {
  const due = sessions.flatMap(s => dueFollowUps(recordOf(s), now).map(item => ({s, item})));
  if (due.length === 0) return '';
  due.sort((a, b) => Date.parse(a.item.dueAt) - Date.parse(b.item.dueAt));
  const header = ['SESSION', 'DUE', 'FOLLOW-UP', 'WHO', 'STATE'];
  const rows = due.map(({s, item}) => {
    const late = now.getTime() - Date.parse(item.dueAt);
    const state = followUpState(item, now) === 'overdue' ? `overdue by ${spanWords(late)}` : `due (${spanWords(late)} ago)`;
    return [s.id, localTime(item.dueAt).slice(0, 16), truncate(`${item.id} ${item.action}`, 48), truncate(item.who ?? '—', 24), state].map(c => safeText(c));
  });
  const widths = header.map((h, i) => Math.max(width(h), ...rows.map(r => width(r[i]!))));
  const fmt = (r: string[]) => r.map((c, i) => (i === r.length - 1 ? c : padEnd(c, widths[i]!))).join('  ');
  const count = `${due.length} follow-up${due.length === 1 ? '' : 's'} due after a deploy (F in the session ticks one with a note):`;
  return `${count}\n${[fmt(header), ...rows.map(fmt)].join('\n')}\n`;
}
