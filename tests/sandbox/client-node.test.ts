// @kubernetes/client-node against the sandbox with no insecure flags: lists, watches, 410s.
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {NS, startTestCluster, type TestCluster, waitFor} from './helpers.js';

let t: TestCluster;
let k8s: typeof import('@kubernetes/client-node');
let kc: import('@kubernetes/client-node').KubeConfig;

beforeAll(async () => {
	t = await startTestCluster({speed: 10});
	k8s = await import('@kubernetes/client-node');
	kc = new k8s.KubeConfig();
	kc.loadFromFile(t.cluster.kubeconfigPath);
});
afterAll(async () => t?.close());

interface Seen {
	type: string;
	obj: any;
}

function openWatch(path: string, params: Record<string, string | number | boolean | undefined>) {
	const events: Seen[] = [];
	let doneError: unknown = 'not done';
	const ready = new k8s.Watch(kc).watch(path, params, (type, obj) => events.push({type, obj}), err => {
		doneError = err;
	});
	return {events, ready, done: () => doneError !== 'not done', doneError: () => doneError};
}

describe('client-node', () => {
	it('uses the sandbox context and lists pods, deployments and events', async () => {
		expect(kc.getCurrentContext()).toBe('sandbox');
		expect(kc.getContextObject('sandbox')?.namespace).toBe(NS);
		const core = kc.makeApiClient(k8s.CoreV1Api);
		const pods = await core.listNamespacedPod({namespace: NS, labelSelector: 'app=overlord'});
		expect(pods.items).toHaveLength(3);
		expect(pods.items[0]!.status?.phase).toBe('Running');
		const apps = kc.makeApiClient(k8s.AppsV1Api);
		const d = await apps.readNamespacedDeployment({name: 'overlord', namespace: NS});
		expect(d.spec?.replicas).toBe(3);
		const rs = await apps.listNamespacedReplicaSet({namespace: NS, labelSelector: 'app=overlord'});
		expect(rs.items[0]!.metadata?.ownerReferences?.[0]?.uid).toBe(d.metadata?.uid);
		const events = await core.listNamespacedEvent({namespace: NS, fieldSelector: 'involvedObject.name=overlord'});
		expect(events.items.some(e => e.reason === 'ScalingReplicaSet')).toBe(true);
		await expect(core.readNamespacedPod({name: 'missing', namespace: NS})).rejects.toMatchObject({code: 404});
	});

	it('patches with JSON Patch as rollout undo does', async () => {
		const apps = kc.makeApiClient(k8s.AppsV1Api);
		const patched = await apps.patchNamespacedDeployment(
			{name: 'overlord', namespace: 'overlord-staging', body: [{op: 'replace', path: '/spec/replicas', value: 2}]},
			k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.JsonPatch),
		);
		expect(patched.spec?.replicas).toBe(2);
		const merged = await apps.patchNamespacedDeployment(
			{name: 'overlord', namespace: 'overlord-staging', body: {spec: {replicas: 3}}},
			k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
		);
		expect(merged.spec?.replicas).toBe(3);
	});

	it('watches: initial ADDED events, then MODIFIED for changes', async () => {
		const w = openWatch(`/api/v1/namespaces/${NS}/pods`, {labelSelector: 'app=overlord'});
		const controller = await w.ready;
		await waitFor(() => w.events.length >= 3, 5000, 'initial ADDED events');
		expect(w.events.slice(0, 3).map(e => e.type)).toEqual(['ADDED', 'ADDED', 'ADDED']);
		const name = w.events[0]!.obj.metadata.name;
		t.cluster.store.mutate('pods', NS, name, p => {
			p.metadata.labels = {...p.metadata.labels, touched: 'yes'};
		});
		const modified = await waitFor(() => w.events.find(e => e.type === 'MODIFIED'), 5000, 'a MODIFIED event');
		expect(modified.obj.metadata.name).toBe(name);
		expect(modified.obj.metadata.labels.touched).toBe('yes');
		controller.abort();
	});

	it('resumes from a resourceVersion and gets 410 Expired once history is gone', async () => {
		const core = kc.makeApiClient(k8s.CoreV1Api);
		const list = await core.listNamespacedPod({namespace: NS});
		const rv = list.metadata!.resourceVersion!;
		t.cluster.store.mutate('pods', NS, list.items[0]!.metadata!.name!, p => {
			p.metadata.annotations = {note: 'after-list'};
		});
		const resumed = openWatch(`/api/v1/namespaces/${NS}/pods`, {resourceVersion: rv});
		const c1 = await resumed.ready;
		const first = await waitFor(() => resumed.events[0], 5000, 'the replayed event');
		expect(first.type).toBe('MODIFIED');
		expect(first.obj.metadata.annotations.note).toBe('after-list');
		c1.abort();

		t.cluster.faults.expireHistory();
		const expired = openWatch(`/api/v1/namespaces/${NS}/pods`, {resourceVersion: rv});
		await expired.ready;
		const error = await waitFor(() => expired.events.find(e => e.type === 'ERROR'), 5000, 'an ERROR event');
		expect(error.obj).toMatchObject({kind: 'Status', code: 410, reason: 'Expired'});
		await waitFor(() => expired.done(), 5000, 'the expired watch to end');
	});

	it('follows a rollout through a deployment watch with bookmarks', async () => {
		const w = openWatch(`/apis/apps/v1/namespaces/${NS}/deployments`, {fieldSelector: 'metadata.name=overlord', allowWatchBookmarks: true});
		const controller = await w.ready;
		await waitFor(() => w.events.length >= 1, 5000, 'the initial deployment');
		const apps = kc.makeApiClient(k8s.AppsV1Api);
		await apps.patchNamespacedDeployment(
			{name: 'overlord', namespace: NS, body: {spec: {template: {spec: {containers: [{name: 'overlord', image: 'ghcr.io/legion14041981-ui/overlord-trading-system-v8:v1.2.0'}]}}}}},
			k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.StrategicMergePatch),
		);
		await waitFor(
			() => w.events.some(e => e.type === 'MODIFIED' && e.obj.status?.conditions?.some((c: any) => c.reason === 'NewReplicaSetAvailable') && e.obj.status?.updatedReplicas === 3 && e.obj.metadata.generation === 2),
			10_000,
			'the rollout to complete',
		);
		const d = w.events.at(-1)!.obj;
		expect(d.spec.template.spec.containers).toHaveLength(1);
		controller.abort();
	});
});
