// `runbook sandbox` in one process, the guide following it in another: the sandbox killed (SIGKILL, nothing flushed
// on the way out) and started again on the same state directory with no --port and no --scenario comes back as the
// same world on the same ports with the same CA and token, and the app's panes live again within 10 s, untouched.
import {execFileSync, spawn, type ChildProcess} from 'node:child_process';
import {existsSync, rmSync} from 'node:fs';
import {join} from 'node:path';
import {afterAll, expect} from 'vitest';
import {CLI, SHIPPED_GUIDE} from '../helpers/paths.js';
import {describeNeeds, itNeeds} from '../helpers/requirements.js';
import {sleep, Terminal, tempDir} from '../helpers/tui.js';

const sandboxes: ChildProcess[] = [];

afterAll(async () => {
  for (const s of sandboxes) s.kill('SIGTERM');
  await Terminal.stopAll();
});

/** Starts `runbook sandbox`, resolving once its env file is written (it is written once the server answers). */
async function startSandbox(dir: string, args: string[]): Promise<{process: ChildProcess; env: Record<string, string>}> {
  const envFile = join(dir, 'sandbox.env');
  rmSync(envFile, {force: true});
  const child = spawn(process.execPath, [CLI, 'sandbox', '--write-env', envFile, '--state-dir', join(dir, 'state'), ...args], {stdio: 'ignore'});
  sandboxes.push(child);
  const deadline = Date.now() + 30_000;
  while (!existsSync(envFile) && Date.now() < deadline) await sleep(50);
  const dump = execFileSync('bash', ['-c', `. ${envFile} && env -0`], {encoding: 'utf8'});
  return {process: child, env: Object.fromEntries(dump.split('\0').filter(Boolean).map(l => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]))};
}

describeNeeds(['kubectl', 'git'])('a sandbox restarted under a running app', () => {
  itNeeds(['kubectl'])('is the same world, and the panes live again within 10 s', async () => {
    const dir = tempDir('sandbox-restart');
    const first = await startSandbox(dir, ['--scenario', 'bad-release', '--speed', '6']);
    const {KUBECONFIG, GITHUB_API_URL, GITHUB_TOKEN, GITHUB_REPOSITORY} = first.env;
    const t = new Terminal([SHIPPED_GUIDE, '--state-dir', join(dir, 'app')], {
      size: '150x45',
      env: {KUBECONFIG: KUBECONFIG!, GITHUB_API_URL: GITHUB_API_URL!, GITHUB_TOKEN: GITHUB_TOKEN!, GITHUB_REPOSITORY: GITHUB_REPOSITORY!, HOME: dir},
      unset: ['GH_TOKEN', 'GH_ENTERPRISE_TOKEN'],
    });
    await t.wait('ctx sandbox · ns overlord-production', 20);
    await t.wait('PIPELINE CI/CD Full Cycle', 30);
    const kubectl = (...args: string[]) => execFileSync('kubectl', ['--cache-dir', join(dir, 'kcache'), ...args], {env: {...process.env, KUBECONFIG: KUBECONFIG!}, encoding: 'utf8'});
    kubectl('set', 'image', 'deployment/overlord', 'overlord=ghcr.io/legion14041981-ui/overlord-trading-system-v8:v1.2.0', '-n', 'overlord-production');
    await t.wait('CrashLoopBackOff', 30);
    await t.wait('ROLLOUT overlord · rev 2 · v1.2.0', 30);

    first.process.kill('SIGKILL');
    // Said in one line where the pods were: nothing listens any more.
    await t.wait('connection refused at 127\\.0\\.0\\.1:\\d+', 20);
    await t.wait('cannot reach GitHub', 30);

    const second = await startSandbox(dir, []);
    const back = Date.now();
    // The same addresses and credentials: nothing for the app (or the operator's shell) to pick up again.
    for (const name of ['KUBECONFIG', 'SANDBOX_K8S_URL', 'SANDBOX_CA', 'GITHUB_API_URL', 'GITHUB_TOKEN']) expect(second.env[name], name).toBe(first.env[name]);
    await t.gone('connection refused', 10);
    await t.gone('cannot reach GitHub', Math.max(1, 10 - (Date.now() - back) / 1000));
    expect(Date.now() - back).toBeLessThanOrEqual(10_000);
    // The world it left: the bad release still crash-looping at revision 2, not the seed's revision 1.
    await t.wait('CrashLoopBackOff', 5);
    expect(t.screen()).toMatch(/ROLLOUT overlord · rev 2 · v1\.2\.0/);
    expect(kubectl('get', 'deploy', 'overlord', '-n', 'overlord-production', '-o', 'jsonpath={.spec.template.spec.containers[0].image}')).toMatch(/:v1\.2\.0$/);
  }, 150_000);
});
