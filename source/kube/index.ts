// The cluster data layer for the pods and rollout panes and the native rollback. Importing this
// does not load @kubernetes/client-node: client.ts imports it on first use.
export {clientFor, createKubeClient, describeError, KubeApiError, loadClientModule, loadKubeConfig, toPlain} from './client.js';
export type {ClientModule, ErrorInfo, KubeClient, KubeClientOptions, ListResult, WatchEventType} from './client.js';
export {currentKubeTarget, kubeconfigFiles, looksLikeProduction} from './current-context.js';
export type {KubeTarget} from './current-context.js';
export {ageSince, humanDuration, podStatus} from './pod-status.js';
export type {PodLike, PodStatusColumns} from './pod-status.js';
export {byName, createPodsView, freshnessLabel, podRow, podRows, podTone, visibleRows} from './pods-model.js';
export type {FreshnessTone, PodRow, PodsView, PodTone, Window} from './pods-model.js';
export {isFresh, ResourceWatch} from './resource-watch.js';
export type {ResourceWatchOptions, WatchListener, WatchState, WatchStatus} from './resource-watch.js';
export {followRollout, performUndo, previewUndo, UndoError} from './rollback.js';
export type {FollowOptions, FollowResult, UndoOptions, UndoResult, WorkloadKind} from './rollback.js';
export {performRevisionUndo, previewRevisionUndo} from './revision-rollback.js';
export {
	currentRevision,
	daemonSetStatusMessage,
	goJson,
	planRevisionUndo,
	revisionHistory,
	statefulSetStatusMessage,
	workloadCounts,
	workloadStatusMessage,
} from './workload-model.js';
export type {RevisionedKind, RevisionUndoPlan, WorkloadRevision} from './workload-model.js';
export {NO_WORKLOAD_HINT, panesTarget, resolveTargets, visitOrder} from './panes-target.js';
export type {PanesTarget, WorkloadInView} from './panes-target.js';
export {onlyWorkload, workloadsIn} from './discover.js';
export type {WorkloadRef} from './discover.js';
export {
	equalIgnoreHash,
	ownedReplicaSets,
	planUndo,
	recentEvents,
	revisionOf,
	rolloutCounts,
	rolloutHistory,
	rolloutStatusMessage,
	semanticEqual,
	templateDiff,
	undoPatch,
	undoTarget,
} from './rollout-model.js';
export type {EventRow, JsonPatchOp, RolloutCounts, RolloutRevision, RolloutStatus, UndoPlan, UndoTarget} from './rollout-model.js';
export {RESOURCE_PATHS, selectorString} from './types.js';
export {withoutHash} from './template-diff.js';
export type {ControllerRevision, DaemonSet, Deployment, KubeEvent, KubeObject, LabelSelector, ObjectMeta, Pod, PodTemplate, ReplicaSet, ResourceKind, StatefulSet} from './types.js';
