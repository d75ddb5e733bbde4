// What the pods and rollout panes show, as plain data: built from the watch caches by pure
// functions here, so the panes can be drawn (and tested) from hand-made snapshots alike.

import type {FreshnessTone, PodRow} from '../../kube/pods-model.js';
import {freshnessLabel} from '../../kube/pods-model.js';
import {ageSince} from '../../kube/pod-status.js';
import {recentEvents, revisionOf, rolloutCounts, rolloutHistory, rolloutStatusMessage, type EventRow, type RolloutCounts} from '../../kube/rollout-model.js';
import type {ControllerRevision, DaemonSet, Deployment, KubeEvent, ReplicaSet, StatefulSet} from '../../kube/types.js';
import type {WatchState, WatchStatus} from '../../kube/watch-state.js';
import {currentRevision, revisionHistory, workloadCounts, workloadStatusMessage, type RevisionedKind} from '../../kube/workload-model.js';
import type {WorkloadKind} from '../../runbook/targets-model.js';

export interface Freshness {
  status: WatchStatus;
  /** freshnessLabel's text: `● 1s`, `reconnecting 4s`, `stale 40s`. */
  label: string;
  tone: FreshnessTone;
}

export interface HistoryRow {
  revision: number;
  image: string;
  /** The image's tag (or digest), what an operator reads: `v1.1.0`. */
  tag: string;
  changeCause: string;
  current: boolean;
  replicaSetName: string;
  /** Since its ReplicaSet (ControllerRevision) was made, as kubectl's AGE: when that release went out. */
  age?: string;
}

/** A revision as the panes show it (the first container's image, and its tag). */
export function historyRow(h: {revision: number; images: readonly string[]; changeCause: string; current: boolean; replicaSetName: string}): HistoryRow {
  const image = h.images[0] ?? '';
  return {revision: h.revision, image, tag: imageTag(image), changeCause: h.changeCause, current: h.current, replicaSetName: h.replicaSetName};
}

export interface RolloutSnapshot {
  name: string;
  /** Absent: a deployment. */
  kind?: WorkloadKind;
  revision: number;
  image: string;
  tag: string;
  counts: RolloutCounts;
  /** kubectl rollout status's exact line. */
  message: string;
  failed: boolean;
  done: boolean;
  /** Oldest first, as `kubectl rollout history` prints it. */
  history: HistoryRow[];
  /** Newest first. */
  events: EventRow[];
  freshness: Freshness;
}

export interface ClusterSnapshot {
  /** False while the kubeconfig is being read and when there is none: the App hides the panes then. */
  configured: boolean;
  context: string | null;
  namespace: string;
  /** The name of the workload the ROLLOUT pane shows (a deployment unless `kind` says otherwise); '' when none is known. */
  deployment: string;
  kind?: WorkloadKind;
  /** Several workloads in view: which one this is (0-based) and how many (a key cycles through them). */
  workloadIndex?: number;
  workloadCount?: number;
  /** No workload known: what would set one (a command, a front matter key). */
  hint?: string | null;
  /**
   * Pods sorted by name: rows `podsOffset … podsOffset + pods.length` of `podsTotal`. The hook
   * computes only the window it was asked for; a hand-made snapshot may carry all of them.
   */
  pods: PodRow[];
  podsOffset: number;
  podsTotal: number;
  podsStatus: Freshness;
  /** The pod selected in PODS (J K), drawn in inverse; by name, so it stays as the list changes. */
  podSelected?: string | null;
  /** Null until the deployment is known (or when it does not exist: see `error`). */
  rollout: RolloutSnapshot | null;
  error: string | null;
}

export function freshnessOf(state: Pick<WatchState, 'status' | 'lastEventAt' | 'syncedAt'>, now: number): Freshness {
  const {text, tone} = freshnessLabel(state, now);
  return {status: state.status, label: text, tone};
}

/** `registry:5000/app:v1` → `v1`; `app@sha256:abcdef…` → `sha256:abcdef` (12 hex digits); no tag → `latest`. */
export function imageTag(image: string): string {
  if (!image) return '';
  const at = image.indexOf('@');
  if (at >= 0) return image.slice(at + 1, at + 1 + 'sha256:'.length + 12);
  const colon = image.lastIndexOf(':');
  return colon > image.lastIndexOf('/') ? image.slice(colon + 1) : 'latest';
}

const withAge = (row: HistoryRow, created: string | undefined, now: number): HistoryRow => (created ? {...row, age: ageSince(created, now)} : row);

/**
 * Events about the deployment, its ReplicaSets and their pods: what `kubectl describe` would
 * show across the three, which is what explains a stuck rollout (ScalingReplicaSet, BackOff).
 */
export function deploymentEvents(events: Iterable<KubeEvent>, deployment: string, replicaSets: readonly string[]): KubeEvent[] {
  const out: KubeEvent[] = [];
  for (const e of events) {
    const o = e.involvedObject;
    if (!o?.name) continue;
    if (o.kind === 'Deployment' && o.name === deployment) out.push(e);
    else if (o.kind === 'ReplicaSet' && replicaSets.includes(o.name)) out.push(e);
    else if (o.kind === 'Pod' && replicaSets.some(rs => o.name!.startsWith(`${rs}-`))) out.push(e);
  }
  return out;
}

export function rolloutSnapshot(
  deployment: Deployment,
  replicaSets: Iterable<ReplicaSet>,
  events: Iterable<KubeEvent>,
  freshness: Freshness,
  now: number,
  eventLimit = 5,
): RolloutSnapshot {
  const rs = [...replicaSets];
  const history = rolloutHistory(deployment, rs).map(h => withAge(historyRow(h), h.replicaSet.metadata.creationTimestamp, now));
  const image = deployment.spec?.template?.spec?.containers?.[0]?.image ?? '';
  const status = rolloutStatusMessage(deployment);
  const revision = revisionOf(deployment);
  return {
    name: deployment.metadata.name,
    revision: Number.isNaN(revision) ? 0 : revision,
    image,
    tag: imageTag(image),
    counts: rolloutCounts(deployment, rs),
    message: status.message,
    failed: status.failed,
    done: status.done,
    history,
    events: recentEvents(deploymentEvents(events, deployment.metadata.name, history.map(h => h.replicaSetName)), now, eventLimit),
    freshness,
  };
}

/** Events about a StatefulSet or DaemonSet and its pods (`x-0`, `x-1`… or `x-abcde`). */
export function workloadEvents(events: Iterable<KubeEvent>, kind: RevisionedKind, name: string): KubeEvent[] {
  const owner = kind === 'statefulset' ? 'StatefulSet' : 'DaemonSet';
  const pod = kind === 'statefulset' ? /^\d+$/ : /^[a-z0-9]{5}$/;
  const out: KubeEvent[] = [];
  for (const e of events) {
    const o = e.involvedObject;
    if (!o?.name) continue;
    if (o.kind === owner && o.name === name) out.push(e);
    else if (o.kind === 'Pod' && o.name.startsWith(`${name}-`) && pod.test(o.name.slice(name.length + 1))) out.push(e);
  }
  return out;
}

/** The ROLLOUT pane of a StatefulSet or DaemonSet: the same shape as a deployment's, from its ControllerRevisions. */
export function revisionRolloutSnapshot(
  kind: RevisionedKind,
  workload: StatefulSet | DaemonSet,
  revisions: Iterable<ControllerRevision>,
  events: Iterable<KubeEvent>,
  freshness: Freshness,
  now: number,
  eventLimit = 5,
): RolloutSnapshot {
  const full = revisionHistory(workload, revisions);
  const image = workload.spec?.template?.spec?.containers?.[0]?.image ?? '';
  const status = workloadStatusMessage(kind, workload);
  return {
    name: workload.metadata.name,
    kind,
    revision: currentRevision(workload, full),
    image,
    tag: imageTag(image),
    counts: workloadCounts(kind, workload),
    message: status.message,
    failed: status.failed,
    done: status.done,
    history: full.map(h => withAge(historyRow(h), h.controllerRevision.metadata.creationTimestamp, now)),
    events: recentEvents(workloadEvents(events, kind, workload.metadata.name), now, eventLimit),
    freshness,
  };
}

/** The worse of two freshness states, so a pane built from several watches never looks fresher than its stalest part. */
export function worstFreshness(a: Freshness, b: Freshness): Freshness {
  const rank: Record<WatchStatus, number> = {live: 0, connecting: 1, reconnecting: 2, stale: 3, error: 4};
  return rank[b.status] > rank[a.status] ? b : a;
}

export const NOT_CONFIGURED: Omit<ClusterSnapshot, 'namespace' | 'deployment'> = {
  configured: false,
  context: null,
  pods: [],
  podsOffset: 0,
  podsTotal: 0,
  podsStatus: {status: 'connecting', label: 'connecting…', tone: 'muted'},
  rollout: null,
  error: null,
};
