// The rollout pane and the native rollback for StatefulSets and DaemonSets, as pure functions over the object and
// its ControllerRevisions, ported from kubectl so the app says and does what kubectl would:
// polymorphichelpers/rollout_status.go (StatefulSetStatusViewer, DaemonSetStatusViewer), history.go and
// rollback.go (StatefulSetRollbacker, DaemonSetRollbacker: the revision's `data` sent back as a strategic merge
// patch, or skipped when it already matches).
import {CHANGE_CAUSE_ANNOTATION, type RolloutCounts, type RolloutStatus} from './rollout-model.js';
import {templateDiff} from './template-diff.js';
import type {ControllerRevision, DaemonSet, PodTemplate, StatefulSet} from './types.js';

export type RevisionedKind = 'statefulset' | 'daemonset';

/** `statefulset.apps`, as kubectl names the resource in what it prints. */
export const RESOURCE_OF: Record<RevisionedKind, string> = {statefulset: 'statefulsets.apps', daemonset: 'daemonsets.apps'};

/** A deep copy with object keys sorted, as Go marshals a map[string]interface{}. */
function sortKeys(value: unknown): unknown {
	if (Array.isArray(value)) return value.map(sortKeys);
	if (value === null || typeof value !== 'object') return value;
	const out: Record<string, unknown> = {};
	for (const key of Object.keys(value).sort()) out[key] = sortKeys((value as Record<string, unknown>)[key]);
	return out;
}

/** Go's json.Marshal of the value decoded into interface{}: compact, sorted keys, `<>&` and U+2028/9 escaped. */
export function goJson(value: unknown): string {
	return JSON.stringify(sortKeys(value)).replace(/[<>&\u2028\u2029]/g, ch => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** getStatefulSetPatch / getDaemonSetPatch: the patch that would restore the object's current template. */
export function templatePatch(template: PodTemplate | undefined): Record<string, unknown> {
	return {spec: {template: {...(template ?? {}), $patch: 'replace'}}};
}

/** The pod template a revision restores. */
export function revisionTemplate(revision: ControllerRevision): PodTemplate {
	const template = (revision.data as {spec?: {template?: Record<string, unknown>}} | undefined)?.spec?.template ?? {};
	const {$patch: _replace, ...rest} = template;
	return rest as PodTemplate;
}

/** statefulsetMatch / daemonSetMatch: kubectl compares bytes; both sides here are Go's encoding of the same JSON. */
export function revisionMatches(workload: StatefulSet | DaemonSet, revision: ControllerRevision): boolean {
	return goJson(templatePatch(workload.spec?.template)) === goJson(revision.data ?? null);
}

const waiting = (message: string): RolloutStatus => ({message, done: false, failed: false});
const NOT_ROLLING = 'rollout status is only available for RollingUpdate strategy type';

/** kubectl's StatefulSetStatusViewer.Status, message for message. */
export function statefulSetStatusMessage(sts: StatefulSet): RolloutStatus {
	const strategy = sts.spec?.updateStrategy;
	if (strategy?.type !== 'RollingUpdate') return {message: NOT_ROLLING, done: true, failed: true};
	const s = sts.status ?? {};
	const observed = s.observedGeneration ?? 0;
	if (observed === 0 || (sts.metadata.generation ?? 0) > observed) return waiting('Waiting for statefulset spec update to be observed...');
	const replicas = sts.spec?.replicas;
	if (replicas !== undefined && (s.readyReplicas ?? 0) < replicas) return waiting(`Waiting for ${replicas - (s.readyReplicas ?? 0)} pods to be ready...`);
	const updated = s.updatedReplicas ?? 0;
	if (strategy.rollingUpdate) {
		const partition = strategy.rollingUpdate.partition;
		if (replicas !== undefined && partition !== undefined && updated < replicas - partition) {
			return waiting(`Waiting for partitioned roll out to finish: ${updated} out of ${replicas - partition} new pods have been updated...`);
		}
		return {message: `partitioned roll out complete: ${updated} new pods have been updated...`, done: true, failed: false};
	}
	if (s.updateRevision !== s.currentRevision) {
		return waiting(`waiting for statefulset rolling update to complete ${updated} pods at revision ${s.updateRevision ?? ''}...`);
	}
	return {message: `statefulset rolling update complete ${s.currentReplicas ?? 0} pods at revision ${s.currentRevision ?? ''}...`, done: true, failed: false};
}

/** kubectl's DaemonSetStatusViewer.Status, message for message. */
export function daemonSetStatusMessage(ds: DaemonSet): RolloutStatus {
	if (ds.spec?.updateStrategy?.type !== 'RollingUpdate') return {message: NOT_ROLLING, done: true, failed: true};
	const s = ds.status ?? {};
	const q = JSON.stringify(ds.metadata.name);
	if ((ds.metadata.generation ?? 0) <= (s.observedGeneration ?? 0)) {
		const desired = s.desiredNumberScheduled ?? 0;
		if ((s.updatedNumberScheduled ?? 0) < desired) {
			return waiting(`Waiting for daemon set ${q} rollout to finish: ${s.updatedNumberScheduled ?? 0} out of ${desired} new pods have been updated...`);
		}
		if ((s.numberAvailable ?? 0) < desired) {
			return waiting(`Waiting for daemon set ${q} rollout to finish: ${s.numberAvailable ?? 0} of ${desired} updated pods are available...`);
		}
		return {message: `daemon set ${q} successfully rolled out`, done: true, failed: false};
	}
	return waiting('Waiting for daemon set spec update to be observed...');
}

export function workloadStatusMessage(kind: RevisionedKind, object: StatefulSet | DaemonSet): RolloutStatus {
	return kind === 'statefulset' ? statefulSetStatusMessage(object as StatefulSet) : daemonSetStatusMessage(object as DaemonSet);
}

/** The bars: a StatefulSet's replicas, a DaemonSet's scheduled pods. */
export function workloadCounts(kind: RevisionedKind, object: StatefulSet | DaemonSet): RolloutCounts {
	if (kind === 'statefulset') {
		const s = (object as StatefulSet).status ?? {};
		const current = s.replicas ?? 0;
		const updated = s.updatedReplicas ?? 0;
		const desired = (object as StatefulSet).spec?.replicas ?? 1;
		return {desired, current, updated, ready: s.readyReplicas ?? 0, available: s.availableReplicas ?? 0, unavailable: Math.max(0, current - (s.availableReplicas ?? 0)), old: Math.max(0, current - updated)};
	}
	const s = (object as DaemonSet).status ?? {};
	const current = s.currentNumberScheduled ?? 0;
	const updated = s.updatedNumberScheduled ?? 0;
	return {desired: s.desiredNumberScheduled ?? 0, current, updated, ready: s.numberReady ?? 0, available: s.numberAvailable ?? 0, unavailable: s.numberUnavailable ?? 0, old: Math.max(0, current - updated)};
}

/** ControllerRevisions whose controller ownerReference is this object's uid (metav1.IsControlledBy). */
export function ownedRevisions(owner: StatefulSet | DaemonSet, revisions: Iterable<ControllerRevision>): ControllerRevision[] {
	const uid = owner.metadata.uid;
	return [...revisions].filter(cr => {
		const controller = cr.metadata.ownerReferences?.find(r => r.controller);
		return controller !== undefined && controller.uid === uid;
	});
}

export interface WorkloadRevision {
	revision: number;
	images: string[];
	/** The revision's change-cause annotation, or `<none>`. */
	changeCause: string;
	/** The ControllerRevision's name (the field is named as a Deployment's history names its ReplicaSet). */
	replicaSetName: string;
	/** The object's template is this revision's. */
	current: boolean;
	controllerRevision: ControllerRevision;
}

/** `kubectl rollout history statefulset|daemonset`: one entry per revision (a later one wins a tie), oldest first. */
export function revisionHistory(owner: StatefulSet | DaemonSet, revisions: Iterable<ControllerRevision>): WorkloadRevision[] {
	const byRevision = new Map<number, ControllerRevision>();
	for (const cr of ownedRevisions(owner, revisions)) byRevision.set(Number(cr.revision ?? 0), cr);
	return [...byRevision.entries()]
		.sort(([a], [b]) => a - b)
		.map(([revision, cr]) => ({
			revision,
			images: (revisionTemplate(cr).spec?.containers ?? []).map(c => c.image ?? ''),
			changeCause: cr.metadata.annotations?.[CHANGE_CAUSE_ANNOTATION] || '<none>',
			replicaSetName: cr.metadata.name,
			current: revisionMatches(owner, cr),
			controllerRevision: cr,
		}));
}

/** The revision the object runs: the one matching its template, else its update revision's, else the newest. */
export function currentRevision(owner: StatefulSet | DaemonSet, history: readonly WorkloadRevision[]): number {
	const updateRevision = (owner as StatefulSet).status?.updateRevision;
	const hit = history.find(h => h.current) ?? history.find(h => h.replicaSetName === updateRevision) ?? history.at(-1);
	return hit?.revision ?? 0;
}

export type RevisionUndoPlan =
	| {action: 'error'; message: string}
	| {action: 'skip'; message: string; target: WorkloadRevision}
	| {action: 'patch'; target: WorkloadRevision; body: string; diff: string[]};

/** The Rollback of StatefulSetRollbacker / DaemonSetRollbacker, decision for decision, in kubectl's order. */
export function planRevisionUndo(kind: RevisionedKind, owner: StatefulSet | DaemonSet, revisions: Iterable<ControllerRevision>, toRevision = 0): RevisionUndoPlan {
	const notFound = {action: 'error' as const, message: `unable to find specified revision ${toRevision} in history`};
	if (toRevision < 0) return notFound;
	const history = revisionHistory(owner, revisions);
	const all = ownedRevisions(owner, revisions);
	if (toRevision === 0 && all.length <= 1) return {action: 'error', message: 'no last revision to roll back to'};
	// findHistory: the second-highest revision by default, else the exact one.
	const target = toRevision === 0 ? [...history].sort((a, b) => a.revision - b.revision).at(-2) : history.find(h => h.revision === toRevision);
	if (!target) return notFound;
	const name = owner.metadata.name;
	if (revisionMatches(owner, target.controllerRevision)) {
		return {action: 'skip', target, message: `${kind}.apps/${name} skipped rollback (current template already matches revision ${toRevision})`};
	}
	const diff = templateDiff(owner.spec?.template ?? {}, revisionTemplate(target.controllerRevision));
	return {action: 'patch', target, body: goJson(target.controllerRevision.data ?? null), diff};
}
