// The native `kubectl rollout undo` and `kubectl rollout status`: the same requests kubectl makes
// (GET the deployment, LIST its ReplicaSets by selector, one JSON Patch) and the same words printed,
// so a rollback done from the app is indistinguishable from one typed in a terminal. StatefulSets and
// DaemonSets take revision-rollback.ts's path (ControllerRevisions, a strategic merge patch).
import {createKubeClient, describeError, type KubeClient} from './client.js';
import {ResourceWatch} from './resource-watch.js';
import {performRevisionUndo, RevisionUndoError} from './revision-rollback.js';
import {planUndo, rolloutHistory, type RolloutRevision, rolloutStatusMessage, type RolloutStatus, type UndoPlan} from './rollout-model.js';
import {type Deployment, type KubeObject, type ReplicaSet, selectorString} from './types.js';
import type {WorkloadKind} from '../runbook/targets-model.js';
import {RESOURCE_OF, workloadStatusMessage, type WorkloadRevision} from './workload-model.js';

export type {WorkloadKind} from '../runbook/targets-model.js';

export interface UndoOptions {
	namespace: string;
	name: string;
	/** Default: deployment. */
	kind?: WorkloadKind;
	/** kubectl's --to-revision; 0 or absent: the previous revision. */
	toRevision?: number;
	/** Defaults to the configured cluster (KUBECONFIG, as kubectl reads it). */
	client?: KubeClient;
	/**
	 * The ReplicaSet (or ControllerRevision) the operator confirmed. If the history moved meanwhile and the target
	 * is now another one, nothing is patched: a confirmation must not apply to a different revision.
	 */
	expectReplicaSet?: string;
}

export interface UndoResult {
	outcome: 'rolled-back' | 'skipped';
	/** What kubectl prints: `deployment.apps/X rolled back`, or the skipped message. */
	message: string;
	target: RolloutRevision | WorkloadRevision;
	/** The body sent, for the session record. */
	patch?: unknown;
}

/** A refusal or failure, with kubectl's error text as the message. */
export class UndoError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'UndoError';
	}
}

async function clientOr(client: KubeClient | undefined): Promise<KubeClient> {
	const c = client ?? (await createKubeClient());
	if (!c) throw new UndoError('no cluster configured (no kubeconfig with a current context)');
	return c;
}

async function readDeployment(client: KubeClient, namespace: string, name: string): Promise<Deployment> {
	try {
		// A plain GET, like the ReplicaSet list: templates are compared field for field, so both sides
		// must be the server's JSON rather than client-node's typed (and field-filtered) models.
		return await client.get<Deployment>('deployments', namespace, name);
	} catch (error) {
		const info = describeError(error);
		throw new UndoError(info.code === 404 ? `deployments.apps ${JSON.stringify(name)} not found` : `failed to retrieve Deployment ${name}: ${info.message}`);
	}
}

async function readReplicaSets(client: KubeClient, deployment: Deployment): Promise<ReplicaSet[]> {
	try {
		const ns = deployment.metadata.namespace ?? '';
		return (await client.list<ReplicaSet>('replicasets', ns, {labelSelector: selectorString(deployment.spec?.selector)})).items;
	} catch (error) {
		throw new UndoError(`failed to retrieve replica sets from deployment ${deployment.metadata.name}: ${describeError(error).message}`);
	}
}

/** The state an undo would start from: the deployment, its history, and kubectl's decision. */
export async function previewUndo(options: UndoOptions): Promise<{deployment: Deployment; history: RolloutRevision[]; plan: UndoPlan}> {
	const client = await clientOr(options.client);
	const deployment = await readDeployment(client, options.namespace, options.name);
	const replicaSets = await readReplicaSets(client, deployment);
	return {deployment, history: rolloutHistory(deployment, replicaSets), plan: planUndo(deployment, replicaSets, options.toRevision ?? 0)};
}

/** `kubectl rollout undo deployment/NAME [--to-revision=N] -n NAMESPACE`. */
export async function performUndo(options: UndoOptions): Promise<UndoResult> {
	const client = await clientOr(options.client);
	if (options.kind && options.kind !== 'deployment') {
		try {
			return await performRevisionUndo(client, options.kind, {...options, expectRevision: options.expectReplicaSet});
		} catch (error) {
			throw error instanceof RevisionUndoError ? new UndoError(error.message) : error;
		}
	}
	const {plan} = await previewUndo({...options, client});
	if (plan.action === 'error') throw new UndoError(plan.message);
	if (options.expectReplicaSet && plan.target.replicaSetName !== options.expectReplicaSet) {
		throw new UndoError(
			`the rollout history changed: revision ${plan.target.revision} is now ReplicaSet ${plan.target.replicaSetName}, not the confirmed ${options.expectReplicaSet}; nothing was changed`,
		);
	}
	if (plan.action === 'skip') return {outcome: 'skipped', message: plan.message, target: plan.target};
	const {k8s} = client;
	try {
		await client.apps().patchNamespacedDeployment(
			{name: options.name, namespace: options.namespace, body: plan.patch},
			k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.JsonPatch),
		);
	} catch (error) {
		throw new UndoError(`failed restoring revision ${options.toRevision ?? 0}: ${describeError(error).message}`);
	}
	return {outcome: 'rolled-back', message: `deployment.apps/${options.name} rolled back`, target: plan.target, patch: plan.patch};
}

export interface FollowOptions {
	/** Like kubectl's --timeout; 0 or absent waits until success or failure. */
	timeoutMs?: number;
	/** Like kubectl's --revision. */
	revision?: number;
	client?: KubeClient;
	signal?: AbortSignal;
	/** Passed to the deployment watch (tests shorten it). */
	watchdogMs?: number;
	/** Default: deployment. */
	kind?: WorkloadKind;
}

export interface FollowResult {
	outcome: 'success' | 'failed' | 'timeout' | 'deleted' | 'not-found' | 'aborted';
	/** The last line kubectl would print (for failures, its error text without `error: `). */
	message: string;
}

const PLURAL = {deployment: 'deployments', statefulset: 'statefulsets', daemonset: 'daemonsets'} as const;

/**
 * `kubectl rollout status deployment/NAME` (or statefulset/, daemonset/): evaluates every ADDED/MODIFIED event of the object
 * and reports each message, until success, the deadline error, the timeout or an abort. Rides on
 * ResourceWatch, so dropped streams, 410s and stalls do not end the follow.
 */
export async function followRollout(
	namespace: string,
	name: string,
	onMessage: (status: RolloutStatus) => void,
	options: FollowOptions = {},
): Promise<FollowResult> {
	const client = await clientOr(options.client);
	const kind = options.kind ?? 'deployment';
	const statusOf = (object: KubeObject): RolloutStatus =>
		kind === 'deployment' ? rolloutStatusMessage(object as Deployment, options.revision ?? 0) : workloadStatusMessage(kind, object);
	const resource = kind === 'deployment' ? 'deployments.apps' : RESOURCE_OF[kind];
	return new Promise<FollowResult>(resolve => {
		let settled = false;
		let timer: NodeJS.Timeout | undefined;
		const watch = new ResourceWatch<KubeObject>({
			client,
			kind: PLURAL[kind],
			namespace,
			fieldSelector: `metadata.name=${name}`,
			watchdogMs: options.watchdogMs,
			onEvent: (type, object) => {
				if (settled) return;
				if (type === 'DELETED') return finish({outcome: 'deleted', message: 'object has been deleted'});
				const status = statusOf(object);
				onMessage(status);
				if (status.failed) finish({outcome: 'failed', message: status.message});
				else if (status.done) finish({outcome: 'success', message: status.message});
			},
		});
		const finish = (result: FollowResult) => {
			if (settled) return;
			settled = true;
			if (timer) clearTimeout(timer);
			options.signal?.removeEventListener('abort', onAbort);
			unsubscribe();
			// Stopped on the next turn: finish may run inside the watch's own callback.
			setImmediate(() => watch.stop());
			resolve(result);
		};
		const onAbort = () => finish({outcome: 'aborted', message: 'aborted'});
		const unsubscribe = watch.subscribe(state => {
			if (state.syncedAt !== null && state.items.size === 0) {
				finish({outcome: 'not-found', message: `${resource} ${JSON.stringify(name)} not found`});
			}
		});
		if (options.signal?.aborted) return onAbort();
		options.signal?.addEventListener('abort', onAbort, {once: true});
		if (options.timeoutMs && options.timeoutMs > 0) {
			timer = setTimeout(() => finish({outcome: 'timeout', message: 'timed out waiting for the condition'}), options.timeoutMs);
		}
		watch.start();
	});
}
