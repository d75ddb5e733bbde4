// Records that tell the story: status shows each session's incident, rollback and last failure; the report shows a
// run's real command (not its block's opening comment) and the undo's real duration; metrics give rehearsals their
// own figures, with the incident times, next to the production ones.
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {formatStatus} from '../../source/commands/status.js';
import {SessionController} from '../../source/session/controller.js';
import {computeMetrics, formatMetrics} from '../../source/session/metrics.js';
import {codeHead, type SessionMeta} from '../../source/session/report.js';
import {SessionActions} from '../../source/session/session-actions.js';
import {incidentCell, storyOf} from '../../source/session/session-story.js';
import {MemorySessionStore} from '../../source/session/store.js';
import {summarize} from '../../source/session/summary.js';
import {testTempDir} from '../helpers/temp.js';
import {guide, kubeRollback, RUNBOOK, T0, Timeline} from './history.js';

const MIN = 60_000;
const meta = (id: string, kind: SessionMeta['kind'], finished = true): SessionMeta =>
  ({version: 1, id, kind, runbook: RUNBOOK, createdAt: new Date(T0).toISOString(), updatedAt: new Date(T0).toISOString(), finished, finishedAt: null, totals: null, outline: null}) as SessionMeta;

/** A rehearsed bad release: a command at 0, seen failing at 2, declared at 3, rolled back at 6 (out at 7), resolved at 12. */
function drill(start = T0) {
  return new Timeline(start)
    .at(0, {type: 'session-started', runbook: RUNBOOK})
    .run(0, 's', 'b', '# Deploy the release\nkubectl set image deployment/overlord overlord=img:v1.2.0', 0, 0.5)
    .run(1, 's', 'h', '# Is it up?\ncurl -fsS https://overlord/health', 7, 0.2)
    .at(2, {type: 'incident', phase: 'detected', what: 'pod overlord-1 CrashLoopBackOff', source: 'pod'})
    .at(3, {type: 'note', stepId: kubeRollback.id, text: 'Incident declared: P1'})
    .run(6, kubeRollback.id, kubeRollback.blocks[0]!.id, 'kubectl rollout undo deployment/overlord -n p', 0, 0.5)
    .run(6.5, kubeRollback.id, kubeRollback.blocks[0]!.id, 'kubectl rollout status deployment/overlord -n p', 0, 0.5)
    .at(12, {type: 'incident', phase: 'resolved', what: 'ok'});
}

describe('status', () => {
  it('shows each session’s incident, rollback and last failure', () => {
    const events = drill().events;
    const story = storyOf(events);
    expect(story).toMatchObject({incident: {phase: 'resolved', severity: 'P1'}, rolledBackAt: new Date(T0 + 7 * MIN).toISOString()});
    // The app's detection came after the failed health check: it is the last failure.
    expect(story.lastFailure).toEqual({at: new Date(T0 + 2 * MIN).toISOString(), what: 'pod overlord-1 CrashLoopBackOff'});
    expect(storyOf(events.slice(0, 5)).lastFailure?.what).toBe('curl -fsS https://overlord/health: exit 7');
    expect(incidentCell(storyOf(events.slice(0, 7)))).toBe('P1 open');
    expect(incidentCell(storyOf(events.slice(0, 6)))).toBe('failure seen, not declared');
    const table = formatStatus([summarize(meta('r-1', 'rehearsal'), events), summarize(meta('d-1', 'deploy'), new Timeline(T0).at(0, {type: 'session-started', runbook: RUNBOOK}).events)]);
    expect(table.split('\n')[0]).toMatch(/KIND .* INCIDENT +ROLLBACK +LAST FAILURE +STATE$/);
    expect(table).toMatch(/r-1 .* rehearsal .* P1 resolved +done \d\d:\d\d +pod overlord-1 CrashLoopBackOff +finished/);
    expect(table).toMatch(/d-1 .* deploy .* — +— +— +finished/);
  });
});

describe('the report', () => {
  it('shows a run’s first command, not its block’s opening comment', () => {
    expect(codeHead('# Is it up?\ncurl -fsS https://overlord/health')).toBe('`curl -fsS https://overlord/health` (+1 more lines)');
    expect(codeHead('kubectl rollout undo deployment/x  # native: revision 2 → 1')).toBe('`kubectl rollout undo deployment/x  # native: revision 2 → 1`');
  });

  it('records the native undo’s real duration: the patch, then the rollout', () => {
    const dir = testTempDir('records');
    const store = new MemorySessionStore('s1', join(dir, 'runs'));
    const c = new SessionController({runbook: guide, store, shell: {env: {PATH: process.env.PATH!, HOME: dir}, cwd: dir}, actor: {user: 'ops', host: 'laptop'}});
    const actions = new SessionActions(c);
    const undo = {namespace: 'p', deployment: 'overlord', fromRevision: 2, toRevision: 1, image: 'img:v1.1.0'};
    actions.recordUndo(kubeRollback.id, {...undo, result: 'rolled back', message: 'deployment.apps/overlord rolled back', durationMs: 180}, true);
    actions.recordUndo(kubeRollback.id, {...undo, result: 'rolled back', message: 'successfully rolled out', durationMs: 41_000}, false);
    const finished = store.events().filter(e => e.type === 'run-finished').map(e => e.type === 'run-finished' && e.durationMs);
    expect(finished).toEqual([180, 41_000]);
  });
});

describe('metrics', () => {
  it('give rehearsals their own section: deploy duration, rollback rate, time to detect, mitigate and resolve', () => {
    const m = computeMetrics([
      {meta: meta('r-1', 'rehearsal'), events: drill().events, rollbackSteps: guide.rollback!.stepIds},
      {meta: meta('r-2', 'rehearsal', false), events: new Timeline(T0).run(0, 's', 'b', 'true', 0, 4).events, rollbackSteps: guide.rollback!.stepIds},
    ]);
    expect(m.deploymentDuration.value).toBeNull(); // production figures stay clean
    expect(m.rehearsals).toMatchObject({
      sessions: 2,
      finished: 1,
      rollbackRate: {rolledBack: 1, sessions: 2, rate: 0.5},
      times: {incidents: 1, detect: {meanMs: 1 * MIN, count: 1}, mitigate: {meanMs: 5 * MIN, count: 1}, resolve: {meanMs: 10 * MIN, count: 1}},
    });
    expect(m.rehearsals.deployDuration).toEqual({medianMs: 8 * MIN, count: 2});
    const text = formatMetrics(m);
    expect(text).toContain('Rehearsals (2, 1 finished), kept apart from the production figures above:');
    expect(text).toMatch(/Rollback rate: +50\.0% \(1\/2\)/);
    expect(text).toMatch(/Time to resolve \(X, with a note\): +10m 00s \(mean of 1\)/);
  });
});
