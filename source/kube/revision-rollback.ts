// The native `kubectl rollout undo statefulset|daemonset`: the requests kubectl makes (GET the object, LIST the
// ControllerRevisions by its selector, one strategic merge PATCH whose body is the chosen revision's data) and the
// words it prints (`statefulset.apps/x rolled back`, `… skipped rollback (current template already matches revision N)`).
import {describeError, type KubeClient} from './client.js';
import type {UndoResult} from './rollback.js';
import {planRevisionUndo, RESOURCE_OF, revisionHistory, type RevisionedKind, type RevisionUndoPlan, type WorkloadRevision} from './workload-model.js';
import {type ControllerRevision, type DaemonSet, selectorString, type StatefulSet} from './types.js';

/** Why a revision undo stopped, in kubectl's words (an Error so rollback.ts can rethrow it as its own). */
export class RevisionUndoError extends Error {}

const TITLE: Record<RevisionedKind, string> = {statefulset: 'StatefulSet', daemonset: 'DaemonSet'};
const PLURAL: Record<RevisionedKind, 'statefulsets' | 'daemonsets'> = {statefulset: 'statefulsets', daemonset: 'daemonsets'};

async function readWorkload(client: KubeClient, kind: RevisionedKind, namespace: string, name: string): Promise<StatefulSet | DaemonSet> {
	try {
		return await client.get<StatefulSet | DaemonSet>(PLURAL[kind], namespace, name);
	} catch (error) {
		const info = describeError(error);
		// kubectl's spelling, `Statefulset` included (history.go statefulSetHistory).
		const what = kind === 'statefulset' ? 'Statefulset' : 'DaemonSet';
		throw new RevisionUndoError(info.code === 404 ? `${RESOURCE_OF[kind]} ${JSON.stringify(name)} not found` : `failed to retrieve ${what} ${name}: ${info.message}`);
	}
}

async function readRevisions(client: KubeClient, kind: RevisionedKind, owner: StatefulSet | DaemonSet): Promise<ControllerRevision[]> {
	try {
		const ns = owner.metadata.namespace ?? '';
		return (await client.list<ControllerRevision>('controllerrevisions', ns, {labelSelector: selectorString(owner.spec?.selector)})).items;
	} catch (error) {
		throw new RevisionUndoError(`unable to find history controlled by ${TITLE[kind]} ${owner.metadata.name}: ${describeError(error).message}`);
	}
}

export interface RevisionPreview {
	workload: StatefulSet | DaemonSet;
	revisions: ControllerRevision[];
	history: WorkloadRevision[];
	plan: RevisionUndoPlan;
}

export async function previewRevisionUndo(client: KubeClient, kind: RevisionedKind, namespace: string, name: string, toRevision = 0): Promise<RevisionPreview> {
	const workload = await readWorkload(client, kind, namespace, name);
	const revisions = await readRevisions(client, kind, workload);
	return {workload, revisions, history: revisionHistory(workload, revisions), plan: planRevisionUndo(kind, workload, revisions, toRevision)};
}

/** `kubectl rollout undo statefulset|daemonset/NAME [--to-revision=N] -n NAMESPACE`. */
export async function performRevisionUndo(
	client: KubeClient,
	kind: RevisionedKind,
	options: {namespace: string; name: string; toRevision?: number; expectRevision?: string},
): Promise<UndoResult> {
	const toRevision = options.toRevision ?? 0;
	const {plan} = await previewRevisionUndo(client, kind, options.namespace, options.name, toRevision);
	if (plan.action === 'error') throw new RevisionUndoError(plan.message);
	if (options.expectRevision && plan.target.replicaSetName !== options.expectRevision) {
		throw new RevisionUndoError(
			`the rollout history changed: revision ${plan.target.revision} is now ControllerRevision ${plan.target.replicaSetName}, not the confirmed ${options.expectRevision}; nothing was changed`,
		);
	}
	const target = plan.target;
	if (plan.action === 'skip') return {outcome: 'skipped', message: plan.message, target};
	try {
		await client.patch(PLURAL[kind], options.namespace, options.name, 'application/strategic-merge-patch+json', plan.body);
	} catch (error) {
		throw new RevisionUndoError(`failed restoring revision ${toRevision}: ${describeError(error).message}`);
	}
	return {outcome: 'rolled-back', message: `${kind}.apps/${options.name} rolled back`, target, patch: JSON.parse(plan.body)};
}
