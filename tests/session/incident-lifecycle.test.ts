// The incident from its first sign to its close: detected (recorded by the app, before anyone declared it), declared,
// mitigated (the rollback rolled out), resolved (X, with a note). Every time counts from the first sign.
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {parseRunbook} from '../../source/runbook/index.js';
import {SessionController} from '../../source/session/controller.js';
import {healthFailure, noticeFailure, noticeRunFailure, pipelineFailure, podFailure, rolloutFailure} from '../../source/session/failure-detection.js';
import {incidentLabel, incidentTimeline} from '../../source/session/incident-lifecycle.js';
import {buildReport, formatReportMarkdown, type SessionMeta} from '../../source/session/report.js';
import {SessionActions} from '../../source/session/session-actions.js';
import {MemorySessionStore} from '../../source/session/store.js';
import {testTempDir} from '../helpers/temp.js';
import {guide, kubeRollback, RUNBOOK, T0, Timeline} from './history.js';

const MIN = 60_000;
const iso = (min: number) => new Date(T0 + min * MIN).toISOString();
const meta = (kind: SessionMeta['kind']): SessionMeta =>
  ({version: 1, id: 's', kind, runbook: RUNBOOK, createdAt: iso(0), updatedAt: iso(0), finished: false, finishedAt: null, totals: null, outline: null}) as SessionMeta;

/** A deploy whose pods crash-loop at 2 min, declared at 3, rolled back and rolled out at 10, resolved at 25. */
function badRelease() {
  return new Timeline(T0)
    .at(0, {type: 'session-started', runbook: RUNBOOK})
    .at(2, {type: 'incident', phase: 'detected', what: 'pod overlord-7c9-x CrashLoopBackOff', source: 'pod'})
    .at(3, {type: 'note', stepId: kubeRollback.id, text: 'Incident declared: P1 (from a step in progress: Check pods)'})
    .run(8, kubeRollback.id, kubeRollback.blocks[0]!.id, 'kubectl rollout undo deployment/overlord -n overlord-production', 0, 0.5)
    .run(9, kubeRollback.id, kubeRollback.blocks[0]!.id, 'kubectl rollout status deployment/overlord -n overlord-production', 0, 1)
    .at(25, {type: 'incident', phase: 'resolved', what: 'error rate back to baseline; v1.2.0 pulled'});
}

describe('the incident timeline', () => {
  it('counts detect, mitigate and resolve from the detection, not from the declaration', () => {
    const t = incidentTimeline(badRelease().events, guide.rollback!.stepIds)!;
    expect(t).toMatchObject({
      phase: 'resolved',
      detectedAt: iso(2),
      source: 'pod',
      declaredAt: iso(3),
      severity: 'P1',
      mitigatedAt: iso(10),
      resolvedAt: iso(25),
      resolution: 'error rate back to baseline; v1.2.0 pulled',
      startedAt: iso(2),
      timeToDetectMs: 1 * MIN,
      timeToMitigateMs: 8 * MIN,
      timeToResolveMs: 23 * MIN,
    });
  });

  it('starts at the declaration when the app saw nothing first, and is null when there is no incident', () => {
    const declaredFirst = new Timeline(T0)
      .at(0, {type: 'note', stepId: kubeRollback.id, text: 'Incident declared: SEV2'})
      .at(4, {type: 'incident', phase: 'detected', what: 'rollout of overlord: exceeded its progress deadline', source: 'rollout'});
    expect(incidentTimeline(declaredFirst.events, [])).toMatchObject({startedAt: iso(0), timeToDetectMs: 0, phase: 'declared', severity: 'SEV2'});
    expect(incidentTimeline(new Timeline(T0).at(0, {type: 'session-started', runbook: RUNBOOK}).events, [])).toBeNull();
  });

  it('reads on the header: failure seen, open with its clock, mitigated, resolved with the clock stopped', () => {
    const events = badRelease().events;
    const upTo = (min: number) => incidentTimeline(events.filter(e => Date.parse(e.at) <= T0 + min * MIN), guide.rollback!.stepIds);
    expect(incidentLabel(upTo(2.5), T0 + 2.5 * MIN)).toBe('FAILURE SEEN 00:30 (I declares)');
    expect(incidentLabel(upTo(5), T0 + 5 * MIN)).toBe('INCIDENT P1 03:00');
    expect(incidentLabel(upTo(12), T0 + 12 * MIN)).toBe('INCIDENT P1 10:00 · mitigated');
    expect(incidentLabel(upTo(30), T0 + 90 * MIN)).toBe('RESOLVED P1 in 23:00');
  });

  it('is in the report: each phase, and the times from the detection', () => {
    const report = buildReport(meta('deploy'), badRelease().events, guide);
    expect(report.incident).toMatchObject({timeToRecoveryMs: 8 * MIN, detectedAt: iso(2)});
    const md = formatReportMarkdown(report);
    expect(md).toContain('- Detected: ');
    expect(md).toContain('pod overlord-7c9-x CrashLoopBackOff');
    expect(md).toMatch(/Declared: .* as P1 \(\+1m 00s\)/);
    expect(md).toContain('Counted from the detection');
    expect(md).toMatch(/Time to mitigate \(time to recovery\): 8m 00s/);
    expect(md).toMatch(/Time to resolve: 23m 00s/);
    expect(md).toContain('Failure detected (pod): pod overlord-7c9-x CrashLoopBackOff');
    expect(md).toContain('Incident resolved: error rate back to baseline');
  });
});

describe('what the app counts as the first sign', () => {
  it('a pod failing, a rollout past its deadline, a failed job of its own run', () => {
    expect(podFailure([{name: 'a', status: 'Running'}])).toBeNull();
    expect(podFailure([{name: 'a', status: 'Running'}, {name: 'b', status: 'CrashLoopBackOff', restarts: '4 (10s ago)'}, {name: 'c', status: 'Error'}])).toEqual({
      source: 'pod',
      what: 'pod b CrashLoopBackOff, restarts 4 (10s ago) (and 1 more)',
    });
    expect(rolloutFailure({name: 'web', failed: false, message: 'Waiting'})).toBeNull();
    expect(rolloutFailure({name: 'web', failed: true, message: 'error: deployment "web" exceeded its progress deadline'})?.source).toBe('rollout');
    const run = {number: 7, name: 'CI/CD', conclusion: null};
    const jobs = [{name: 'deploy-production', icon: 'X', status: 'completed'}];
    expect(pipelineFailure({following: {kind: 'commit'}, run, jobs})).toEqual({source: 'pipeline', what: 'pipeline CI/CD #7: job deploy-production failed'});
    // The newest run of a branch may have failed days before: not this deploy's failure.
    expect(pipelineFailure({following: {kind: 'latest'}, run, jobs})).toBeNull();
  });

  it('a failed health check, recorded once, before the declaration, and never after the close', async () => {
    const dir = testTempDir('incident');
    const runbook = parseRunbook('# T\n\n## Deploy\n\n```bash\ntrue\n```\n\n## Health checks\n\n```bash\nexit 7 # curl -fsS https://svc/health\n```\n');
    const store = new MemorySessionStore('s1', join(dir, 'runs'));
    let now = T0;
    const c = new SessionController({runbook, store, shell: {env: {PATH: process.env.PATH!, HOME: dir}, cwd: dir}, actor: {user: 'ops', host: 'laptop'}, now: () => new Date((now += 1000))});
    await c.run(c.steps[0]!.blocks[0]!.id, {variables: {}, placeholders: {}, confirmed: false});
    expect(noticeRunFailure(c)).toBe(false);
    await c.run(c.steps[1]!.blocks[0]!.id, {variables: {}, placeholders: {}, confirmed: false});
    expect(healthFailure(c.session.runs, () => 'Health checks')?.what).toMatch(/^health check failed \(exit 7\) in “Health checks”/);
    expect(noticeRunFailure(c)).toBe(true);
    expect(noticeFailure(c, {source: 'pod', what: 'pod x Error'})).toBe(false); // the first sign only
    const actions = new SessionActions(c);
    const said: string[] = [];
    const screen = {say: (t: string) => said.push(t), go: () => {}, copy: () => {}};
    actions.carryOut({kind: 'mark', purpose: 'incident', stepId: c.steps[1]!.id, text: 'p2'}, screen, {history: []});
    expect(actions.openIncident()).toBe(true);
    actions.carryOut({kind: 'mark', purpose: 'resolve', stepId: c.steps[1]!.id, text: 'health endpoint fixed'}, screen, {history: []});
    expect(actions.openIncident()).toBe(false);
    expect(said.at(-1)).toMatch(/clock has stopped/);
    const kinds = store.events().filter(e => e.type === 'incident' || e.type === 'note').map(e => (e.type === 'incident' ? e.phase : e.text));
    expect(kinds).toEqual(['detected', 'Incident declared: P2 (from a failed step: Health checks)', 'resolved']);
    const t = incidentTimeline(store.events(), [])!;
    expect(t.phase).toBe('resolved');
    expect(t.detectedAt! < t.declaredAt!).toBe(true);
  });
});
