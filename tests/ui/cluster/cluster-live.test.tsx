// The panes and the rollback dialog against a real sandbox cluster: the seeded pods, a bad release
// crash-looping to its progress deadline, and the native undo typed through to a healthy rollout.
// SHOW_FRAMES=1 prints the frames at the deadline and after the rollback.
import {mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {Box} from 'ink';
import {cleanup, render} from 'ink-testing-library';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {createKubeClient, type KubeClient} from '../../../source/kube/client.js';
import type {Pod} from '../../../source/kube/types.js';
import {type SandboxCluster, startSandboxCluster} from '../../../source/sandbox/cluster/index.js';
import {PodsPane} from '../../../source/ui/cluster/pods-pane.js';
import {RolloutPane} from '../../../source/ui/cluster/rollout-pane.js';
import {UndoFlow} from '../../../source/ui/cluster/undo-flow.js';
import {useCluster} from '../../../source/ui/cluster/use-cluster.js';
import type {UndoRecord} from '../../../source/ui/cluster/use-undo.js';
import {lines, NS, plain} from './fixtures.js';

const IMAGE = 'ghcr.io/legion14041981-ui/overlord-trading-system-v8';
let dir: string;
let sandbox: SandboxCluster;
let client: KubeClient;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'runbook-ui-cluster-'));
  // speed 10: a 3 s progress deadline, pods up in a fraction of a second.
  sandbox = await startSandboxCluster({dir, port: 0, scenario: 'bad-release', speed: 10});
  client = (await createKubeClient({kubeconfig: sandbox.kubeconfigPath}))!;
});
afterAll(async () => {
  cleanup();
  await sandbox?.stop();
  if (dir) await rm(dir, {recursive: true, force: true});
});

function Screen({env, undo, onRecord, namespace = NS}: {env: Record<string, string>; undo: boolean; onRecord: (r: UndoRecord) => void; namespace?: string}) {
  const snapshot = useCluster({env, namespace, window: {offset: 0, rows: 12}, watch: {batchMs: 50}});
  return (
    <Box flexDirection="column">
      <PodsPane snapshot={snapshot} width={70} height={10} />
      <RolloutPane snapshot={snapshot} width={70} height={12} />
      {undo ? <UndoFlow namespace={NS} env={env} onRecord={onRecord} followTimeoutMs={20_000} width={70} height={14} /> : null}
    </Box>
  );
}

function Probe({env, seen}: {env: Record<string, string>; seen: Array<ReturnType<typeof useCluster>>}) {
  const snapshot = useCluster({env, namespace: NS});
  seen.push(snapshot);
  return null;
}

describe('cluster panes against the sandbox', () => {
  it('with no kubeconfig, says not configured and starts nothing', async () => {
    const seen: Array<ReturnType<typeof useCluster>> = [];
    const app = render(<Probe env={{KUBECONFIG: path.join(dir, 'missing.yaml'), HOME: dir}} seen={seen} />);
    await new Promise(r => setTimeout(r, 300));
    app.unmount();
    expect(seen.length).toBeLessThanOrEqual(3);
    expect(seen.at(-1)).toMatchObject({configured: false, pods: [], rollout: null, error: null});
  });

  it('shows the pods live, the bad release to its deadline, and rolls it back through the dialog', async () => {
    const env = {KUBECONFIG: sandbox.kubeconfigPath};
    const records: UndoRecord[] = [];
    const onRecord = (r: UndoRecord) => records.push(r);
    const app = render(<Screen env={env} undo={false} onRecord={onRecord} />);
    const frame = () => plain(app.lastFrame() ?? '');
    const flat = () => frame().replace(/\s*\n\s*/g, ' ');
    const waitFor = async (probe: () => boolean, what: string, ms = 15_000) => {
      const end = Date.now() + ms;
      while (Date.now() < end) {
        if (probe()) return;
        await new Promise(r => setTimeout(r, 25));
      }
      throw new Error(`timed out waiting for ${what}; last frame:\n${frame()}`);
    };
    const podLines = () => lines(frame()).filter(l => /^overlord-\S+ +\d\/\d /.test(l));

    await waitFor(() => podLines().filter(l => / 1\/1 +Running /.test(l)).length === 3 && /^PODS overlord-production +● \d+s$/m.test(frame()), 'three Running pods, live');
    expect(frame()).toMatch(/ROLLOUT overlord · rev 1 · v1\.1\.0/);
    expect(flat()).toContain('deployment "overlord" successfully rolled out');

    await client.apps().patchNamespacedDeployment(
      {name: 'overlord', namespace: NS, body: [{op: 'replace', path: '/spec/template/spec/containers/0/image', value: `${IMAGE}:v1.2.0`}]},
      client.k8s.setHeaderOptions('Content-Type', client.k8s.PatchStrategy.JsonPatch),
    );
    await waitFor(() => podLines().some(l => / 0\/1 +CrashLoopBackOff /.test(l)), 'a CrashLoopBackOff pod');
    expect(frame()).toMatch(/ROLLOUT overlord · rev 2 · v1\.2\.0/);
    await waitFor(() => flat().includes('deployment "overlord" exceeded its progress deadline'), 'the progress deadline');
    if (process.env.SHOW_FRAMES) console.log(app.lastFrame());

    app.rerender(<Screen env={env} undo onRecord={onRecord} />);
    await waitFor(() => frame().includes('Target: revision 1 · image v1.2.0 → v1.1.0'), 'the undo preview');
    expect(frame()).toContain('overlord: image v1.2.0 → v1.1.0');
    app.stdin.write('\r');
    await waitFor(() => frame().includes('Type the namespace to confirm'), 'the confirmation');
    app.stdin.write(NS);
    await waitFor(() => frame().includes(`> ${NS}▏`), 'the typed namespace');
    app.stdin.write('\r');
    await waitFor(() => frame().includes('✓ deployment "overlord" successfully rolled out'), 'the rollback to succeed', 20_000);

    // Each record has its real duration (the patch, then the rollout it waited for).
    expect(records.map(r => typeof r.durationMs)).toEqual(['number', 'number']);
    expect(records.map(({durationMs: _, ...rest}) => rest)).toEqual([
      {what: 'rollout undo', namespace: NS, deployment: 'overlord', fromRevision: 2, toRevision: 1, image: `${IMAGE}:v1.1.0`, result: 'rolled back', message: 'deployment.apps/overlord rolled back'},
      {what: 'rollout undo', namespace: NS, deployment: 'overlord', fromRevision: 2, toRevision: 1, image: `${IMAGE}:v1.1.0`, result: 'rolled back', message: 'deployment "overlord" successfully rolled out'},
    ]);
    // Undo raises the old ReplicaSet's revision, as kubectl's does; the crash-looping pods go away.
    await waitFor(() => /ROLLOUT overlord · rev 3 · v1\.1\.0/.test(frame()) && podLines().length === 3 && podLines().every(l => / 1\/1 +Running /.test(l)), 'three Running pods again');
    const pods = (await client.list<Pod>('pods', NS, {labelSelector: 'app=overlord'})).items.filter(p => !p.metadata.deletionTimestamp);
    expect(pods.map(p => (p.spec?.containers[0] as {image?: string} | undefined)?.image)).toEqual(Array(3).fill(`${IMAGE}:v1.1.0`));
    if (process.env.SHOW_FRAMES) console.log(app.lastFrame());

    // Another namespace: the watches restart there, and nothing of the old one is shown under its title.
    app.rerender(<Screen env={env} undo={false} onRecord={onRecord} namespace="overlord-staging" />);
    expect(frame()).not.toMatch(/PODS overlord-staging[\s\S]*overlord-\S+ +1\/1/);
    await waitFor(() => /^PODS overlord-staging +● \d+s$/m.test(frame()) && podLines().length === 3, 'the staging pods');
    expect(frame()).toMatch(/ROLLOUT overlord · rev 1 · v1\.1\.0/);
    app.unmount();
  }, 45_000);
});
