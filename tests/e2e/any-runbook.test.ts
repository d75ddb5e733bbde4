// Another team's runbooks, not the guide: a second service applied to the sandbox with kubectl (its own namespace,
// workload and image), its runbook opened in a terminal. The header and the panes follow what the runbook names,
// a bad image crash-loops in them, and `u` rolls the workload back, a Deployment and a StatefulSet alike, to
// what real kubectl then shows.
import {execFileSync, spawn, type ChildProcess} from 'node:child_process';
import {existsSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, afterEach, beforeAll, expect, it} from 'vitest';
import {CLI} from '../helpers/paths.js';
import {describeNeeds} from '../helpers/requirements.js';
import {sleep, Terminal} from '../helpers/tui.js';

const fixture = (name: string) => new URL(`../fixtures/runbooks/${name}.md`, import.meta.url).pathname;
const PAYMENTS_IMAGE = 'ghcr.io/acme/payments-api';
const LEDGER_IMAGE = 'ghcr.io/acme/ledger-postgres';

const workload = (kind: 'Deployment' | 'StatefulSet', namespace: string, name: string, container: string, image: string, replicas: number) => [
  {apiVersion: 'v1', kind: 'Namespace', metadata: {name: namespace}},
  {
    apiVersion: 'apps/v1',
    kind,
    metadata: {name, namespace},
    spec: {
      replicas,
      ...(kind === 'StatefulSet' ? {serviceName: name} : {progressDeadlineSeconds: 60}),
      selector: {matchLabels: {app: name}},
      template: {metadata: {labels: {app: name}}, spec: {containers: [{name: container, image}]}},
    },
  },
];

describeNeeds(['kubectl'])('any runbook, not only the guide', () => {
  let sandbox: ChildProcess | undefined;
  let dir: string;
  let kubeconfig: string;
  const kubectl = (...args: string[]) =>
    execFileSync('kubectl', ['--kubeconfig', kubeconfig, '--cache-dir', join(dir, 'kcache'), ...args], {env: {...process.env, KUBECONFIG: kubeconfig, HOME: dir}, encoding: 'utf8'});
  const apply = (name: string, items: unknown[]) => {
    const file = join(dir, `${name}.json`);
    writeFileSync(file, JSON.stringify({apiVersion: 'v1', kind: 'List', items}));
    return kubectl('apply', '-f', file);
  };
  const open = (runbook: string) =>
    new Terminal([runbook, '--state-dir', join(dir, `app-${Date.now()}`)], {size: '160x45', env: {KUBECONFIG: kubeconfig, HOME: dir}, unset: ['GH_TOKEN', 'GITHUB_TOKEN', 'GITHUB_REPOSITORY']});

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'runbook-any-runbook-'));
    const envFile = join(dir, 'sandbox.env');
    // bad-release: any image tagged v1.2.0 crash-loops, whatever its registry path; every other tag is healthy.
    sandbox = spawn(process.execPath, [CLI, 'sandbox', '--write-env', envFile, '--scenario', 'bad-release', '--speed', '6', '--state-dir', join(dir, 'state')], {stdio: 'ignore'});
    const deadline = Date.now() + 20_000;
    while (!existsSync(envFile) && Date.now() < deadline) await sleep(100);
    kubeconfig = execFileSync('bash', ['-c', `. ${envFile} && printf %s "$KUBECONFIG"`], {encoding: 'utf8'});
  });
  afterEach(() => Terminal.stopAll());
  afterAll(async () => {
    sandbox?.kill('SIGTERM');
    await Terminal.stopAll();
    if (dir) rmSync(dir, {recursive: true, force: true});
  });

  it('a Deployment in its own namespace: header, pods and rollout follow the runbook; u rolls a bad image back', async () => {
    expect(apply('payments', workload('Deployment', 'payments', 'payments-api', 'api', `${PAYMENTS_IMAGE}:v1.1.0`, 2))).toContain('deployment.apps/payments-api created');
    const t = open(fixture('payments-api-release'));
    await t.wait('ctx sandbox · ns payments', 20);
    await t.wait('PODS payments');
    await t.wait('payments-api-\\S+ +1/1 +Running', 20);
    await t.wait('ROLLOUT payments-api · rev 1 · v1.1.0', 20);
    await t.wait('deployment "payments-api" successfully rolled out');
    expect(t.screen()).not.toMatch(/overlord/);

    kubectl('set', 'image', 'deployment/payments-api', `api=${PAYMENTS_IMAGE}:v1.2.0`, '-n', 'payments');
    await t.wait('payments-api-\\S+ +0/1 +CrashLoopBackOff', 30);
    await t.wait('ROLLOUT payments-api · rev 2 · v1.2.0');
    t.keys('u');
    await t.wait('ROLLBACK deployment/payments-api · payments');
    await t.wait('Target: revision 1 · image v1.2.0 → v1.1.0');
    t.keys('Enter');
    await t.wait('Type the namespace to confirm: payments');
    t.type('payments');
    t.keys('Enter');
    await t.wait('✓ deployment "payments-api" successfully rolled out', 60);
    t.keys('Escape');
    await t.wait('ROLLOUT payments-api · rev 3 · v1.1.0', 30);
    expect(kubectl('get', 'deployment', 'payments-api', '-n', 'payments', '-o', 'jsonpath={.spec.template.spec.containers[0].image}')).toBe(`${PAYMENTS_IMAGE}:v1.1.0`);
    expect(kubectl('rollout', 'status', 'deployment/payments-api', '-n', 'payments', '--timeout=30s').trim()).toBe('deployment "payments-api" successfully rolled out');
  }, 120_000);

  it('a StatefulSet: its own pane in kubectl’s words; u rolls it back, the stuck pod deleted as an operator would', async () => {
    expect(apply('ledger', workload('StatefulSet', 'ledger', 'ledger-db', 'postgres', `${LEDGER_IMAGE}:v1.1.0`, 2))).toContain('statefulset.apps/ledger-db created');
    const t = open(fixture('ledger-db-statefulset'));
    await t.wait('ctx sandbox · ns ledger', 20);
    await t.wait('PODS ledger');
    await t.wait('ledger-db-1 +1/1 +Running', 30);
    await t.wait('ROLLOUT statefulset/ledger-db · rev 1 · v1.1.0', 20);
    // kubectl's line, wrapped by the pane after `have been`.
    await t.wait('│partitioned roll out complete: 2 new pods have been *$', 20);

    kubectl('set', 'image', 'statefulset/ledger-db', `postgres=${LEDGER_IMAGE}:v1.2.0`, '-n', 'ledger');
    // Highest ordinal first: ledger-db-1 comes back at the bad image and never turns ready.
    await t.wait('ledger-db-1 +0/1 +CrashLoopBackOff', 30);
    await t.wait('ROLLOUT statefulset/ledger-db · rev 2 · v1.2.0');
    t.keys('u');
    await t.wait('ROLLBACK statefulset/ledger-db · ledger');
    await t.wait('Target: revision 1 · image v1.2.0 → v1.1.0');
    t.keys('Enter');
    await t.wait('Type the namespace to confirm: ledger');
    t.type('ledger');
    t.keys('Enter');
    await t.wait('statefulset.apps/ledger-db rolled back', 30);
    // OrderedReady waits for the broken pod: deleting it lets the controller recreate it from the restored template.
    await t.wait('following the rollout');
    kubectl('delete', 'pod', 'ledger-db-1', '-n', 'ledger', '--wait=false');
    await t.wait('✓ partitioned roll out complete: 2 new pods', 60);
    t.keys('Escape');
    await t.wait('ROLLOUT statefulset/ledger-db · rev 3 · v1.1.0', 30);
    expect(kubectl('get', 'statefulset', 'ledger-db', '-n', 'ledger', '-o', 'jsonpath={.spec.template.spec.containers[0].image}')).toBe(`${LEDGER_IMAGE}:v1.1.0`);
    expect(kubectl('rollout', 'status', 'statefulset/ledger-db', '-n', 'ledger', '--timeout=30s').trim().split('\n').at(-1)).toBe('partitioned roll out complete: 2 new pods have been updated...');
    expect(kubectl('rollout', 'history', 'statefulset/ledger-db', '-n', 'ledger')).toMatch(/^2 +<none>\n3 +<none>$/m);
  }, 120_000);
});
