// Load generator for benchmarks: N ready pods written straight into the store, then updated at a
// steady rate so watchers see a stream of MODIFIED events.
import {NODE_NAME} from './kubelet.js';
import {randomSuffix} from './pod-util.js';
import type {ObjectStore} from './store.js';
import {isoSeconds, type KubeObject} from './types.js';

export interface ChurnOptions {
	namespace?: string;
	pods: number;
	/** MODIFIED events per second across all churned pods; 0 creates the pods only. */
	ratePerSecond?: number;
}

export interface Churn {
	namespace: string;
	created: number;
	updates(): number;
	stop(): void;
}

function churnPod(namespace: string, i: number, now: number): KubeObject {
	const ts = isoSeconds(now);
	const ip = `10.${100 + Math.floor(i / 62500)}.${Math.floor(i / 250) % 250}.${(i % 250) + 2}`;
	return {
		apiVersion: 'v1',
		kind: 'Pod',
		metadata: {
			name: `churn-${String(i).padStart(5, '0')}-${randomSuffix()}`,
			namespace,
			labels: {app: 'churn', shard: String(i % 10)},
			annotations: {'sandbox.runbook/generation': '0'},
		},
		spec: {
			nodeName: NODE_NAME,
			containers: [{name: 'app', image: 'registry.local/churn:1.0', resources: {}, terminationMessagePath: '/dev/termination-log', imagePullPolicy: 'IfNotPresent'}],
			restartPolicy: 'Always',
			terminationGracePeriodSeconds: 30,
		},
		status: {
			phase: 'Running',
			conditions: ['Initialized', 'Ready', 'ContainersReady', 'PodScheduled'].map(type => ({type, status: 'True', lastTransitionTime: ts})),
			podIP: ip,
			podIPs: [{ip}],
			hostIP: '10.0.0.10',
			startTime: ts,
			containerStatuses: [{name: 'app', image: 'registry.local/churn:1.0', ready: true, started: true, restartCount: 0, state: {running: {startedAt: ts}}, lastState: {}}],
			qosClass: 'BestEffort',
		},
	};
}

export function startChurn(store: ObjectStore, options: ChurnOptions): Churn {
	const namespace = options.namespace ?? 'churn';
	const now = Date.now();
	if (!store.get('namespaces', undefined, namespace)) {
		store.create('namespaces', {apiVersion: 'v1', kind: 'Namespace', metadata: {name: namespace, labels: {'kubernetes.io/metadata.name': namespace}}, spec: {finalizers: ['kubernetes']}, status: {phase: 'Active'}});
	}
	const names: string[] = [];
	for (let i = 0; i < options.pods; i++) names.push(store.create('pods', churnPod(namespace, i, now)).metadata.name);
	let updates = 0;
	let timer: NodeJS.Timeout | undefined;
	const rate = options.ratePerSecond ?? 0;
	if (rate > 0 && names.length > 0) {
		const started = Date.now();
		// Catch up on elapsed time each tick so the rate holds even when timers run late.
		timer = setInterval(() => {
			const due = Math.floor(((Date.now() - started) / 1000) * rate);
			for (; updates < due; updates++) {
				const name = names[updates % names.length]!;
				store.mutate('pods', namespace, name, pod => {
					pod.metadata.annotations = {...pod.metadata.annotations, 'sandbox.runbook/generation': String(updates + 1)};
				});
			}
		}, 20);
		timer.unref();
	}
	return {
		namespace,
		created: names.length,
		updates: () => updates,
		stop: () => clearInterval(timer),
	};
}
