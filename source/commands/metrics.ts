// `runbook metrics [--json]`: the guide's deployment KPIs over every recorded session. Sessions are opened
// read-only, so metrics can be taken while a deploy is in progress; unreadable ones are reported and skipped.

import {readRunbookFile} from '../runbook/read.js';
import {listSessions, openSession, SessionNotFoundError} from '../session/persistence.js';
import {computeMetrics, formatMetrics, type RecordedSession} from '../session/metrics.js';
import {print, printError, printJson} from './print.js';

export function loadAllSessions(stateDir: string): {sessions: RecordedSession[]; problems: string[]} {
  const {sessions: summaries, problems} = listSessions(stateDir);
  const sessions: RecordedSession[] = [];
  // What counts as a rollback step is the runbook's rollback path: each runbook read once.
  const paths = new Map<string, readonly string[] | null>();
  const rollbackSteps = (path: string) => {
    if (!paths.has(path)) {
      try {
        paths.set(path, readRunbookFile(path).rollback?.stepIds ?? []);
      } catch {
        paths.set(path, null);
      }
    }
    return paths.get(path)!;
  };
  for (const summary of summaries) {
    try {
      const store = openSession(stateDir, summary.id, {readOnly: true});
      try {
        sessions.push({meta: store.meta, events: store.events(), rollbackSteps: rollbackSteps(store.meta.runbook.path)});
      } finally {
        store.close();
      }
    } catch (error) {
      if (error instanceof SessionNotFoundError) continue; // removed while we read
      problems.push((error as Error).message);
    }
  }
  return {sessions, problems};
}

export async function metricsCommand(o: {stateDir: string; json: boolean}): Promise<number> {
  const {sessions, problems} = loadAllSessions(o.stateDir);
  for (const problem of problems) printError(problem);
  const metrics = computeMetrics(sessions);
  if (o.json) printJson(metrics);
  else if (sessions.length === 0) print(`No sessions in ${o.stateDir}: nothing to measure yet.\n`);
  else print(formatMetrics(metrics));
  return 0;
}
