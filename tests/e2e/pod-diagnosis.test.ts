// A release crash-loops: the operator selects the crash-looping pod in PODS (J), reads why in its previous container's
// log (p), sees CrashLoopBackOff and the last exit code in its description (d), the namespace's events (e), searches
// (/ n), and goes back (Esc); each look is in the session's report.
import {execFileSync} from 'node:child_process';
import {join} from 'node:path';
import {execa} from 'execa';
import {afterEach, expect, it} from 'vitest';
import {CLI} from '../helpers/paths.js';
import {describeNeeds} from '../helpers/requirements.js';
import {sleep, Terminal, tempDir} from '../helpers/tui.js';

afterEach(() => Terminal.stopAll());

const UNSET = ['KUBECONFIG', 'GH_TOKEN', 'GITHUB_TOKEN', 'GH_ENTERPRISE_TOKEN', 'GITHUB_REPOSITORY', 'GITHUB_API_URL'];

/** Moves the selection down PODS until the crash-looping pod (the only 0/1 row) is selected (▶ with NO_COLOR). */
async function selectCrashLoopingPod(t: Terminal) {
  for (let i = 0; i < 8; i++) {
    t.keys('J');
    await sleep(300);
    if (t.screen().split('\n').some(line => /▶ overlo\S* 0\/1 /.test(line))) return;
  }
  throw new Error(`the crash-looping pod was never selected:\n${t.screen()}`);
}

describeNeeds(['kubectl'])('pod diagnosis (k9s keys) on the bad release', () => {
  it('selects the crash-looping pod: p shows the crash, d shows CrashLoopBackOff and the exit code, each look recorded', async () => {
    const home = tempDir('pods');
    const stateDir = join(home, 'state');
    const t = new Terminal(['rollback', '--scenario', 'bad-release', '--speed', '6', '--state-dir', stateDir], {size: '120x40', env: {HOME: home}, unset: UNSET});
    await t.wait('Incident: how severe is it');
    t.keys('1');
    await t.wait('ROLLOUT overlord · rev 1 · v1.1.0', 30);
    const kubeconfig = join(stateDir, 'sandbox', 'cluster', 'kubeconfig');
    execFileSync('kubectl', ['--kubeconfig', kubeconfig, '--cache-dir', join(home, 'kc'), 'set', 'image', 'deployment/overlord', 'overlord=ghcr.io/legion14041981-ui/overlord-trading-system-v8:v1.2.0', '-n', 'overlord-production']);
    // Its first crash has moved to the last state: the previous container's log exists from then on.
    await t.wait(/CrashLoopBackOff\s+[1-9]/, 30);
    await selectCrashLoopingPod(t);
    await t.wait('Pod selected');

    t.keys('p');
    await t.wait('LOGS overlord-\\S+/overlord \\(previous container\\)');
    await t.wait('ERROR \\[overlord.main\\] startup failed');
    await t.wait('CRITICAL \\[overlord.main\\] refusing to trade without risk limits; exiting with status 1');
    // Searched: the matches are counted and highlighted.
    t.keys('/');
    t.type('critical');
    t.keys('Enter');
    await t.wait('“critical”: match 1/1');

    t.keys('d');
    await t.wait('DESCRIBE pod overlord-');
    await t.wait('Last State:\\s+Terminated');
    await t.wait('Exit Code:\\s+1');
    expect(t.screen()).toMatch(/Image:\s+\S+:v1\.2\.0/);
    // Between two restarts the container runs for a moment; the description is live and comes back to the back-off.
    await t.wait(/State:\s+Waiting\s+│\n│\s+Reason:\s+CrashLoopBackOff/, 30);

    // Its live log: the current container's (while it waits on the back-off, the one that just crashed).
    t.keys('l');
    await t.wait('LOGS overlord-\\S+/overlord  ');
    await t.wait('Started server process');

    t.keys('e');
    await t.wait('EVENTS overlord-production');
    await t.wait('BackOff');

    t.keys('Escape');
    await t.gone('EVENTS overlord-production');
    await t.wait('PODS overlord-production');
    // Esc lets the pod go: d is "done" again (a reason is asked).
    t.keys('Escape', 'q');
    await t.wait('Production Deployment Guide — ');

    const status = JSON.parse((await execa(process.execPath, [CLI, 'status', '--json', '--state-dir', stateDir])).stdout);
    const report = (await execa(process.execPath, [CLI, 'report', status[0].id, '--state-dir', stateDir])).stdout;
    expect(report).toMatch(/Looked at the previous container’s logs of pod overlord-\S+ \(namespace overlord-production\)/);
    expect(report).toMatch(/Looked at the description of pod overlord-/);
    expect(report).toMatch(/Looked at the events of namespace overlord-production/);
  });
});
