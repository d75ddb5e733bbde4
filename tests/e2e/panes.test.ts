// `runbook sandbox --write-env f` in one terminal, the guide in another with f sourced: the panes show the cluster
// live, a bad release crash-loops in them, and `u` rolls it back natively.
import {execFileSync, spawn, type ChildProcess} from 'node:child_process';
import {existsSync, readFileSync} from 'node:fs';
import {join} from 'node:path';
import {afterAll, beforeAll, expect, it} from 'vitest';
import {CLI, SHIPPED_GUIDE} from '../helpers/paths.js';
import {describeNeeds} from '../helpers/requirements.js';
import {sleep, Terminal, tempDir} from '../helpers/tui.js';

describeNeeds(['kubectl'])('the cluster panes', () => {
  let sandbox: ChildProcess | undefined;
  let env: Record<string, string> = {};
  let dir: string;
  let envFile: string;

  beforeAll(async () => {
    dir = tempDir('panes');
    envFile = join(dir, 'sandbox.env');
    sandbox = spawn(process.execPath, [CLI, 'sandbox', '--write-env', envFile, '--scenario', 'bad-release', '--speed', '6', '--state-dir', join(dir, 'state')], {stdio: 'ignore'});
    const deadline = Date.now() + 20_000;
    while (!existsSync(envFile) && Date.now() < deadline) await sleep(100);
    // The file is a shell script: let bash read it, as an operator's `. f` would.
    const dump = execFileSync('bash', ['-c', `. ${envFile} && env -0`], {encoding: 'utf8'});
    env = Object.fromEntries(dump.split('\0').filter(Boolean).map(l => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
  });
  afterAll(async () => {
    sandbox?.kill('SIGTERM');
    await Terminal.stopAll();
  });

  it('show the live pods of the guide’s namespace, a crash loop, and the native rollback', async () => {
    expect(readFileSync(envFile, 'utf8')).toMatch(/export KUBECONFIG=/);
    const t = new Terminal([SHIPPED_GUIDE, '--state-dir', join(dir, 'app')], {
      size: '140x40',
      env: {KUBECONFIG: env.KUBECONFIG!, HOME: dir},
    });
    await t.wait('ctx sandbox · ns overlord-production', 20);
    await t.wait('PODS overlord-production');
    // Beside the step and the outline the pane is narrower: a pod's name gives way in its middle, keeping its suffix.
    await t.wait('overlord-[a-z0-9…]+-[a-z0-9]+ +1/1 +Running', 20);
    await t.wait('deployment "overlord" successfully rolled out');
    const kubectl = (...args: string[]) => execFileSync('kubectl', ['--cache-dir', join(dir, 'kcache'), ...args], {env: {...process.env, KUBECONFIG: env.KUBECONFIG!}, encoding: 'utf8'});
    kubectl('set', 'image', 'deployment/overlord', 'overlord=ghcr.io/legion14041981-ui/overlord-trading-system-v8:v1.2.0', '-n', 'overlord-production');
    await t.wait('CrashLoopBackOff', 30);
    await t.wait('exceeded its progress', 40);
    t.keys('u');
    await t.wait('ROLLBACK deployment/overlord');
    await t.wait('⏎ continue');
    t.keys('Enter');
    await t.wait('Type the namespace');
    t.type('overlord-production');
    t.keys('Enter');
    await t.wait('successfully rolled');
    await t.wait('rev 3 · v1.1.0', 30);
    expect(kubectl('get', 'deploy', 'overlord', '-n', 'overlord-production', '-o', 'jsonpath={.spec.template.spec.containers[0].image}')).toMatch(/:v1\.1\.0$/);
  });
});
