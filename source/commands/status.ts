// `runbook status [--json]`: every recorded session, newest first. A session that cannot be read is reported on
// stderr (the store has already moved it aside) and the listing goes on: one bad file must not hide the others.

import {listSessions, type SessionSummary} from '../session/persistence.js';
import {localTime} from '../session/report-markdown.js';
import {padEnd, truncate, width} from '../terminal/columns.js';
import {safeText} from '../terminal/safe-text.js';
import {print, printError, printJson} from './print.js';
import {incidentCell} from '../session/session-story.js';
import {followUpClock} from '../session/follow-ups.js';
import {followUpsJson, formatFollowUpsDue} from './status-follow-ups.js';

/** What `--json` prints per session: the summary flattened so `runbook` is the title scripts look for. */
export function statusRecord(s: SessionSummary) {
  return {
    id: s.id,
    runbook: s.runbook.title,
    runbookPath: s.runbook.path,
    runbookHash: s.runbook.hash,
    kind: s.kind,
    startedAt: s.createdAt,
    updatedAt: s.updatedAt,
    checked: s.checked,
    total: s.total ?? null,
    steps: s.steps ?? null,
    stepsDone: s.stepsDone,
    failed: s.failed,
    skipped: s.skipped,
    finished: s.finished,
    lastStepId: s.lastStepId,
    events: s.eventCount,
    incident: s.story?.incident ?? null,
    lastFailure: s.story?.lastFailure ?? null,
    rolledBackAt: s.story?.rolledBackAt ?? null,
    inUse: s.inUse ?? null,
  };
}

// The table drops the seconds and the offset on each row (the header says the offset once): a status line has to
// fit a terminal, the report carries exact times.
const short = (iso: string) => localTime(iso).slice(0, 16);
const offsetOf = (iso: string) => localTime(iso).slice(20);

function state(s: SessionSummary): string {
  // pid 0: a lock file that names no process (cut short, hand-edited), stale once it is 10 s old.
  if (s.inUse) return s.inUse.pid > 0 ? `in use by pid ${s.inUse.pid}@${s.inUse.host}` : 'locked (lock names no process)';
  return s.finished ? 'finished' : 'unfinished';
}

export function formatStatus(sessions: readonly SessionSummary[]): string {
  const header = ['ID', 'RUNBOOK', 'KIND', 'STARTED', 'UPDATED', 'CHECKED', 'STEPS D/F/S', 'INCIDENT', 'ROLLBACK', 'LAST FAILURE', 'STATE'];
  // Cells hold what sessions recorded (a runbook's title, a lock's host): shown inert, cut and padded in columns.
  const rows = sessions.map(s => [
    s.id,
    truncate(s.runbook.title, 40),
    s.kind,
    short(s.createdAt),
    short(s.updatedAt),
    `${s.checked}/${s.total ?? '?'}`,
    `${s.stepsDone}/${s.failed}/${s.skipped}${s.steps !== undefined ? ` of ${s.steps}` : ''}`,
    incidentCell(s.story),
    s.story?.rolledBackAt ? `done ${short(s.story.rolledBackAt).slice(11)}` : '—',
    s.story?.lastFailure ? truncate(s.story.lastFailure.what, 36) : '—',
    state(s),
  ].map(cell => safeText(cell)));
  const widths = header.map((h, i) => Math.max(width(h), ...rows.map(r => width(r[i]!))));
  const fmt = (r: string[]) => r.map((c, i) => (i === r.length - 1 ? c : padEnd(c, widths[i]!))).join('  ');
  const offset = sessions[0] ? offsetOf(sessions[0].updatedAt) : '';
  return `${[fmt(header), ...rows.map(fmt)].join('\n')}\n\nTimes are local (UTC${offset}). 'runbook report ID' prints one session in full.\n`;
}

/** `now`: the clock follow-ups are due by (default: RUNBOOK_NOW, else the time). */
export async function statusCommand(o: {stateDir: string; json: boolean; now?: Date}): Promise<number> {
  const {sessions, problems} = listSessions(o.stateDir);
  const now = o.now ?? followUpClock()();
  for (const problem of problems) printError(problem);
  if (o.json) {
    printJson(sessions.map(s => ({...statusRecord(s), followUps: followUpsJson(s, now)})));
    return 0;
  }
  if (sessions.length === 0) {
    print(`No sessions in ${o.stateDir}.\n`);
    return 0;
  }
  print(formatStatus(sessions));
  const due = formatFollowUpsDue(sessions, now);
  if (due) print(`\n${due}`);
  return 0;
}
