// A pretend scheduler + kubelet: moves pods through Pending → ContainerCreating → Running → Ready
// (or into the failure the scenario assigns to their image), and removes terminating pods.
import {randomBytes} from 'node:crypto';
import type {EventRecorder} from './events.js';
import {behaviourFor, type ImageBehaviour, type ScenarioName, TIMINGS} from './scenarios.js';
import type {ObjectStore} from './store.js';
import {isoSeconds, type KubeObject, type StoreEvent} from './types.js';

export const NODE_NAME = 'sandbox-node-1';

type Stage = 'unscheduled' | 'creating' | 'starting' | 'crashed' | 'backoff' | 'pull-backoff' | 'terminating';

/** What the kubelet is in the middle of, saved with the world (`nextAt` absolute, real time). */
export interface KubeletState {
	nextIp: number;
	tracked: Array<Omit<Tracked, 'behaviour'> & {uid: string}>;
}

interface Tracked {
	namespace: string;
	name: string;
	stage: Stage;
	nextAt: number;
	behaviour: ImageBehaviour;
}

function condition(type: string, status: boolean, reason?: string) {
	const now = isoSeconds(Date.now());
	return {type, status: status ? 'True' : 'False', lastProbeTime: null, lastTransitionTime: now, ...(reason ? {reason} : {})};
}

function setConditions(pod: KubeObject, ready: boolean): void {
	const keep = (pod.status.conditions ?? []) as any[];
	const prev = (t: string) => keep.find(c => c.type === t);
	const make = (t: string, value: boolean, reason?: string) => {
		const old = prev(t);
		return old && old.status === (value ? 'True' : 'False') ? old : condition(t, value, value ? undefined : reason);
	};
	pod.status.conditions = [
		make('PodReadyToStartContainers', true),
		make('Initialized', true),
		make('Ready', ready, 'ContainersNotReady'),
		make('ContainersReady', ready, 'ContainersNotReady'),
		make('PodScheduled', true),
	];
}

export class KubeletSim {
	private readonly tracked = new Map<string, Tracked>();
	private nextIp = 10;
	private readonly unsubscribe: () => void;

	constructor(
		private readonly store: ObjectStore,
		private readonly events: EventRecorder,
		private readonly scenario: ScenarioName,
		private readonly speed: number,
	) {
		this.unsubscribe = store.subscribe(e => this.observe(e));
	}

	stop(): void {
		this.unsubscribe();
	}

	saveState(): KubeletState {
		return {nextIp: this.nextIp, tracked: [...this.tracked].map(([uid, {behaviour: _b, ...t}]) => ({uid, ...t, nextAt: Number.isFinite(t.nextAt) ? t.nextAt : -1}))};
	}

	/**
	 * Picks up where a previous run stopped. Its clock is real time: what fell due while the sandbox was down happens
	 * at once (a crash-looping container restarts once, not once per missed back-off), later steps keep their times.
	 */
	restoreState(state: KubeletState): void {
		this.nextIp = state.nextIp;
		for (const {uid, ...t} of state.tracked) {
			const pod = this.store.get('pods', t.namespace, t.name);
			if (!pod || pod.metadata.uid !== uid) continue;
			this.tracked.set(uid, {...this.base(pod), stage: t.stage, nextAt: t.nextAt < 0 ? Infinity : t.nextAt});
		}
	}

	allocateIp(): string {
		const n = this.nextIp++;
		return `10.244.${Math.floor(n / 250) % 250}.${(n % 250) + 2}`;
	}

	private ms(duration: number): number {
		return duration / this.speed;
	}

	private observe(event: StoreEvent): void {
		if (event.resource !== 'pods') return;
		const pod = event.object;
		const uid = pod.metadata.uid!;
		if (event.type === 'DELETED') {
			this.tracked.delete(uid);
			return;
		}
		const existing = this.tracked.get(uid);
		if (pod.metadata.deletionTimestamp) {
			if (existing?.stage === 'terminating') {
				// A finalizer was holding the pod; once it is gone the pod may finish terminating.
				if (existing.nextAt === Infinity && !pod.metadata.finalizers?.length) existing.nextAt = Date.now();
				return;
			}
			const grace = (pod.metadata.deletionGracePeriodSeconds ?? 30) * 1000;
			this.tracked.set(uid, {...this.base(pod), stage: 'terminating', nextAt: Date.now() + Math.min(this.ms(grace), this.ms(TIMINGS.terminate))});
			const container = pod.spec?.containers?.[0]?.name;
			if (container && pod.status?.phase === 'Running') {
				this.events.record({involved: pod, reason: 'Killing', message: `Stopping container ${container}`, component: 'kubelet', host: NODE_NAME, fieldPath: `spec.containers{${container}}`});
			}
			return;
		}
		// Only unscheduled pods are adopted: pods written with a node already (seeded, churned,
		// hand-made test fixtures) keep exactly the status they were given.
		if (!existing && event.type === 'ADDED' && !pod.spec?.nodeName) {
			this.tracked.set(uid, {...this.base(pod), stage: 'unscheduled', nextAt: Date.now() + this.ms(TIMINGS.schedule)});
		}
	}

	private base(pod: KubeObject): Omit<Tracked, 'stage' | 'nextAt'> {
		const image = pod.spec?.containers?.[0]?.image ?? '';
		return {namespace: pod.metadata.namespace ?? 'default', name: pod.metadata.name, behaviour: behaviourFor(this.scenario, image)};
	}

	tick(now = Date.now()): void {
		for (const t of this.tracked.values()) {
			if (t.nextAt > now) continue;
			const pod = this.store.get('pods', t.namespace, t.name);
			if (!pod) continue;
			this.step(t, pod, now);
		}
	}

	private update(t: Tracked, fn: (pod: KubeObject) => void): void {
		this.store.mutate('pods', t.namespace, t.name, fn);
	}

	private record(pod: KubeObject, reason: string, message: string, warning = false): void {
		const container = pod.spec?.containers?.[0]?.name ?? 'app';
		this.events.record({
			involved: pod, reason, message, type: warning ? 'Warning' : 'Normal',
			component: 'kubelet', host: NODE_NAME, fieldPath: `spec.containers{${container}}`,
		});
	}

	private step(t: Tracked, pod: KubeObject, now: number): void {
		switch (t.stage) {
			case 'terminating': {
				if (pod.metadata.finalizers?.length) {
					t.nextAt = Infinity;
					return;
				}
				this.store.remove('pods', t.namespace, t.name);
				this.tracked.delete(pod.metadata.uid!);
				return;
			}
			case 'unscheduled':
				return this.schedule(t, pod, now);
			case 'creating':
			case 'pull-backoff':
				return this.startContainers(t, pod, now);
			case 'starting':
				return this.afterStart(t, pod, now);
			case 'crashed':
			case 'backoff':
				return this.afterCrash(t, pod, now);
		}
	}

	/** Onto the node: Pending, its containers being created. */
	private schedule(t: Tracked, pod: KubeObject, now: number): void {
		const containers: any[] = pod.spec?.containers ?? [];
		const ts = isoSeconds(now);
		this.update(t, p => {
			p.spec.nodeName = NODE_NAME;
			p.status = {
				phase: 'Pending',
				conditions: [
					condition('PodReadyToStartContainers', false),
					condition('Initialized', true),
					condition('Ready', false, 'ContainersNotReady'),
					condition('ContainersReady', false, 'ContainersNotReady'),
					condition('PodScheduled', true),
				],
				hostIP: '10.0.0.10',
				hostIPs: [{ip: '10.0.0.10'}],
				startTime: ts,
				containerStatuses: containers.map(c => ({
					name: c.name, image: c.image, imageID: '', ready: false, restartCount: 0, started: false,
					state: {waiting: {reason: 'ContainerCreating'}}, lastState: {},
				})),
				qosClass: 'BestEffort',
			};
		});
		this.events.record({
			involved: pod, reason: 'Scheduled', component: 'default-scheduler',
			message: `Successfully assigned ${t.namespace}/${t.name} to ${NODE_NAME}`,
		});
		t.stage = 'creating';
		t.nextAt = now + this.ms(TIMINGS.containerCreating);
	}

	/** The images pulled (or not: image-pull-backoff) and the containers running, not yet ready. */
	private startContainers(t: Tracked, pod: KubeObject, now: number): void {
		const containers: any[] = pod.spec?.containers ?? [];
		const ts = isoSeconds(now);
		if (t.behaviour === 'image-pull-backoff') return this.pullFailure(t, pod, now);
		const ip = pod.status?.podIP ?? this.allocateIp();
		for (const c of containers) {
			this.record(pod, 'Pulled', `Container image "${c.image}" already present on machine`);
			this.record(pod, 'Created', `Created container: ${c.name}`);
			this.record(pod, 'Started', `Started container ${c.name}`);
		}
		this.update(t, p => {
			p.status.phase = 'Running';
			p.status.podIP = ip;
			p.status.podIPs = [{ip}];
			p.status.containerStatuses = containers.map(c => ({
				name: c.name, image: c.image, imageID: `${c.image.split(':')[0]}@sha256:${randomBytes(32).toString('hex')}`,
				containerID: `containerd://${randomBytes(32).toString('hex')}`,
				ready: false, restartCount: 0, started: true,
				state: {running: {startedAt: ts}}, lastState: {},
			}));
			setConditions(p, false);
		});
		t.stage = 'starting';
		t.nextAt = now + this.ms(t.behaviour === 'crash-loop' ? TIMINGS.crashAfter : TIMINGS.readiness);
	}

	private afterStart(t: Tracked, pod: KubeObject, now: number): void {
		const ts = isoSeconds(now);
		if (t.behaviour === 'healthy') {
			this.update(t, p => {
				for (const cs of p.status.containerStatuses ?? []) cs.ready = true;
				setConditions(p, true);
			});
			this.tracked.delete(pod.metadata.uid!);
		} else if (t.behaviour === 'never-ready') {
			this.record(pod, 'Unhealthy', 'Readiness probe failed: HTTP probe failed with statuscode: 503', true);
			t.nextAt = now + this.ms(10_000);
		} else {
			// crash-loop: the process exits; the kubelet shows Error, then restarts or backs off.
			this.update(t, p => {
				for (const cs of p.status.containerStatuses ?? []) {
					const startedAt = cs.state?.running?.startedAt ?? ts;
					cs.state = {terminated: {exitCode: 1, reason: 'Error', startedAt, finishedAt: ts, containerID: cs.containerID}};
					cs.ready = false;
					cs.started = false;
				}
				setConditions(p, false);
			});
			t.stage = 'crashed';
			t.nextAt = now + this.ms(300);
		}
	}

	private afterCrash(t: Tracked, pod: KubeObject, now: number): void {
		const ts = isoSeconds(now);
		const statuses: any[] = pod.status?.containerStatuses ?? [];
		const restarts = statuses[0]?.restartCount ?? 0;
		if (t.stage === 'crashed' && restarts > 0) {
			const backoff = Math.min(TIMINGS.backoffBase * 2 ** (restarts - 1), TIMINGS.backoffMax);
			this.update(t, p => {
				for (const cs of p.status.containerStatuses ?? []) {
					if (cs.state?.terminated) cs.lastState = {terminated: cs.state.terminated};
					cs.state = {waiting: {reason: 'CrashLoopBackOff', message: `back-off ${backoff / 1000}s restarting failed container=${cs.name} pod=${t.name}_${t.namespace}(${pod.metadata.uid})`}};
				}
			});
			for (const c of pod.spec?.containers ?? []) {
				this.record(pod, 'BackOff', `Back-off restarting failed container ${c.name} in pod ${t.name}_${t.namespace}(${pod.metadata.uid})`, true);
			}
			t.stage = 'backoff';
			t.nextAt = now + this.ms(backoff);
			return;
		}
		// Restart the container: the last exit moves to lastState and restartCount rises.
		for (const c of pod.spec?.containers ?? []) {
			this.record(pod, 'Pulled', `Container image "${c.image}" already present on machine`);
			this.record(pod, 'Created', `Created container: ${c.name}`);
			this.record(pod, 'Started', `Started container ${c.name}`);
		}
		this.update(t, p => {
			for (const cs of p.status.containerStatuses ?? []) {
				if (cs.state?.terminated) cs.lastState = {terminated: cs.state.terminated};
				cs.restartCount = (cs.restartCount ?? 0) + 1;
				cs.containerID = `containerd://${randomBytes(32).toString('hex')}`;
				cs.state = {running: {startedAt: ts}};
				cs.started = true;
			}
		});
		t.stage = 'starting';
		t.nextAt = now + this.ms(TIMINGS.crashAfter);
	}

	private pullFailure(t: Tracked, pod: KubeObject, now: number): void {
		const image = pod.spec?.containers?.[0]?.image ?? '';
		const first = t.stage === 'creating';
		if (first) {
			this.record(pod, 'Pulling', `Pulling image "${image}"`);
			this.record(pod, 'Failed', `Failed to pull image "${image}": rpc error: code = NotFound desc = failed to pull and unpack image "${image}": not found`, true);
			this.record(pod, 'Failed', 'Error: ErrImagePull', true);
		} else {
			this.record(pod, 'BackOff', `Back-off pulling image "${image}"`);
			this.record(pod, 'Failed', 'Error: ImagePullBackOff', true);
		}
		const reason = first ? 'ErrImagePull' : 'ImagePullBackOff';
		const message = first ? `rpc error: code = NotFound desc = failed to pull and unpack image "${image}": not found` : `Back-off pulling image "${image}"`;
		this.update(t, p => {
			for (const cs of p.status.containerStatuses ?? []) cs.state = {waiting: {reason, message}};
			setConditions(p, false);
			p.status.phase = 'Pending';
		});
		t.stage = 'pull-backoff';
		t.nextAt = now + this.ms(TIMINGS.pullBackoffBase);
	}
}
