// The ROLLOUT pane when a step names several workloads (`w` cycles, the title says 1/2), for a StatefulSet, and
// when no workload is known: drawn from hand-made snapshots, then live against the sandbox with a runbook's steps.
import {mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {Box, Text} from 'ink';
import {cleanup, render} from 'ink-testing-library';
import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest';
import {createKubeClient, type KubeClient} from '../../../source/kube/client.js';
import {readRunbookFile, walkSteps, type Runbook} from '../../../source/runbook/index.js';
import {type SandboxCluster, startSandboxCluster} from '../../../source/sandbox/cluster/index.js';
import {PodsPane} from '../../../source/ui/cluster/pods-pane.js';
import {RolloutPane} from '../../../source/ui/cluster/rollout-pane.js';
import {useCluster} from '../../../source/ui/cluster/use-cluster.js';
import {usePanesTarget} from '../../../source/ui/cluster/use-panes-target.js';
import {lines, plain, rollout, snapshot} from './fixtures.js';

const fixture = (name: string) => readRunbookFile(new URL(`../../fixtures/runbooks/${name}.md`, import.meta.url).pathname);
const stepId = (rb: Runbook, title: string) => walkSteps(rb).find(s => s.title === title)!.id;

afterEach(() => cleanup());

describe('RolloutPane with several workloads, other kinds, none', () => {
  it('says which of how many workloads it shows', () => {
    const f = render(<RolloutPane snapshot={snapshot({deployment: 'orders-api', workloadIndex: 0, workloadCount: 2, rollout: rollout({name: 'orders-api', tag: 'v7.3.0', revision: 3})})} width={60} height={8} />).lastFrame()!;
    expect(lines(f)[0]).toBe('ROLLOUT 1/2 orders-api · rev 3 · v7.3.0');
    cleanup();
    const loading = render(<RolloutPane snapshot={snapshot({deployment: 'billing-worker', workloadIndex: 1, workloadCount: 2, rollout: null})} width={60} height={4} />).lastFrame()!;
    expect(lines(loading).slice(0, 2)).toEqual(['ROLLOUT 2/2 billing-worker', 'loading… (deployment billing-worker in overlord-production)']);
  });

  it('a StatefulSet is named with its kind; one workload has no count', () => {
    const sts = rollout({name: 'ledger-db', kind: 'statefulset', tag: '16.4', message: 'Waiting for partitioned roll out to finish: 1 out of 3 new pods have been updated...'});
    const f = plain(render(<RolloutPane snapshot={snapshot({deployment: 'ledger-db', kind: 'statefulset', rollout: sts})} width={60} height={8} />).lastFrame()!);
    expect(lines(f)[0]).toBe('ROLLOUT statefulset/ledger-db · rev 2 · 16.4');
    expect(f.replace(/\n/g, ' ')).toContain('Waiting for partitioned roll out to finish: 1 out of 3 new pods have been updated...');
  });

  it('no workload known: what would set one', () => {
    const hint = "2 workloads in shop, none named: a step's kubectl rollout status deployment/NAME, or front matter kubernetes.workload";
    const f = plain(render(<RolloutPane snapshot={snapshot({deployment: '', rollout: null, hint})} width={50} height={6} />).lastFrame()!);
    expect(lines(f)[0]).toBe('ROLLOUT');
    expect(f.replace(/\s*\n\s*/g, ' ')).toContain(hint);
  });
});

describe('the panes follow the runbook against the sandbox', () => {
  let dir: string;
  let sandbox: SandboxCluster;
  let client: KubeClient;
  const deployment = (namespace: string, name: string, image: string, replicas: number) => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {name, namespace},
    spec: {replicas, selector: {matchLabels: {app: name}}, template: {metadata: {labels: {app: name}}, spec: {containers: [{name: 'app', image}]}}},
  });

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'runbook-ui-workloads-'));
    sandbox = await startSandboxCluster({dir, port: 0, speed: 10});
    client = (await createKubeClient({kubeconfig: sandbox.kubeconfigPath}))!;
    for (const name of ['orders', 'billing', 'shop', 'ledger']) await client.core().createNamespace({body: {metadata: {name}}});
    const apps = client.apps();
    await apps.createNamespacedDeployment({namespace: 'orders', body: deployment('orders', 'orders-api', 'ghcr.io/acme/orders-api:v7.2.0', 2)});
    await apps.createNamespacedDeployment({namespace: 'billing', body: deployment('billing', 'billing-worker', 'ghcr.io/acme/billing-worker:v2.9.0', 1)});
    await apps.createNamespacedDeployment({namespace: 'shop', body: deployment('shop', 'cart', 'ghcr.io/acme/cart:v1', 1)});
    await apps.createNamespacedDeployment({namespace: 'shop', body: deployment('shop', 'checkout', 'ghcr.io/acme/checkout:v1', 1)});
    await apps.createNamespacedStatefulSet({
      namespace: 'ledger',
      body: {
        metadata: {name: 'ledger-db', namespace: 'ledger'},
        spec: {replicas: 2, serviceName: 'ledger-db', selector: {matchLabels: {app: 'ledger-db'}}, template: {metadata: {labels: {app: 'ledger-db'}}, spec: {containers: [{name: 'postgres', image: 'postgres:16.3'}]}}},
      },
    });
  });
  afterAll(async () => {
    cleanup();
    await sandbox?.stop();
    if (dir) await rm(dir, {recursive: true, force: true});
  });

  function Screen({rb, step, answers = {}}: {rb: Runbook; step: string; answers?: Record<string, string>}) {
    const inView = usePanesTarget({targets: rb.targets, stepId: step, ranIn: [], answers, keysActive: true});
    const s = useCluster({env: {KUBECONFIG: sandbox.kubeconfigPath}, namespace: inView.namespace, workload: inView.workload, position: inView.position, watch: {batchMs: 50}});
    return (
      <Box flexDirection="column">
        <Text>{`header ns ${s.namespace}`}</Text>
        <PodsPane snapshot={s} width={70} height={6} />
        <RolloutPane snapshot={s} width={70} height={10} />
      </Box>
    );
  }

  async function mount(node: React.ReactElement) {
    const app = render(node);
    const frame = () => plain(app.lastFrame() ?? '');
    // Wrapped lines joined, so a long status or hint reads as one.
    const flat = () => frame().replace(/\s*\n\s*/g, ' ');
    const waitFor = async (re: RegExp, what: string, ms = 15_000) => {
      const end = Date.now() + ms;
      while (Date.now() < end) {
        if (re.test(frame()) || re.test(flat())) return;
        await new Promise(r => setTimeout(r, 25));
      }
      throw new Error(`timed out waiting for ${what}; last frame:\n${frame()}`);
    };
    return {app, frame, waitFor};
  }

  it('a step touching two services: its main one first, `w` to the other, header and pods following', async () => {
    const rb = fixture('shop-two-services');
    const {app, frame, waitFor} = await mount(<Screen rb={rb} step={stepId(rb, 'Check both services')} />);
    await waitFor(/ROLLOUT 2\/2 billing-worker · rev 1 · v2\.9\.0/, 'billing-worker, 2 of 2');
    await waitFor(/^PODS billing[\s\S]*billing-worker-\S+ +1\/1 +Running/m, 'the billing pods');
    expect(frame()).toContain('header ns billing');
    app.stdin.write('w');
    await waitFor(/ROLLOUT 1\/2 orders-api · rev 1 · v7\.2\.0/, 'orders-api, 1 of 2');
    await waitFor(/^PODS orders[\s\S]*orders-api-\S+ +1\/1 +Running/m, 'the orders pods');
    expect(frame()).toContain('header ns orders');
    expect(frame()).not.toContain('billing-worker-');
    await waitFor(/deployment "orders-api" successfully rolled out/, 'its status');
    app.stdin.write('w');
    await waitFor(/ROLLOUT 2\/2 billing-worker/, 'back to billing-worker');
    // A step naming one workload: no count.
    app.rerender(<Screen rb={rb} step={stepId(rb, 'Release orders-api')} />);
    await waitFor(/ROLLOUT orders-api · rev 1/, 'orders-api alone');
  }, 30_000);

  it('a StatefulSet runbook: the StatefulSet’s pane with kubectl’s words', async () => {
    const rb = fixture('ledger-db-statefulset');
    const {frame, waitFor} = await mount(<Screen rb={rb} step={stepId(rb, 'Change the image')} />);
    await waitFor(/ROLLOUT statefulset\/ledger-db · rev 1 · 16\.3/, 'the StatefulSet');
    await waitFor(/partitioned roll out complete: 2 new pods have been updated\.\.\./, 'its status');
    expect(frame()).toMatch(/ledger-db-0 +1\/1 +Running/);
    expect(frame()).toMatch(/REVISION/);
  }, 30_000);

  it('an alert runbook: nothing until $NAMESPACE is answered, then the namespace’s only workload, or what would name one', async () => {
    const rb = fixture('kube-pod-crash-looping');
    const step = stepId(rb, 'Diagnosis');
    const {app, frame, waitFor} = await mount(<Screen rb={rb} step={step} answers={{NAMESPACE: 'orders'}} />);
    await waitFor(/ROLLOUT orders-api · rev 1/, 'the only workload of orders');
    app.rerender(<Screen rb={rb} step={step} answers={{NAMESPACE: 'shop'}} />);
    await waitFor(/2 workloads in shop, none named: a step's kubectl rollout status deployment\/NAME, or front matter kubernetes\.workload/, 'the hint');
    expect(lines(frame()).find(l => l.startsWith('ROLLOUT'))).toBe('ROLLOUT');
  }, 30_000);
});
