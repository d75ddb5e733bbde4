// StatefulSets in the sandbox through real kubectl and client-node: ordered ordinal pods,
// ControllerRevisions, `rollout status|history|undo statefulset` with kubectl's own messages.
import {writeFile} from 'node:fs/promises';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {applyStrategicMergePatch} from '../../source/sandbox/cluster/patch.js';
import {describeNeeds} from '../helpers/requirements.js';
import {httpsRequest, parseTable, startTestCluster, type TestCluster, waitFor} from './helpers.js';

const NS = 'ledger';
const IMAGE = 'registry.example.com/ledger';

let t: TestCluster;
/** Pod lifecycle as the store saw it: ADDED pods with which lower ordinals were Ready then, and deletions. */
const seen: Array<{type: 'added' | 'deleting'; name: string; readyBefore?: string[]}> = [];
beforeAll(async () => {
	t = await startTestCluster({speed: 10});
	t.cluster.store.subscribe(e => {
		if (e.resource !== 'pods' || e.object.metadata.namespace !== NS) return;
		const name = e.object.metadata.name;
		if (e.type === 'ADDED') {
			const ready = t.cluster.store
				.list('pods', NS)
				.filter(p => p.metadata.name !== name && (p.status?.conditions ?? []).some((c: any) => c.type === 'Ready' && c.status === 'True'))
				.map(p => p.metadata.name);
			seen.push({type: 'added', name, readyBefore: ready.sort()});
		} else if (e.type === 'MODIFIED' && e.object.metadata.deletionTimestamp && !e.prev?.metadata.deletionTimestamp) {
			seen.push({type: 'deleting', name});
		}
	});
});
afterAll(async () => t?.close());

function manifest(name: string, image: string, extra: Record<string, unknown> = {}) {
	return {
		apiVersion: 'v1',
		kind: 'List',
		items: [
			{apiVersion: 'v1', kind: 'Namespace', metadata: {name: NS}},
			{
				apiVersion: 'apps/v1',
				kind: 'StatefulSet',
				metadata: {name, namespace: NS, ...extra},
				spec: {
					replicas: 3,
					serviceName: name,
					selector: {matchLabels: {app: name}},
					template: {
						metadata: {labels: {app: name}},
						spec: {containers: [{name: 'app', image, ports: [{name: 'http', containerPort: 8080}], command: ['sh', '-c', 'migrate && serve']}]},
					},
				},
			},
		],
	};
}

async function applyJson(body: unknown): Promise<{stdout: string; stderr: string; exitCode: number}> {
	const file = path.join(t.dir, `manifest-${Date.now()}-${Math.random().toString(36).slice(2)}.json`);
	await writeFile(file, JSON.stringify(body));
	return t.kubectl(['apply', '-f', file]);
}

const k = (...args: string[]) => t.kubectl([...args, '-n', NS]);
const lastLine = (text: string) => text.trim().split('\n').at(-1);
const historyRows = async (name: string) => (await k('rollout', 'history', `statefulset/${name}`)).stdout.trim().split('\n').slice(2).map(l => l.trim().split(/\s{2,}/));
const sts = async (name: string) => JSON.parse((await k('get', 'statefulset', name, '-o', 'json')).stdout);
const livePods = async (prefix: string) =>
	JSON.parse((await k('get', 'pods', '-o', 'json')).stdout).items.filter((p: any) => p.metadata.name.startsWith(`${prefix}-`) && !p.metadata.deletionTimestamp);

describeNeeds(['kubectl'])('StatefulSets through real kubectl', () => {
	it('creates ordinal pods in order, each after the previous is Ready, and rollout status completes', async () => {
		const applied = await applyJson(manifest('ledger', `${IMAGE}:1.0.0`));
		expect(applied.exitCode, applied.stderr).toBe(0);
		expect(applied.stdout).toContain('statefulset.apps/ledger created');
		const status = await k('rollout', 'status', 'statefulset/ledger', '--timeout=30s');
		expect(status.exitCode, status.stderr).toBe(0);
		expect(lastLine(status.stdout)).toBe('partitioned roll out complete: 3 new pods have been updated...');
		expect(seen.filter(e => e.type === 'added').map(e => [e.name, e.readyBefore])).toEqual([
			['ledger-0', []],
			['ledger-1', ['ledger-0']],
			['ledger-2', ['ledger-0', 'ledger-1']],
		]);
		const set = await sts('ledger');
		expect(set.spec).toMatchObject({
			podManagementPolicy: 'OrderedReady', revisionHistoryLimit: 10,
			updateStrategy: {type: 'RollingUpdate', rollingUpdate: {partition: 0}},
			persistentVolumeClaimRetentionPolicy: {whenDeleted: 'Retain', whenScaled: 'Retain'},
		});
		expect(set.spec.template.metadata.creationTimestamp).toBeNull();
		expect(set.status).toMatchObject({observedGeneration: 1, replicas: 3, readyReplicas: 3, currentReplicas: 3, updatedReplicas: 3, availableReplicas: 3, collisionCount: 0});
		expect(set.status.currentRevision).toBe(set.status.updateRevision);
		expect(set.status.updateRevision).toMatch(/^ledger-[bcdfghjklmnpqrstvwxz2456789]+$/);
		const pod = (await livePods('ledger')).find((p: any) => p.metadata.name === 'ledger-1');
		expect(pod.metadata.labels).toEqual({
			app: 'ledger', 'controller-revision-hash': set.status.updateRevision,
			'statefulset.kubernetes.io/pod-name': 'ledger-1', 'apps.kubernetes.io/pod-index': '1',
		});
		expect(pod.metadata.ownerReferences).toEqual([{apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'ledger', uid: set.metadata.uid, controller: true, blockOwnerDeletion: true}]);
		expect(pod.spec).toMatchObject({hostname: 'ledger-1', subdomain: 'ledger'});
	});

	it('serves ControllerRevisions with the data kubectl compares byte for byte', async () => {
		const set = await sts('ledger');
		const token = await t.token();
		const raw = await httpsRequest(t.cluster, `/apis/apps/v1/namespaces/${NS}/controllerrevisions/${set.status.updateRevision}`, {token});
		expect(raw.status).toBe(200);
		// Sorted keys, compact, `&` escaped as Go's encoding/json writes it.
		expect(raw.body).toContain(
			'"data":{"spec":{"template":{"$patch":"replace","metadata":{"creationTimestamp":null,"labels":{"app":"ledger"}},"spec":{"containers":[{"command":["sh","-c","migrate \\u0026\\u0026 serve"],"image":"registry.example.com/ledger:1.0.0","imagePullPolicy":"IfNotPresent","name":"app","ports":[{"containerPort":8080,"name":"http","protocol":"TCP"}],"resources":{},',
		);
		const cr = JSON.parse(raw.body);
		expect(cr.revision).toBe(1);
		expect(cr.metadata.labels['controller.kubernetes.io/hash']).toBe(set.status.updateRevision.slice('ledger-'.length));
		expect(cr.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration']).toContain('"ledger"');
		expect(cr.metadata.ownerReferences[0]).toMatchObject({kind: 'StatefulSet', name: 'ledger', uid: set.metadata.uid, controller: true});
	});

	it('prints kubectl tables for statefulsets and controllerrevisions', async () => {
		const both = await k('get', 'statefulsets,controllerrevisions');
		expect(both.exitCode, both.stderr).toBe(0);
		const [stsPart, crPart] = both.stdout.split('\n\n');
		expect(stsPart!.split('\n')[0]!.split(/\s+/)).toEqual(['NAME', 'READY', 'AGE']);
		expect(parseTable(stsPart!)[0]).toMatchObject({NAME: 'statefulset.apps/ledger', READY: '3/3'});
		expect(crPart!.split('\n')[0]!.split(/\s+/)).toEqual(['NAME', 'CONTROLLER', 'REVISION', 'AGE']);
		expect(parseTable(crPart!)[0]).toMatchObject({CONTROLLER: 'statefulset.apps/ledger', REVISION: '1'});
		expect(parseTable(crPart!)[0]!.NAME).toMatch(/^controllerrevision\.apps\/ledger-\w+$/);
		const wide = parseTable((await k('get', 'sts', '-o', 'wide')).stdout);
		expect(wide).toEqual([{NAME: 'ledger', READY: '3/3', AGE: expect.any(String), CONTAINERS: 'app', IMAGES: `${IMAGE}:1.0.0`}]);
		const pods = parseTable((await k('get', 'pods')).stdout);
		expect(pods.map(p => [p.NAME, p.READY, p.STATUS])).toEqual([['ledger-0', '1/1', 'Running'], ['ledger-1', '1/1', 'Running'], ['ledger-2', '1/1', 'Running']]);
		const logs = await k('logs', 'ledger-2');
		expect(logs.exitCode, logs.stderr).toBe(0);
		expect(logs.stdout).toContain('Application started successfully');
		expect((await k('logs', 'statefulset/ledger', '--tail=1')).exitCode).toBe(0);
	});

	it('rolls a new image from the highest ordinal down and records change-cause in history', async () => {
		seen.length = 0;
		expect((await k('annotate', 'statefulset/ledger', 'kubernetes.io/change-cause=release 1.1.0')).exitCode).toBe(0);
		const set = await k('set', 'image', 'statefulset/ledger', `app=${IMAGE}:1.1.0`);
		expect(set.stdout.trim()).toBe('statefulset.apps/ledger image updated');
		const status = await k('rollout', 'status', 'statefulset/ledger', '--timeout=30s');
		expect(status.exitCode, status.stderr).toBe(0);
		expect(lastLine(status.stdout)).toBe('partitioned roll out complete: 3 new pods have been updated...');
		expect(seen.filter(e => e.type === 'deleting').map(e => e.name)).toEqual(['ledger-2', 'ledger-1', 'ledger-0']);
		expect(await historyRows('ledger')).toEqual([['1', '<none>'], ['2', 'release 1.1.0']]);
		const header = (await k('rollout', 'history', 'statefulset/ledger')).stdout.split('\n');
		expect(header.slice(0, 2).map(l => l.trimEnd())).toEqual(['statefulset.apps/ledger', 'REVISION  CHANGE-CAUSE']);
		const detail = await k('rollout', 'history', 'statefulset/ledger', '--revision=2');
		expect(detail.stdout).toContain('statefulset.apps/ledger with revision #2');
		expect(detail.stdout).toMatch(new RegExp(`Image:\\s+${IMAGE}:1\\.1\\.0`));
		const after = await sts('ledger');
		expect(after.status.currentRevision).toBe(after.status.updateRevision);
		expect((await livePods('ledger')).map((p: any) => [p.spec.containers[0].image, p.metadata.labels['controller-revision-hash']])).toEqual(
			Array(3).fill([`${IMAGE}:1.1.0`, after.status.updateRevision]),
		);
	});

	it('rolls back with rollout undo (revision 1 becomes 3), skips when already matching, refuses unknown revisions', async () => {
		const undo = await k('rollout', 'undo', 'statefulset/ledger');
		expect(undo.exitCode, undo.stderr).toBe(0);
		expect(undo.stdout.trim()).toBe('statefulset.apps/ledger rolled back');
		const status = await k('rollout', 'status', 'statefulset/ledger', '--timeout=30s');
		expect(lastLine(status.stdout)).toBe('partitioned roll out complete: 3 new pods have been updated...');
		expect(await historyRows('ledger')).toEqual([['2', 'release 1.1.0'], ['3', '<none>']]);
		expect((await sts('ledger')).spec.template.spec.containers[0].image).toBe(`${IMAGE}:1.0.0`);
		expect((await livePods('ledger')).map((p: any) => p.spec.containers[0].image)).toEqual(Array(3).fill(`${IMAGE}:1.0.0`));
		const same = await k('rollout', 'undo', 'statefulset/ledger', '--to-revision=3');
		expect(same.exitCode, same.stderr).toBe(0);
		expect(same.stdout.trim()).toBe('statefulset.apps/ledger skipped rollback (current template already matches revision 3)');
		const missing = await k('rollout', 'undo', 'statefulset/ledger', '--to-revision=9');
		expect(missing.exitCode).toBe(1);
		expect(missing.stderr).toContain('unable to find specified revision 9 in history');
		const crs = parseTable((await k('get', 'controllerrevisions')).stdout);
		expect(crs.map(r => r.REVISION).sort()).toEqual(['2', '3']);
	});

	it('a crash-looping image stops the rollout at the highest ordinal; undo needs the broken pod deleted, as on a real cluster', async () => {
		await k('set', 'image', 'statefulset/ledger', `app=${IMAGE}:crash-loop`);
		const status = await k('rollout', 'status', 'statefulset/ledger', '--timeout=5s');
		expect(status.exitCode).toBe(1);
		expect(status.stderr).toContain('timed out waiting for the condition');
		expect(lastLine(status.stdout)).toBe('Waiting for 1 pods to be ready...');
		await waitFor(async () => parseTable((await k('get', 'pods')).stdout).find(p => p.NAME === 'ledger-2' && p.STATUS === 'CrashLoopBackOff'), 15_000, 'ledger-2 in CrashLoopBackOff');
		const rows = parseTable((await k('get', 'pods')).stdout);
		expect(rows.filter(p => p.NAME !== 'ledger-2').map(p => p.STATUS)).toEqual(['Running', 'Running']);
		expect(parseTable((await k('get', 'sts')).stdout)[0]!.READY).toBe('2/3');
		await waitFor(async () => (await k('logs', 'ledger-2')).stdout.includes('Application startup failed. Exiting.'), 10_000, 'the crash in the logs');

		expect((await k('rollout', 'undo', 'statefulset/ledger')).stdout.trim()).toBe('statefulset.apps/ledger rolled back');
		// OrderedReady waits for the broken pod to turn Ready before replacing it (the documented
		// "forced rollback" case), so the template is back but the pod keeps crashing until deleted.
		expect((await k('rollout', 'status', 'statefulset/ledger', '--timeout=2s')).exitCode).toBe(1);
		expect((await k('delete', 'pod', 'ledger-2', '--wait=false')).exitCode).toBe(0);
		const done = await k('rollout', 'status', 'statefulset/ledger', '--timeout=30s');
		expect(done.exitCode, done.stderr).toBe(0);
		expect(lastLine(done.stdout)).toBe('partitioned roll out complete: 3 new pods have been updated...');
		expect(await historyRows('ledger')).toEqual([['2', 'release 1.1.0'], ['4', 'release 1.1.0'], ['5', '<none>']]);
	});

	it('respects the partition, scales down from the highest ordinal, rejects forbidden updates and collects garbage on delete', async () => {
		expect((await k('patch', 'statefulset/ledger', '-p', '{"spec":{"updateStrategy":{"rollingUpdate":{"partition":2}}}}')).exitCode).toBe(0);
		await k('set', 'image', 'statefulset/ledger', `app=${IMAGE}:2.0.0`);
		const status = await k('rollout', 'status', 'statefulset/ledger', '--timeout=30s');
		expect(lastLine(status.stdout)).toBe('partitioned roll out complete: 1 new pods have been updated...');
		expect((await livePods('ledger')).map((p: any) => p.spec.containers[0].image)).toEqual([`${IMAGE}:1.0.0`, `${IMAGE}:1.0.0`, `${IMAGE}:2.0.0`]);

		seen.length = 0;
		expect((await k('scale', 'statefulset/ledger', '--replicas=1')).exitCode).toBe(0);
		await waitFor(async () => (await livePods('ledger')).length === 1 && (await k('get', 'pods', '-o', 'name')).stdout.trim() === 'pod/ledger-0', 15_000, 'scale down to ledger-0');
		expect(seen.filter(e => e.type === 'deleting').map(e => e.name)).toEqual(['ledger-2', 'ledger-1']);

		const forbidden = await k('patch', 'statefulset/ledger', '-p', '{"spec":{"serviceName":"other"}}');
		expect(forbidden.exitCode).toBe(1);
		expect(forbidden.stderr).toContain("spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden");

		expect((await k('delete', 'statefulset', 'ledger')).exitCode).toBe(0);
		await waitFor(async () => (await k('get', 'pods,controllerrevisions', '-o', 'name')).stdout.trim() === '', 15_000, 'pods and revisions to be collected');
	});

	it('rejects a StatefulSet whose selector does not match its template', async () => {
		const bad = manifest('broken', `${IMAGE}:1.0.0`) as any;
		bad.items[1].spec.selector = {matchLabels: {app: 'other'}};
		const applied = await applyJson(bad);
		expect(applied.exitCode).toBe(1);
		expect(applied.stderr).toContain('spec.template.metadata.labels: Invalid value: map[string]string{"app":"broken"}: `selector` does not match template `labels`');
	});
});

describe('StatefulSets through @kubernetes/client-node', () => {
	it('creates, lists, reads and watches StatefulSets and lists their revisions', async () => {
		const k8s = await import('@kubernetes/client-node');
		const kc = new k8s.KubeConfig();
		kc.loadFromFile(t.cluster.kubeconfigPath);
		const core = kc.makeApiClient(k8s.CoreV1Api);
		const apps = kc.makeApiClient(k8s.AppsV1Api);
		const ns = 'queue';
		await core.createNamespace({body: {metadata: {name: ns}}});
		const body = (manifest('queue', `${IMAGE}:1.0.0`).items[1] as any);
		body.metadata.namespace = ns;
		body.spec.replicas = 2;
		await apps.createNamespacedStatefulSet({namespace: ns, body});
		const events: Array<{type: string; obj: any}> = [];
		const watch = await new k8s.Watch(kc).watch(`/apis/apps/v1/namespaces/${ns}/statefulsets`, {}, (type, obj) => events.push({type, obj}), () => {});
		await waitFor(() => events.some(e => e.type === 'MODIFIED' && e.obj.status?.readyReplicas === 2), 15_000, 'two ready replicas on the watch');
		watch.abort();
		expect(events[0]!.type).toBe('ADDED');
		const list = await apps.listNamespacedStatefulSet({namespace: ns});
		expect(list.items.map(s => s.metadata?.name)).toEqual(['queue']);
		const read = await apps.readNamespacedStatefulSet({name: 'queue', namespace: ns});
		expect(read.status?.availableReplicas).toBe(2);
		expect(read.spec?.updateStrategy?.rollingUpdate?.partition).toBe(0);
		const revisions = await apps.listNamespacedControllerRevision({namespace: ns, labelSelector: 'app=queue'});
		expect(revisions.items.map(r => [r.metadata?.name, r.revision])).toEqual([[read.status?.currentRevision, 1]]);
		const pods = await core.listNamespacedPod({namespace: ns});
		expect(pods.items.map(p => p.metadata?.name)).toEqual(['queue-0', 'queue-1']);
	});
});

describe('strategic merge patch', () => {
	it('honours $patch: replace, the form of ControllerRevision data', () => {
		const current = {spec: {replicas: 3, template: {metadata: {labels: {app: 'a', extra: 'x'}}, spec: {containers: [{name: 'a', image: 'a:2'}, {name: 'b', image: 'b:1'}]}}}};
		const data = {spec: {template: {$patch: 'replace', metadata: {labels: {app: 'a'}}, spec: {containers: [{name: 'a', image: 'a:1'}]}}}};
		expect(applyStrategicMergePatch(current, data)).toEqual({
			spec: {replicas: 3, template: {metadata: {labels: {app: 'a'}}, spec: {containers: [{name: 'a', image: 'a:1'}]}}},
		});
	});
});
