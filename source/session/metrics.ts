// The guide's "Metrics & KPIs" (Deployment Metrics table) computed from recorded sessions. Pure: the caller loads
// the sessions. Rehearsals are drills against a sandbox: counting them would flatter every production figure, so
// they are counted apart and left out. Lead time (commit to prod) is not here: sessions do not record commits.

import type {SessionEvent} from './events.js';
import {firstRollback, incidentFacts, type SessionMeta} from './report.js';
import {reportDuration} from './report-markdown.js';
import {foldEvents, lastRuns, runFailed} from './session-state.js';
import {summarize} from './summary.js';
import {formatIncidentTimes, formatRehearsals, incidentTimes, rehearsalFigures, type IncidentTimes, type RehearsalFigures} from './incident-metrics.js';

export interface RecordedSession {
  meta: SessionMeta;
  events: readonly SessionEvent[];
  /** The step ids of its runbook's rollback path; absent when the runbook could not be read (see firstRollback). */
  rollbackSteps?: readonly string[] | null;
}

/** met: null when there is nothing to judge by. */
export interface Figure<T> {
  value: T | null;
  target: string;
  met: boolean | null;
  /** How many sessions it was computed over, in words ("7 finished deploy sessions"). */
  basis: string;
}

export interface Metrics {
  sessions: {deploy: number; incident: number; rehearsal: number; finishedRehearsals: number};
  /** First to last production (deploy/incident) activity, ISO; null without any. */
  span: {from: string; to: string} | null;
  deploymentFrequency: Figure<{perWeek: number; deploys: number; weeks: number}>;
  deploymentDuration: Figure<{medianMs: number; p90Ms: number; count: number}>;
  successRate: Figure<{rate: number; succeeded: number; finished: number}>;
  rollbackRate: Figure<{rate: number; rolledBack: number; deploys: number}>;
  meanTimeToRecovery: Figure<{meanMs: number; recovered: number; incidents: number}>;
  /** Production incidents' times to detect, mitigate and resolve, from the first sign. */
  incidentTimes: IncidentTimes;
  /** The rehearsals' own figures (incident-metrics.ts). */
  rehearsals: RehearsalFigures;
  note: string;
}

const MINUTE = 60_000;
const WEEK = 7 * 24 * 60 * MINUTE;

export const TARGETS = {
  deploymentFrequency: 'weekly (≥ 1 per week)',
  deploymentDuration: '< 15 minutes (median)',
  successRate: '> 95%',
  rollbackRate: '< 5%',
  meanTimeToRecovery: '< 30 minutes',
} as const;

export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Nearest-rank percentile: a value that actually occurred, which reads better than an interpolated one. */
export function percentile(values: readonly number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
}

/** Deployment duration: first command run → last event (reading the runbook before running anything is prep). */
export function deployDurationMs(events: readonly SessionEvent[]): number | null {
  const first = events.find(e => e.type === 'run-started');
  const last = events.at(-1);
  if (!first || !last) return null;
  return Math.max(0, Date.parse(last.at) - Date.parse(first.at));
}

/** Any step failed: from the stored outline when there is one (as `status` counts), else from the runs alone. */
export function hasFailedStep(meta: SessionMeta, events: readonly SessionEvent[]): boolean {
  if (meta.outline) return summarize(meta, events).failed > 0;
  const state = foldEvents(events);
  const stepIds = new Set(state.runs.map(r => r.stepId));
  for (const stepId of stepIds) {
    const mark = state.marks[stepId];
    if (mark && mark.status !== 'not-started') continue;
    for (const run of lastRuns(state, stepId).values()) if (runFailed(run)) return true;
  }
  return false;
}

const figure = <T>(value: T | null, target: string, met: (v: T) => boolean, basis: string): Figure<T> => ({
  value,
  target,
  met: value === null ? null : met(value),
  basis,
});

export function computeMetrics(sessions: readonly RecordedSession[]): Metrics {
  const deploys = sessions.filter(s => s.meta.kind === 'deploy');
  const incidents = sessions.filter(s => s.meta.kind === 'incident');
  const rehearsals = sessions.filter(s => s.meta.kind === 'rehearsal');
  const production = [...deploys, ...incidents];

  const startOf = (s: RecordedSession) => s.events[0]?.at ?? s.meta.createdAt;
  const endOf = (s: RecordedSession) => s.events.at(-1)?.at ?? s.meta.updatedAt;
  const times = production.flatMap(s => [Date.parse(startOf(s)), Date.parse(endOf(s))]).filter(Number.isFinite);
  const span = times.length ? {from: new Date(Math.min(...times)).toISOString(), to: new Date(Math.max(...times)).toISOString()} : null;

  // Per week over the deploys' own span, but never over less than a week: three deploys on one afternoon are
  // "3 this week", not "500 per week".
  const deployTimes = deploys.flatMap(s => [Date.parse(startOf(s)), Date.parse(endOf(s))]).filter(Number.isFinite);
  const weeks = deployTimes.length ? Math.max(1, (Math.max(...deployTimes) - Math.min(...deployTimes)) / WEEK) : 0;
  const frequency = deploys.length ? {perWeek: deploys.length / weeks, deploys: deploys.length, weeks} : null;

  const finished = deploys.filter(s => s.meta.finished);
  const durations = finished.map(s => deployDurationMs(s.events)).filter((d): d is number => d !== null);
  const duration = durations.length ? {medianMs: median(durations), p90Ms: percentile(durations, 90), count: durations.length} : null;

  const rolledBack = (s: RecordedSession) => firstRollback(s.events, s.rollbackSteps) !== null;
  const succeeded = finished.filter(s => !hasFailedStep(s.meta, s.events) && !rolledBack(s)).length;
  const success = finished.length ? {rate: succeeded / finished.length, succeeded, finished: finished.length} : null;

  const rollbacks = deploys.filter(rolledBack).length;
  const rollback = deploys.length ? {rate: rollbacks / deploys.length, rolledBack: rollbacks, deploys: deploys.length} : null;

  const recoveries = incidents.map(s => incidentFacts(s.meta, s.events, s.rollbackSteps).timeToRecoveryMs).filter((t): t is number => t !== null);
  const mttr = recoveries.length ? {meanMs: recoveries.reduce((a, b) => a + b, 0) / recoveries.length, recovered: recoveries.length, incidents: incidents.length} : null;

  const plural = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;
  return {
    sessions: {deploy: deploys.length, incident: incidents.length, rehearsal: rehearsals.length, finishedRehearsals: rehearsals.filter(s => s.meta.finished).length},
    span,
    deploymentFrequency: figure(frequency, TARGETS.deploymentFrequency, v => v.perWeek >= 1, plural(deploys.length, 'deploy session')),
    deploymentDuration: figure(duration, TARGETS.deploymentDuration, v => v.medianMs < 15 * MINUTE, `${plural(durations.length, 'finished deploy session')} with a command run`),
    successRate: figure(success, TARGETS.successRate, v => v.rate > 0.95, plural(finished.length, 'finished deploy session')),
    rollbackRate: figure(rollback, TARGETS.rollbackRate, v => v.rate < 0.05, plural(deploys.length, 'deploy session')),
    meanTimeToRecovery: figure(
      mttr,
      TARGETS.meanTimeToRecovery,
      v => v.meanMs < 30 * MINUTE,
      `${plural(recoveries.length, 'recovered incident')} of ${incidents.length}`,
    ),
    incidentTimes: incidentTimes(production),
    rehearsals: rehearsalFigures(rehearsals, deployDurationMs, median),
    note: `Rehearsal sessions (${rehearsals.length}) are counted separately and excluded from these production figures.`,
  };
}

const percent = (r: number) => `${(r * 100).toFixed(r === 1 || r === 0 ? 0 : 1)}%`;
const status = (met: boolean | null) => (met === null ? 'no data' : met ? 'met' : 'missed');

/** The figures as a plain-text table, as `runbook metrics` prints them. */
export function formatMetrics(m: Metrics): string {
  const rows: Array<[string, string, string, string, string]> = [
    ['Deployment frequency', m.deploymentFrequency.value ? `${m.deploymentFrequency.value.perWeek.toFixed(1)} per week` : '—', m.deploymentFrequency.target, status(m.deploymentFrequency.met), m.deploymentFrequency.basis],
    [
      'Deployment duration',
      m.deploymentDuration.value ? `median ${reportDuration(m.deploymentDuration.value.medianMs)}, p90 ${reportDuration(m.deploymentDuration.value.p90Ms)}` : '—',
      m.deploymentDuration.target,
      status(m.deploymentDuration.met),
      m.deploymentDuration.basis,
    ],
    ['Deployment success rate', m.successRate.value ? `${percent(m.successRate.value.rate)} (${m.successRate.value.succeeded}/${m.successRate.value.finished})` : '—', m.successRate.target, status(m.successRate.met), m.successRate.basis],
    ['Rollback rate', m.rollbackRate.value ? `${percent(m.rollbackRate.value.rate)} (${m.rollbackRate.value.rolledBack}/${m.rollbackRate.value.deploys})` : '—', m.rollbackRate.target, status(m.rollbackRate.met), m.rollbackRate.basis],
    ['Mean time to recovery', m.meanTimeToRecovery.value ? reportDuration(m.meanTimeToRecovery.value.meanMs) : '—', m.meanTimeToRecovery.target, status(m.meanTimeToRecovery.met), m.meanTimeToRecovery.basis],
  ];
  const header: [string, string, string, string, string] = ['Metric', 'Actual', 'Target', 'Status', 'Over'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map(r => r[i]!.length)));
  const fmt = (r: readonly string[]) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ');
  const span = m.span ? `${m.span.from.slice(0, 10)} to ${m.span.to.slice(0, 10)}` : 'no production sessions';
  return [
    `Deployment metrics over ${m.sessions.deploy} deploy and ${m.sessions.incident} incident sessions (${span})`,
    '',
    fmt(header),
    ...rows.map(fmt),
    '',
    ...formatIncidentTimes(m.incidentTimes),
    '',
    m.note,
    '',
    ...formatRehearsals(m.rehearsals),
    '',
  ].join('\n');
}
