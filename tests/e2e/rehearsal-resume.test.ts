// A bad-release rehearsal left and resumed with `npm start` (which on its own would rehearse `default`) comes back
// in bad-release, on the world it left: the bad release still rolled out at revision 2, not the seed's revision 1.
import {execFileSync} from 'node:child_process';
import {readdirSync, readFileSync} from 'node:fs';
import {join} from 'node:path';
import {afterEach, describe, expect} from 'vitest';
import {itNeeds} from '../helpers/requirements.js';
import {Terminal, tempDir} from '../helpers/tui.js';

afterEach(() => Terminal.stopAll());

const UNSET = ['KUBECONFIG', 'GH_TOKEN', 'GITHUB_TOKEN', 'GH_ENTERPRISE_TOKEN', 'GITHUB_REPOSITORY', 'GITHUB_API_URL'];

describe('a rehearsal resumed', () => {
  itNeeds(['kubectl'])('is in its own scenario, on the world it left', async () => {
    const home = tempDir('rehearsal-resume');
    const state = join(home, 'state');
    const first = new Terminal(['rehearse', '--scenario', 'bad-release', '--speed', '12', '--state-dir', state], {size: '150x45', env: {HOME: home}, unset: UNSET});
    await first.wait('REHEARSAL · sandbox \\(bad-release\\)', 30);
    await first.wait('ROLLOUT overlord · rev 1 · v1.1.0', 30);
    const kubeconfig = join(state, 'sandbox', 'cluster', 'kubeconfig');
    execFileSync('kubectl', ['--cache-dir', join(home, 'kcache'), 'set', 'image', 'deployment/overlord', 'overlord=ghcr.io/legion14041981-ui/overlord-trading-system-v8:v1.2.0', '-n', 'overlord-production'], {env: {...process.env, KUBECONFIG: kubeconfig}});
    await first.wait('ROLLOUT overlord · rev 2 · v1.2.0', 30);
    await first.wait('CrashLoopBackOff', 30);
    first.keys('n');
    await first.wait('Table of Contents  2/');
    first.keys('q');
    await first.wait('runbook exited', 20);

    // `npm start`: nothing configured, so a rehearsal of the default scenario, were it not for the session resumed.
    const recorded = readdirSync(join(state, 'sessions')).filter(f => f.endsWith('.json')).map(f => JSON.parse(readFileSync(join(state, 'sessions', f), 'utf8')));
    expect(recorded.map(s => s.rehearsal)).toContainEqual({scenario: 'bad-release', speed: 12});
    // Wide enough that the header keeps the scenario next to the detected failure.
    const second = new Terminal(['--state-dir', state], {size: '230x45', env: {HOME: home}, unset: UNSET});
    await second.wait('Resume session started', 20);
    second.keys('Enter');
    await second.wait('REHEARSAL · sandbox \\(bad-release\\)', 30);
    await second.wait('ROLLOUT overlord · rev 2 · v1.2.0', 30);
    await second.wait('CrashLoopBackOff', 30);
  }, 150_000);
});
