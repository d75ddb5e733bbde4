// The StatefulSet controller (pkg/controller/statefulset/stateful_set_control.go): ordinal pods
// created and replaced one at a time under OrderedReady, rolling updates from the highest ordinal
// down to the partition, ControllerRevisions for `rollout history|undo`, and the status fields
// `kubectl rollout status statefulset` reads.
import {ownedRevisions, revisionTemplate, syncRevisions, truncateHistory} from './controller-history.js';
import type {EventRecorder} from './events.js';
import {controllerRef, isPodReady, markPodDeleting} from './pod-util.js';
import {podAvailable} from './replicaset-controller.js';
import type {ObjectStore} from './store.js';
import {clone, type KubeObject} from './types.js';

export const REVISION_LABEL = 'controller-revision-hash';
const POD_NAME_LABEL = 'statefulset.kubernetes.io/pod-name';
const POD_INDEX_LABEL = 'apps.kubernetes.io/pod-index';

const isCreated = (pod: KubeObject | undefined): pod is KubeObject => Boolean(pod?.status?.phase);
const isTerminating = (pod: KubeObject) => Boolean(pod.metadata.deletionTimestamp);
const isRunningAndReady = (pod: KubeObject) => pod.status?.phase === 'Running' && isPodReady(pod);
const isHealthy = (pod: KubeObject) => isRunningAndReady(pod) && !isTerminating(pod);
const podRevision = (pod: KubeObject) => pod.metadata.labels?.[REVISION_LABEL] ?? '';

interface Status {
	observedGeneration: number;
	replicas: number;
	readyReplicas: number;
	currentReplicas: number;
	updatedReplicas: number;
	availableReplicas: number;
	currentRevision: string;
	updateRevision: string;
	collisionCount: number;
}

interface Sync {
	set: KubeObject;
	current: KubeObject;
	update: KubeObject;
	monotonic: boolean;
	now: number;
}

export class StatefulSetController {
	constructor(
		private readonly store: ObjectStore,
		private readonly events: EventRecorder,
	) {}

	reconcileAll(now = Date.now()): void {
		for (const set of this.store.list('statefulsets')) this.reconcile(set, now);
	}

	private startOrdinal(set: KubeObject): number {
		return set.spec?.ordinals?.start ?? 0;
	}

	/** getOrdinal: the number after the StatefulSet's name, or -1 for pods named otherwise. */
	private ordinalOf(set: KubeObject, pod: KubeObject): number {
		const m = /^(.*)-(\d+)$/.exec(pod.metadata.name);
		return m && m[1] === set.metadata.name ? Number(m[2]) : -1;
	}

	private reconcile(set: KubeObject, now: number): void {
		if (!set.spec?.template) return;
		const revisions = ownedRevisions(this.store, set);
		const {update, collisionCount} = syncRevisions(this.store, set, 'StatefulSet', revisions);
		const all = ownedRevisions(this.store, set);
		const current = all.find(cr => cr.metadata.name === set.status?.currentRevision) ?? update;
		const pods = this.store.list('pods', set.metadata.namespace).filter(p => controllerRef(p)?.uid === set.metadata.uid);
		const sync: Sync = {set, current, update, monotonic: set.spec.podManagementPolicy !== 'Parallel', now};
		const status: Status = {
			observedGeneration: set.metadata.generation ?? 1,
			replicas: 0, readyReplicas: 0, currentReplicas: 0, updatedReplicas: 0, availableReplicas: 0,
			currentRevision: current.metadata.name,
			updateRevision: update.metadata.name,
			collisionCount,
		};
		this.updateStatefulSet(sync, pods, status);
		// completeRollingUpdate
		if (set.spec.updateStrategy?.type === 'RollingUpdate' && status.updatedReplicas === status.replicas && status.readyReplicas === status.replicas) {
			status.currentReplicas = status.updatedReplicas;
			status.currentRevision = status.updateRevision;
		}
		this.writeStatus(set, status);
		const live = new Set([status.currentRevision, status.updateRevision, current.metadata.name, update.metadata.name]);
		for (const pod of this.store.list('pods', set.metadata.namespace)) {
			if (controllerRef(pod)?.uid === set.metadata.uid) live.add(podRevision(pod));
		}
		truncateHistory(this.store, ownedRevisions(this.store, set), live, set.spec.revisionHistoryLimit ?? 10);
	}

	/** updateStatefulSet: create missing ordinals, remove condemned ones, then roll one pod at a time. */
	private updateStatefulSet(sync: Sync, pods: KubeObject[], status: Status): void {
		const {set, update, monotonic} = sync;
		const count = set.spec.replicas ?? 1;
		const start = this.startOrdinal(set);
		const replicas: Array<KubeObject | undefined> = new Array(count).fill(undefined);
		const condemned: KubeObject[] = [];
		for (const pod of pods) {
			const ordinal = this.ordinalOf(set, pod);
			if (ordinal >= start && ordinal < start + count) replicas[ordinal - start] = pod;
			else if (ordinal >= 0) condemned.push(pod);
		}
		condemned.sort((a, b) => this.ordinalOf(set, b) - this.ordinalOf(set, a));
		const finish = () => this.countStatus(sync, status, [...replicas, ...condemned]);
		let firstUnhealthy: KubeObject | undefined = replicas.find(p => !p || !isHealthy(p));
		if (!firstUnhealthy) for (const pod of [...condemned].reverse()) if (!isHealthy(pod)) firstUnhealthy ??= pod;
		if (set.metadata.deletionTimestamp) return finish();

		for (let i = 0; i < replicas.length; i++) {
			if (this.processReplica(sync, replicas, i) && monotonic) return finish();
		}
		for (const pod of condemned) {
			if (this.processCondemned(sync, pod, firstUnhealthy) && monotonic) return finish();
		}
		finish();
		if (set.spec.updateStrategy?.type === 'OnDelete') return;
		const partition = set.spec.updateStrategy?.rollingUpdate ? (set.spec.updateStrategy.rollingUpdate.partition ?? 0) : 0;
		// The pod with the highest ordinal not at the update revision goes first; unhealthy pods block.
		for (let target = replicas.length - 1; target >= partition; target--) {
			const pod = replicas[target];
			if (!isCreated(pod)) return;
			if (podRevision(pod) !== update.metadata.name && !isTerminating(pod)) {
				this.deletePod(set, pod);
				status.currentReplicas--;
				return;
			}
			if (!isHealthy(pod)) return;
		}
	}

	/** processReplica: true when a monotonic (OrderedReady) sync must stop here. */
	private processReplica(sync: Sync, replicas: Array<KubeObject | undefined>, i: number): boolean {
		const pod = replicas[i];
		if (pod && (pod.status?.phase === 'Failed' || pod.status?.phase === 'Succeeded')) {
			if (!isTerminating(pod)) this.deletePod(sync.set, pod);
			return true;
		}
		if (!pod) {
			replicas[i] = this.createPod(sync, this.startOrdinal(sync.set) + i);
			return true;
		}
		if (isTerminating(pod)) return true;
		return !(isRunningAndReady(pod) && podAvailable(pod, sync.set.spec.minReadySeconds ?? 0, sync.now));
	}

	/** processCondemned: scale down from the highest ordinal, waiting for each pod to go. */
	private processCondemned(sync: Sync, pod: KubeObject, firstUnhealthy: KubeObject | undefined): boolean {
		if (isTerminating(pod)) return true;
		const available = isRunningAndReady(pod) && podAvailable(pod, sync.set.spec.minReadySeconds ?? 0, sync.now);
		if (!available && sync.monotonic && pod !== firstUnhealthy) return true;
		this.deletePod(sync.set, pod);
		return true;
	}

	/** newVersionedStatefulSetPod: ordinals below the partition stay at the current revision. */
	private createPod(sync: Sync, ordinal: number): KubeObject {
		const {set, current, update} = sync;
		const rolling = set.spec.updateStrategy?.rollingUpdate;
		const start = this.startOrdinal(set);
		const atCurrent =
			(set.spec.updateStrategy?.type === 'RollingUpdate' && !rolling && ordinal < start + (set.status?.currentReplicas ?? 0)) ||
			(rolling && ordinal < start + (rolling.partition ?? 0));
		const revision = atCurrent ? current : update;
		const template = revisionTemplate(revision);
		const name = `${set.metadata.name}-${ordinal}`;
		const claims: any[] = set.spec.volumeClaimTemplates ?? [];
		const volumes: any[] = [...(template.spec?.volumes ?? [])];
		for (const claim of claims) {
			const volume = {name: claim.metadata?.name, persistentVolumeClaim: {claimName: `${claim.metadata?.name}-${name}`}};
			const at = volumes.findIndex(v => v.name === volume.name);
			if (at >= 0) volumes[at] = volume;
			else volumes.push(volume);
		}
		const pod = this.store.create('pods', {
			apiVersion: 'v1',
			kind: 'Pod',
			metadata: {
				name,
				generateName: `${set.metadata.name}-`,
				namespace: set.metadata.namespace,
				labels: {
					...template.metadata?.labels,
					[REVISION_LABEL]: revision.metadata.name,
					[POD_NAME_LABEL]: name,
					[POD_INDEX_LABEL]: String(ordinal),
				},
				...(template.metadata?.annotations ? {annotations: clone(template.metadata.annotations)} : {}),
				ownerReferences: [
					{apiVersion: 'apps/v1', kind: 'StatefulSet', name: set.metadata.name, uid: set.metadata.uid!, controller: true, blockOwnerDeletion: true},
				],
			},
			spec: {
				...clone(template.spec ?? {}),
				...(volumes.length > 0 ? {volumes} : {}),
				hostname: name,
				...(set.spec.serviceName ? {subdomain: set.spec.serviceName} : {}),
				nodeName: undefined,
			},
			status: {phase: 'Pending', qosClass: 'BestEffort'},
		});
		this.recordPodEvent(set, 'create', name);
		return pod;
	}

	private deletePod(set: KubeObject, pod: KubeObject): void {
		markPodDeleting(this.store, pod);
		this.recordPodEvent(set, 'delete', pod.metadata.name);
	}

	/** recordPodEvent: "create Pod web-0 in StatefulSet web successful". */
	private recordPodEvent(set: KubeObject, verb: 'create' | 'delete', pod: string): void {
		const reason = verb === 'create' ? 'SuccessfulCreate' : 'SuccessfulDelete';
		this.events.record({involved: set, reason, message: `${verb} Pod ${pod} in StatefulSet ${set.metadata.name} successful`, component: 'statefulset-controller'});
	}

	/** updateStatus / computeReplicaStatus over the pods this sync knows of. */
	private countStatus(sync: Sync, status: Status, pods: Array<KubeObject | undefined>): void {
		status.replicas = status.readyReplicas = status.availableReplicas = status.currentReplicas = status.updatedReplicas = 0;
		for (const pod of pods) {
			if (!isCreated(pod)) continue;
			status.replicas++;
			if (isRunningAndReady(pod)) {
				status.readyReplicas++;
				if (podAvailable(pod, sync.set.spec.minReadySeconds ?? 0, sync.now)) status.availableReplicas++;
			}
			if (isTerminating(pod)) continue;
			if (podRevision(pod) === sync.current.metadata.name) status.currentReplicas++;
			if (podRevision(pod) === sync.update.metadata.name) status.updatedReplicas++;
		}
	}

	private writeStatus(set: KubeObject, status: Status): void {
		// Field order and omitempty as apps/v1 StatefulSetStatus serialises: zero counts are left out,
		// except replicas and availableReplicas.
		const next: Record<string, unknown> = {observedGeneration: status.observedGeneration, replicas: status.replicas};
		if (status.readyReplicas) next.readyReplicas = status.readyReplicas;
		if (status.currentReplicas) next.currentReplicas = status.currentReplicas;
		if (status.updatedReplicas) next.updatedReplicas = status.updatedReplicas;
		next.currentRevision = status.currentRevision;
		next.updateRevision = status.updateRevision;
		next.collisionCount = status.collisionCount;
		next.availableReplicas = status.availableReplicas;
		this.store.mutate('statefulsets', set.metadata.namespace, set.metadata.name, draft => {
			draft.status = {...next, ...(draft.status?.conditions ? {conditions: draft.status.conditions} : {})};
		});
	}
}
