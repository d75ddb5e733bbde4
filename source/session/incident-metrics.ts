// The incident's times over many sessions (time to detect, to mitigate, to resolve: each from the first sign, see
// incident-lifecycle.ts), and the rehearsals' own figures: a game day yields numbers of its own, kept apart from the
// production ones it would flatter. Pure: the caller loads the sessions.

import type {SessionEvent} from './events.js';
import {incidentTimeline} from './incident-lifecycle.js';
import {firstRollback} from './rollback-rule.js';
import {reportDuration} from './report-markdown.js';

interface Recorded {
  meta: {kind: string; finished: boolean};
  events: readonly SessionEvent[];
  rollbackSteps?: readonly string[] | null;
}

export interface Mean {
  meanMs: number;
  count: number;
}

export interface IncidentTimes {
  /** Sessions with an incident (detected or declared). */
  incidents: number;
  detect: Mean | null;
  mitigate: Mean | null;
  resolve: Mean | null;
}

export interface RehearsalFigures {
  sessions: number;
  finished: number;
  /** First command to last event, over rehearsals with a command run (as the production figure is counted). */
  deployDuration: {medianMs: number; count: number} | null;
  rollbackRate: {rate: number; rolledBack: number; sessions: number} | null;
  times: IncidentTimes;
}

const mean = (values: number[]): Mean | null => (values.length ? {meanMs: values.reduce((a, b) => a + b, 0) / values.length, count: values.length} : null);

export function incidentTimes(sessions: readonly Recorded[]): IncidentTimes {
  const timelines = sessions.map(s => incidentTimeline(s.events, s.rollbackSteps)).filter(t => t !== null);
  const of = (pick: (t: (typeof timelines)[number]) => number | null) => mean(timelines.map(pick).filter((v): v is number => v !== null));
  return {incidents: timelines.length, detect: of(t => t.timeToDetectMs), mitigate: of(t => t.timeToMitigateMs), resolve: of(t => t.timeToResolveMs)};
}

export function rehearsalFigures(rehearsals: readonly Recorded[], durationOf: (events: readonly SessionEvent[]) => number | null, median: (v: readonly number[]) => number): RehearsalFigures {
  const durations = rehearsals.map(s => durationOf(s.events)).filter((d): d is number => d !== null);
  const rolledBack = rehearsals.filter(s => firstRollback(s.events, s.rollbackSteps) !== null).length;
  return {
    sessions: rehearsals.length,
    finished: rehearsals.filter(s => s.meta.finished).length,
    deployDuration: durations.length ? {medianMs: median(durations), count: durations.length} : null,
    rollbackRate: rehearsals.length ? {rate: rolledBack / rehearsals.length, rolledBack, sessions: rehearsals.length} : null,
    times: incidentTimes(rehearsals),
  };
}

const meanText = (m: Mean | null) => (m ? `${reportDuration(m.meanMs)} (mean of ${m.count})` : '—');

/** The three incident times on one line each, for `runbook metrics`. */
export function formatIncidentTimes(t: IncidentTimes, indent = ''): string[] {
  return [
    `${indent}Time to detect (first sign → declared):  ${meanText(t.detect)}`,
    `${indent}Time to mitigate (rollback rolled out): ${meanText(t.mitigate)}`,
    `${indent}Time to resolve (X, with a note):       ${meanText(t.resolve)}`,
  ];
}

export function formatRehearsals(r: RehearsalFigures): string[] {
  if (r.sessions === 0) return ['Rehearsals: none recorded (runbook rehearse, or npm start, records one).'];
  const rate = r.rollbackRate ? `${((r.rollbackRate.rate * 100).toFixed(r.rollbackRate.rate === 1 || r.rollbackRate.rate === 0 ? 0 : 1))}% (${r.rollbackRate.rolledBack}/${r.rollbackRate.sessions})` : '—';
  return [
    `Rehearsals (${r.sessions}, ${r.finished} finished), kept apart from the production figures above:`,
    `  Deploy duration:   ${r.deployDuration ? `median ${reportDuration(r.deployDuration.medianMs)} over ${r.deployDuration.count}` : '—'}`,
    `  Rollback rate:     ${rate}`,
    `  Incidents:         ${r.times.incidents}`,
    ...formatIncidentTimes(r.times, '  '),
  ];
}
