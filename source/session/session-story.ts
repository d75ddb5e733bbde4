// What `runbook status` says of a session's story at a glance: its incident (phase and severity), its last failure,
// whether it rolled back. Pure, from the events, with no runbook (status never reparses one): a step of a rollback
// path is known by its id saying so (rollback-rule.ts).

import type {SessionEvent} from './events.js';
import {incidentTimeline, type IncidentPhase} from './incident-lifecycle.js';
import {firstRollback} from './rollback-rule.js';
import {runWentWrong} from './run-outcome.js';

export interface SessionStory {
  incident: {phase: IncidentPhase; severity: string | null} | null;
  /** The last run that failed (its first command line and exit), or the failure the app saw, whichever came last. */
  lastFailure: {at: string; what: string} | null;
  /** When the rollback was done (rolled out, when the session followed it); null: none. */
  rolledBackAt: string | null;
}

const firstCommand = (command: string) => command.split('\n').map(l => l.trim()).find(l => l && !l.startsWith('#')) ?? command.trim();

export function storyOf(events: readonly SessionEvent[]): SessionStory {
  const t = incidentTimeline(events, null);
  const commands = new Map<string, string>();
  let lastFailure: SessionStory['lastFailure'] = null;
  for (const e of events) {
    if (e.type === 'run-started') commands.set(e.runId, e.command);
    else if (e.type === 'run-finished' && commands.has(e.runId) && runWentWrong(commands.get(e.runId)!, e)) {
      const why = e.signal ? `killed by ${e.signal}` : e.error ? 'could not run' : `exit ${e.exitCode ?? '?'}`;
      lastFailure = {at: e.at, what: `${firstCommand(commands.get(e.runId)!)}: ${why}`};
    } else if (e.type === 'incident' && e.phase === 'detected') lastFailure = {at: e.at, what: e.what};
  }
  return {
    incident: t ? {phase: t.phase, severity: t.severity} : null,
    lastFailure,
    rolledBackAt: firstRollback(events, null)?.at ?? null,
  };
}

/** The status table's words for the incident: `P1 resolved`, `P2 mitigated`, `seen, not declared`, `—`. */
export function incidentCell(story: SessionStory | undefined): string {
  if (!story) return '?';
  const i = story.incident;
  if (!i) return '—';
  if (i.phase === 'detected') return 'failure seen, not declared';
  return `${i.severity ?? 'incident'} ${i.phase === 'declared' ? 'open' : i.phase}`;
}
