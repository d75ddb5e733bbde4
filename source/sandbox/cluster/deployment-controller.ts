// The Deployment controller (pkg/controller/deployment): finds or creates the new ReplicaSet,
// rolls by maxSurge/maxUnavailable, and keeps status and the Progressing/Available conditions.
import type {EventRecorder} from './events.js';
import {controllerRef, podTemplateHash, templateWithoutHash} from './pod-util.js';
import type {ObjectStore} from './store.js';
import {clone, isoSeconds, type KubeObject} from './types.js';

export const REVISION = 'deployment.kubernetes.io/revision';
const REVISION_HISTORY = 'deployment.kubernetes.io/revision-history';
const CHANGE_CAUSE = 'kubernetes.io/change-cause';

function resolvePercent(value: unknown, total: number, roundUp: boolean, fallback: string): number {
	const v = value ?? fallback;
	if (typeof v === 'number') return v;
	const m = /^(\d+)%$/.exec(String(v));
	if (!m) return Number(v) || 0;
	const raw = (Number(m[1]) * total) / 100;
	return roundUp ? Math.ceil(raw) : Math.floor(raw);
}

/** deploymentutil.ResolveFenceposts: both zero would deadlock, so maxUnavailable becomes 1. */
function fenceposts(d: KubeObject): {surge: number; unavailable: number} {
	const replicas = d.spec?.replicas ?? 1;
	const ru = d.spec?.strategy?.rollingUpdate ?? {};
	const surge = resolvePercent(ru.maxSurge, replicas, true, '25%');
	let unavailable = resolvePercent(ru.maxUnavailable, replicas, false, '25%');
	if (surge === 0 && unavailable === 0) unavailable = 1;
	return {surge, unavailable: Math.min(unavailable, replicas)};
}

const revisionOf = (rs: KubeObject) => Number(rs.metadata.annotations?.[REVISION] ?? 0);
const specReplicas = (rs: KubeObject) => rs.spec?.replicas ?? 0;
const sum = (list: KubeObject[], f: (rs: KubeObject) => number) => list.reduce((n, rs) => n + f(rs), 0);
const byAge = (a: KubeObject, b: KubeObject) =>
	(a.metadata.creationTimestamp ?? '').localeCompare(b.metadata.creationTimestamp ?? '') || a.metadata.name.localeCompare(b.metadata.name);

interface Condition {
	type: string;
	status: string;
	reason: string;
	message: string;
	lastUpdateTime: string;
	lastTransitionTime: string;
}

/** deploymentutil.SetDeploymentCondition: same status and reason is a no-op. */
function setCondition(status: any, cond: Omit<Condition, 'lastUpdateTime' | 'lastTransitionTime'>, now: string, forceUpdate = false): void {
	const conditions: Condition[] = status.conditions ?? [];
	const current = conditions.find(c => c.type === cond.type);
	if (current && current.status === cond.status && current.reason === cond.reason && !forceUpdate) return;
	const next: Condition = {
		...cond,
		lastUpdateTime: now,
		lastTransitionTime: current && current.status === cond.status ? current.lastTransitionTime : now,
	};
	status.conditions = [...conditions.filter(c => c.type !== cond.type), next].sort((a, b) =>
		a.type === 'Available' ? -1 : b.type === 'Available' ? 1 : 0,
	);
}

export class DeploymentController {
	constructor(
		private readonly store: ObjectStore,
		private readonly events: EventRecorder,
		private readonly speed: number,
	) {}

	reconcileAll(now = Date.now()): void {
		for (const d of this.store.list('deployments')) this.reconcile(d, now);
	}

	private ownedReplicaSets(d: KubeObject): KubeObject[] {
		return this.store.list('replicasets', d.metadata.namespace).filter(rs => controllerRef(rs)?.uid === d.metadata.uid);
	}

	private scale(d: KubeObject, rs: KubeObject, replicas: number): void {
		const from = specReplicas(rs);
		if (from === replicas) return;
		const {surge} = fenceposts(d);
		this.store.mutate('replicasets', rs.metadata.namespace, rs.metadata.name, draft => {
			draft.spec.replicas = replicas;
			draft.metadata.annotations = {
				...draft.metadata.annotations,
				'deployment.kubernetes.io/desired-replicas': String(d.spec?.replicas ?? 1),
				'deployment.kubernetes.io/max-replicas': String((d.spec?.replicas ?? 1) + surge),
			};
		});
		const verb = replicas > from ? 'up' : 'down';
		this.events.record({
			involved: d, reason: 'ScalingReplicaSet', component: 'deployment-controller',
			message: `Scaled ${verb} replica set ${rs.metadata.name} from ${from} to ${replicas}`,
		});
	}

	/** getNewReplicaSet: reuse the RS whose template matches (raising its revision), or create one. */
	private newReplicaSet(d: KubeObject, all: KubeObject[], status: any, now: string): KubeObject {
		const wanted = JSON.stringify(templateWithoutHash(d.spec.template));
		const maxRevision = Math.max(0, ...all.map(revisionOf));
		const existing = all.filter(rs => JSON.stringify(templateWithoutHash(rs.spec?.template)) === wanted).sort(byAge)[0];
		const cause = d.metadata.annotations?.[CHANGE_CAUSE];
		if (existing) {
			const old = revisionOf(existing);
			if (old < maxRevision || (cause && existing.metadata.annotations?.[CHANGE_CAUSE] !== cause)) {
				const revision = old < maxRevision ? maxRevision + 1 : old;
				const updated = this.store.mutate('replicasets', existing.metadata.namespace, existing.metadata.name, rs => {
					const annotations: Record<string, string> = {...rs.metadata.annotations, [REVISION]: String(revision)};
					if (old < maxRevision) {
						const history = annotations[REVISION_HISTORY];
						annotations[REVISION_HISTORY] = history ? `${history},${old}` : String(old);
					}
					if (cause) annotations[CHANGE_CAUSE] = cause;
					rs.metadata.annotations = annotations;
				})!;
				setCondition(status, {type: 'Progressing', status: 'True', reason: 'FoundNewReplicaSet', message: `Found new replica set "${existing.metadata.name}"`}, now);
				return updated;
			}
			return existing;
		}
		const hash = podTemplateHash(d.spec.template);
		const template = clone(d.spec.template);
		template.metadata = {...template.metadata, labels: {...template.metadata?.labels, 'pod-template-hash': hash}};
		const {surge} = fenceposts(d);
		const rs = this.store.create('replicasets', {
			apiVersion: 'apps/v1',
			kind: 'ReplicaSet',
			metadata: {
				name: `${d.metadata.name}-${hash}`,
				namespace: d.metadata.namespace,
				generation: 1,
				labels: template.metadata.labels,
				annotations: {
					'deployment.kubernetes.io/desired-replicas': String(d.spec.replicas ?? 1),
					'deployment.kubernetes.io/max-replicas': String((d.spec.replicas ?? 1) + surge),
					[REVISION]: String(maxRevision + 1),
					...(cause ? {[CHANGE_CAUSE]: cause} : {}),
				},
				ownerReferences: [
					{apiVersion: 'apps/v1', kind: 'Deployment', name: d.metadata.name, uid: d.metadata.uid!, controller: true, blockOwnerDeletion: true},
				],
			},
			spec: {
				replicas: 0,
				minReadySeconds: d.spec.minReadySeconds ?? 0,
				selector: {matchLabels: {...d.spec.selector?.matchLabels, 'pod-template-hash': hash}},
				template,
			},
			status: {replicas: 0},
		});
		setCondition(status, {type: 'Progressing', status: 'True', reason: 'NewReplicaSetCreated', message: `Created new replica set "${rs.metadata.name}"`}, now);
		return rs;
	}

	private reconcile(d: KubeObject, nowMs: number): void {
		if (d.metadata.deletionTimestamp || !d.spec?.template) return;
		const now = isoSeconds(nowMs);
		const replicas = d.spec.replicas ?? 1;
		const status = clone(d.status ?? {});
		let all = this.ownedReplicaSets(d);
		let newRS: KubeObject | undefined;
		if (d.spec.paused) {
			const wanted = JSON.stringify(templateWithoutHash(d.spec.template));
			newRS = all.find(rs => JSON.stringify(templateWithoutHash(rs.spec?.template)) === wanted);
		} else {
			newRS = this.newReplicaSet(d, all, status, now);
			all = this.ownedReplicaSets(d);
			newRS = all.find(rs => rs.metadata.uid === newRS!.metadata.uid)!;
			const old = all.filter(rs => rs !== newRS && rs.metadata.uid !== newRS!.metadata.uid);
			if (d.spec.strategy?.type === 'Recreate') this.recreate(d, newRS, old);
			else this.rollRolling(d, newRS, old);
			this.cleanup(d, old);
		}
		all = this.ownedReplicaSets(d);
		newRS = newRS ? all.find(rs => rs.metadata.uid === newRS!.metadata.uid) : undefined;
		this.syncStatus(d, all, newRS, status, nowMs, replicas);
	}

	private rollRolling(d: KubeObject, newRS: KubeObject, old: KubeObject[]): void {
		const replicas = d.spec.replicas ?? 1;
		const {surge, unavailable} = fenceposts(d);
		// Local replica counts: store objects are shared snapshots and must not be edited in place.
		const want = new Map<KubeObject, number>([newRS, ...old].map(rs => [rs, specReplicas(rs)]));
		const total = () => [...want.values()].reduce((a, b) => a + b, 0);
		const set = (rs: KubeObject, n: number) => {
			this.scale(d, rs, n);
			want.set(rs, n);
		};
		// reconcileNewReplicaSet
		const newCount = want.get(newRS)!;
		if (newCount > replicas) return set(newRS, replicas);
		if (newCount < replicas) {
			const room = replicas + surge - total();
			if (room > 0) return set(newRS, newCount + Math.min(room, replicas - newCount));
		}
		// reconcileOldReplicaSets: first drop unhealthy old pods, then scale down what the availability budget allows.
		const oldActive = old.filter(rs => specReplicas(rs) > 0).sort(byAge);
		if (oldActive.length === 0) return;
		const minAvailable = replicas - unavailable;
		const newUnavailable = newCount - (newRS.status?.availableReplicas ?? 0);
		const maxScaledDown = total() - minAvailable - newUnavailable;
		if (maxScaledDown <= 0) return;
		let cleaned = 0;
		for (const rs of oldActive) {
			if (cleaned >= maxScaledDown) break;
			const unhealthy = want.get(rs)! - (rs.status?.availableReplicas ?? 0);
			if (unhealthy <= 0) continue;
			const down = Math.min(maxScaledDown - cleaned, unhealthy);
			set(rs, want.get(rs)! - down);
			cleaned += down;
		}
		const available = [newRS, ...old].reduce((n, rs) => n + (rs.status?.availableReplicas ?? 0), 0);
		const budget = available - minAvailable;
		let scaled = 0;
		for (const rs of oldActive) {
			if (scaled >= budget) break;
			if (want.get(rs) === 0) continue;
			const down = Math.min(want.get(rs)!, budget - scaled);
			set(rs, want.get(rs)! - down);
			scaled += down;
		}
	}

	private recreate(d: KubeObject, newRS: KubeObject, old: KubeObject[]): void {
		for (const rs of old) this.scale(d, rs, 0);
		if (old.some(rs => (rs.status?.replicas ?? 0) > 0)) return;
		this.scale(d, newRS, d.spec.replicas ?? 1);
	}

	/** Keeps revisionHistoryLimit old, empty ReplicaSets; deletes older ones. */
	private cleanup(d: KubeObject, old: KubeObject[]): void {
		const limit = d.spec.revisionHistoryLimit ?? 10;
		const empty = old.filter(rs => specReplicas(rs) === 0 && (rs.status?.replicas ?? 0) === 0).sort((a, b) => revisionOf(a) - revisionOf(b));
		for (const rs of empty.slice(0, Math.max(0, empty.length - limit))) {
			this.store.remove('replicasets', rs.metadata.namespace, rs.metadata.name);
		}
	}

	private syncStatus(d: KubeObject, all: KubeObject[], newRS: KubeObject | undefined, status: any, nowMs: number, replicas: number): void {
		const now = isoSeconds(nowMs);
		const previous = d.status ?? {};
		const available = sum(all, rs => rs.status?.availableReplicas ?? 0);
		const next = {
			...status,
			observedGeneration: d.metadata.generation ?? 1,
			replicas: sum(all, rs => rs.status?.replicas ?? 0),
			updatedReplicas: newRS?.status?.replicas ?? 0,
			readyReplicas: sum(all, rs => rs.status?.readyReplicas ?? 0),
			availableReplicas: available,
			unavailableReplicas: Math.max(0, sum(all, specReplicas) - available),
		};
		const {unavailable} = fenceposts(d);
		if (available >= replicas - unavailable) {
			setCondition(next, {type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable', message: 'Deployment has minimum availability.'}, now);
		} else {
			setCondition(next, {type: 'Available', status: 'False', reason: 'MinimumReplicasUnavailable', message: 'Deployment does not have minimum availability.'}, now);
		}
		const deadline = d.spec.progressDeadlineSeconds;
		const progressing = (next.conditions ?? []).find((c: Condition) => c.type === 'Progressing') as Condition | undefined;
		const completeAlready = next.replicas === next.updatedReplicas && progressing?.reason === 'NewReplicaSetAvailable';
		const rsName = newRS ? `ReplicaSet "${newRS.metadata.name}"` : `Deployment "${d.metadata.name}"`;
		if (deadline !== undefined && !completeAlready && !d.spec.paused) {
			const complete =
				next.updatedReplicas === replicas && next.replicas === replicas && next.availableReplicas === replicas &&
				next.observedGeneration >= (d.metadata.generation ?? 1);
			const oldBefore = (previous.replicas ?? 0) - (previous.updatedReplicas ?? 0);
			const oldNow = next.replicas - next.updatedReplicas;
			const progress =
				next.updatedReplicas > (previous.updatedReplicas ?? 0) || oldNow < oldBefore ||
				next.readyReplicas > (previous.readyReplicas ?? 0) || next.availableReplicas > (previous.availableReplicas ?? 0);
			if (complete) {
				setCondition(next, {type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable', message: `${rsName} has successfully progressed.`}, now);
			} else if (progress) {
				setCondition(next, {type: 'Progressing', status: 'True', reason: 'ReplicaSetUpdated', message: `${rsName} is progressing.`}, now, true);
			} else if (progressing && progressing.reason !== 'ProgressDeadlineExceeded') {
				// The deadline is scaled by speed so tests can watch a rollout time out in seconds.
				if (nowMs - Date.parse(progressing.lastUpdateTime) > (deadline * 1000) / this.speed) {
					setCondition(next, {type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded', message: `${rsName} has timed out progressing.`}, now);
				}
			}
		}
		const revision = newRS ? String(revisionOf(newRS)) : undefined;
		// The API omits zero counts (omitempty), and clients treat absent as zero.
		for (const key of ['replicas', 'updatedReplicas', 'readyReplicas', 'availableReplicas', 'unavailableReplicas']) {
			if (next[key] === 0) delete next[key];
		}
		this.store.mutate('deployments', d.metadata.namespace, d.metadata.name, draft => {
			draft.status = next;
			if (revision && draft.metadata.annotations?.[REVISION] !== revision) {
				draft.metadata.annotations = {...draft.metadata.annotations, [REVISION]: revision};
			}
		});
	}
}
