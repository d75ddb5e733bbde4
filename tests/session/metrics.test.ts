import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {loadAllSessions, metricsCommand} from '../../source/commands/metrics.js';
import {computeMetrics, hasFailedStep, median, percentile, type Metrics} from '../../source/session/metrics.js';
import {tempStateDir} from './helpers.js';
import {gates, incidentTimeline, kubeRollback, pods, RUNBOOK, T0, Timeline, writeSession} from './history.js';
import {capture} from '../helpers/capture.js';

const MIN = 60_000;
const DAY = 24 * 60 * MIN;

const started = (t: Timeline) => t.at(0, {type: 'session-started', runbook: RUNBOOK});
const ok = (start: number, lastAt: number) => started(new Timeline(start)).run(1, gates.id, gates.blocks[0]!.id, 'npm test', 0, 1).at(lastAt, {type: 'note', stepId: gates.id, text: 'done'});

let state: ReturnType<typeof tempStateDir>;
let metrics: Metrics;

// Worked by hand:
//   deploys  D1 10 min ok · D2 20 min failed step · D3 12 min rolled back · D4 unfinished · D5 8 min ok
//   duration median(8, 10, 12, 20) = 11 min, p90 (nearest rank, 4th of 4) = 20 min        → met (< 15)
//   success  D1, D5 of the 4 finished = 50%                                                  → missed (> 95%)
//   rollback D3 of 5 = 20%                                                                    → missed (< 5%)
//   frequency 5 deploys from T0 to T0+14d+9min ≈ 2.0009 weeks = 2.5 per week                → met (weekly)
//   MTTR     I1 12.5 min (rollout undo), I2 27.5 min (rollback step marked done), I3 never → 20 min, met (< 30)
//   rehearsal R1 failed and rolled back on day 20: excluded, and does not stretch the span.
beforeAll(() => {
  state = tempStateDir();
  const dir = state.dir;
  const failing = started(new Timeline(T0 + 2 * DAY)).run(1, pods.id, pods.blocks[0]!.id, 'kubectl get pods -n overlord-production', 1, 1).at(21, {type: 'note', stepId: pods.id, text: 'gave up'});
  const rolledBack = started(new Timeline(T0 + 4 * DAY)).run(1, kubeRollback.id, kubeRollback.blocks[0]!.id, 'kubectl rollout undo deployment/overlord', 0, 1).at(13, {type: 'note', stepId: kubeRollback.id, text: 'back on v1.1.0'});
  writeSession(dir, {id: 'd1', kind: 'deploy', events: ok(T0, 11).events, finishedAt: T0 + 12 * MIN});
  writeSession(dir, {id: 'd2', kind: 'deploy', events: failing.events, finishedAt: T0 + 2 * DAY + 22 * MIN});
  writeSession(dir, {id: 'd3', kind: 'deploy', events: rolledBack.events, finishedAt: T0 + 4 * DAY + 14 * MIN});
  writeSession(dir, {id: 'd4', kind: 'deploy', events: ok(T0 + 6 * DAY, 6).events});
  writeSession(dir, {id: 'd5', kind: 'deploy', events: ok(T0 + 14 * DAY, 9).events, finishedAt: T0 + 14 * DAY + 10 * MIN});
  writeSession(dir, {id: 'i1', kind: 'incident', events: incidentTimeline(T0 + DAY).events, finishedAt: T0 + DAY + 30 * MIN});
  const marked = started(new Timeline(T0 + 3 * DAY)).at(27.5, {type: 'step-marked', stepId: kubeRollback.id, status: 'done', reason: 'rolled back via Actions'});
  writeSession(dir, {id: 'i2', kind: 'incident', events: marked.events, finishedAt: T0 + 3 * DAY + 40 * MIN});
  writeSession(dir, {id: 'i3', kind: 'incident', events: started(new Timeline(T0 + 5 * DAY)).at(3, {type: 'note', stepId: pods.id, text: 'still investigating'}).events});
  const drill = started(new Timeline(T0 + 20 * DAY)).run(1, pods.id, pods.blocks[0]!.id, 'kubectl get pods', 1, 1).run(5, kubeRollback.id, kubeRollback.blocks[0]!.id, 'kubectl rollout undo deployment/overlord', 0, 1);
  writeSession(dir, {id: 'r1', kind: 'rehearsal', events: drill.events, finishedAt: T0 + 20 * DAY + 90 * MIN});
  const loaded = loadAllSessions(dir);
  expect(loaded.problems).toEqual([]);
  expect(loaded.sessions).toHaveLength(9);
  metrics = computeMetrics(loaded.sessions);
});
afterAll(() => state.remove());

describe('computeMetrics', () => {
  it('computes the guide KPIs from the recorded sessions, rehearsals excluded', () => {
    expect(metrics.sessions).toEqual({deploy: 5, incident: 3, rehearsal: 1, finishedRehearsals: 1});
    expect(metrics.deploymentDuration.value).toEqual({medianMs: 11 * MIN, p90Ms: 20 * MIN, count: 4});
    expect(metrics.deploymentDuration.met).toBe(true);
    expect(metrics.successRate.value).toEqual({rate: 0.5, succeeded: 2, finished: 4});
    expect(metrics.successRate.met).toBe(false);
    expect(metrics.rollbackRate.value).toEqual({rate: 0.2, rolledBack: 1, deploys: 5});
    expect(metrics.rollbackRate.met).toBe(false);
    expect(metrics.deploymentFrequency.value?.deploys).toBe(5);
    expect(metrics.deploymentFrequency.value?.perWeek).toBeCloseTo(5 / ((14 * DAY + 9 * MIN) / (7 * DAY)), 6);
    expect(metrics.deploymentFrequency.met).toBe(true);
    expect(metrics.meanTimeToRecovery.value).toEqual({meanMs: 20 * MIN, recovered: 2, incidents: 3});
    expect(metrics.meanTimeToRecovery.met).toBe(true);
    expect(metrics.span).toEqual({from: new Date(T0).toISOString(), to: new Date(T0 + 14 * DAY + 9 * MIN).toISOString()});
    expect(metrics.note).toMatch(/Rehearsal sessions \(1\) are counted separately and excluded/);
  });

  it('has no figures, and judges nothing, without history', () => {
    const empty = computeMetrics([]);
    expect(empty.successRate).toMatchObject({value: null, met: null});
    expect(empty.meanTimeToRecovery).toMatchObject({value: null, met: null});
    expect(empty.span).toBeNull();
  });

  it('a week is the shortest span: three deploys in one afternoon are 3 per week', () => {
    const day = [0, 60, 120].map((m, i) => ({meta: {id: `x${i}`, kind: 'deploy', createdAt: '', updatedAt: '', finished: true, finishedAt: null, outline: null} as never, events: ok(T0 + m * MIN, 20).events}));
    expect(computeMetrics(day).deploymentFrequency.value?.perWeek).toBe(3);
  });

  it('median, nearest-rank p90, and failed steps without an outline', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90)).toBe(9);
    const meta = {outline: null} as never;
    const failed = new Timeline(T0).run(1, 's', 'b', 'false', 1, 1);
    expect(hasFailedStep(meta, failed.events)).toBe(true);
    expect(hasFailedStep(meta, failed.run(3, 's', 'b', 'true', 0, 1).events)).toBe(false); // re-run cleanly
  });
});

describe('metricsCommand', () => {
  it('prints the table with targets and met/missed, and says rehearsals are excluded', async () => {
    const {code, out, err} = await capture(() => metricsCommand({stateDir: state.dir, json: false}));
    expect(code).toBe(0);
    expect(err).toBe('');
    expect(out).toMatch(/^Deployment metrics over 5 deploy and 3 incident sessions \(2025-03-03 to 2025-03-17\)/);
    expect(out).toMatch(/Deployment frequency +2\.5 per week +weekly \(≥ 1 per week\) +met/);
    expect(out).toMatch(/Deployment duration +median 11m 00s, p90 20m 00s +< 15 minutes \(median\) +met/);
    expect(out).toMatch(/Deployment success rate +50\.0% \(2\/4\) +> 95% +missed/);
    expect(out).toMatch(/Rollback rate +20\.0% \(1\/5\) +< 5% +missed/);
    expect(out).toMatch(/Mean time to recovery +20m 00s +< 30 minutes +met +2 recovered incidents of 3/);
    expect(out).toContain('Rehearsal sessions (1) are counted separately and excluded from these production figures.');
  });

  it('--json prints the figures', async () => {
    const {out} = await capture(() => metricsCommand({stateDir: state.dir, json: true}));
    expect(JSON.parse(out)).toMatchObject({successRate: {value: {rate: 0.5}, target: '> 95%', met: false}});
  });

  it('empty history: one line, exit 0', async () => {
    const empty = tempStateDir();
    try {
      const {code, out} = await capture(() => metricsCommand({stateDir: empty.dir, json: false}));
      expect(code).toBe(0);
      expect(out).toBe(`No sessions in ${empty.dir}: nothing to measure yet.\n`);
    } finally {
      empty.remove();
    }
  });
});
