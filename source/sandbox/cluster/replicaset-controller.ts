// The ReplicaSet controller: keeps spec.replicas pods alive and reports how many are ready.
import type {EventRecorder} from './events.js';
import {controllerRef, isPodActive, isPodReady, markPodDeleting, randomSuffix} from './pod-util.js';
import type {ObjectStore} from './store.js';
import {clone, type KubeObject} from './types.js';

/** Pods to delete first when scaling down, mirroring controller.ActivePods ordering. */
function deletionRank(pod: KubeObject): number[] {
	const scheduled = pod.spec?.nodeName ? 1 : 0;
	const phase = pod.status?.phase === 'Running' ? 2 : pod.status?.phase === 'Pending' ? 1 : 0;
	const ready = isPodReady(pod) ? 1 : 0;
	const created = -Date.parse(pod.metadata.creationTimestamp ?? '0');
	return [scheduled, phase, ready, created];
}

function compareRank(a: number[], b: number[]): number {
	for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
	return 0;
}

export function podAvailable(pod: KubeObject, minReadySeconds: number, now: number): boolean {
	if (!isPodReady(pod)) return false;
	if (minReadySeconds <= 0) return true;
	const ready = (pod.status?.conditions ?? []).find((c: any) => c.type === 'Ready');
	return now - Date.parse(ready?.lastTransitionTime ?? '0') >= minReadySeconds * 1000;
}

export function ownedPods(store: ObjectStore, rs: KubeObject): KubeObject[] {
	return store.list('pods', rs.metadata.namespace).filter(p => controllerRef(p)?.uid === rs.metadata.uid);
}

export class ReplicaSetController {
	constructor(
		private readonly store: ObjectStore,
		private readonly events: EventRecorder,
	) {}

	reconcileAll(now = Date.now()): void {
		for (const rs of this.store.list('replicasets')) this.reconcile(rs, now);
	}

	private reconcile(rs: KubeObject, now: number): void {
		if (rs.metadata.deletionTimestamp) return;
		const pods = ownedPods(this.store, rs);
		const active = pods.filter(isPodActive);
		const desired = rs.spec?.replicas ?? 1;
		if (active.length < desired) {
			// Real controllers create in slow-start batches; a cap per tick keeps big scale-ups smooth.
			for (let i = 0; i < Math.min(desired - active.length, 500); i++) this.createPod(rs);
		} else if (active.length > desired) {
			const victims = [...active].sort((a, b) => compareRank(deletionRank(a), deletionRank(b))).slice(0, active.length - desired);
			for (const pod of victims) {
				markPodDeleting(this.store, pod);
				this.events.record({involved: rs, reason: 'SuccessfulDelete', message: `Deleted pod: ${pod.metadata.name}`, component: 'replicaset-controller'});
			}
		}
		const current = ownedPods(this.store, rs).filter(isPodActive);
		const minReady = rs.spec?.minReadySeconds ?? 0;
		const status = {
			replicas: current.length,
			fullyLabeledReplicas: current.length,
			readyReplicas: current.filter(isPodReady).length,
			availableReplicas: current.filter(p => podAvailable(p, minReady, now)).length,
			observedGeneration: rs.metadata.generation ?? 1,
		};
		this.store.mutate('replicasets', rs.metadata.namespace, rs.metadata.name, draft => {
			const {readyReplicas, availableReplicas, ...rest} = status;
			// The real status omits zero counts.
			draft.status = {...rest, ...(readyReplicas ? {readyReplicas} : {}), ...(availableReplicas ? {availableReplicas} : {})};
			if (!status.replicas) delete draft.status.fullyLabeledReplicas;
		});
	}

	private createPod(rs: KubeObject): void {
		const template = clone(rs.spec?.template ?? {});
		let name = `${rs.metadata.name}-${randomSuffix()}`;
		while (this.store.get('pods', rs.metadata.namespace, name)) name = `${rs.metadata.name}-${randomSuffix()}`;
		const pod = this.store.create('pods', {
			apiVersion: 'v1',
			kind: 'Pod',
			metadata: {
				name,
				generateName: `${rs.metadata.name}-`,
				namespace: rs.metadata.namespace,
				labels: template.metadata?.labels ?? {},
				...(template.metadata?.annotations ? {annotations: template.metadata.annotations} : {}),
				ownerReferences: [
					{apiVersion: 'apps/v1', kind: 'ReplicaSet', name: rs.metadata.name, uid: rs.metadata.uid!, controller: true, blockOwnerDeletion: true},
				],
			},
			spec: {...template.spec, nodeName: undefined},
			status: {phase: 'Pending', qosClass: 'BestEffort'},
		});
		this.events.record({involved: rs, reason: 'SuccessfulCreate', message: `Created pod: ${pod.metadata.name}`, component: 'replicaset-controller'});
	}
}
