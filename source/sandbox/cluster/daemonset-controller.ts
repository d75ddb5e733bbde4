// The DaemonSet controller (pkg/controller/daemon) on the sandbox's single node: one pod per
// eligible node, rolling updates bounded by maxUnavailable/maxSurge, ControllerRevisions for
// `rollout history|undo daemonset`, and the status `kubectl rollout status daemonset` reads.
import {equalRevision, newRevision, ownedRevisions, revisionNumber, revisionTemplate, truncateHistory} from './controller-history.js';
import type {EventRecorder} from './events.js';
import {NODE_NAME} from './kubelet.js';
import {controllerRef, isPodReady, markPodDeleting, podTemplateHash, randomSuffix} from './pod-util.js';
import {podAvailable} from './replicaset-controller.js';
import type {ObjectStore} from './store.js';
import {clone, type KubeObject} from './types.js';

/** apps.DefaultDaemonSetUniqueLabelKey: on DaemonSet pods and revisions it holds the hash, not the name. */
const HASH_KEY = 'controller-revision-hash';
const GENERATION_KEY = 'pod-template-generation';

/** The tolerations AddOrUpdateDaemonPodTolerations gives every daemon pod. */
const DAEMON_TOLERATIONS = [
	{key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute'},
	{key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute'},
	{key: 'node.kubernetes.io/disk-pressure', operator: 'Exists', effect: 'NoSchedule'},
	{key: 'node.kubernetes.io/memory-pressure', operator: 'Exists', effect: 'NoSchedule'},
	{key: 'node.kubernetes.io/pid-pressure', operator: 'Exists', effect: 'NoSchedule'},
	{key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule'},
];

/** intstr.GetScaledValueFromIntOrPercent, rounding up as the DaemonSet controller does. */
function scaled(value: unknown, total: number): number {
	if (typeof value === 'number') return value;
	const m = /^(\d+)%$/.exec(String(value ?? ''));
	return m ? Math.ceil((Number(m[1]) * total) / 100) : Number(value) || 0;
}

export class DaemonSetController {
	constructor(
		private readonly store: ObjectStore,
		private readonly events: EventRecorder,
	) {}

	reconcileAll(now = Date.now()): void {
		for (const ds of this.store.list('daemonsets')) this.reconcile(ds, now);
	}

	/** The nodes this DaemonSet should run on: the kubelet's node, when the nodeSelector allows it. */
	private eligibleNodes(ds: KubeObject): KubeObject[] {
		const selector: Record<string, string> = ds.spec.template?.spec?.nodeSelector ?? {};
		return this.store
			.list('nodes')
			.filter(n => n.metadata.name === NODE_NAME && Object.entries(selector).every(([k, v]) => n.metadata.labels?.[k] === v));
	}

	/** constructHistory: the revision matching the template is current, renumbered to max(old)+1. */
	private constructHistory(ds: KubeObject): KubeObject {
		const revisions = ownedRevisions(this.store, ds);
		const wanted = newRevision(ds, 'DaemonSet', 0, 0);
		const matching = revisions.filter(cr => equalRevision(cr, wanted));
		const old = revisions.filter(cr => !matching.includes(cr));
		const next = Math.max(0, ...old.map(revisionNumber)) + 1;
		if (matching.length === 0) return this.snapshot(ds, wanted, next);
		// dedupCurHistories: keep the highest-numbered duplicate.
		const keep = matching.at(-1)!;
		for (const dup of matching.slice(0, -1)) this.store.remove('controllerrevisions', dup.metadata.namespace, dup.metadata.name);
		if (revisionNumber(keep) >= next) return keep;
		return this.store.mutate('controllerrevisions', keep.metadata.namespace, keep.metadata.name, cr => {
			(cr as any).revision = next;
		})!;
	}

	/** snapshot: named `<ds>-<ComputeHash(template, collisionCount)>`, labelled with that hash. */
	private snapshot(ds: KubeObject, wanted: KubeObject, revision: number): KubeObject {
		let collisions = ds.status?.collisionCount ?? 0;
		for (;;) {
			const hash = podTemplateHash({...ds.spec.template, collisionCount: collisions || undefined});
			const name = `${ds.metadata.name}-${hash}`;
			const existing = this.store.get('controllerrevisions', ds.metadata.namespace, name);
			if (existing && equalRevision(existing, wanted) && controllerRef(existing)?.uid === ds.metadata.uid) return existing;
			if (existing) {
				collisions++;
				this.store.mutate('daemonsets', ds.metadata.namespace, ds.metadata.name, d => {
					d.status = {...d.status, collisionCount: collisions};
				});
				continue;
			}
			const labels: Record<string, string> = {...ds.spec.template?.metadata?.labels, [HASH_KEY]: hash};
			return this.store.create('controllerrevisions', {
				...wanted,
				metadata: {...wanted.metadata, name, labels},
				revision,
			}, 'controllerrevisions.apps');
		}
	}

	private reconcile(ds: KubeObject, now: number): void {
		if (!ds.spec?.template || ds.metadata.deletionTimestamp) return;
		const cur = this.constructHistory(ds);
		const hash = cur.metadata.labels?.[HASH_KEY] ?? '';
		const pods = this.store.list('pods', ds.metadata.namespace).filter(p => controllerRef(p)?.uid === ds.metadata.uid);
		const nodes = this.eligibleNodes(ds);
		const minReady = ds.spec.minReadySeconds ?? 0;
		const available = (p: KubeObject) => isPodReady(p) && podAvailable(p, minReady, now);
		const live = (p: KubeObject) => !p.metadata.deletionTimestamp;

		// manage: failed pods go, nodes without a daemon pod get one, ineligible nodes lose theirs.
		for (const pod of pods.filter(live)) {
			const onNode = nodes.length > 0;
			if (pod.status?.phase === 'Failed' || !onNode) this.deletePod(ds, pod);
		}
		const active = () => this.store.list('pods', ds.metadata.namespace).filter(p => controllerRef(p)?.uid === ds.metadata.uid && live(p));
		if (nodes.length > 0 && active().length === 0) this.createPod(ds, cur, hash);

		// rollingUpdate on one node: surge creates the new pod first; otherwise the old one goes first.
		if (ds.spec.updateStrategy?.type === 'RollingUpdate' && nodes.length > 0) {
			const ru = ds.spec.updateStrategy.rollingUpdate ?? {};
			const surge = scaled(ru.maxSurge, nodes.length);
			const maxUnavailable = scaled(ru.maxUnavailable, nodes.length);
			const current = active();
			const fresh = current.filter(p => p.metadata.labels?.[HASH_KEY] === hash);
			const stale = current.filter(p => p.metadata.labels?.[HASH_KEY] !== hash);
			if (stale.length > 0) {
				if (surge > 0) {
					if (fresh.length === 0) this.createPod(ds, cur, hash);
					else if (fresh.some(available)) for (const pod of stale) this.deletePod(ds, pod);
				} else {
					const unavailable = current.some(available) ? 0 : 1;
					for (const pod of stale) if (!available(pod) || unavailable < maxUnavailable) this.deletePod(ds, pod);
				}
			}
		}

		const after = this.store.list('pods', ds.metadata.namespace).filter(p => controllerRef(p)?.uid === ds.metadata.uid);
		this.writeStatus(ds, nodes.length, after, hash, available);
		const used = new Set([cur.metadata.name]);
		const revisions = ownedRevisions(this.store, ds);
		for (const pod of after) {
			const named = revisions.find(cr => cr.metadata.labels?.[HASH_KEY] === pod.metadata.labels?.[HASH_KEY]);
			if (named) used.add(named.metadata.name);
		}
		truncateHistory(this.store, revisions, used, ds.spec.revisionHistoryLimit ?? 10);
	}

	private createPod(ds: KubeObject, revision: KubeObject, hash: string): void {
		const template = revisionTemplate(revision);
		let name = `${ds.metadata.name}-${randomSuffix()}`;
		while (this.store.get('pods', ds.metadata.namespace, name)) name = `${ds.metadata.name}-${randomSuffix()}`;
		const tolerations: any[] = [...(template.spec?.tolerations ?? [])];
		for (const t of DAEMON_TOLERATIONS) if (!tolerations.some(x => x.key === t.key && x.effect === t.effect)) tolerations.push(t);
		this.store.create('pods', {
			apiVersion: 'v1',
			kind: 'Pod',
			metadata: {
				name,
				generateName: `${ds.metadata.name}-`,
				namespace: ds.metadata.namespace,
				labels: {...template.metadata?.labels, [HASH_KEY]: hash, [GENERATION_KEY]: String(ds.metadata.generation ?? 1)},
				...(template.metadata?.annotations ? {annotations: clone(template.metadata.annotations)} : {}),
				ownerReferences: [
					{apiVersion: 'apps/v1', kind: 'DaemonSet', name: ds.metadata.name, uid: ds.metadata.uid!, controller: true, blockOwnerDeletion: true},
				],
			},
			spec: {
				...clone(template.spec ?? {}),
				affinity: {
					...template.spec?.affinity,
					nodeAffinity: {
						requiredDuringSchedulingIgnoredDuringExecution: {
							nodeSelectorTerms: [{matchFields: [{key: 'metadata.name', operator: 'In', values: [NODE_NAME]}]}],
						},
					},
				},
				tolerations,
				nodeName: undefined,
			},
			status: {phase: 'Pending', qosClass: 'BestEffort'},
		});
		this.events.record({involved: ds, reason: 'SuccessfulCreate', message: `Created pod: ${name}`, component: 'daemonset-controller'});
	}

	private deletePod(ds: KubeObject, pod: KubeObject): void {
		markPodDeleting(this.store, pod);
		this.events.record({involved: ds, reason: 'SuccessfulDelete', message: `Deleted pod: ${pod.metadata.name}`, component: 'daemonset-controller'});
	}

	/** updateDaemonSetStatus, with apps/v1 DaemonSetStatus's omitempty fields left out at zero. */
	private writeStatus(ds: KubeObject, desired: number, pods: KubeObject[], hash: string, available: (p: KubeObject) => boolean): void {
		const live = pods.filter(p => !p.metadata.deletionTimestamp);
		const scheduled = desired > 0 && pods.length > 0 ? 1 : 0;
		const ready = desired > 0 && live.some(isPodReady) ? 1 : 0;
		const updated = desired > 0 && live.some(p => p.metadata.labels?.[HASH_KEY] === hash) ? 1 : 0;
		const avail = desired > 0 && live.some(available) ? 1 : 0;
		const next: Record<string, unknown> = {
			currentNumberScheduled: scheduled,
			numberMisscheduled: 0,
			desiredNumberScheduled: desired,
			numberReady: ready,
			observedGeneration: ds.metadata.generation ?? 1,
		};
		if (updated) next.updatedNumberScheduled = updated;
		if (avail) next.numberAvailable = avail;
		if (desired - avail > 0) next.numberUnavailable = desired - avail;
		if (ds.status?.collisionCount) next.collisionCount = ds.status.collisionCount;
		this.store.mutate('daemonsets', ds.metadata.namespace, ds.metadata.name, draft => {
			draft.status = next;
		});
	}
}
