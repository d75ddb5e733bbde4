// The pure parts with hand-made objects: pod rows and tones, windows, freshness, kubectl's rollout
// status/history/undo rules, template diffs and events.
import {describe, expect, it} from 'vitest';
import {createPodsView, freshnessLabel, podRow, podRows, visibleRows} from '../../source/kube/pods-model.js';
import {
	equalIgnoreHash,
	planUndo,
	recentEvents,
	rolloutCounts,
	rolloutHistory,
	rolloutStatusMessage,
	templateDiff,
	undoPatch,
	undoTarget,
} from '../../source/kube/rollout-model.js';
import type {Deployment, KubeEvent, Pod, PodTemplate, ReplicaSet} from '../../source/kube/types.js';

const NOW = Date.parse('2025-01-01T12:00:00Z');
const ago = (s: number) => new Date(NOW - s * 1000).toISOString().replace('.000Z', 'Z');

function pod(name: string, opts: {phase?: string; ready?: boolean; waiting?: string; running?: boolean; restarts?: number; lastFinished?: number; deleting?: boolean; init?: 'waiting' | 'running'} = {}): Pod {
	const ready = opts.ready ?? true;
	return {
		metadata: {name, creationTimestamp: ago(600), ...(opts.deleting ? {deletionTimestamp: ago(1)} : {})},
		spec: {containers: [{name: 'app'}], ...(opts.init ? {initContainers: [{name: 'init'}]} : {})},
		status: {
			phase: opts.phase ?? 'Running',
			conditions: [{type: 'Ready', status: ready ? 'True' : 'False'}, ...(opts.init ? [] : [{type: 'Initialized', status: 'True'}])],
			...(opts.init ? {initContainerStatuses: [{name: 'init', ready: false, restartCount: 0, state: opts.init === 'waiting' ? {waiting: {reason: 'PodInitializing'}} : {running: {}}}]} : {}),
			containerStatuses: [
				{
					name: 'app',
					ready,
					restartCount: opts.restarts ?? 0,
					state: opts.waiting ? {waiting: {reason: opts.waiting}} : opts.running === false ? {} : {running: {startedAt: ago(500)}},
					lastState: opts.lastFinished !== undefined ? {terminated: {exitCode: 1, reason: 'Error', finishedAt: ago(opts.lastFinished)}} : {},
				},
			],
		},
	};
}

describe('pods model', () => {
	it('computes kubectl columns and k9s tones', () => {
		const cases: Array<[Pod, string, string, string]> = [
			[pod('ok'), 'Running', '1/1', 'ok'],
			[pod('crash', {ready: false, waiting: 'CrashLoopBackOff', restarts: 4, lastFinished: 12}), 'CrashLoopBackOff', '0/1', 'error'],
			[pod('notready', {ready: false}), 'Running', '0/1', 'error'],
			[pod('pull', {ready: false, waiting: 'ImagePullBackOff'}), 'ImagePullBackOff', '0/1', 'error'],
			[pod('creating', {phase: 'Pending', ready: false, waiting: 'ContainerCreating'}), 'ContainerCreating', '0/1', 'pending'],
			[pod('pending', {phase: 'Pending', ready: false, running: false}), 'Pending', '0/1', 'pending'],
			[pod('init', {phase: 'Pending', ready: false, running: false, init: 'running'}), 'Init:0/1', '0/1', 'initializing'],
			[pod('going', {deleting: true}), 'Terminating', '1/1', 'terminating'],
			[pod('going-bad', {deleting: true, ready: false, waiting: 'CrashLoopBackOff'}), 'Terminating', '0/1', 'terminating'],
		];
		for (const [p, status, ready, tone] of cases) {
			expect(podRow(p, NOW), p.metadata.name).toMatchObject({name: p.metadata.name, status, ready, tone, age: '10m'});
		}
		expect(podRow(cases[1]![0], NOW).restarts).toBe('4 (12s ago)');
		const done = pod('done', {phase: 'Succeeded', ready: false});
		done.status!.containerStatuses![0]!.state = {terminated: {exitCode: 0, reason: 'Completed'}};
		expect(podRow(done, NOW)).toMatchObject({status: 'Completed', tone: 'completed'});
	});

	it('sorts by name in byte order and windows the rows', () => {
		const rows = podRows([pod('b'), pod('a-2'), pod('B'), pod('a-10')], NOW);
		expect(rows.map(r => r.name)).toEqual(['B', 'a-10', 'a-2', 'b']);
		const ten = Array.from({length: 10}, (_, i) => i);
		expect(visibleRows(ten, 2, 3)).toEqual({rows: [2, 3, 4], offset: 2, total: 10});
		expect(visibleRows(ten, 9, 3)).toEqual({rows: [7, 8, 9], offset: 7, total: 10});
		expect(visibleRows(ten, -5, 3)).toEqual({rows: [0, 1, 2], offset: 0, total: 10});
		expect(visibleRows(ten, 4, 40)).toEqual({rows: ten, offset: 0, total: 10});
		expect(visibleRows([], 3, 5)).toEqual({rows: [], offset: 0, total: 0});
	});

	it('a view re-sorts only when membership changes, yet shows every update', () => {
		const items = new Map<string, Pod>();
		for (let i = 0; i < 1000; i++) items.set(`p-${String(i).padStart(4, '0')}`, pod(`p-${String(i).padStart(4, '0')}`));
		const view = createPodsView();
		const state = {items, membershipVersion: 1};
		expect(view(state, 995, 10, NOW)).toMatchObject({offset: 990, total: 1000});
		items.set('p-0995', pod('p-0995', {ready: false, waiting: 'CrashLoopBackOff'}));
		expect(view(state, 995, 10, NOW).rows[5]).toMatchObject({name: 'p-0995', status: 'CrashLoopBackOff'});
		items.set('a-first', pod('a-first'));
		expect(view(state, 0, 1, NOW).rows[0]!.name).toBe('p-0000'); // membership not bumped: old order
		expect(view({items, membershipVersion: 2}, 0, 1, NOW).rows[0]!.name).toBe('a-first');
	});

	it('labels freshness and never shows anything but live as fresh', () => {
		const at = NOW - 4000;
		expect(freshnessLabel({status: 'live', lastEventAt: NOW - 1000, syncedAt: at}, NOW)).toEqual({text: '● 1s', tone: 'ok'});
		expect(freshnessLabel({status: 'reconnecting', lastEventAt: at, syncedAt: at}, NOW)).toEqual({text: 'reconnecting 4s', tone: 'warn'});
		expect(freshnessLabel({status: 'stale', lastEventAt: NOW - 40_000, syncedAt: at}, NOW)).toEqual({text: 'stale 40s', tone: 'error'});
		expect(freshnessLabel({status: 'error', lastEventAt: at, syncedAt: at}, NOW)).toEqual({text: 'stale 4s', tone: 'error'});
		expect(freshnessLabel({status: 'error', lastEventAt: null, syncedAt: null}, NOW)).toEqual({text: 'error', tone: 'error'});
		expect(freshnessLabel({status: 'connecting', lastEventAt: null, syncedAt: null}, NOW).tone).toBe('muted');
	});
});

const UID = 'd-uid';
const template = (image: string, extra: Partial<PodTemplate['spec']> = {}): PodTemplate => ({
	metadata: {labels: {app: 'overlord'}},
	spec: {containers: [{name: 'overlord', image: `ghcr.io/x/overlord:${image}`, env: [{name: 'MODE', value: 'prod'}], resources: {limits: {cpu: '500m'}}}], ...extra},
});
function deployment(status: Deployment['status'], opts: {generation?: number; replicas?: number; image?: string; revision?: string; paused?: boolean} = {}): Deployment {
	return {
		metadata: {name: 'overlord', namespace: 'ns', uid: UID, generation: opts.generation ?? 2, annotations: {'deployment.kubernetes.io/revision': opts.revision ?? '2', 'kubectl.kubernetes.io/last-applied-configuration': '{}'}},
		spec: {replicas: opts.replicas ?? 3, paused: opts.paused, selector: {matchLabels: {app: 'overlord'}}, template: template(opts.image ?? 'v1.2.0')},
		status,
	};
}
function rs(name: string, revision: string | undefined, image: string, opts: {uid?: string; controller?: boolean; cause?: string} = {}): ReplicaSet {
	const t = template(image);
	t.metadata!.labels = {...t.metadata!.labels, 'pod-template-hash': name.split('-')[1]!};
	return {
		metadata: {
			name,
			annotations: {...(revision !== undefined ? {'deployment.kubernetes.io/revision': revision} : {}), ...(opts.cause ? {'kubernetes.io/change-cause': opts.cause} : {}), 'deployment.kubernetes.io/desired-replicas': '3'},
			ownerReferences: [{kind: 'Deployment', name: 'overlord', uid: opts.uid ?? UID, controller: opts.controller ?? true}],
		},
		spec: {template: t},
		status: {replicas: 1},
	};
}

describe('rollout model', () => {
	it('gives kubectl rollout status messages', () => {
		const msg = (d: Deployment, rev?: number) => rolloutStatusMessage(d, rev);
		expect(msg(deployment({observedGeneration: 1}))).toEqual({message: 'Waiting for deployment spec update to be observed...', done: false, failed: false});
		expect(msg(deployment({observedGeneration: 2, replicas: 4, updatedReplicas: 1})).message).toBe('Waiting for deployment "overlord" rollout to finish: 1 out of 3 new replicas have been updated...');
		expect(msg(deployment({observedGeneration: 2, replicas: 4, updatedReplicas: 3})).message).toBe('Waiting for deployment "overlord" rollout to finish: 1 old replicas are pending termination...');
		expect(msg(deployment({observedGeneration: 2, replicas: 3, updatedReplicas: 3, availableReplicas: 2})).message).toBe('Waiting for deployment "overlord" rollout to finish: 2 of 3 updated replicas are available...');
		expect(msg(deployment({observedGeneration: 2, replicas: 3, updatedReplicas: 3, availableReplicas: 3}))).toEqual({message: 'deployment "overlord" successfully rolled out', done: true, failed: false});
		const deadline = deployment({observedGeneration: 2, replicas: 4, updatedReplicas: 1, conditions: [{type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded'}]});
		expect(msg(deadline)).toEqual({message: 'deployment "overlord" exceeded its progress deadline', done: false, failed: true});
		expect(msg(deadline, 5)).toEqual({message: 'desired revision (5) is different from the running revision (2)', done: false, failed: true});
		expect(rolloutCounts(deployment({replicas: 4, updatedReplicas: 1, readyReplicas: 3, availableReplicas: 3, unavailableReplicas: 1}))).toEqual({desired: 3, current: 4, updated: 1, ready: 3, available: 3, unavailable: 1, old: 3});
	});

	it('builds the history from owned ReplicaSets, as kubectl rollout history', () => {
		const d = deployment({});
		const sets = [rs('overlord-bbb', '2', 'v1.2.0', {cause: 'release 1.2'}), rs('overlord-aaa', '1', 'v1.1.0'), rs('other-ccc', '7', 'v9', {uid: 'someone-else'}), rs('loose-ddd', '8', 'v9', {controller: false}), rs('overlord-eee', 'x', 'v0'), rs('overlord-fff', undefined, 'v0.9')];
		const h = rolloutHistory(d, sets);
		expect(h.map(e => [e.revision, e.changeCause, e.replicaSetName, e.images, e.current])).toEqual([
			[0, '<none>', 'overlord-fff', ['ghcr.io/x/overlord:v0.9'], false],
			[1, '<none>', 'overlord-aaa', ['ghcr.io/x/overlord:v1.1.0'], false],
			[2, 'release 1.2', 'overlord-bbb', ['ghcr.io/x/overlord:v1.2.0'], true],
		]);
		expect(rolloutCounts(d, sets).old).toBe(3); // aaa, eee (unparsable revision) and fff: owned, not current
		expect(undoTarget(h).target?.revision).toBe(1);
		expect(undoTarget(h, 0).target?.revision).toBe(1);
		expect(undoTarget(h, 2).target?.revision).toBe(2);
		expect(undoTarget(h, 5)).toEqual({error: 'unable to find specified revision 5 in history'});
		expect(undoTarget(h.slice(2), 0, 'overlord')).toEqual({error: 'no rollout history found for deployment "overlord"'});
	});

	it('plans an undo as kubectl does: refusals, skip, and the exact patch', () => {
		const sets = [rs('overlord-aaa', '1', 'v1.1.0', {cause: 'first'}), rs('overlord-bbb', '2', 'v1.2.0')];
		expect(planUndo(deployment({}, {paused: true}), sets)).toEqual({action: 'error', message: "you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume' and try again"});
		expect(planUndo(deployment({}), sets, 2)).toMatchObject({action: 'skip', message: 'deployment.apps/overlord skipped rollback (current template already matches revision 2)'});
		expect(planUndo(deployment({}), sets, 9)).toEqual({action: 'error', message: 'unable to find specified revision 9 in history'});
		const plan = planUndo(deployment({}), sets);
		expect(plan.action).toBe('patch');
		if (plan.action !== 'patch') return;
		expect(plan.patch).toEqual([
			{op: 'replace', path: '/spec/template', value: {...template('v1.1.0'), metadata: {creationTimestamp: null, labels: {app: 'overlord'}}}},
			{
				op: 'replace',
				path: '/metadata/annotations',
				// The deployment's own bookkeeping annotations, the ReplicaSet's others (change-cause), never the RS's revision.
				value: {'deployment.kubernetes.io/revision': '2', 'kubectl.kubernetes.io/last-applied-configuration': '{}', 'kubernetes.io/change-cause': 'first'},
			},
		]);
		expect(plan.diff).toEqual(['overlord: image v1.2.0 → v1.1.0']);
		// The ReplicaSet itself is untouched.
		expect(sets[0]!.spec!.template!.metadata!.labels!['pod-template-hash']).toBe('aaa');
		expect(undoPatch(deployment({}), sets[0]!)[0]!.value).not.toHaveProperty('metadata.labels.pod-template-hash');
	});

	it('compares templates semantically, ignoring the hash label', () => {
		const a = template('v1');
		const b = {...structuredClone(a), metadata: {labels: {app: 'overlord', 'pod-template-hash': 'x'}, annotations: {}}};
		expect(equalIgnoreHash(a, b)).toBe(true);
		expect(equalIgnoreHash(a, template('v2'))).toBe(false);
	});

	it('describes template differences in a few lines', () => {
		const cur = template('v1.2.0');
		const tgt = structuredClone(template('v1.1.0'));
		const c = tgt.spec!.containers![0]!;
		c.env = [{name: 'MODE', value: 'safe'}, {name: 'NEW', value: '1'}];
		c.resources = {limits: {cpu: '250m', memory: '1Gi'}};
		c.args = ['--fast'];
		tgt.spec!.containers!.push({name: 'sidecar', image: 'envoy:1'});
		tgt.spec!.serviceAccountName = 'robot';
		expect(templateDiff(cur, tgt)).toEqual([
			'overlord: image v1.2.0 → v1.1.0',
			'overlord: env MODE prod → safe',
			'overlord: env NEW=1 added',
			'overlord: limits.cpu 500m → 250m',
			'overlord: limits.memory unset → 1Gi',
			'overlord: args changed',
			'container sidecar added (envoy:1)',
			'pod template spec.serviceAccountName changed',
		]);
		const moved = template('v1');
		moved.spec!.containers![0]!.image = 'registry:5000/other/app:v1';
		expect(templateDiff(template('v1'), moved)).toEqual(['overlord: image ghcr.io/x/overlord:v1 → registry:5000/other/app:v1']);
		expect(templateDiff(cur, structuredClone(cur))).toEqual([]);
	});

	it('orders events newest first', () => {
		const ev = (reason: string, s: number): KubeEvent => ({metadata: {name: reason}, type: 'Normal', reason, message: reason, lastTimestamp: ago(s)});
		const rows = recentEvents([ev('old', 300), ev('new', 5), ev('mid', 60)], NOW, 2);
		expect(rows.map(r => [r.reason, r.age])).toEqual([['new', '5s'], ['mid', '60s']]);
	});
});
