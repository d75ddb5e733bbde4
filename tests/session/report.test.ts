import {afterAll, afterEach, beforeAll, beforeEach, describe, expect, it} from 'vitest';
import {openSession} from '../../source/session/durable-store.js';
import {buildReport, firstRollback, formatReportMarkdown, localTime, MASK, type ReportEntry} from '../../source/session/report.js';
import {tempStateDir} from './helpers.js';
import {approve, deployTimeline, gates, guide, incidentTimeline, kubeRollback, MULTILINE, pods, staging, T0, Timeline, writeSession} from './history.js';

let state: ReturnType<typeof tempStateDir>;
beforeEach(() => (state = tempStateDir()));
afterEach(() => state.remove());

// A half-hour offset catches an offset printed from hours alone.
const tz = process.env.TZ;
beforeAll(() => void (process.env.TZ = 'Asia/Kolkata'));
afterAll(() => void (tz === undefined ? delete process.env.TZ : (process.env.TZ = tz)));

const MIN = 60_000;

function readBack(id: string) {
  const store = openSession(state.dir, id, {readOnly: true});
  try {
    return {meta: store.meta, events: [...store.events()]};
  } finally {
    store.close();
  }
}

describe('buildReport', () => {
  it('is the session in order: runs with exit codes and durations, ticks, skips, notes, variables, refusals', () => {
    writeSession(state.dir, {id: 'dep-1', kind: 'deploy', events: deployTimeline().events, finishedAt: T0 + 13 * MIN});
    const {meta, events} = readBack('dep-1');
    const report = buildReport(meta, events, guide);

    expect(report.entries.map(e => e.kind)).toEqual([
      'session-started', 'check', 'run', 'check', 'run', 'step-marked', 'note', 'variable', 'variable', 'refused', 'context', 'step-marked',
    ]);
    const [, tick, test, untick, failed, skip, note, token, version, refused, ctx, done] = report.entries as ReportEntry[];
    expect(tick).toMatchObject({kind: 'check', checked: true, item: gates.checklist[0]!.text, step: gates.title, at: new Date(T0 + MIN).toISOString()});
    expect(untick).toMatchObject({kind: 'check', checked: false});
    expect(test).toMatchObject({kind: 'run', command: 'npm test', exitCode: 0, durationMs: 45_000, by: {user: 'alice', host: 'laptop'}});
    expect(failed).toMatchObject({kind: 'run', command: MULTILINE, exitCode: 1, step: pods.title, tail: ['error: deployments.apps "overlord" is forbidden']});
    expect(skip).toMatchObject({kind: 'step-marked', status: 'skipped', step: staging.title, reason: 'verified on staging yesterday (CHG-1042)'});
    expect(note).toMatchObject({kind: 'note', text: 'paged #deploys about the RBAC error'});
    expect(token).toMatchObject({kind: 'variable', name: 'GITHUB_TOKEN', value: MASK, secret: true});
    expect(version).toMatchObject({kind: 'variable', name: 'VERSION', value: 'v1.2.0', secret: false});
    expect(refused).toMatchObject({kind: 'refused', step: approve.title, reason: 'production approval typed wrong'});
    expect(ctx).toMatchObject({kind: 'context', context: {namespace: 'overlord-staging'}});
    expect(done).toMatchObject({kind: 'step-marked', status: 'done', reason: 'approved in the Actions UI'});

    expect(report).toMatchObject({
      id: 'dep-1',
      kind: 'deploy',
      actors: [{user: 'alice', host: 'laptop'}],
      finished: true,
      startedAt: new Date(T0).toISOString(),
      endedAt: new Date(T0 + 13 * MIN).toISOString(),
      durationMs: 13 * MIN,
      runs: {total: 2, failed: 1},
      incident: null,
      runbook: {title: guide.title, available: true, changed: false},
    });
    // Unticked again, so nothing is checked; the pods step failed, staging skipped, approval marked done by hand.
    expect(report.progress).toMatchObject({checked: 0, failed: 1, skipped: 1, stepsDone: 1});
    expect(report.progress.total).toBe(89); // the guide's checklist items
    expect(report.context).toMatchObject({namespace: 'overlord-staging', repository: 'legion/overlord'});
  });

  it('uses step ids when the runbook is gone', () => {
    writeSession(state.dir, {id: 'dep-2', kind: 'deploy', events: deployTimeline().events});
    const {meta, events} = readBack('dep-2');
    const report = buildReport(meta, events, null);
    expect(report.entries.find(e => e.kind === 'note')?.step).toBe(pods.id);
    expect(report.entries.find(e => e.kind === 'check')).toMatchObject({item: gates.checklist[0]!.id});
    expect(report.finished).toBe(false);
    expect(report.endedAt).toBe(new Date(T0 + 10 * MIN).toISOString()); // the last update
    expect(formatReportMarkdown(report)).toContain('file no longer readable');
  });

  it('gives an incident its declared time and time to recovery (the first successful rollback)', () => {
    writeSession(state.dir, {id: 'inc-1', kind: 'incident', events: incidentTimeline().events, finishedAt: T0 + 21 * MIN});
    const {meta, events} = readBack('inc-1');
    const report = buildReport(meta, events, guide);
    expect(report.incident).toMatchObject({
      declaredAt: new Date(T0).toISOString(),
      recoveredAt: new Date(T0 + 12.5 * MIN).toISOString(),
      recoveredBy: 'kubectl rollout undo deployment/overlord -n overlord-production',
      timeToRecoveryMs: 12.5 * MIN,
    });
    const md = formatReportMarkdown(report);
    expect(md).toContain('## Incident');
    expect(md).toContain('- Time to mitigate (time to recovery): 12m 30s');
  });
});

describe('secrets', () => {
  it('prints no token the store redacted: not in md, not in json', () => {
    const token = `ghp_${'A1b2C3d4E5'.repeat(4)}`;
    const t = new Timeline(T0)
      .at(0, {type: 'session-started', runbook: {path: '/gone.md', hash: 'x', title: 'Gone'}})
      .at(1, {type: 'note', stepId: 's', text: `used ${token} for the API`})
      .run(2, 's', 'b', `curl -H "Authorization: token ${token}" https://api.github.com/user`, 0, 0.1);
    writeSession(state.dir, {id: 'tok', kind: 'deploy', events: t.events});
    const {meta, events} = readBack('tok');
    const report = buildReport(meta, events, null);
    expect(formatReportMarkdown(report)).not.toContain(token);
    expect(JSON.stringify(report)).not.toContain(token);
    expect(formatReportMarkdown(report)).toContain('https://api.github.com/user');
  });
});

describe('firstRollback', () => {
  const at = (m: number) => T0 + m * MIN;
  it('counts successful rollback runs and rollback steps marked done, not failed or cancelled runs', () => {
    const failedOnly = new Timeline(T0).run(1, 's', 'b', 'gh workflow run rollback.yml -f environment=production', 1, 1);
    expect(firstRollback(failedOnly.events)).toBeNull();
    const viaActions = new Timeline(T0).run(1, 's', 'b', 'kubectl get pods', 0, 1).run(3, 's', 'b', 'gh workflow run rollback.yml', 0, 1);
    expect(firstRollback(viaActions.events)).toEqual({at: new Date(at(4)).toISOString(), what: 'gh workflow run rollback.yml'});
    const marked = new Timeline(T0)
      .at(2, {type: 'step-marked', stepId: kubeRollback.id, status: 'skipped', reason: 'not needed'})
      .at(5, {type: 'step-marked', stepId: kubeRollback.id, status: 'done', reason: 'rolled back from the console'});
    expect(firstRollback(marked.events)?.at).toBe(new Date(at(5)).toISOString());
    const cancelled = new Timeline(T0).at(1, {type: 'run-started', runId: 'x', stepId: 's', blockId: 'b', command: 'kubectl rollout undo deploy/web', outputFile: null, interactive: false});
    cancelled.at(2, {type: 'run-finished', runId: 'x', exitCode: 0, signal: null, cancelled: true, durationMs: 1, lines: 0, tail: []});
    expect(firstRollback(cancelled.events)).toBeNull();
  });
});

describe('formatReportMarkdown', () => {
  it('is a document: header table, a table of runs, the timeline in local time with the offset', () => {
    writeSession(state.dir, {id: 'dep-3', kind: 'deploy', events: deployTimeline().events, finishedAt: T0 + 13 * MIN});
    const {meta, events} = readBack('dep-3');
    const md = formatReportMarkdown(buildReport(meta, events, guide));
    expect(md.startsWith(`# ${guide.title} — session dep-3\n`)).toBe(true);
    expect(md).toContain('| Operator | alice@laptop |');
    expect(md).toContain('| Started | 2025-03-03 14:30:00 +05:30 |'); // 09:00Z in Kolkata
    expect(md).toContain('| Finished | 2025-03-03 14:43:00 +05:30 |');
    expect(md).toContain('| Duration | 13m 00s |');
    expect(md).toContain('| # | Started | Step | Command | Result | Duration | By |');
    expect(md).toContain('| 1 | 2025-03-03 14:32:00 +05:30 | 1. Code Quality Gates | `npm test` | exit 0 | 45.0 s | alice@laptop |');
    // The table shows the first line of a long command; the pipe-free continuation is summarised, not dropped silently.
    expect(md).toContain('`kubectl apply -f k8s/production/ \\` (+2 more lines) | exit 1 | 1m 00s |');
    expect(md).not.toContain('echo applied');
    expect(md).toContain('error: deployments.apps "overlord" is forbidden'); // a failed run's last output
    expect(md).toContain(`Ticked “${gates.checklist[0]!.text}” — ${gates.title}`);
    expect(md).toContain(`Unticked “${gates.checklist[0]!.text}”`);
    expect(md).toContain(`Skipped — ${staging.title}: verified on staging yesterday (CHG-1042)`);
    expect(md).toContain(`Marked done by hand — ${approve.title}: approved in the Actions UI`);
    expect(md).toContain('Set GITHUB_TOKEN = •••');
    expect(md).toContain('Refused a dangerous block');
    expect(md).toContain('Note — Check Pods Status: paged #deploys about the RBAC error');
    // Timeline lines are in the order recorded.
    const order = ['Session started', 'Ticked', 'Ran `npm test`', 'Unticked', 'Ran `kubectl apply', 'Skipped', 'Note', 'Set GITHUB_TOKEN', 'Set VERSION', 'Refused', 'Now aimed at', 'Marked done'];
    const timeline = md.slice(md.indexOf('## Timeline'));
    const positions = order.map(s => timeline.indexOf(s));
    expect(positions.every(p => p > 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
  });

  it('escapes pipes in the runs table, and the json report keeps the whole command', () => {
    const t = new Timeline(T0).at(0, {type: 'session-started', runbook: {path: '/gone.md', hash: 'x', title: 'Gone'}}).run(1, 's', 'b', 'kubectl get pods | grep -c Running\nsleep 1', 0, 0.1);
    writeSession(state.dir, {id: 'pipes', kind: 'deploy', events: t.events});
    const {meta, events} = readBack('pipes');
    const report = buildReport(meta, events, null);
    expect(formatReportMarkdown(report)).toContain('`kubectl get pods \\| grep -c Running` (+1 more lines)');
    const json = JSON.parse(JSON.stringify(report));
    expect(json.entries[1].command).toBe('kubectl get pods | grep -c Running\nsleep 1');
  });

  it('formats local times with a negative offset too', () => {
    process.env.TZ = 'America/St_Johns'; // UTC-03:30 in March before DST
    try {
      expect(localTime('2025-03-03T09:00:00.000Z')).toBe('2025-03-03 05:30:00 -03:30');
    } finally {
      process.env.TZ = 'Asia/Kolkata';
    }
  });
});
