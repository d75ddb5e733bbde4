// Watch and list protocol details that client-go relies on, checked over raw HTTPS.
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {httpsRequest, NS, startTestCluster, streamLines, type TestCluster, waitFor} from './helpers.js';
import {itNeeds} from '../helpers/requirements.js';

let t: TestCluster;
let token: string;
beforeAll(async () => {
	t = await startTestCluster({speed: 10, bookmarkIntervalMs: 100});
	token = await t.token();
});
afterAll(async () => t?.close());

const parse = (lines: string[]) => lines.map(l => JSON.parse(l) as {type: string; object: any});
const podNames = () => t.cluster.store.list('pods', NS).map(p => p.metadata.name);

describe('watch protocol', () => {
	it('serves watch-list: ADDED per object, then the initial-events-end bookmark', async () => {
		const s = await streamLines(t.cluster, `/api/v1/namespaces/${NS}/pods?watch=true&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true`, token);
		await waitFor(() => s.lines.length >= 4, 5000, 'initial events');
		const events = parse(s.lines);
		expect(events.slice(0, 3).map(e => e.type)).toEqual(['ADDED', 'ADDED', 'ADDED']);
		expect(events[3]).toMatchObject({type: 'BOOKMARK', object: {kind: 'Pod', metadata: {annotations: {'k8s.io/initial-events-end': 'true'}}}});
		// Periodic bookmarks follow because the client allowed them.
		await waitFor(() => parse(s.lines).filter(e => e.type === 'BOOKMARK').length >= 2, 5000, 'a periodic bookmark');
		s.close();
		const bad = await httpsRequest(t.cluster, `/api/v1/namespaces/${NS}/pods?watch=true&sendInitialEvents=true`, {token});
		expect(bad.status).toBe(422);
	});

	it('sends no bookmarks unless allowed, and ends at timeoutSeconds', async () => {
		const started = Date.now();
		const res = await httpsRequest(t.cluster, `/api/v1/namespaces/${NS}/pods?watch=true&timeoutSeconds=1`, {token});
		expect(Date.now() - started).toBeGreaterThanOrEqual(900);
		const events = parse(res.body.trim().split('\n'));
		expect(events.map(e => e.type)).toEqual(['ADDED', 'ADDED', 'ADDED']);
	});

	it('filters by field selector and turns selector transitions into ADDED/DELETED', async () => {
		const [name] = podNames();
		const byName = await streamLines(t.cluster, `/api/v1/namespaces/${NS}/pods?watch=true&fieldSelector=metadata.name%3D${name}`, token);
		const byLabel = await streamLines(t.cluster, `/api/v1/watch/namespaces/${NS}/pods?labelSelector=tier%3Dcanary&resourceVersion=${t.cluster.store.currentRv()}`, token);
		await waitFor(() => byName.lines.length === 1, 5000, 'the named pod');
		t.cluster.store.mutate('pods', NS, name!, p => {
			p.metadata.labels = {...p.metadata.labels, tier: 'canary'};
		});
		t.cluster.store.mutate('pods', NS, name!, p => {
			p.metadata.labels = {...p.metadata.labels, tier: 'stable'};
		});
		await waitFor(() => byLabel.lines.length >= 2, 5000, 'transition events');
		expect(parse(byLabel.lines).map(e => e.type)).toEqual(['ADDED', 'DELETED']);
		await waitFor(() => byName.lines.length >= 3, 5000, 'modifications of the named pod');
		expect(parse(byName.lines).every(e => e.object.metadata.name === name)).toBe(true);
		byName.close();
		byLabel.close();
	});

	itNeeds(['kubectl'])('streams Table rows to kubectl get --watch', async () => {
		const watching = t.kubectl(['get', 'pods', '-n', NS, '--watch', '--request-timeout=3s'], {timeoutMs: 2500});
		await new Promise(r => setTimeout(r, 700));
		await t.kubectl(['delete', 'pod', podNames()[0]!, '-n', NS, '--wait=false']);
		const out = await watching;
		expect(out.stdout).toMatch(/^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE$/m);
		expect(out.stdout).toMatch(/\s1\/1\s+Terminating\s/);
		expect(out.stdout.match(/^NAME/gm)).toHaveLength(1);
	});
});

describe('list protocol', () => {
	it('pages with limit and continue', async () => {
		const first = JSON.parse((await httpsRequest(t.cluster, '/api/v1/events?limit=5', {token})).body);
		expect(first.items).toHaveLength(5);
		expect(first.metadata.continue).toBeTruthy();
		const total = t.cluster.store.count('events');
		expect(first.metadata.remainingItemCount).toBe(total - 5);
		const second = JSON.parse((await httpsRequest(t.cluster, `/api/v1/events?limit=500&continue=${first.metadata.continue}`, {token})).body);
		expect(first.items.length + second.items.length).toBe(total);
		expect(second.metadata.continue).toBeUndefined();
	});

	it('answers Tables, PartialObjectMetadataList and plain JSON by Accept', async () => {
		const table = JSON.parse((await httpsRequest(t.cluster, `/apis/apps/v1/namespaces/${NS}/deployments?includeObject=Object`, {token, headers: {Accept: 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json'}})).body);
		expect(table.kind).toBe('Table');
		expect(table.columnDefinitions.filter((c: any) => c.priority === 0).map((c: any) => c.name)).toEqual(['Name', 'Ready', 'Up-to-date', 'Available', 'Age']);
		expect(table.rows[0].object.kind).toBe('Deployment');
		const meta = JSON.parse((await httpsRequest(t.cluster, `/api/v1/namespaces/${NS}/pods`, {token, headers: {Accept: 'application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io'}})).body);
		expect(meta.kind).toBe('PartialObjectMetadataList');
		const plain = JSON.parse((await httpsRequest(t.cluster, `/api/v1/namespaces/${NS}/pods`, {token, headers: {Accept: 'application/vnd.kubernetes.protobuf,application/json'}})).body);
		expect(plain.kind).toBe('PodList');
		const discovery = JSON.parse((await httpsRequest(t.cluster, '/apis/apps/v1', {token})).body);
		expect(discovery.resources.find((r: any) => r.name === 'deployments').shortNames).toEqual(['deploy']);
		const unauth = await httpsRequest(t.cluster, '/api/v1/pods');
		expect(unauth.status).toBe(401);
	});
});
