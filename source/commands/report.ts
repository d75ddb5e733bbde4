// `runbook report ID [--format md|json]`: one session as a timeline. Opened read-only: a report is what someone
// asks for while the deploy is still going on, so it must never take (or wait for) the writer's lock.

import {readdirSync} from 'node:fs';
import {InputError} from '../runbook/errors.js';
import type {Runbook} from '../runbook/model.js';
import {readRunbookFile} from '../runbook/read.js';
import {openSession, SessionNotFoundError} from '../session/persistence.js';
import {buildReport, formatReportMarkdown} from '../session/report.js';
import {describeFate, runFate} from '../session/run-fate.js';
import {foldEvents} from '../session/session-state.js';
import {SESSION_ID} from '../session/schema.js';
import {sessionsDir} from '../session/session-files.js';
import {print, printJson} from './print.js';

const notFound = (id: string, dir: string) => new InputError(`no session ${id} in ${dir}; 'runbook status' lists them`);

/** The session an id or a unique id prefix names; InputError when none or several do. */
export function resolveSessionId(stateDir: string, id: string): string {
  if (!SESSION_ID.test(id)) throw notFound(id, stateDir);
  let names: string[];
  try {
    names = readdirSync(sessionsDir(stateDir));
  } catch {
    throw notFound(id, stateDir);
  }
  const ids = names.filter(n => n.endsWith('.json')).map(n => n.slice(0, -5)).filter(n => SESSION_ID.test(n));
  if (ids.includes(id)) return id;
  const matches = ids.filter(n => n.startsWith(id)).sort();
  if (matches.length === 1) return matches[0]!;
  if (matches.length === 0) throw notFound(id, stateDir);
  const shown = matches.slice(0, 5).join(', ') + (matches.length > 5 ? `, … (${matches.length - 5} more)` : '');
  throw new InputError(`session prefix ${id} matches ${matches.length} sessions in ${stateDir} (${shown}); give more of the id`);
}

/** The runbook as it is now, for step titles and item texts; null when it is gone or unreadable (ids are shown). */
function currentRunbook(path: string): Runbook | null {
  try {
    return readRunbookFile(path);
  } catch {
    return null;
  }
}

export async function reportCommand(o: {stateDir: string; id: string; format: 'md' | 'json'}): Promise<number> {
  const id = resolveSessionId(o.stateDir, o.id);
  let store;
  try {
    store = openSession(o.stateDir, id, {readOnly: true});
  } catch (error) {
    if (error instanceof SessionNotFoundError) throw notFound(o.id, o.stateDir); // removed since we looked
    throw error;
  }
  try {
    const meta = store.meta;
    // Runs a killed runbook never saw end, in a session not resumed since: their exit files and process groups say.
    const runs = foldEvents(store.events()).runs;
    const whatBecameOf = (runId: string) => {
      const run = runs.find(r => r.runId === runId);
      return run ? describeFate(runFate(run, store.outputDir)) : null;
    };
    const report = buildReport(meta, store.events(), currentRunbook(meta.runbook.path), whatBecameOf);
    if (o.format === 'json') printJson(report);
    else print(formatReportMarkdown(report));
    return 0;
  } finally {
    store.close();
  }
}
