// The cluster behind the panes: watches on the namespace's pods, the deployment, its ReplicaSets
// and the events, started lazily (client-node is imported only when a kubeconfig names a context)
// and restarted when the namespace changes. Renders come from the watches' batched listeners
// (≤ 10/s each) and a 1 s clock for ages; each render computes only the visible pod rows, and the
// rollout part only when its watches moved or the second changed.

import {useEffect, useMemo, useReducer, useRef, useState} from 'react';
import {createKubeClient, describeError, type KubeClient} from '../../kube/client.js';
import {createPodsView, type PodsView} from '../../kube/pods-model.js';
import {ResourceWatch} from '../../kube/resource-watch.js';
import type {Deployment, KubeEvent, Pod, ReplicaSet} from '../../kube/types.js';
import type {ResourceWatchOptions} from '../../kube/watch-state.js';
import {type ClusterSnapshot, freshnessOf, NOT_CONFIGURED, rolloutSnapshot, worstFreshness} from './cluster-snapshot.js';

export interface UseClusterOptions {
  /** Where KUBECONFIG and HOME are read, as kubectl would (default: process.env). */
  env?: Record<string, string | undefined>;
  /** The namespace the step works on (stepNamespace); null/undefined: the context's namespace. */
  namespace?: string | null;
  deployment?: string;
  /** The pod rows the pane shows: only these are computed per render (default 0 / 100). */
  window?: {offset: number; rows: number};
  /** For tests and benchmarks: the watches' batching, watchdog and staleness. */
  watch?: Partial<Pick<ResourceWatchOptions<Pod>, 'batchMs' | 'watchdogMs' | 'staleAfterMs' | 'backoffMaxMs'>>;
  /** How often ages and freshness labels move when nothing else changes (default 1000 ms; 0: never). */
  clockMs?: number;
}

interface Watches {
  key: string;
  pods: ResourceWatch<Pod>;
  deployments: ResourceWatch<Deployment>;
  replicaSets: ResourceWatch<ReplicaSet>;
  events: ResourceWatch<KubeEvent>;
  view: PodsView;
}

type ClientState = {state: 'loading'} | {state: 'none'} | {state: 'ready'; client: KubeClient} | {state: 'failed'; error: string};

export function useCluster(options: UseClusterOptions = {}): ClusterSnapshot {
  const {env, deployment = 'overlord', clockMs = 1000} = options;
  const envKey = env ? `${env.KUBECONFIG ?? ''}\0${env.HOME ?? ''}` : '';
  const [client, setClient] = useState<ClientState>({state: 'loading'});
  const [, bump] = useReducer((n: number) => n + 1, 0);
  const watches = useRef<Watches | null>(null);
  const watchOptions = useRef(options.watch);

  useEffect(() => {
    let cancelled = false;
    setClient({state: 'loading'});
    createKubeClient({env: env ?? process.env}).then(
      c => !cancelled && setClient(c ? {state: 'ready', client: c} : {state: 'none'}),
      error => !cancelled && setClient({state: 'failed', error: `kubeconfig: ${describeError(error).message}`}),
    );
    return () => {
      cancelled = true;
    };
    // The env object may be new on every render; what matters is where the kubeconfig is read from.
  }, [envKey]);

  const namespace = options.namespace || (client.state === 'ready' ? client.client.namespace : '');
  const key = `${envKey}\0${namespace}\0${deployment}`;

  useEffect(() => {
    if (client.state !== 'ready' || !namespace) return;
    const common = {client: client.client, namespace, ...watchOptions.current};
    const set: Watches = {
      key,
      pods: new ResourceWatch<Pod>({...common, kind: 'pods'}),
      deployments: new ResourceWatch<Deployment>({...common, kind: 'deployments', fieldSelector: `metadata.name=${deployment}`}),
      replicaSets: new ResourceWatch<ReplicaSet>({...common, kind: 'replicasets'}),
      events: new ResourceWatch<KubeEvent>({...common, kind: 'events'}),
      view: createPodsView(),
    };
    const all: Array<Pick<ResourceWatch, 'start' | 'stop'> & {subscribe(listener: () => void): () => void}> = [set.pods, set.deployments, set.replicaSets, set.events];
    const unsubscribe = all.map(w => w.subscribe(() => bump()));
    watches.current = set;
    for (const w of all) w.start();
    bump();
    return () => {
      for (const u of unsubscribe) u();
      for (const w of all) w.stop();
      if (watches.current === set) watches.current = null;
    };
  }, [client, key]);

  const configured = client.state === 'ready';
  useEffect(() => {
    if (!configured || clockMs <= 0) return;
    const timer = setInterval(bump, clockMs);
    return () => clearInterval(timer);
  }, [configured, clockMs]);

  const now = Date.now();
  // Watches of a previous namespace are never shown under the new one's title.
  const w = watches.current?.key === key ? watches.current : null;
  const second = Math.floor(now / 1000);
  const rolloutVersions = w ? `${w.deployments.state.version}/${w.replicaSets.state.version}/${w.events.state.version}` : '';
  const rollout = useMemo(() => {
    if (!w) return null;
    const d = w.deployments.state.items.get(deployment);
    if (!d) return null;
    const freshness = worstFreshness(freshnessOf(w.deployments.state, now), freshnessOf(w.replicaSets.state, now));
    return rolloutSnapshot(d, w.replicaSets.state.items.values(), w.events.state.items.values(), freshness, now);
  }, [w, deployment, rolloutVersions, second]);

  if (client.state !== 'ready') {
    return {...NOT_CONFIGURED, namespace, deployment, error: client.state === 'failed' ? client.error : null};
  }
  const base = {configured: true, context: client.client.context, namespace, deployment};
  if (!w) return {...NOT_CONFIGURED, ...base};
  const win = options.window ?? {offset: 0, rows: 100};
  const pods = w.view(w.pods.state, win.offset, Math.max(1, win.rows), now);
  const dState = w.deployments.state;
  let error: string | null = null;
  if (w.pods.state.status !== 'live' && w.pods.state.lastError) error = w.pods.state.lastError;
  else if (dState.status !== 'live' && dState.lastError) error = dState.lastError;
  else if (dState.syncedAt !== null && !rollout) error = `deployments.apps ${JSON.stringify(deployment)} not found`;
  return {
    ...base,
    pods: pods.rows,
    podsOffset: pods.offset,
    podsTotal: pods.total,
    podsStatus: freshnessOf(w.pods.state, now),
    rollout,
    error,
  };
}
