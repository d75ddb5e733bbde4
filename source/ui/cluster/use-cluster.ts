// The cluster behind the panes: watches on the namespace's pods and events, and on the workload in view (a
// Deployment and its ReplicaSets, or a StatefulSet or DaemonSet and its ControllerRevisions), started lazily
// (client-node is imported only when a kubeconfig names a context) and restarted when the namespace or the
// workload changes. With no workload named, the namespace's only one is used. The hook holds no watch state: it
// subscribes to the watches' groups (kube/watch-group.ts, batched listeners ≤ 10/s each) with useSyncExternalStore,
// plus a 1 s clock for ages; each render computes only the visible pod rows, and the rollout part only when its
// watches moved or the second changed.

import {type RefObject, useEffect, useMemo, useReducer, useRef, useState, useSyncExternalStore} from 'react';
import {describeError, type KubeClient} from '../../kube/client.js';
import {onlyWorkload, type WorkloadRef} from '../../kube/discover.js';
import {NO_WORKLOAD_HINT} from '../../kube/panes-target.js';
import {createPodsView, type PodsView} from '../../kube/pods-model.js';
import {ResourceWatch} from '../../kube/resource-watch.js';
import {WatchGroup} from '../../kube/watch-group.js';
import type {ControllerRevision, DaemonSet, Deployment, KubeEvent, KubeObject, Pod, ReplicaSet, StatefulSet} from '../../kube/types.js';
import type {ResourceWatchOptions} from '../../kube/watch-state.js';
import type {WorkloadKind} from '../../runbook/targets-model.js';
import {useSessionClients} from '../clients-context.js';
import {type ClusterSnapshot, freshnessOf, NOT_CONFIGURED, revisionRolloutSnapshot, rolloutSnapshot, worstFreshness} from './cluster-snapshot.js';
import {useStableByKey} from '../use-stable-by-key.js';

export interface UseClusterOptions {
  /** Where KUBECONFIG and HOME are read, as kubectl would (default: process.env). */
  env?: Record<string, string | undefined>;
  /** The namespace the panes look at (see panes-target.ts); null/undefined: the context's namespace. */
  namespace?: string | null;
  /** A deployment's name: the same as `workload: {kind: 'deployment', name}`. */
  deployment?: string;
  /** The workload the ROLLOUT pane shows; none: the only Deployment, StatefulSet or DaemonSet of the namespace. */
  workload?: WorkloadRef | null;
  /** Several workloads in view: which one this is, of how many (for the title). */
  position?: {index: number; count: number};
  /** The pod rows the pane shows: only these are computed per render (default 0 / 100). */
  window?: {offset: number; rows: number};
  /** For tests and benchmarks: the watches' batching, watchdog and staleness. */
  watch?: Partial<Pick<ResourceWatchOptions<Pod>, 'batchMs' | 'watchdogMs' | 'staleAfterMs' | 'backoffMaxMs'>>;
  /** How often ages and freshness labels move when nothing else changes (default 1000 ms; 0: never). */
  clockMs?: number;
}

/** The namespace's watches: they stay while the ROLLOUT pane moves from one workload to another. */
interface NamespaceWatches {
  key: string;
  group: WatchGroup;
  pods: ResourceWatch<Pod>;
  events: ResourceWatch<KubeEvent>;
  view: PodsView;
}

/**
 * The workload's watches: the named one (its object and where its history is kept: ReplicaSets or
 * ControllerRevisions), or, with none named, every Deployment, StatefulSet and DaemonSet of the namespace with
 * both kinds of history, so the only one there is shown as soon as the lists arrive and a workload applied later
 * is seen.
 */
interface WorkloadWatches {
  key: string;
  group: WatchGroup;
  objects: Partial<Record<WorkloadKind, ResourceWatch<KubeObject>>>;
  histories: Partial<Record<HistoryResource, ResourceWatch<KubeObject>>>;
}

type HistoryResource = 'replicasets' | 'controllerrevisions';
type ClientState = {state: 'loading'} | {state: 'none'} | {state: 'ready'; client: KubeClient} | {state: 'failed'; error: string};

const RESOURCE: Record<WorkloadKind, {plural: 'deployments' | 'statefulsets' | 'daemonsets'; history: HistoryResource; api: string}> = {
  deployment: {plural: 'deployments', history: 'replicasets', api: 'deployments.apps'},
  statefulset: {plural: 'statefulsets', history: 'controllerrevisions', api: 'statefulsets.apps'},
  daemonset: {plural: 'daemonsets', history: 'controllerrevisions', api: 'daemonsets.apps'},
};
const KINDS = Object.keys(RESOURCE) as WorkloadKind[];

const watchesOf = (set: Pick<WorkloadWatches, 'objects' | 'histories'>) => [...Object.values(set.objects), ...Object.values(set.histories)];
const nothing = () => () => {};
const zero = () => 0;

export function useCluster(options: UseClusterOptions = {}): ClusterSnapshot {
  const {env, clockMs = 1000} = options;
  const envKey = env ? `${env.KUBECONFIG ?? ''}\0${env.HOME ?? ''}` : '';
  // The env object may be new on every render; what matters is where the kubeconfig is read from.
  const kubeEnv = useStableByKey(env, envKey);
  const client = useKubeClient(kubeEnv);
  const watchOptions = useRef(options.watch);

  const namespace = options.namespace || (client.state === 'ready' ? client.client.namespace : '');
  const nsKey = `${envKey}\0${namespace}`;
  const namedNow: WorkloadRef | null = options.workload ?? (options.deployment ? {kind: 'deployment', name: options.deployment} : null);
  const named = useStableByKey(namedNow, namedNow ? `${namedNow.kind}/${namedNow.name}` : '');
  const wlKey = named ? `${nsKey}\0${named.kind}\0${named.name}` : `${nsKey}\0*`;
  const nsWatches = useNamespaceWatches(client, namespace, nsKey, watchOptions);
  const wlWatches = useWorkloadWatches(client, namespace, named, wlKey, watchOptions);
  useSecondClock(client.state === 'ready', clockMs);

  const now = Date.now();
  // Watches of a previous namespace or workload are never shown under the new one's title.
  const w = nsWatches?.key === nsKey ? nsWatches : null;
  const wl = wlWatches?.key === wlKey ? wlWatches : null;
  // The screen holds no watch state: it subscribes to the watches' groups and reads them when told.
  useSyncExternalStore(w?.group.subscribe ?? nothing, w?.group.snapshot ?? zero);
  useSyncExternalStore(wl?.group.subscribe ?? nothing, wl?.group.snapshot ?? zero);
  const found = workloadInView(wl, named, namespace);
  const rollout = useRollout(w, wl, found.workload, now);
  return snapshotOf({client, namespace, named, found, w, rollout, now, position: options.position, window: options.window});
}

/** The session's Kubernetes client for this kubeconfig: loading, none configured, ready, or why it failed. */
function useKubeClient(kubeEnv: Record<string, string | undefined> | undefined): ClientState {
  const clients = useSessionClients();
  const [client, setClient] = useState<ClientState>({state: 'loading'});
  useEffect(() => {
    let cancelled = false;
    setClient({state: 'loading'});
    clients.kube(kubeEnv ?? process.env).then(
      c => !cancelled && setClient(c ? {state: 'ready', client: c} : {state: 'none'}),
      error => !cancelled && setClient({state: 'failed', error: `kubeconfig: ${describeError(error).message}`}),
    );
    return () => {
      cancelled = true;
    };
  }, [kubeEnv, clients]);
  return client;
}

/** The watches' tuning, read when they start (fixed for the hook's life). */
type WatchTuning = RefObject<UseClusterOptions['watch']>;

/** The namespace's pods and events, watched while the namespace is in view. */
function useNamespaceWatches(client: ClientState, namespace: string, nsKey: string, tuning: WatchTuning): NamespaceWatches | null {
  const [nsWatches, setNsWatches] = useState<NamespaceWatches | null>(null);
  useEffect(() => {
    if (client.state !== 'ready' || !namespace) return;
    const common = {client: client.client, namespace, ...tuning.current};
    const pods = new ResourceWatch<Pod>({...common, kind: 'pods'});
    const events = new ResourceWatch<KubeEvent>({...common, kind: 'events'});
    const group = new WatchGroup(nsKey, [pods, events] as Array<ResourceWatch<KubeObject>>).start();
    setNsWatches({key: nsKey, group, pods, events, view: createPodsView()});
    return () => group.stop();
  }, [client, nsKey, namespace, tuning]);
  return nsWatches;
}

/** The workload's object and history (or every workload's, with none named), watched while it is in view. */
function useWorkloadWatches(client: ClientState, namespace: string, named: WorkloadRef | null, wlKey: string, tuning: WatchTuning): WorkloadWatches | null {
  const [wlWatches, setWlWatches] = useState<WorkloadWatches | null>(null);
  useEffect(() => {
    if (client.state !== 'ready' || !namespace) return;
    const common = {client: client.client, namespace, ...tuning.current};
    const set: Pick<WorkloadWatches, 'objects' | 'histories'> = {objects: {}, histories: {}};
    for (const kind of named ? [named.kind] : KINDS) {
      const r = RESOURCE[kind];
      set.objects[kind] = new ResourceWatch<KubeObject>({...common, kind: r.plural, ...(named ? {fieldSelector: `metadata.name=${named.name}`} : {})});
      set.histories[r.history] ??= new ResourceWatch<KubeObject>({...common, kind: r.history});
    }
    const group = new WatchGroup(wlKey, watchesOf(set)).start();
    setWlWatches({key: wlKey, group, ...set});
    return () => group.stop();
  }, [client, wlKey, namespace, named, tuning]);
  return wlWatches;
}

/** Ages and freshness labels move once a `clockMs` even when nothing else changes. */
function useSecondClock(configured: boolean, clockMs: number) {
  const [, tick] = useReducer((n: number) => n + 1, 0);
  useEffect(() => {
    if (!configured || clockMs <= 0) return;
    const timer = setInterval(tick, clockMs);
    return () => clearInterval(timer);
  }, [configured, clockMs]);
}

interface WorkloadInView {
  workload: WorkloadRef | null;
  /** With none named: the namespace's workloads' watches, and why there is no only one. */
  objects: Array<readonly [WorkloadKind, ResourceWatch<KubeObject>]>;
  only: ReturnType<typeof onlyWorkload> | null;
}

/** The workload the pane shows: the one named, else the namespace's only one once every kind has been listed. */
function workloadInView(wl: WorkloadWatches | null, named: WorkloadRef | null, namespace: string): WorkloadInView {
  const objects = wl ? KINDS.flatMap(kind => (wl.objects[kind] ? [[kind, wl.objects[kind]!] as const] : [])) : [];
  const listed = objects.length > 0 && objects.every(([, watch]) => watch.state.syncedAt !== null);
  const only = !named && listed ? onlyWorkload(objects.flatMap(([kind, watch]) => [...watch.state.items.keys()].sort().map(name => ({kind, name}))), namespace) : null;
  return {workload: named ?? only?.workload ?? null, objects, only};
}

/** The rollout part, computed again only when a watch's version moves or the clock's second ticks. */
function useRollout(w: NamespaceWatches | null, wl: WorkloadWatches | null, workload: WorkloadRef | null, now: number) {
  const objectWatch = workload ? wl?.objects[workload.kind] : undefined;
  const historyWatch = workload ? wl?.histories[RESOURCE[workload.kind].history] : undefined;
  const second = Math.floor(now / 1000);
  const rolloutVersions = w && wl ? [...watchesOf(wl), w.events].map(x => x.state.version).join('/') : '';
  return useMemo(() => {
    if (!w || !workload || !objectWatch || !historyWatch) return null;
    const object = objectWatch.state.items.get(workload.name);
    if (!object) return null;
    const freshness = worstFreshness(freshnessOf(objectWatch.state, now), freshnessOf(historyWatch.state, now));
    const events = w.events.state.items.values();
    const history = historyWatch.state.items.values();
    if (workload.kind === 'deployment') return rolloutSnapshot(object as Deployment, history as Iterable<ReplicaSet>, events, freshness, now);
    return revisionRolloutSnapshot(workload.kind, object as StatefulSet | DaemonSet, history as Iterable<ControllerRevision>, events, freshness, now);
    // Computed again when a watch's version moves or the clock's second ticks: the watches are mutable caches, read
    // through those versions, and `now` is the second's.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [w, wl, workload?.kind, workload?.name, rolloutVersions, second]);
}

interface SnapshotInput {
  client: ClientState;
  namespace: string;
  named: WorkloadRef | null;
  found: WorkloadInView;
  w: NamespaceWatches | null;
  rollout: ClusterSnapshot['rollout'];
  now: number;
  position: UseClusterOptions['position'];
  window: UseClusterOptions['window'];
}

/** What the panes show: the visible pod rows, the rollout, and the first error worth saying. */
function snapshotOf({client, namespace, named, found, w, rollout, now, position, window}: SnapshotInput): ClusterSnapshot {
  const {workload, objects, only} = found;
  const which = {
    deployment: workload?.name ?? '',
    ...(workload && workload.kind !== 'deployment' ? {kind: workload.kind} : {}),
    ...(position && position.count > 1 ? {workloadIndex: position.index, workloadCount: position.count} : {}),
  };
  const hint = only?.why ? `${only.why}: ${NO_WORKLOAD_HINT}` : null;
  if (client.state !== 'ready') {
    return {...NOT_CONFIGURED, namespace, ...which, hint, error: client.state === 'failed' ? client.error : null};
  }
  const base = {configured: true, context: client.client.context, namespace, ...which, hint};
  if (!w) return {...NOT_CONFIGURED, ...base};
  const win = window ?? {offset: 0, rows: 100};
  const pods = w.view(w.pods.state, win.offset, Math.max(1, win.rows), now);
  const objectWatch = workload ? found.objects.find(([kind]) => kind === workload.kind)?.[1] : undefined;
  const failing = (objectWatch ? [objectWatch] : objects.map(([, watch]) => watch)).find(x => x.state.status !== 'live' && x.state.lastError);
  let error: string | null = null;
  if (w.pods.state.status !== 'live' && w.pods.state.lastError) error = w.pods.state.lastError;
  else if (failing) error = failing.state.lastError;
  else if (named && objectWatch && objectWatch.state.syncedAt !== null && !rollout) error = `${RESOURCE[named.kind].api} ${JSON.stringify(named.name)} not found`;
  return {...base, pods: pods.rows, podsOffset: pods.offset, podsTotal: pods.total, podsStatus: freshnessOf(w.pods.state, now), rollout, error};
}
