// `runbook rollback FILE` for any runbook: it opens on the runbook's own rollback section, on its own severity scale;
// a runbook without one says so in one line and opens the native undo for its workload (a second service applied
// to the sandbox with kubectl); with no workload either, one line and exit 2.
import {execFileSync, spawn, type ChildProcess} from 'node:child_process';
import {existsSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest';
import {CLI} from '../helpers/paths.js';
import {describeNeeds} from '../helpers/requirements.js';
import {sleep, Terminal, tempDir} from '../helpers/tui.js';

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/runbooks/${name}.md`, import.meta.url));
/** A sentence as a terminal-wide line may wrap it: any run of spaces may be a line break. */
const words = (text: string) => new RegExp(text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&').replace(/ +/g, '\\s+'));
const NOTHING_CONFIGURED = ['KUBECONFIG', 'GH_TOKEN', 'GITHUB_TOKEN', 'GH_ENTERPRISE_TOKEN', 'GITHUB_REPOSITORY', 'GITHUB_API_URL'];

describe('runbook rollback FILE', () => {
  afterEach(() => Terminal.stopAll());

  it('opens on the runbook’s own "Roll back" section', async () => {
    const home = tempDir('rollback-path');
    const t = new Terminal(['rollback', fixture('payments-api-release'), '--severity', 'P1', '--state-dir', join(home, 'state')], {size: '150x40', env: {HOME: home}, unset: NOTHING_CONFIGURED});
    await t.wait('INCIDENT P1 [0-9:]+', 20);
    const screen = await t.wait('Roll back\\s+6/6 · not started');
    expect(screen).toContain('kubectl rollout undo deployment/payments-api -n payments');
  });

  it('takes the runbook’s SEV scale, and refuses a level it does not have in one line', async () => {
    const home = tempDir('rollback-path');
    const t = new Terminal(['rollback', fixture('orders-api-incident'), '--severity', 'sev2', '--state-dir', join(home, 'state')], {size: '150x40', env: {HOME: home}, unset: NOTHING_CONFIGURED});
    await t.wait('INCIDENT SEV2 [0-9:]+', 20);
    await t.wait('Revert the release\\s+\\d+/\\d+ · not started');

    const wrong = new Terminal(['rollback', fixture('orders-api-incident'), '--severity', 'P1', '--state-dir', join(home, 'state')], {size: '150x40', env: {HOME: home}, unset: NOTHING_CONFIGURED});
    const said = await wrong.wait('\\[runbook exited 2\\]', 20);
    expect(said).toMatch(words("orders-api-incident.md's severity table has SEV1, SEV2, SEV3 or SEV4"));
  });

  it('with no rollback section and no workload, says so in one line and exits 2', async () => {
    const home = tempDir('rollback-path');
    const file = join(home, 'announce.md');
    writeFileSync(file, '# Announce the maintenance\n\n## Post\n\n```bash\necho "maintenance at 22:00"\n```\n');
    const t = new Terminal(['rollback', file, '--state-dir', join(home, 'state')], {size: '400x20', env: {HOME: home}, unset: NOTHING_CONFIGURED});
    const screen = await t.wait('\\[runbook exited 2\\]', 20);
    expect(screen).toMatch(words('announce.md has no rollback section (no heading says roll back/revert/back out, no step runs kubectl rollout undo or helm rollback) and names no workload'));
    expect(existsSync(join(home, 'state', 'sessions'))).toBe(false);
  });
});

const PAYMENTS = `apiVersion: v1
kind: Namespace
metadata:
  name: payments
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: payments-api
  namespace: payments
spec:
  replicas: 2
  selector:
    matchLabels: {app: payments-api}
  template:
    metadata:
      labels: {app: payments-api}
    spec:
      containers:
        - name: payments-api
          image: ghcr.io/acme/payments-api:v1.4.0
`;

describeNeeds(['kubectl'])('runbook rollback FILE without a rollback section, against the sandbox', () => {
  let sandbox: ChildProcess | undefined;
  let dir: string;
  let kubeconfig: string;
  const kubectl = (...args: string[]) => execFileSync('kubectl', ['--cache-dir', join(dir, 'kcache'), ...args], {env: {...process.env, KUBECONFIG: kubeconfig, HOME: dir}, encoding: 'utf8'});

  beforeAll(async () => {
    dir = tempDir('rollback-sandbox');
    const envFile = join(dir, 'sandbox.env');
    sandbox = spawn(process.execPath, [CLI, 'sandbox', '--write-env', envFile, '--state-dir', join(dir, 'state')], {stdio: 'ignore'});
    const deadline = Date.now() + 20_000;
    while (!existsSync(envFile) && Date.now() < deadline) await sleep(100);
    kubeconfig = execFileSync('bash', ['-c', `. ${envFile} && printf %s "$KUBECONFIG"`], {encoding: 'utf8'});
    // A second service, as its team would have released it: two revisions of its own image.
    const manifest = join(dir, 'payments.yaml');
    writeFileSync(manifest, PAYMENTS);
    kubectl('apply', '-f', manifest);
    kubectl('rollout', 'status', 'deployment/payments-api', '-n', 'payments', '--timeout=60s');
    kubectl('set', 'image', 'deployment/payments-api', 'payments-api=ghcr.io/acme/payments-api:v1.5.0', '-n', 'payments');
  }, 90_000);
  afterAll(async () => {
    sandbox?.kill('SIGTERM');
    await Terminal.stopAll();
  });

  it('says so in one line and opens the native undo for the runbook’s workload', async () => {
    const file = join(dir, 'payments-scale.md');
    writeFileSync(file, '# Payments API: scale up\n\n## Scale\n\n```bash\nkubectl scale deployment/payments-api --replicas=3 -n payments\n```\n\n## Check\n\n```bash\nkubectl get pods -n payments\n```\n');
    const t = new Terminal(['rollback', file, '--severity', 'P2', '--state-dir', join(dir, 'app')], {size: '220x45', env: {KUBECONFIG: kubeconfig, HOME: dir}});
    await t.wait('INCIDENT P2', 20);
    // One line, wrapped by the notice beside the panes.
    await t.wait('payments-scale\\.md has no rollback section \\(no heading says roll back', 20);
    await t.wait('opening the native undo for deployment/payments-api instead');
    await t.wait('ROLLBACK deployment/payments-api · payments', 20);
    await t.wait('Target: revision 1 · image v1\\.5\\.0 → v1\\.4\\.0', 20);
    t.keys('Enter');
    await t.wait('Type the namespace');
    t.type('payments');
    t.keys('Enter');
    await t.wait('successfully rolled', 60);
    expect(kubectl('get', 'deploy', 'payments-api', '-n', 'payments', '-o', 'jsonpath={.spec.template.spec.containers[0].image}')).toBe('ghcr.io/acme/payments-api:v1.4.0');
  });
});
