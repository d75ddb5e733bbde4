// StatefulSets and DaemonSets against the sandbox, side by side with the real kubectl: the rollout status lines,
// the history, the undo's request body byte for byte, and the native undo leaving what kubectl's leaves.
import {mkdtemp, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterAll, beforeAll, expect, it} from 'vitest';
import {previewRevisionUndo} from '../../source/kube/revision-rollback.js';
import {followRollout, performUndo, UndoError, type WorkloadKind} from '../../source/kube/rollback.js';
import type {StatefulSet} from '../../source/kube/types.js';
import {describeNeeds} from '../helpers/requirements.js';
import {type KubeTestEnv, startKubeTestEnv} from './helpers.js';

const statefulSet = (namespace: string) => ({
  apiVersion: 'apps/v1',
  kind: 'StatefulSet',
  metadata: {name: 'ledger-db', namespace, annotations: {'kubernetes.io/change-cause': '16.3 initial'}},
  spec: {
    replicas: 3,
    serviceName: 'ledger-db',
    selector: {matchLabels: {app: 'ledger-db'}},
    template: {metadata: {labels: {app: 'ledger-db'}}, spec: {containers: [{name: 'postgres', image: 'postgres:16.3'}]}},
  },
});
const MANIFEST = {
  apiVersion: 'v1',
  kind: 'List',
  items: [
    ...['ledger', 'ledger-staging', 'agents'].map(name => ({apiVersion: 'v1', kind: 'Namespace', metadata: {name}})),
    statefulSet('ledger'),
    statefulSet('ledger-staging'),
    {
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: {name: 'node-agent', namespace: 'agents'},
      spec: {
        selector: {matchLabels: {app: 'node-agent'}},
        template: {metadata: {labels: {app: 'node-agent'}}, spec: {containers: [{name: 'agent', image: 'ghcr.io/acme/node-agent:v1.1.0'}]}},
      },
    },
  ],
};

describeNeeds(['kubectl'])('StatefulSets and DaemonSets as kubectl sees them', () => {
  let env: KubeTestEnv;
  let dir: string;
  const ok = async (args: string[]) => {
    const r = await env.kubectl(args, 30_000);
    if (r.exitCode !== 0) throw new Error(`kubectl ${args.join(' ')}: ${r.stderr}`);
    return r.stdout;
  };
  const history = async (kind: string, ns: string) =>
    (await ok(['rollout', 'history', kind, '-n', ns])).trim().split('\n').slice(2).map(l => {
      const [rev, ...cause] = l.trim().split(/\s+/);
      return [Number(rev), cause.join(' ')];
    });
  /** Our follow started first (it sees every state kubectl's later watch sees), then kubectl's; kubectl's lines are among ours. */
  async function bothFollow(kind: WorkloadKind, ns: string, name: string) {
    const messages: string[] = [];
    let first: () => void = () => undefined;
    const listed = new Promise<void>(resolve => (first = resolve));
    const ours = followRollout(ns, name, s => {
      messages.push(s.message);
      first();
    }, {client: env.client, kind, timeoutMs: 30_000});
    await listed;
    const theirs = await ok(['rollout', 'status', `${kind}/${name}`, '-n', ns, '--timeout=30s']);
    const result = await ours;
    return {result, messages, theirs: theirs.trim().split('\n').filter(Boolean)};
  }

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'runbook-kube-workloads-'));
    env = await startKubeTestEnv();
    await writeFile(path.join(dir, 'workloads.json'), JSON.stringify(MANIFEST));
    await ok(['apply', '-f', path.join(dir, 'workloads.json')]);
    for (const ns of ['ledger', 'ledger-staging']) await ok(['rollout', 'status', 'statefulset/ledger-db', '-n', ns, '--timeout=30s']);
    await ok(['rollout', 'status', 'daemonset/node-agent', '-n', 'agents', '--timeout=30s']);
  }, 60_000);
  afterAll(async () => {
    await env?.close();
    if (dir) await rm(dir, {recursive: true, force: true});
  });

  it('rollout status lines match kubectl’s through a StatefulSet update', async () => {
    for (const ns of ['ledger', 'ledger-staging']) {
      await ok(['annotate', 'statefulset/ledger-db', '-n', ns, '--overwrite', 'kubernetes.io/change-cause=to 16.4']);
      await ok(['set', 'image', 'statefulset/ledger-db', 'postgres=postgres:16.4', '-n', ns]);
      const {result, messages, theirs} = await bothFollow('statefulset', ns, 'ledger-db');
      expect(result).toEqual({outcome: 'success', message: 'partitioned roll out complete: 3 new pods have been updated...'});
      for (const line of theirs) expect(messages).toContain(line);
      expect(theirs.at(-1)).toBe(result.message);
    }
  }, 60_000);

  it('the history matches kubectl rollout history: revisions, change-causes, the current one', async () => {
    const {history: ours} = await previewRevisionUndo(env.client, 'statefulset', 'ledger', 'ledger-db');
    expect(ours.map(h => [h.revision, h.changeCause])).toEqual(await history('statefulset/ledger-db', 'ledger'));
    expect(ours.map(h => [h.revision, h.images[0], h.current])).toEqual([[1, 'postgres:16.3', false], [2, 'postgres:16.4', true]]);
  });

  it('the undo body is byte for byte the one kubectl sends', async () => {
    const {plan} = await previewRevisionUndo(env.client, 'statefulset', 'ledger-staging', 'ledger-db');
    expect(plan.action).toBe('patch');
    if (plan.action !== 'patch') return;
    expect(plan.target.revision).toBe(1);
    expect(plan.diff).toEqual(['postgres: image 16.4 → 16.3']);
    const undo = await env.kubectl(['rollout', 'undo', 'statefulset/ledger-db', '-n', 'ledger-staging', '-v=9']);
    expect(undo.stdout.trim()).toBe('statefulset.apps/ledger-db rolled back');
    const line = undo.stderr.split('\n').find(l => l.includes('"Request Body"') && l.includes('$patch'))!;
    expect(undo.stderr).toMatch(/Content-Type: application\/strategic-merge-patch\+json/);
    expect(undo.stderr).toMatch(/PATCH https:\S+\/namespaces\/ledger-staging\/statefulsets\/ledger-db/);
    expect(JSON.parse(line.slice(line.indexOf('body=') + 5))).toBe(plan.body);
  });

  it('performUndo rolls a StatefulSet back as kubectl did the other one, and followRollout sees it complete', async () => {
    const result = await performUndo({client: env.client, kind: 'statefulset', namespace: 'ledger', name: 'ledger-db'});
    expect(result).toMatchObject({outcome: 'rolled-back', message: 'statefulset.apps/ledger-db rolled back'});
    expect(result.target.revision).toBe(1);
    const {result: followed, messages, theirs} = await bothFollow('statefulset', 'ledger', 'ledger-db');
    expect(followed).toEqual({outcome: 'success', message: 'partitioned roll out complete: 3 new pods have been updated...'});
    for (const line of theirs) expect(messages).toContain(line);
    await ok(['rollout', 'status', 'statefulset/ledger-db', '-n', 'ledger-staging', '--timeout=30s']);
    for (const ns of ['ledger', 'ledger-staging']) {
      expect(await ok(['get', 'statefulset', 'ledger-db', '-n', ns, '-o', 'jsonpath={.spec.template.spec.containers[0].image}'])).toBe('postgres:16.3');
      // Revision 1 renumbered to 3, its change-cause kept, as kubectl's history prints it.
      expect(await history('statefulset/ledger-db', ns)).toEqual([[2, 'to 16.4'], [3, '16.3 initial']]);
    }
    const [ours, theirsSts] = await Promise.all(['ledger', 'ledger-staging'].map(ns => env.client.get<StatefulSet>('statefulsets', ns, 'ledger-db')));
    expect(ours!.spec?.template).toEqual(theirsSts!.spec?.template);
    expect(ours!.metadata.generation).toBe(theirsSts!.metadata.generation);
  }, 60_000);

  it('a DaemonSet: status lines, the native undo, skips and refusals in kubectl’s words', async () => {
    await ok(['set', 'image', 'daemonset/node-agent', 'agent=ghcr.io/acme/node-agent:v1.1.5', '-n', 'agents']);
    let run = await bothFollow('daemonset', 'agents', 'node-agent');
    expect(run.result).toEqual({outcome: 'success', message: 'daemon set "node-agent" successfully rolled out'});
    for (const line of run.theirs) expect(run.messages).toContain(line);

    const result = await performUndo({client: env.client, kind: 'daemonset', namespace: 'agents', name: 'node-agent'});
    expect(result).toMatchObject({outcome: 'rolled-back', message: 'daemonset.apps/node-agent rolled back'});
    run = await bothFollow('daemonset', 'agents', 'node-agent');
    expect(run.result.outcome).toBe('success');
    expect(await ok(['get', 'daemonset', 'node-agent', '-n', 'agents', '-o', 'jsonpath={.spec.template.spec.containers[0].image}'])).toBe('ghcr.io/acme/node-agent:v1.1.0');

    const skip = await performUndo({client: env.client, kind: 'daemonset', namespace: 'agents', name: 'node-agent', toRevision: 3});
    expect(skip.outcome).toBe('skipped');
    expect(skip.message).toBe((await ok(['rollout', 'undo', 'daemonset/node-agent', '-n', 'agents', '--to-revision=3'])).trim());

    const kubectlMissing = await env.kubectl(['rollout', 'undo', 'daemonset/node-agent', '-n', 'agents', '--to-revision=99']);
    const missing = performUndo({client: env.client, kind: 'daemonset', namespace: 'agents', name: 'node-agent', toRevision: 99});
    await expect(missing).rejects.toBeInstanceOf(UndoError);
    await expect(missing).rejects.toThrow(kubectlMissing.stderr.trim().replace(/^error: /, ''));
    const kubectlNope = await env.kubectl(['rollout', 'undo', 'statefulset/nope', '-n', 'ledger']);
    expect(kubectlNope.stderr).toContain('statefulsets.apps "nope" not found');
    await expect(performUndo({client: env.client, kind: 'statefulset', namespace: 'ledger', name: 'nope'})).rejects.toThrow('statefulsets.apps "nope" not found');
  }, 60_000);
});
