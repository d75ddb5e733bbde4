// The rollout pane and the native rollback, as pure functions over a Deployment and its
// ReplicaSets, ported from kubectl so the app says and does exactly what kubectl would:
// polymorphichelpers/rollout_status.go (the status message), history.go and rollback.go (revisions,
// the undo target, the JSON Patch), util/deployment (revision annotations, EqualIgnoreHash).
import {ageSince} from './pod-status.js';
import {equalIgnoreHash, POD_TEMPLATE_HASH, templateDiff} from './template-diff.js';
import type {Deployment, KubeEvent, PodTemplate, ReplicaSet} from './types.js';

export {equalIgnoreHash, POD_TEMPLATE_HASH, semanticEqual, templateDiff} from './template-diff.js';

export const REVISION_ANNOTATION = 'deployment.kubernetes.io/revision';
export const CHANGE_CAUSE_ANNOTATION = 'kubernetes.io/change-cause';

/** Deployment annotations an undo keeps from the deployment rather than taking from the ReplicaSet. */
const ANNOTATIONS_TO_SKIP = new Set([
	'kubectl.kubernetes.io/last-applied-configuration',
	REVISION_ANNOTATION,
	'deployment.kubernetes.io/revision-history',
	'deployment.kubernetes.io/desired-replicas',
	'deployment.kubernetes.io/max-replicas',
	'deprecated.deployment.rollback.to',
]);

export interface RolloutCounts {
	desired: number;
	/** status.replicas: every pod of every ReplicaSet, old ones included. */
	current: number;
	updated: number;
	ready: number;
	available: number;
	unavailable: number;
	/** Pods still belonging to older ReplicaSets. */
	old: number;
}

export function rolloutCounts(deployment: Deployment, replicaSets?: ReplicaSet[]): RolloutCounts {
	const s = deployment.status ?? {};
	const current = s.replicas ?? 0;
	const updated = s.updatedReplicas ?? 0;
	let old = Math.max(0, current - updated);
	if (replicaSets) {
		const template = deployment.spec?.template ?? {};
		old = ownedReplicaSets(deployment, replicaSets)
			.filter(rs => !equalIgnoreHash(rs.spec?.template ?? {}, template))
			.reduce((n, rs) => n + (rs.status?.replicas ?? 0), 0);
	}
	return {
		desired: deployment.spec?.replicas ?? 1,
		current,
		updated,
		ready: s.readyReplicas ?? 0,
		available: s.availableReplicas ?? 0,
		unavailable: s.unavailableReplicas ?? 0,
		old,
	};
}

export interface RolloutStatus {
	/** kubectl's line, without its trailing newline; for a failure, the error text without `error: `. */
	message: string;
	done: boolean;
	failed: boolean;
}

/** kubectl's DeploymentStatusViewer.Status, message for message. */
export function rolloutStatusMessage(deployment: Deployment, revision = 0): RolloutStatus {
	const name = deployment.metadata.name;
	const q = JSON.stringify(name);
	if (revision > 0) {
		const running = revisionOf(deployment);
		if (Number.isNaN(running)) return {message: `cannot get the revision of deployment ${q}`, done: false, failed: true};
		if (running !== revision) {
			return {message: `desired revision (${revision}) is different from the running revision (${running})`, done: false, failed: true};
		}
	}
	const s = deployment.status ?? {};
	if ((deployment.metadata.generation ?? 0) <= (s.observedGeneration ?? 0)) {
		const progressing = s.conditions?.find(c => c.type === 'Progressing');
		if (progressing?.reason === 'ProgressDeadlineExceeded') {
			return {message: `deployment ${q} exceeded its progress deadline`, done: false, failed: true};
		}
		const replicas = deployment.spec?.replicas;
		const updated = s.updatedReplicas ?? 0;
		if (replicas !== undefined && updated < replicas) {
			return waiting(`Waiting for deployment ${q} rollout to finish: ${updated} out of ${replicas} new replicas have been updated...`);
		}
		if ((s.replicas ?? 0) > updated) {
			return waiting(`Waiting for deployment ${q} rollout to finish: ${(s.replicas ?? 0) - updated} old replicas are pending termination...`);
		}
		if ((s.availableReplicas ?? 0) < updated) {
			return waiting(`Waiting for deployment ${q} rollout to finish: ${s.availableReplicas ?? 0} of ${updated} updated replicas are available...`);
		}
		return {message: `deployment ${q} successfully rolled out`, done: true, failed: false};
	}
	return waiting('Waiting for deployment spec update to be observed...');
}

const waiting = (message: string): RolloutStatus => ({message, done: false, failed: false});

/** util/deployment.Revision: a missing annotation is revision 0; an unparsable one is NaN (kubectl skips it). */
export function revisionOf(obj: {metadata: {annotations?: Record<string, string>}}): number {
	const v = obj.metadata.annotations?.[REVISION_ANNOTATION];
	if (v === undefined) return 0;
	return /^[+-]?\d+$/.test(v.trim()) ? Number(v) : Number.NaN;
}

/** ReplicaSets whose controller ownerReference is this deployment's uid (metav1.IsControlledBy). */
export function ownedReplicaSets(deployment: Deployment, replicaSets: ReplicaSet[]): ReplicaSet[] {
	const uid = deployment.metadata.uid;
	return replicaSets.filter(rs => {
		const controller = rs.metadata.ownerReferences?.find(r => r.controller);
		return controller !== undefined && controller.uid === uid;
	});
}

export interface RolloutRevision {
	revision: number;
	images: string[];
	/** As kubectl's CHANGE-CAUSE column prints it: the annotation, or `<none>`. */
	changeCause: string;
	replicaSetName: string;
	/** The deployment's template is this revision's (pod-template-hash aside). */
	current: boolean;
	replicaSet: ReplicaSet;
}

/** `kubectl rollout history`: one entry per revision (a later ReplicaSet wins a tie), oldest first. */
export function rolloutHistory(deployment: Deployment, replicaSets: ReplicaSet[]): RolloutRevision[] {
	const byRevision = new Map<number, ReplicaSet>();
	for (const rs of ownedReplicaSets(deployment, replicaSets)) {
		const v = revisionOf(rs);
		if (!Number.isNaN(v)) byRevision.set(v, rs);
	}
	const template = deployment.spec?.template ?? {};
	return [...byRevision.entries()]
		.sort(([a], [b]) => a - b)
		.map(([revision, rs]) => ({
			revision,
			images: (rs.spec?.template?.spec?.containers ?? []).map(c => c.image ?? ''),
			changeCause: rs.metadata.annotations?.[CHANGE_CAUSE_ANNOTATION] ?? '<none>',
			replicaSetName: rs.metadata.name,
			current: equalIgnoreHash(rs.spec?.template ?? {}, template),
			replicaSet: rs,
		}));
}

export type UndoTarget = {target: RolloutRevision; error?: undefined} | {target?: undefined; error: string};

/**
 * rollback.go deploymentRevision: without `toRevision` (0) the second-highest revision, else that
 * exact one; kubectl's error texts otherwise.
 */
export function undoTarget(history: RolloutRevision[], toRevision = 0, deploymentName = ''): UndoTarget {
	if (toRevision < 0) return {error: `unable to find specified revision ${toRevision} in history`};
	if (toRevision > 0) {
		const hit = history.find(h => h.revision === toRevision);
		return hit ? {target: hit} : {error: `unable to find specified revision ${toRevision} in history`};
	}
	let latest: RolloutRevision | undefined;
	let previous: RolloutRevision | undefined;
	for (const h of history) {
		if (!latest || latest.revision < h.revision) {
			previous = latest;
			latest = h;
		} else if (!previous || previous.revision < h.revision) {
			previous = h;
		}
	}
	return previous ? {target: previous} : {error: `no rollout history found for deployment ${JSON.stringify(deploymentName)}`};
}

export type JsonPatchOp = {op: 'replace'; path: string; value: unknown};

/**
 * The JSON Patch `kubectl rollout undo` sends: the ReplicaSet's template without the
 * pod-template-hash label, and the deployment's own revision/bookkeeping annotations plus the
 * ReplicaSet's other annotations (its change-cause among them).
 */
export function undoPatch(deployment: Deployment, target: ReplicaSet): JsonPatchOp[] {
	const template = structuredClone(target.spec?.template ?? {}) as PodTemplate & {metadata: Record<string, unknown>};
	template.metadata ??= {};
	const labels = template.metadata.labels as Record<string, string> | undefined;
	if (labels) delete labels[POD_TEMPLATE_HASH];
	// Go marshals the typed template's zero creationTimestamp as null; kubectl's body carries it too.
	if (!('creationTimestamp' in template.metadata)) template.metadata = {creationTimestamp: null, ...template.metadata};
	const annotations: Record<string, string> = {};
	const own = deployment.metadata.annotations ?? {};
	for (const key of ANNOTATIONS_TO_SKIP) if (own[key] !== undefined) annotations[key] = own[key];
	for (const [key, value] of Object.entries(target.metadata.annotations ?? {})) {
		if (!ANNOTATIONS_TO_SKIP.has(key)) annotations[key] = value;
	}
	return [
		{op: 'replace', path: '/spec/template', value: template},
		{op: 'replace', path: '/metadata/annotations', value: annotations},
	];
}

export type UndoPlan =
	| {action: 'error'; message: string}
	| {action: 'skip'; message: string; target: RolloutRevision}
	| {action: 'patch'; target: RolloutRevision; patch: JsonPatchOp[]; diff: string[]};

/** rollback.go Rollback's decisions, in its order: target, paused, already matching, then the patch. */
export function planUndo(deployment: Deployment, replicaSets: ReplicaSet[], toRevision = 0): UndoPlan {
	const name = deployment.metadata.name;
	const found = undoTarget(rolloutHistory(deployment, replicaSets), toRevision, name);
	if (!found.target) return {action: 'error', message: found.error};
	if (deployment.spec?.paused) {
		return {action: 'error', message: "you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume' and try again"};
	}
	const template = deployment.spec?.template ?? {};
	const targetTemplate = found.target.replicaSet.spec?.template ?? {};
	if (equalIgnoreHash(targetTemplate, template)) {
		return {action: 'skip', target: found.target, message: `deployment.apps/${name} skipped rollback (current template already matches revision ${toRevision})`};
	}
	return {action: 'patch', target: found.target, patch: undoPatch(deployment, found.target.replicaSet), diff: templateDiff(template, targetTemplate)};
}

export interface EventRow {
	type: string;
	reason: string;
	message: string;
	/** Since the last occurrence, as kubectl's LAST SEEN. */
	age: string;
	count: number;
	at: number;
}

/** Events newest first (by lastTimestamp, then eventTime, then creation), at most `limit`. */
export function recentEvents(events: Iterable<KubeEvent>, now: number, limit = 10): EventRow[] {
	const rows: EventRow[] = [];
	for (const e of events) {
		const when = e.lastTimestamp || e.eventTime || e.firstTimestamp || e.metadata.creationTimestamp;
		rows.push({
			type: e.type ?? '',
			reason: e.reason ?? '',
			message: e.message ?? '',
			age: ageSince(when, now),
			count: e.count ?? 1,
			at: when ? Date.parse(when) || 0 : 0,
		});
	}
	return rows.sort((x, y) => y.at - x.at).slice(0, limit);
}
