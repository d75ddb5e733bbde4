// metrics.k8s.io/v1beta1, so the guide's `kubectl top pods` / `kubectl top nodes` print numbers.
// Usage is synthetic but stable per pod, drifting slowly with time like a real workload's.
import {isPodActive} from './pod-util.js';
import {parseLabelSelector} from './selectors.js';
import type {ObjectStore} from './store.js';
import {ApiError, isoSeconds, type KubeObject} from './types.js';

export const METRICS_GROUP = {
	name: 'metrics.k8s.io',
	versions: [{groupVersion: 'metrics.k8s.io/v1beta1', version: 'v1beta1'}],
	preferredVersion: {groupVersion: 'metrics.k8s.io/v1beta1', version: 'v1beta1'},
};

export const METRICS_RESOURCES = {
	kind: 'APIResourceList',
	apiVersion: 'v1',
	groupVersion: 'metrics.k8s.io/v1beta1',
	resources: [
		{name: 'nodes', singularName: '', namespaced: false, kind: 'NodeMetrics', verbs: ['get', 'list']},
		{name: 'pods', singularName: '', namespaced: true, kind: 'PodMetrics', verbs: ['get', 'list']},
	],
};

function hash(text: string): number {
	let h = 2166136261;
	for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619) >>> 0;
	return h;
}

function containerUsage(pod: KubeObject, name: string, now: number) {
	const status = (pod.status?.containerStatuses ?? []).find((c: any) => c.name === name);
	const h = hash(`${pod.metadata.uid}/${name}`);
	const wobble = Math.sin(now / 60_000 + (h % 100)) * 0.15 + 1;
	if (!status?.ready) return {cpu: `${1 + (h % 3)}m`, memory: `${(20 + (h % 30)) * 1024}Ki`};
	return {cpu: `${Math.round((12 + (h % 25)) * wobble)}m`, memory: `${Math.round((150 + (h % 70)) * wobble * 1024)}Ki`};
}

function podMetrics(pod: KubeObject, now: number) {
	return {
		kind: 'PodMetrics',
		apiVersion: 'metrics.k8s.io/v1beta1',
		metadata: {name: pod.metadata.name, namespace: pod.metadata.namespace, creationTimestamp: isoSeconds(now), labels: pod.metadata.labels ?? {}},
		timestamp: isoSeconds(now - 5000),
		window: '15s',
		containers: (pod.spec?.containers ?? []).map((c: any) => ({name: c.name, usage: containerUsage(pod, c.name, now)})),
	};
}

function parseQuantity(q: string): number {
	const m = /^(\d+)(m|Ki)?$/.exec(q);
	return m ? Number(m[1]) : 0;
}

function nodeMetrics(store: ObjectStore, node: KubeObject, now: number) {
	let cpu = 120;
	let memKi = 900 * 1024;
	for (const pod of store.list('pods')) {
		if (pod.spec?.nodeName !== node.metadata.name || !isPodActive(pod)) continue;
		for (const c of podMetrics(pod, now).containers) {
			cpu += parseQuantity(c.usage.cpu);
			memKi += parseQuantity(c.usage.memory);
		}
	}
	return {
		kind: 'NodeMetrics',
		apiVersion: 'metrics.k8s.io/v1beta1',
		metadata: {name: node.metadata.name, creationTimestamp: isoSeconds(now), labels: node.metadata.labels ?? {}},
		timestamp: isoSeconds(now - 5000),
		window: '20s',
		usage: {cpu: `${cpu}m`, memory: `${memKi}Ki`},
	};
}

/** Handles GET under /apis/metrics.k8s.io/v1beta1; `rest` is the path after it. */
export function serveMetrics(store: ObjectStore, rest: string[], query: URLSearchParams): unknown {
	const now = Date.now();
	const labels = parseLabelSelector(query.get('labelSelector'));
	const match = (o: KubeObject) => !labels || labels(o);
	if (rest[0] === 'nodes') {
		const nodes = store.list('nodes').filter(match);
		if (rest[1]) {
			const node = nodes.find(n => n.metadata.name === rest[1]);
			if (!node) throw new ApiError(404, 'NotFound', `nodemetrics.metrics.k8s.io "${rest[1]}" not found`);
			return nodeMetrics(store, node, now);
		}
		return {kind: 'NodeMetricsList', apiVersion: 'metrics.k8s.io/v1beta1', metadata: {}, items: nodes.map(n => nodeMetrics(store, n, now))};
	}
	let namespace: string | undefined;
	let tail = rest;
	if (rest[0] === 'namespaces' && rest[2] === 'pods') {
		namespace = rest[1];
		tail = rest.slice(2);
	}
	if (tail[0] !== 'pods') throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
	// Like metrics-server: only pods that are running have been scraped.
	const pods = store.list('pods', namespace).filter(p => match(p) && p.status?.phase === 'Running' && !p.metadata.deletionTimestamp);
	if (tail[1]) {
		const pod = pods.find(p => p.metadata.name === tail[1]);
		if (!pod) throw new ApiError(404, 'NotFound', `podmetrics.metrics.k8s.io "${namespace}/${tail[1]}" not found`);
		return podMetrics(pod, now);
	}
	return {kind: 'PodMetricsList', apiVersion: 'metrics.k8s.io/v1beta1', metadata: {}, items: pods.map(p => podMetrics(p, now))};
}
