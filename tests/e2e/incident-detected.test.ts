// A rehearsal of a deploy that goes bad, as an on-call engineer lives it: the app sees the crash loop before anyone
// declares anything (FAILURE SEEN), the operator declares (I) and later resolves (X), and afterwards `status`,
// `report` and `metrics` tell that story — detection before declaration, every time counted from the detection, the
// rehearsal in its own section of the metrics.
import {execFileSync} from 'node:child_process';
import {join} from 'node:path';
import {execa} from 'execa';
import {afterEach, expect, it} from 'vitest';
import {CLI} from '../helpers/paths.js';
import {describeNeeds} from '../helpers/requirements.js';
import {sleep, Terminal, tempDir} from '../helpers/tui.js';

afterEach(() => Terminal.stopAll());

const UNSET = ['KUBECONFIG', 'GH_TOKEN', 'GITHUB_TOKEN', 'GH_ENTERPRISE_TOKEN', 'GITHUB_REPOSITORY', 'GITHUB_API_URL'];

describeNeeds(['kubectl'])('an incident the app saw first', () => {
  it('records the detection before the declaration, counts from it, resolves with X, and status, report and metrics say so', async () => {
    const home = tempDir('detected');
    const stateDir = join(home, 'state');
    const env = {HOME: home};
    const t = new Terminal(['rehearse', '--scenario', 'bad-release', '--speed', '6', '--state-dir', stateDir], {size: '120x40', env, unset: UNSET});
    await t.wait('ROLLOUT overlord · rev 1 · v1.1.0', 30);
    const kubeconfig = join(stateDir, 'sandbox', 'cluster', 'kubeconfig');
    execFileSync('kubectl', ['--kubeconfig', kubeconfig, '--cache-dir', join(home, 'kc'), 'set', 'image', 'deployment/overlord', 'overlord=ghcr.io/legion14041981-ui/overlord-trading-system-v8:v1.2.0', '-n', 'overlord-production']);

    // Nobody has declared anything: the header says a failure was seen, and how to declare.
    await t.wait('FAILURE SEEN [0-9:]+ \\(I declares\\)', 40);
    await sleep(1200);
    t.keys('I');
    await t.wait('Declare an incident: severity');
    t.type('P1');
    t.keys('Enter');
    await t.wait('INCIDENT P1 [0-9:]+', 10);

    t.keys('X');
    await t.wait('Resolve the incident');
    t.type('rolled back by hand, v1.1.0 serving');
    t.keys('Enter');
    await t.wait('RESOLVED P1 in [0-9:]+', 10);
    t.keys('q');
    await t.wait('Production Deployment Guide — ');

    const cli = (...args: string[]) => execa('node', [CLI, ...args, '--state-dir', stateDir], {env: {...process.env, HOME: home}, reject: false});
    const status = await cli('status', '--json');
    expect(status.exitCode, status.stderr).toBe(0);
    const sessions = JSON.parse(status.stdout) as Array<Record<string, unknown>>;
    expect(sessions).toHaveLength(1);
    const [session] = sessions as [Record<string, unknown>];
    expect(session.kind).toBe('rehearsal');
    expect(JSON.stringify(session)).toMatch(/P1/);
    const table = await cli('status');
    expect(table.stdout).toMatch(/INCIDENT/);
    expect(table.stdout).toMatch(/rehearsal/);

    const report = (await cli('report', String(session.id))).stdout;
    const detected = /- Detected: (\S+ \S+) \S+ — pod \S+ (CrashLoopBackOff|Error)/.exec(report);
    const declared = /- Declared: (\S+ \S+) \S+ as P1 \(\+[^)]+\)/.exec(report);
    expect(detected, report).toBeTruthy();
    expect(declared, report).toBeTruthy();
    expect(detected![1]! <= declared![1]!).toBe(true);
    expect(report).toMatch(/Counted from the detection/);
    expect(report).toMatch(/- Resolved: .* — rolled back by hand, v1\.1\.0 serving/);
    expect(report).toMatch(/Time to resolve: \d/);

    const metrics = await cli('metrics');
    expect(metrics.exitCode, metrics.stderr).toBe(0);
    expect(metrics.stdout).toMatch(/Rehearsals \(1, \d finished\), kept apart from the production figures above:/);
    expect(metrics.stdout).toMatch(/Incidents: +1/);
  }, 120_000);
});
