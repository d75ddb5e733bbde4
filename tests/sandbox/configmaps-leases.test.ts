// ConfigMaps and coordination.k8s.io Leases (a shared session's events and writer lock) as the real
// API server serves them: conflicts, validation, selectors, watches, RBAC denials and access reviews,
// over raw HTTPS and through real kubectl.
import {writeFile} from 'node:fs/promises';
import path from 'node:path';
import {execa} from 'execa';
import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest';
import {httpsRequest, parseTable, startTestCluster, streamLines, type TestCluster, waitFor} from './helpers.js';
import {describeNeeds} from '../helpers/requirements.js';

const NS = 'runbook-sessions';
const CM = `/api/v1/namespaces/${NS}/configmaps`;
const LEASES = `/apis/coordination.k8s.io/v1/namespaces/${NS}/leases`;

let t: TestCluster;
let token: string;
const call = (p: string, method = 'GET', body?: unknown) =>
	httpsRequest(t.cluster, p, {method, token, body, ...(method === 'PATCH' ? {headers: {'Content-Type': 'application/merge-patch+json'}} : {})});
const json = async (p: string, method = 'GET', body?: unknown) => {
	const res = await call(p, method, body);
	return {status: res.status, body: JSON.parse(res.body)};
};

beforeAll(async () => {
	t = await startTestCluster({speed: 10});
	token = await t.token();
	expect((await call('/api/v1/namespaces', 'POST', {metadata: {name: NS}})).status).toBe(201);
});
afterAll(async () => t?.close());
afterEach(() => t.cluster.faults.clear());

const lease = (name: string, spec: object = {}) => ({
	apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: {name, labels: {'runbook.dev/session': name}},
	spec: {holderIdentity: 'alice@laptop', leaseDurationSeconds: 15, acquireTime: '2025-01-02T15:04:05.123456Z', renewTime: '2025-01-02T15:04:05.123456Z', leaseTransitions: 0, ...spec},
});

describe('discovery', () => {
	it('lists configmaps in v1 and the coordination, authorization and authentication groups', async () => {
		const core = (await json('/api/v1')).body.resources.find((r: any) => r.name === 'configmaps');
		expect(core).toMatchObject({kind: 'ConfigMap', namespaced: true, shortNames: ['cm']});
		const groups = (await json('/apis')).body.groups.map((g: any) => g.name);
		expect(groups).toEqual(expect.arrayContaining(['apps', 'coordination.k8s.io', 'authorization.k8s.io', 'authentication.k8s.io']));
		expect((await json('/apis/coordination.k8s.io')).body.preferredVersion).toEqual({groupVersion: 'coordination.k8s.io/v1', version: 'v1'});
		const leases = (await json('/apis/coordination.k8s.io/v1')).body.resources;
		expect(leases).toEqual([expect.objectContaining({name: 'leases', kind: 'Lease', namespaced: true})]);
		expect((await json('/apis/authorization.k8s.io/v1')).body.resources[0].name).toBe('selfsubjectaccessreviews');
	});
});

describe('ConfigMaps', () => {
	it('overwrites on a PUT without resourceVersion and answers a stale one with the real 409', async () => {
		const created = await json(CM, 'POST', {metadata: {name: 'c1'}, data: {a: '1'}});
		expect(created.status).toBe(201);
		const rv = created.body.metadata.resourceVersion;
		const blind = await json(`${CM}/c1`, 'PUT', {metadata: {name: 'c1'}, data: {a: '2'}});
		expect(blind.status).toBe(200);
		expect(blind.body.data).toEqual({a: '2'});
		const stale = await call(`${CM}/c1`, 'PUT', {metadata: {name: 'c1', resourceVersion: rv}, data: {a: '3'}});
		expect(stale.status).toBe(409);
		expect(stale.body).toBe('{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Operation cannot be fulfilled on configmaps \\"c1\\": the object has been modified; please apply your changes to the latest version and try again","reason":"Conflict","details":{"name":"c1","kind":"configmaps"},"code":409}');
		const current = await json(`${CM}/c1`, 'PUT', {metadata: {name: 'c1', resourceVersion: blind.body.metadata.resourceVersion}, data: {a: '4'}});
		expect(current.status).toBe(200);
		expect(current.body).not.toHaveProperty('status');
		expect(current.body.metadata).not.toHaveProperty('generation');
	});

	it('holds exactly 1 MiB of data and binaryData together, and refuses one byte more', async () => {
		const half = 'x'.repeat(512 * 1024);
		const binary = Buffer.alloc(512 * 1024, 7).toString('base64');
		expect((await call(CM, 'POST', {metadata: {name: 'full'}, data: {a: half}, binaryData: {b: binary}})).status).toBe(201);
		const over = await json(CM, 'POST', {metadata: {name: 'over'}, data: {a: `${half}y`}, binaryData: {b: binary}});
		expect(over.status).toBe(422);
		expect(over.body).toMatchObject({
			reason: 'Invalid',
			message: 'ConfigMap "over" is invalid: []: Too long: may not be more than 1048576 bytes',
			details: {name: 'over', kind: 'ConfigMap', causes: [{reason: 'FieldValueTooLong', message: 'Too long: may not be more than 1048576 bytes', field: '[]'}]},
		});
		// Multi-byte characters count as bytes, not characters; an update is held to the same limit.
		const grow = await json(`${CM}/full`, 'PUT', {metadata: {name: 'full'}, data: {a: `${half.slice(1)}é`}, binaryData: {b: binary}});
		expect(grow.status).toBe(422);
	});

	it('refuses keys outside [-._a-zA-Z0-9]+', async () => {
		const bad = await json(CM, 'POST', {metadata: {name: 'badkey'}, data: {'has space': 'v'}});
		expect(bad.status).toBe(422);
		expect(bad.body.message).toBe(`ConfigMap "badkey" is invalid: data[has space]: Invalid value: "has space": a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')`);
		expect((await call(CM, 'POST', {metadata: {name: 'okkey'}, data: {'a-b_c.D9': 'v'}})).status).toBe(201);
	});

	it('lists by label and field selector and watches by label: ADDED, MODIFIED, DELETED', async () => {
		const w = await streamLines(t.cluster, `${CM}?watch=1&labelSelector=${encodeURIComponent('runbook.dev/session=w1')}`, token);
		await call(CM, 'POST', {metadata: {name: 'w1-events-0001', labels: {'runbook.dev/session': 'w1'}}, data: {e: '1'}});
		await call(CM, 'POST', {metadata: {name: 'other', labels: {'runbook.dev/session': 'w2'}}, data: {}});
		await call(`${CM}/w1-events-0001`, 'PATCH', {data: {e: '2'}});
		await call(`${CM}/w1-events-0001`, 'DELETE');
		await waitFor(() => w.lines.length >= 3, 5000, 'three watch events');
		w.close();
		const events = w.lines.map(l => JSON.parse(l));
		expect(events.map(e => `${e.type} ${e.object.metadata.name}`)).toEqual(['ADDED w1-events-0001', 'MODIFIED w1-events-0001', 'DELETED w1-events-0001']);
		expect(events[1].object.data).toEqual({e: '2'});
		const listed = await json(`${CM}?labelSelector=${encodeURIComponent('runbook.dev/session in (w2)')}`);
		expect(listed.body.items.map((o: any) => o.metadata.name)).toEqual(['other']);
		expect((await json(`${CM}?fieldSelector=metadata.name%3Dother`)).body.items).toHaveLength(1);
	});
});

describe('Leases', () => {
	it('keeps MicroTimes as sent, refuses a PUT without resourceVersion (422) and a stale one (409 with group)', async () => {
		const created = await json(LEASES, 'POST', lease('l1'));
		expect(created.status).toBe(201);
		expect(created.body.spec.renewTime).toBe('2025-01-02T15:04:05.123456Z');
		const noRv = await call(`${LEASES}/l1`, 'PUT', lease('l1', {holderIdentity: 'bob@desk'}));
		expect(noRv.status).toBe(422);
		expect(JSON.parse(noRv.body)).toEqual({
			kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure',
			message: 'leases.coordination.k8s.io "l1" is invalid: metadata.resourceVersion: Invalid value: 0x0: must be specified for an update',
			reason: 'Invalid',
			details: {name: 'l1', group: 'coordination.k8s.io', kind: 'leases', causes: [{reason: 'FieldValueInvalid', message: 'Invalid value: 0x0: must be specified for an update', field: 'metadata.resourceVersion'}]},
			code: 422,
		});
		const rv = created.body.metadata.resourceVersion;
		const renewed = await json(`${LEASES}/l1`, 'PUT', {...created.body, spec: {...created.body.spec, renewTime: '2025-01-02T15:04:07.000001Z'}});
		expect(renewed.status).toBe(200);
		expect(renewed.body.spec.renewTime).toBe('2025-01-02T15:04:07.000001Z');
		const stale = await call(`${LEASES}/l1`, 'PUT', {...created.body, metadata: {...created.body.metadata, resourceVersion: rv}});
		expect(stale.status).toBe(409);
		expect(stale.body).toBe('{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Operation cannot be fulfilled on leases.coordination.k8s.io \\"l1\\": the object has been modified; please apply your changes to the latest version and try again","reason":"Conflict","details":{"name":"l1","group":"coordination.k8s.io","kind":"leases"},"code":409}');
		const again = await json(LEASES, 'POST', lease('l1'));
		expect(again.body).toMatchObject({code: 409, reason: 'AlreadyExists', message: 'leases.coordination.k8s.io "l1" already exists', details: {name: 'l1', group: 'coordination.k8s.io', kind: 'leases'}});
	});

	it('works through @kubernetes/client-node CoordinationV1Api, a lost race throwing 409', async () => {
		const k8s = await import('@kubernetes/client-node');
		const kc = new k8s.KubeConfig();
		kc.loadFromFile(t.cluster.kubeconfigPath);
		const api = kc.makeApiClient(k8s.CoordinationV1Api);
		await api.createNamespacedLease({namespace: NS, body: lease('cn') as any});
		const seen = await api.readNamespacedLease({name: 'cn', namespace: NS});
		seen.spec!.holderIdentity = 'bob@desk';
		const won = await api.replaceNamespacedLease({name: 'cn', namespace: NS, body: seen});
		expect(won.spec?.holderIdentity).toBe('bob@desk');
		seen.spec!.holderIdentity = 'carol@box';
		await expect(api.replaceNamespacedLease({name: 'cn', namespace: NS, body: seen})).rejects.toMatchObject({code: 409});
	});

	it('decodes MicroTimes as Go does: six fractional digits, stored in UTC', async () => {
		const millis = await json(LEASES, 'POST', lease('ms', {renewTime: '2025-01-02T15:04:05.123Z'}));
		expect(millis.status).toBe(400);
		expect(millis.body.message).toBe('Lease in version "v1" cannot be handled as a Lease: parsing time "2025-01-02T15:04:05.123Z" as "2006-01-02T15:04:05.000000Z07:00": cannot parse ".123Z" as ".000000"');
		const offset = await json(LEASES, 'POST', lease('tz', {acquireTime: '2025-01-02T17:04:05.000042+02:00'}));
		expect(offset.body.spec.acquireTime).toBe('2025-01-02T15:04:05.000042Z');
	});

	it('validates leaseDurationSeconds > 0', async () => {
		const bad = await json(LEASES, 'POST', lease('l0', {leaseDurationSeconds: 0}));
		expect(bad.status).toBe(422);
		expect(bad.body.message).toBe('Lease.coordination.k8s.io "l0" is invalid: spec.leaseDurationSeconds: Invalid value: 0: must be greater than 0');
	});
});

describe('deny rules and access reviews', () => {
	const review = (attrs: object) => json('/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', 'POST', {apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', spec: {resourceAttributes: attrs}});

	it('answers 403 with the real Status for denied verbs only, and SSARs agree', async () => {
		await json(CM, 'POST', {metadata: {name: 'd1'}, data: {}});
		const rules = await json('/sandbox/faults', 'POST', {fault: 'deny', resource: 'configmaps', verbs: ['create', 'get'], namespace: NS});
		expect(rules.body.denials).toEqual([{resource: 'configmaps', group: '', verbs: ['create', 'get'], namespace: NS}]);
		await json('/sandbox/faults', 'POST', {fault: 'deny', resource: 'leases', verbs: ['update']});
		const create = await call(CM, 'POST', {metadata: {name: 'd2'}});
		expect(create.status).toBe(403);
		expect(create.body).toBe('{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"configmaps is forbidden: User \\"sandbox-operator\\" cannot create resource \\"configmaps\\" in API group \\"\\" in the namespace \\"runbook-sessions\\"","reason":"Forbidden","details":{"kind":"configmaps"},"code":403}');
		const get = await json(`${CM}/d1`);
		expect(get.body.message).toBe('configmaps "d1" is forbidden: User "sandbox-operator" cannot get resource "configmaps" in API group "" in the namespace "runbook-sessions"');
		expect(get.body.details).toEqual({name: 'd1', kind: 'configmaps'});
		expect((await call(CM)).status).toBe(200);
		expect((await call(`/api/v1/namespaces/default/configmaps`, 'POST', {metadata: {name: 'elsewhere'}})).status).toBe(201);
		const put = await json(`${LEASES}/nope`, 'PUT', lease('nope'));
		expect(put.body).toMatchObject({
			code: 403, details: {name: 'nope', group: 'coordination.k8s.io', kind: 'leases'},
			message: 'leases.coordination.k8s.io "nope" is forbidden: User "sandbox-operator" cannot update resource "leases" in API group "coordination.k8s.io" in the namespace "runbook-sessions"',
		});
		expect((await review({namespace: NS, verb: 'create', resource: 'configmaps'})).body.status).toEqual({allowed: false});
		expect((await review({namespace: NS, verb: 'list', resource: 'configmaps'})).body.status.allowed).toBe(true);
		expect((await review({namespace: NS, verb: 'update', group: 'coordination.k8s.io', resource: 'leases', name: 'x'})).body.status.allowed).toBe(false);
		await json('/sandbox/faults', 'POST', {fault: 'clear'});
		expect((await call(CM, 'POST', {metadata: {name: 'd2'}})).status).toBe(201);
	});

	it('maps watches, deletecollection and patch to their verbs', async () => {
		t.cluster.faults.deny({resource: 'configmaps', verbs: ['watch', 'deletecollection', 'patch']});
		expect((await json(`${CM}?watch=1&fieldSelector=metadata.name%3Dd1`)).body.message).toBe('configmaps "d1" is forbidden: User "sandbox-operator" cannot watch resource "configmaps" in API group "" in the namespace "runbook-sessions"');
		expect((await json(`${CM}?labelSelector=x%3Dy`, 'DELETE')).body.message).toMatch(/cannot deletecollection resource "configmaps"/);
		expect((await json(`${CM}/d1`, 'PATCH', {data: {}})).status).toBe(403);
		expect((await json(`${CM}/d1`, 'DELETE')).status).toBe(200);
	});
});

describeNeeds(['kubectl'])('ConfigMaps and Leases through kubectl', () => {
	const manifest = `apiVersion: v1
kind: ConfigMap
metadata:
  name: session-k1
  namespace: ${NS}
  labels: {runbook.dev/session: k1}
data:
  meta.json: '{"id":"k1"}'
---
apiVersion: coordination.k8s.io/v1
kind: Lease
metadata:
  name: session-k1
  namespace: ${NS}
  labels: {runbook.dev/session: k1}
spec:
  holderIdentity: alice@laptop
  leaseDurationSeconds: 15
  acquireTime: "2025-01-02T15:04:05.123456Z"
  renewTime: "2025-01-02T15:04:05.123456Z"
  leaseTransitions: 0
`;

	it('applies, lists as tables, prints YAML and deletes', async () => {
		const file = path.join(t.dir, 'session.yaml');
		await writeFile(file, manifest);
		const applied = await t.kubectl(['apply', '-f', file]);
		expect(applied.stdout, applied.stderr).toBe('configmap/session-k1 created\nlease.coordination.k8s.io/session-k1 created');
		expect((await t.kubectl(['apply', '-f', file])).stdout).toBe('configmap/session-k1 unchanged\nlease.coordination.k8s.io/session-k1 unchanged');
		const got = await t.kubectl(['get', 'cm,lease', '-n', NS, '-l', 'runbook.dev/session=k1']);
		expect(got.exitCode, got.stderr).toBe(0);
		const [cms, leases] = got.stdout.split('\n\n');
		expect(cms!.split('\n')[0]).toMatch(/^NAME\s+DATA\s+AGE$/);
		expect(parseTable(cms!)).toEqual([expect.objectContaining({NAME: 'configmap/session-k1', DATA: '1'})]);
		expect(leases!.split('\n')[0]).toMatch(/^NAME\s+HOLDER\s+AGE$/);
		expect(parseTable(leases!)).toEqual([expect.objectContaining({NAME: 'lease.coordination.k8s.io/session-k1', HOLDER: 'alice@laptop'})]);
		const yaml = await t.kubectl(['get', 'lease', 'session-k1', '-n', NS, '-o', 'yaml']);
		expect(yaml.stdout).toMatch(/^apiVersion: coordination\.k8s\.io\/v1\nkind: Lease\n/);
		expect(yaml.stdout).toContain('\n  renewTime: "2025-01-02T15:04:05.123456Z"');
		const deleted = await t.kubectl(['delete', '-n', NS, 'cm/session-k1', 'lease/session-k1']);
		expect(deleted.stdout).toBe('configmap "session-k1" deleted\nlease.coordination.k8s.io "session-k1" deleted');
	});

	it('creates the namespace and a ConfigMap with the typed (protobuf) subcommands', async () => {
		expect((await t.kubectl(['create', 'namespace', 'runbook-sessions-2'])).stdout).toBe('namespace/runbook-sessions-2 created');
		const created = await t.kubectl(['create', 'configmap', 'lit', '-n', 'runbook-sessions-2', '--from-literal=k=v', '--from-literal=x=yy']);
		expect(created.stdout, created.stderr).toBe('configmap/lit created');
		expect(JSON.parse((await t.kubectl(['get', 'cm', 'lit', '-n', 'runbook-sessions-2', '-o', 'json'])).stdout).data).toEqual({k: 'v', x: 'yy'});
	});

	it('watches with -w: a change shows as a new line', async () => {
		await json(CM, 'POST', {metadata: {name: 'watched'}, data: {a: '1'}});
		const child = execa('kubectl', ['--kubeconfig', t.cluster.kubeconfigPath, 'get', 'cm', 'watched', '-n', NS, '-w'], {reject: false, env: {HOME: t.dir, KUBECONFIG: ''}});
		let out = '';
		child.stdout!.on('data', chunk => (out += String(chunk)));
		try {
			await waitFor(() => /watched\s+1\s+\d+s/.test(out), 10_000, 'the first row');
			await call(`${CM}/watched`, 'PATCH', {data: {a: '1', b: '2'}});
			await waitFor(() => /watched\s+2\s+\d+s/.test(out), 10_000, 'the changed row');
		} finally {
			child.kill();
			await child;
		}
		expect(out.split('\n')[0]).toMatch(/^NAME\s+DATA\s+AGE$/);
	});

	it('kubectl auth can-i follows the deny rules', async () => {
		const canI = (...args: string[]) => t.kubectl(['auth', 'can-i', ...args]);
		expect((await canI('create', 'configmaps', '-n', NS)).stdout).toBe('yes');
		t.cluster.faults.deny({resource: 'configmaps', verbs: ['create'], namespace: NS});
		t.cluster.faults.deny({resource: 'leases', verbs: ['update']});
		const no = await canI('create', 'configmaps', '-n', NS);
		expect([no.stdout, no.exitCode]).toEqual(['no', 1]);
		expect((await canI('create', 'configmaps', '-n', 'default')).stdout).toBe('yes');
		expect((await canI('update', 'leases.coordination.k8s.io', '-n', NS)).stdout).toBe('no');
		expect((await canI('get', 'leases', '-n', NS)).stdout).toBe('yes');
		const refused = await t.kubectl(['create', 'configmap', 'nope', '-n', NS]);
		expect(refused.stderr).toContain('configmaps is forbidden: User "sandbox-operator" cannot create resource "configmaps" in API group "" in the namespace "runbook-sessions"');
		expect((await t.kubectl(['auth', 'whoami'])).stdout).toMatch(/Username\s+sandbox-operator/);
	});
});
