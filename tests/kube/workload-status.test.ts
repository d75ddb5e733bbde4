// kubectl's rollout status, history and undo decisions for StatefulSets and DaemonSets, message for message
// (polymorphichelpers/rollout_status.go, history.go, rollback.go), over hand-made objects.
import {describe, expect, it} from 'vitest';
import type {ControllerRevision, DaemonSet, PodTemplate, StatefulSet} from '../../source/kube/types.js';
import {
  currentRevision,
  daemonSetStatusMessage,
  goJson,
  planRevisionUndo,
  revisionHistory,
  statefulSetStatusMessage,
  workloadCounts,
} from '../../source/kube/workload-model.js';

const UID = 'uid-ledger';
const template = (image: string, extra: Record<string, unknown> = {}): PodTemplate => ({
  metadata: {labels: {app: 'ledger-db'}},
  spec: {containers: [{name: 'postgres', image, ...extra}]},
});

function sts(over: {spec?: Partial<NonNullable<StatefulSet['spec']>>; status?: NonNullable<StatefulSet['status']>; generation?: number} = {}): StatefulSet {
  return {
    metadata: {name: 'ledger-db', namespace: 'ledger', uid: UID, generation: over.generation ?? 2},
    spec: {replicas: 3, updateStrategy: {type: 'RollingUpdate', rollingUpdate: {partition: 0}}, template: template('postgres:16.4'), ...over.spec},
    status: over.status ?? {observedGeneration: 2, replicas: 3, readyReplicas: 3, updatedReplicas: 3, currentReplicas: 3, currentRevision: 'ledger-db-b', updateRevision: 'ledger-db-b'},
  };
}

function revision(n: number, image: string, owner = UID, annotations?: Record<string, string>): ControllerRevision {
  return {
    metadata: {name: `ledger-db-${String.fromCharCode(96 + n)}`, namespace: 'ledger', ownerReferences: [{kind: 'StatefulSet', name: 'ledger-db', uid: owner, controller: true}], ...(annotations ? {annotations} : {})},
    data: {spec: {template: {...template(image), $patch: 'replace'}}},
    revision: n,
  };
}

describe('StatefulSet rollout status', () => {
  it('each of kubectl’s messages, in its order of checks', () => {
    expect(statefulSetStatusMessage(sts({spec: {updateStrategy: {type: 'OnDelete'}}}))).toEqual({message: 'rollout status is only available for RollingUpdate strategy type', done: true, failed: true});
    expect(statefulSetStatusMessage(sts({status: {observedGeneration: 0}})).message).toBe('Waiting for statefulset spec update to be observed...');
    expect(statefulSetStatusMessage(sts({generation: 3})).message).toBe('Waiting for statefulset spec update to be observed...');
    expect(statefulSetStatusMessage(sts({status: {observedGeneration: 2, readyReplicas: 1, updatedReplicas: 1}}))).toEqual({message: 'Waiting for 2 pods to be ready...', done: false, failed: false});
    expect(statefulSetStatusMessage(sts({status: {observedGeneration: 2, readyReplicas: 3, updatedReplicas: 1}})).message).toBe('Waiting for partitioned roll out to finish: 1 out of 3 new pods have been updated...');
    expect(statefulSetStatusMessage(sts())).toEqual({message: 'partitioned roll out complete: 3 new pods have been updated...', done: true, failed: false});
  });

  it('a partition stops the update short of the lower ordinals, and that is complete', () => {
    const partitioned = {updateStrategy: {type: 'RollingUpdate', rollingUpdate: {partition: 2}}};
    expect(statefulSetStatusMessage(sts({spec: partitioned, status: {observedGeneration: 2, readyReplicas: 3, updatedReplicas: 0}})).message).toBe(
      'Waiting for partitioned roll out to finish: 0 out of 1 new pods have been updated...',
    );
    expect(statefulSetStatusMessage(sts({spec: partitioned, status: {observedGeneration: 2, readyReplicas: 3, updatedReplicas: 1}}))).toEqual({
      message: 'partitioned roll out complete: 1 new pods have been updated...',
      done: true,
      failed: false,
    });
  });

  it('without rollingUpdate: current and update revisions compared', () => {
    const plain = {updateStrategy: {type: 'RollingUpdate'}};
    const rolling = {observedGeneration: 2, readyReplicas: 3, updatedReplicas: 1, currentReplicas: 2, currentRevision: 'ledger-db-a', updateRevision: 'ledger-db-b'};
    expect(statefulSetStatusMessage(sts({spec: plain, status: rolling})).message).toBe('waiting for statefulset rolling update to complete 1 pods at revision ledger-db-b...');
    expect(statefulSetStatusMessage(sts({spec: plain, status: {...rolling, updatedReplicas: 3, currentReplicas: 3, currentRevision: 'ledger-db-b'}}))).toEqual({
      message: 'statefulset rolling update complete 3 pods at revision ledger-db-b...',
      done: true,
      failed: false,
    });
  });

  it('counts for the bars', () => {
    expect(workloadCounts('statefulset', sts({status: {observedGeneration: 2, replicas: 3, readyReplicas: 2, updatedReplicas: 1, availableReplicas: 2}}))).toEqual({
      desired: 3, current: 3, updated: 1, ready: 2, available: 2, unavailable: 1, old: 2,
    });
  });
});

describe('DaemonSet rollout status', () => {
  const ds = (status: NonNullable<DaemonSet['status']>, type = 'RollingUpdate', generation = 4): DaemonSet => ({
    metadata: {name: 'node-agent', namespace: 'monitoring', uid: 'uid-ds', generation},
    spec: {updateStrategy: {type}, template: template('ghcr.io/acme/node-agent:v2')},
    status,
  });
  it('each of kubectl’s messages', () => {
    expect(daemonSetStatusMessage(ds({}, 'OnDelete'))).toEqual({message: 'rollout status is only available for RollingUpdate strategy type', done: true, failed: true});
    expect(daemonSetStatusMessage(ds({observedGeneration: 3})).message).toBe('Waiting for daemon set spec update to be observed...');
    expect(daemonSetStatusMessage(ds({observedGeneration: 4, desiredNumberScheduled: 3, updatedNumberScheduled: 1})).message).toBe(
      'Waiting for daemon set "node-agent" rollout to finish: 1 out of 3 new pods have been updated...',
    );
    expect(daemonSetStatusMessage(ds({observedGeneration: 4, desiredNumberScheduled: 3, updatedNumberScheduled: 3, numberAvailable: 2})).message).toBe(
      'Waiting for daemon set "node-agent" rollout to finish: 2 of 3 updated pods are available...',
    );
    expect(daemonSetStatusMessage(ds({observedGeneration: 4, desiredNumberScheduled: 3, updatedNumberScheduled: 3, numberAvailable: 3}))).toEqual({
      message: 'daemon set "node-agent" successfully rolled out',
      done: true,
      failed: false,
    });
  });
});

describe('ControllerRevision history and undo', () => {
  const revisions = [revision(1, 'postgres:16.3', UID, {'kubernetes.io/change-cause': 'first'}), revision(2, 'postgres:16.4'), revision(3, 'postgres:9', 'someone-else')];

  it('the history: owned revisions only, oldest first, the current one marked', () => {
    const history = revisionHistory(sts(), revisions);
    expect(history.map(h => [h.revision, h.images[0], h.changeCause, h.current, h.replicaSetName])).toEqual([
      [1, 'postgres:16.3', 'first', false, 'ledger-db-a'],
      [2, 'postgres:16.4', '<none>', true, 'ledger-db-b'],
    ]);
    expect(currentRevision(sts(), history)).toBe(2);
  });

  it('undo: the previous revision by default, its data as the body, the template difference', () => {
    const plan = planRevisionUndo('statefulset', sts(), revisions);
    expect(plan.action).toBe('patch');
    if (plan.action !== 'patch') return;
    expect(plan.target.revision).toBe(1);
    expect(plan.diff).toEqual(['postgres: image 16.4 → 16.3']);
    expect(plan.body).toBe('{"spec":{"template":{"$patch":"replace","metadata":{"labels":{"app":"ledger-db"}},"spec":{"containers":[{"image":"postgres:16.3","name":"postgres"}]}}}}');
  });

  it('undo refuses and skips with kubectl’s words', () => {
    expect(planRevisionUndo('statefulset', sts(), revisions, 2)).toMatchObject({action: 'skip', message: 'statefulset.apps/ledger-db skipped rollback (current template already matches revision 2)'});
    expect(planRevisionUndo('statefulset', sts(), revisions, 9)).toEqual({action: 'error', message: 'unable to find specified revision 9 in history'});
    expect(planRevisionUndo('statefulset', sts(), revisions, -1)).toEqual({action: 'error', message: 'unable to find specified revision -1 in history'});
    expect(planRevisionUndo('daemonset', sts(), [revisions[1]!])).toEqual({action: 'error', message: 'no last revision to roll back to'});
  });

  it('bodies are Go’s JSON: sorted keys, `<>&` escaped', () => {
    expect(goJson({b: 1, a: {d: 'x<y&z>', c: [2, {f: 1, e: 2}]}})).toBe('{"a":{"c":[2,{"e":2,"f":1}],"d":"x\\u003cy\\u0026z\\u003e"},"b":1}');
  });
});
