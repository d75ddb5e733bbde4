// Hand-made snapshots for the panes: what useCluster would return, without a cluster.
import stringWidth from 'string-width';
import type {PodRow, PodTone} from '../../../source/kube/pods-model.js';
import type {ClusterSnapshot, RolloutSnapshot} from '../../../source/ui/cluster/cluster-snapshot.js';

export const NS = 'overlord-production';

export const pod = (name: string, status = 'Running', tone: PodTone = 'ok', ready = '1/1', restarts = '0', age = '2d'): PodRow => ({name, ready, status, restarts, age, tone});

export const PODS: PodRow[] = [
  pod('overlord-5d4f8b7c9-2xk4q'),
  pod('overlord-5d4f8b7c9-8qpzt'),
  pod('overlord-5d4f8b7c9-t4mwx'),
  pod('overlord-7b9c6d5f4-hx2lp', 'CrashLoopBackOff', 'error', '0/1', '4 (12s ago)', '45s'),
];

export function rollout(over: Partial<RolloutSnapshot> = {}): RolloutSnapshot {
  return {
    name: 'overlord',
    revision: 2,
    image: 'ghcr.io/legion14041981-ui/overlord-trading-system-v8:v1.2.0',
    tag: 'v1.2.0',
    counts: {desired: 3, current: 4, updated: 2, ready: 3, available: 3, unavailable: 1, old: 2},
    message: 'Waiting for deployment "overlord" rollout to finish: 2 out of 3 new replicas have been updated...',
    failed: false,
    done: false,
    history: [
      {revision: 1, image: 'ghcr.io/x/overlord:v1.1.0', tag: 'v1.1.0', changeCause: '<none>', current: false, replicaSetName: 'overlord-5d4f8b7c9'},
      {revision: 2, image: 'ghcr.io/x/overlord:v1.2.0', tag: 'v1.2.0', changeCause: 'kubectl set image deployment/overlord overlord=v1.2.0', current: true, replicaSetName: 'overlord-7b9c6d5f4'},
    ],
    events: [
      {type: 'Warning', reason: 'BackOff', message: 'Back-off restarting failed container overlord in pod overlord-7b9c6d5f4-hx2lp', age: '5s', count: 4, at: 0},
      {type: 'Normal', reason: 'ScalingReplicaSet', message: 'Scaled up replica set overlord-7b9c6d5f4 from 0 to 1', age: '45s', count: 1, at: 0},
    ],
    freshness: {status: 'live', label: '● 1s', tone: 'ok'},
    ...over,
  };
}

export function snapshot(over: Partial<ClusterSnapshot> = {}): ClusterSnapshot {
  const pods = over.pods ?? PODS;
  return {
    configured: true,
    context: 'sandbox',
    namespace: NS,
    deployment: 'overlord',
    pods,
    podsOffset: 0,
    podsTotal: pods.length,
    podsStatus: {status: 'live', label: '● 1s', tone: 'ok'},
    rollout: rollout(),
    error: null,
    ...over,
  };
}

export const plain = (frame: string) => frame.replace(/\u001B\[[0-9;]*m/g, '');
export const lines = (frame: string) => plain(frame).split('\n');
export const widest = (frame: string) => Math.max(...lines(frame).map(l => stringWidth(l)));
/** The frame's line holding `text`, with its colour codes. */
export const lineWith = (frame: string, text: string) => frame.split('\n').find(l => plain(l).includes(text)) ?? '';
/** A foreground colour code (bold and inverse are not colour). */
export const COLOUR = /\u001B\[(3[0-8]|9[0-7])[;m]/;
export const RED = '\u001B[31m';
export const GREEN = '\u001B[32m';
export const YELLOW = '\u001B[33m';
