// `runbook list [--json]`: the runbooks runbook knows, with their size and their latest session. Also what `runbook`
// with no FILE prints outside a runbook project, where opening the packaged guide by default would be a surprise.

import {localTime} from '../session/report-markdown.js';
import {findRunbooks, type LibraryEntry} from '../session/runbook-library.js';
import {padEnd, truncate, truncateStart, width} from '../terminal/columns.js';
import {safeText} from '../terminal/safe-text.js';
import {print, printError, printJson} from './print.js';
import type {Place} from './state-dir.js';

export interface ListOptions {
  stateDir: string;
  json: boolean;
  place: Place;
  /** The guide shipped with runbook. */
  packaged: string;
  /** After the table, a line saying how to open one (`runbook` with no FILE outside a project). */
  hint?: boolean;
}

/** The runbooks to list from where runbook was started: ./runbooks always; outside a project the loose *.md here and the packaged guide too. */
export function libraryFor(o: Pick<ListOptions, 'stateDir' | 'place' | 'packaged'>) {
  return findRunbooks({
    cwd: o.place.cwd,
    home: o.place.home,
    stateDir: o.stateDir,
    folders: ['runbooks'],
    here: !o.place.project,
    recent: 20,
    packaged: o.place.project ? null : o.packaged,
  });
}

/** What --json prints per runbook. */
export function listRecord(e: LibraryEntry) {
  return {
    file: e.file,
    path: e.path,
    source: e.source,
    title: e.title,
    steps: e.steps,
    checks: e.checks,
    problem: e.problem,
    lastSession: e.last ? {id: e.last.id, kind: e.last.kind, updatedAt: e.last.updatedAt, finished: e.last.finished, state: e.last.state} : null,
  };
}

const short = (iso: string) => localTime(iso).slice(0, 16);

export function formatList(entries: readonly LibraryEntry[]): string {
  const header = ['FILE', 'TITLE', 'STEPS', 'CHECKS', 'LAST SESSION', 'STATE'];
  // Titles and file names come from files anyone may have written: shown inert, cut and padded in columns.
  const rows = entries.map(e =>
    [
      truncateStart(e.file, 60),
      truncate(e.title || '—', 40),
      e.steps === null ? '?' : String(e.steps),
      e.checks === null ? '?' : String(e.checks),
      e.last ? `${e.last.id} ${short(e.last.updatedAt)}` : '—',
      [e.problem, e.last?.state ?? (e.problem ? null : 'never opened')].filter(Boolean).join(' · '),
    ].map(cell => safeText(cell)),
  );
  const widths = header.map((h, i) => Math.max(width(h), ...rows.map(r => width(r[i]!))));
  const fmt = (r: string[]) => r.map((c, i) => (i === r.length - 1 ? c : padEnd(c, widths[i]!))).join('  ');
  return `${[fmt(header), ...rows.map(fmt)].join('\n')}\n`;
}

export async function listCommand(o: ListOptions): Promise<number> {
  const {entries, problems} = await libraryFor(o);
  for (const problem of problems) printError(problem);
  if (o.json) {
    printJson(entries.map(listRecord));
    return 0;
  }
  if (entries.length === 0) print('No runbooks here: no runbooks/ folder and no sessions.\n');
  else print(formatList(entries));
  if (o.hint) {
    const example = entries.find(e => !e.problem)?.file ?? 'FILE';
    print(`\nOpen one with 'runbook ${/\s/.test(example) ? `"${example}"` : example}' (sessions are kept in ${o.stateDir}).\n`);
  }
  return 0;
}
