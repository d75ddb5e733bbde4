// Fault injection as a client sees it: dropped watches, 500s, silent stalls, forced 410s, and
// the same faults injected over HTTP by another process.
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {httpsRequest, NS, startTestCluster, streamLines, type TestCluster, waitFor} from './helpers.js';
import {itNeeds} from '../helpers/requirements.js';

let t: TestCluster;
let token: string;
let k8s: typeof import('@kubernetes/client-node');
let kc: import('@kubernetes/client-node').KubeConfig;

beforeAll(async () => {
	t = await startTestCluster({speed: 10});
	token = await t.token();
	k8s = await import('@kubernetes/client-node');
	kc = new k8s.KubeConfig();
	kc.loadFromFile(t.cluster.kubeconfigPath);
});
afterAll(async () => t?.close());

function touch(i: number) {
	const pod = t.cluster.store.list('pods', NS)[0]!;
	t.cluster.store.mutate('pods', NS, pod.metadata.name, p => {
		p.metadata.annotations = {...p.metadata.annotations, touch: String(i)};
	});
}

function clientWatch() {
	const events: string[] = [];
	let done: {err: unknown} | undefined;
	const ready = new k8s.Watch(kc).watch(`/api/v1/namespaces/${NS}/pods`, {}, type => events.push(type), err => {
		done = {err};
	});
	return {events, ready, done: () => done};
}

describe('fault injection', () => {
	afterAll(() => t.cluster.faults.clear());

	it('drops every open watch', async () => {
		const a = clientWatch();
		const b = clientWatch();
		await Promise.all([a.ready, b.ready]);
		await waitFor(() => a.events.length >= 3 && b.events.length >= 3, 5000, 'initial events');
		expect(t.cluster.faults.dropWatches()).toBe(2);
		await waitFor(() => a.done() && b.done(), 5000, 'both watches to end');
	});

	it('answers 500 for a while, then recovers', async () => {
		const core = kc.makeApiClient(k8s.CoreV1Api);
		t.cluster.faults.fail500(0.4);
		await expect(core.listNamespacedPod({namespace: NS})).rejects.toMatchObject({code: 500});
		const w = clientWatch();
		await w.ready;
		await waitFor(() => w.done(), 5000, 'the failed watch to report');
		expect((w.done()!.err as {statusCode?: number}).statusCode).toBe(500);
		await waitFor(async () => (await core.listNamespacedPod({namespace: NS})).items.length === 3, 3000, 'recovery');
	});

	it('stalls watches silently: connected, but nothing arrives', async () => {
		const w = clientWatch();
		await w.ready;
		await waitFor(() => w.events.length >= 3, 5000, 'initial events');
		const before = w.events.length;
		expect(t.cluster.faults.stallWatches()).toBeGreaterThanOrEqual(1);
		touch(1);
		touch(2);
		await new Promise(r => setTimeout(r, 400));
		expect(w.events.length).toBe(before);
		expect(w.done()).toBeUndefined();
		// A fresh watch (what a watchdog would open) works again.
		const fresh = clientWatch();
		await fresh.ready;
		await waitFor(() => fresh.events.length >= 3, 5000, 'a fresh watch');
		touch(3);
		await waitFor(() => fresh.events.includes('MODIFIED'), 5000, 'live events on the fresh watch');
		t.cluster.faults.dropWatches();
	});

	it('stalls newly opened watches while a stall window lasts', async () => {
		t.cluster.faults.stallWatches(0.5);
		const s = await streamLines(t.cluster, `/api/v1/namespaces/${NS}/pods?watch=true`, token);
		await new Promise(r => setTimeout(r, 200));
		expect(s.lines).toHaveLength(0);
		s.close();
		t.cluster.faults.clear();
	});

	it('takes the same faults over POST /sandbox/faults', async () => {
		const unauth = await httpsRequest(t.cluster, '/sandbox/faults', {method: 'POST', body: {fault: 'drop-watches'}});
		expect(unauth.status).toBe(401);
		const s = await streamLines(t.cluster, `/api/v1/namespaces/${NS}/pods?watch=true`, token);
		await waitFor(() => s.lines.length >= 3, 5000, 'initial events');
		const drop = await httpsRequest(t.cluster, '/sandbox/faults', {method: 'POST', token, body: {fault: 'drop-watches'}});
		expect(drop.status).toBe(200);
		expect(JSON.parse(drop.body).affected).toBe(1);
		await s.closed;

		const fail = await httpsRequest(t.cluster, '/sandbox/faults', {method: 'POST', token, body: {fault: 'fail-500', seconds: 0.3}});
		expect(JSON.parse(fail.body).failingUntil).toBeGreaterThan(Date.now());
		const failed = await httpsRequest(t.cluster, `/api/v1/namespaces/${NS}/pods`, {token});
		expect(failed.status).toBe(500);
		expect(JSON.parse(failed.body)).toMatchObject({kind: 'Status', code: 500, reason: 'InternalError'});
		await httpsRequest(t.cluster, '/sandbox/faults', {method: 'POST', token, body: {fault: 'clear'}});
		expect((await httpsRequest(t.cluster, `/api/v1/namespaces/${NS}/pods`, {token})).status).toBe(200);

		const list = JSON.parse((await httpsRequest(t.cluster, `/api/v1/namespaces/${NS}/pods`, {token})).body);
		await httpsRequest(t.cluster, '/sandbox/faults', {method: 'POST', token, body: {fault: 'expire-history'}});
		const gone = await httpsRequest(t.cluster, `/api/v1/namespaces/${NS}/pods?watch=true&resourceVersion=${Number(list.metadata.resourceVersion) - 1}`, {token});
		const line = JSON.parse(gone.body.trim());
		expect(line).toMatchObject({type: 'ERROR', object: {code: 410, reason: 'Expired'}});

		const bad = await httpsRequest(t.cluster, '/sandbox/faults', {method: 'POST', token, body: {fault: 'nonsense'}});
		expect(bad.status).toBe(400);
	});

	itNeeds(['kubectl'])('kubectl reports the 500s', async () => {
		t.cluster.faults.fail500(2);
		const out = await t.kubectl(['get', 'pods', '-n', NS, '--request-timeout=2s']);
		t.cluster.faults.clear();
		expect(out.exitCode).toBe(1);
		expect(out.stderr).toMatch(/InternalError|Internal error/);
	});
});
