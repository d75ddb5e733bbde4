// Runs the simulated control plane on one timer: kubelet, ReplicaSet, Deployment, StatefulSet and
// DaemonSet controllers, endpoints, garbage collection. One tick every 250 ms at speed 1, faster when sped up.
import {DaemonSetController} from './daemonset-controller.js';
import {DeploymentController} from './deployment-controller.js';
import type {EventRecorder} from './events.js';
import {KubeletSim} from './kubelet.js';
import {controllerRef, isPodReady, markPodDeleting} from './pod-util.js';
import {ReplicaSetController} from './replicaset-controller.js';
import {StatefulSetController} from './statefulset-controller.js';
import {type ScenarioName, TIMINGS} from './scenarios.js';
import {parseLabelSelector} from './selectors.js';
import type {ObjectStore} from './store.js';

export class ControllerManager {
	readonly kubelet: KubeletSim;
	private readonly replicaSets: ReplicaSetController;
	private readonly deployments: DeploymentController;
	private readonly statefulSets: StatefulSetController;
	private readonly daemonSets: DaemonSetController;
	private timer: NodeJS.Timeout | undefined;
	private ticks = 0;

	constructor(
		private readonly store: ObjectStore,
		private readonly events: EventRecorder,
		scenario: ScenarioName,
		private readonly speed: number,
	) {
		this.kubelet = new KubeletSim(store, events, scenario, speed);
		this.replicaSets = new ReplicaSetController(store, events);
		this.deployments = new DeploymentController(store, events, speed);
		this.statefulSets = new StatefulSetController(store, events);
		this.daemonSets = new DaemonSetController(store, events);
	}

	start(): void {
		const interval = Math.max(5, TIMINGS.tick / this.speed);
		this.timer = setInterval(() => this.tick(), interval);
		this.timer.unref();
	}

	stop(): void {
		clearInterval(this.timer);
		this.kubelet.stop();
	}

	tick(now = Date.now()): void {
		this.ticks++;
		this.kubelet.tick(now);
		this.replicaSets.reconcileAll(now);
		this.deployments.reconcileAll(now);
		this.statefulSets.reconcileAll(now);
		this.daemonSets.reconcileAll(now);
		this.syncEndpoints();
		if (this.ticks % 4 === 0) this.collectGarbage();
		if (this.ticks % 400 === 0) this.events.prune(now);
	}

	/** Background-propagation garbage collection: dependants of a deleted owner go too. */
	private collectGarbage(): void {
		const uids = new Set<string>();
		for (const resource of ['deployments', 'replicasets', 'statefulsets', 'daemonsets']) {
			for (const o of this.store.list(resource)) uids.add(o.metadata.uid!);
		}
		for (const resource of ['replicasets', 'controllerrevisions']) {
			for (const o of this.store.list(resource)) {
				const owner = controllerRef(o);
				if (owner && !uids.has(owner.uid)) this.store.remove(resource, o.metadata.namespace, o.metadata.name);
			}
		}
		const podOwners = new Set(['ReplicaSet', 'StatefulSet', 'DaemonSet']);
		for (const pod of this.store.list('pods')) {
			const owner = controllerRef(pod);
			if (owner && podOwners.has(owner.kind) && !uids.has(owner.uid)) markPodDeleting(this.store, pod);
		}
	}

	/** The endpoints controller's pass: also run once at start-up, so Services answer from the first request. */
	syncEndpoints(): void {
		for (const svc of this.store.list('services')) {
			const selector = svc.spec?.selector;
			if (!selector || Object.keys(selector).length === 0) continue;
			const matcher = parseLabelSelector(Object.entries(selector).map(([k, v]) => `${k}=${String(v)}`).join(','))!;
			const pods = this.store.list('pods', svc.metadata.namespace).filter(p => matcher(p) && p.status?.podIP && !p.metadata.deletionTimestamp);
			const address = (p: (typeof pods)[number]) => ({
				ip: p.status.podIP,
				nodeName: p.spec?.nodeName,
				targetRef: {kind: 'Pod', namespace: p.metadata.namespace, name: p.metadata.name, uid: p.metadata.uid},
			});
			const ready = pods.filter(isPodReady).map(address).sort((a, b) => a.ip.localeCompare(b.ip));
			const notReady = pods.filter(p => !isPodReady(p)).map(address).sort((a, b) => a.ip.localeCompare(b.ip));
			const ports = (svc.spec?.ports ?? []).map((p: any) => ({name: p.name, port: p.targetPort ?? p.port, protocol: p.protocol ?? 'TCP'}));
			const subsets = ready.length + notReady.length === 0 ? [] : [{
				...(ready.length ? {addresses: ready} : {}),
				...(notReady.length ? {notReadyAddresses: notReady} : {}),
				ports,
			}];
			const name = svc.metadata.name;
			const ns = svc.metadata.namespace;
			if (!this.store.get('endpoints', ns, name)) {
				// Endpoints come into being with their Service.
				const metadata = {name, namespace: ns, labels: svc.metadata.labels ?? {}, creationTimestamp: svc.metadata.creationTimestamp};
				this.store.create('endpoints', {apiVersion: 'v1', kind: 'Endpoints', metadata, subsets} as any);
			} else {
				this.store.mutate('endpoints', ns, name, ep => {
					(ep as any).subsets = subsets;
				});
			}
		}
	}
}
