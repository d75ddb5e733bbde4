// The TUI's podStatus must print exactly what `kubectl get pods` prints for the same pods.
import {afterAll, beforeAll, expect, it} from 'vitest';
import {podStatus} from '../../source/kube/pod-status.js';
import type {KubeObject} from '../../source/sandbox/cluster/types.js';
import {parseTable, startTestCluster, type TestCluster} from './helpers.js';
import {describeNeeds} from '../helpers/requirements.js';

const FIX = 'fixtures';
let t: TestCluster;
const iso = (msAgo: number) => new Date(Date.now() - msAgo).toISOString().replace(/\.\d+Z$/, 'Z');

function fixture(name: string, status: object, extra: {init?: object[]; containers?: string[]; meta?: object} = {}): KubeObject {
	return {
		apiVersion: 'v1',
		kind: 'Pod',
		metadata: {name, namespace: FIX, creationTimestamp: iso(47 * 60_000), ...extra.meta},
		// A node is set so the kubelet simulation leaves these hand-made statuses alone.
		spec: {nodeName: 'fixture-node', containers: (extra.containers ?? ['app']).map(n => ({name: n, image: 'x:1'})), ...(extra.init ? {initContainers: extra.init} : {})},
		status,
	};
}

const cs = (state: object, more: object = {}) => ({name: 'app', ready: false, restartCount: 0, state, ...more});

const FIXTURES: KubeObject[] = [
	fixture('running', {phase: 'Running', conditions: [{type: 'Ready', status: 'True'}], containerStatuses: [cs({running: {startedAt: iso(46 * 60_000)}}, {ready: true})]}),
	fixture('crashloop', {phase: 'Running', containerStatuses: [cs({waiting: {reason: 'CrashLoopBackOff'}}, {restartCount: 5, lastState: {terminated: {exitCode: 1, reason: 'Error', finishedAt: iso(7_000)}}})]}),
	fixture('crashloop-old', {phase: 'Running', containerStatuses: [cs({waiting: {reason: 'CrashLoopBackOff'}}, {restartCount: 12, lastState: {terminated: {exitCode: 1, finishedAt: iso(25 * 60_000)}}})]}),
	fixture('terminating', {phase: 'Running', containerStatuses: [cs({running: {}}, {ready: true})]}, {meta: {deletionTimestamp: iso(-30_000), finalizers: ['sandbox.test/hold']}}),
	fixture('pending', {phase: 'Pending'}),
	fixture('creating', {phase: 'Pending', containerStatuses: [cs({waiting: {reason: 'ContainerCreating'}})]}),
	fixture('pull-backoff', {phase: 'Pending', containerStatuses: [cs({waiting: {reason: 'ImagePullBackOff'}})]}),
	fixture('completed', {phase: 'Succeeded', containerStatuses: [cs({terminated: {exitCode: 0, reason: 'Completed'}})]}),
	fixture('oom', {phase: 'Running', containerStatuses: [cs({terminated: {exitCode: 137, reason: 'OOMKilled'}})]}),
	fixture('signal', {phase: 'Failed', containerStatuses: [cs({terminated: {exitCode: 137, signal: 9}})]}),
	fixture('evicted', {phase: 'Failed', reason: 'Evicted'}),
	fixture('init-running', {phase: 'Pending', initContainerStatuses: [{name: 'migrate', ready: false, restartCount: 0, state: {running: {}}}]}, {init: [{name: 'migrate', image: 'm:1'}, {name: 'seed', image: 's:1'}]}),
	fixture('init-crash', {phase: 'Pending', initContainerStatuses: [{name: 'migrate', ready: false, restartCount: 2, state: {waiting: {reason: 'CrashLoopBackOff'}}, lastState: {terminated: {exitCode: 1, finishedAt: iso(40_000)}}}]}, {init: [{name: 'migrate', image: 'm:1'}]}),
	fixture('init-error', {phase: 'Pending', initContainerStatuses: [{name: 'migrate', ready: false, restartCount: 0, state: {terminated: {exitCode: 3}}}]}, {init: [{name: 'migrate', image: 'm:1'}]}),
	fixture('sidecar', {
		phase: 'Running',
		conditions: [{type: 'Initialized', status: 'True'}, {type: 'Ready', status: 'True'}],
		initContainerStatuses: [{name: 'proxy', ready: true, started: true, restartCount: 1, state: {running: {}}, lastState: {terminated: {exitCode: 1, finishedAt: iso(12 * 60_000)}}}],
		containerStatuses: [cs({running: {}}, {ready: true})],
	}, {init: [{name: 'proxy', image: 'p:1', restartPolicy: 'Always'}]}),
	fixture('two-containers', {phase: 'Running', conditions: [{type: 'Ready', status: 'False'}], containerStatuses: [cs({terminated: {exitCode: 0, reason: 'Completed'}}), {...cs({running: {}}, {ready: true}), name: 'side'}]}, {containers: ['app', 'side']}),
	fixture('gated', {phase: 'Pending', conditions: [{type: 'PodScheduled', status: 'False', reason: 'SchedulingGated'}]}),
	fixture('node-lost', {phase: 'Running', reason: 'NodeLost'}, {meta: {deletionTimestamp: iso(60_000), finalizers: ['sandbox.test/hold']}}),
];

beforeAll(async () => {
	t = await startTestCluster();
	t.cluster.store.create('namespaces', {apiVersion: 'v1', kind: 'Namespace', metadata: {name: FIX}, status: {phase: 'Active'}});
	for (const f of FIXTURES) t.cluster.store.create('pods', f);
});
afterAll(async () => t?.close());

// kubectl >= 1.16 prints whatever Table the server sends (`--server-print=false` only gives NAME
// and AGE), so the reference here is printers.go's output written out by hand, checked both in
// what kubectl prints from the sandbox and in podStatus directly.
const EXPECTED: Record<string, [ready: string, status: string, restarts: RegExp]> = {
	running: ['1/1', 'Running', /^0$/],
	crashloop: ['0/1', 'CrashLoopBackOff', /^5 \([789]s ago\)$/],
	'crashloop-old': ['0/1', 'CrashLoopBackOff', /^12 \(25m ago\)$/],
	terminating: ['1/1', 'Terminating', /^0$/],
	pending: ['0/1', 'Pending', /^0$/],
	creating: ['0/1', 'ContainerCreating', /^0$/],
	'pull-backoff': ['0/1', 'ImagePullBackOff', /^0$/],
	completed: ['0/1', 'Completed', /^0$/],
	oom: ['0/1', 'OOMKilled', /^0$/],
	signal: ['0/1', 'Signal:9', /^0$/],
	evicted: ['0/1', 'Evicted', /^0$/],
	'init-running': ['0/1', 'Init:0/2', /^0$/],
	'init-crash': ['0/1', 'Init:CrashLoopBackOff', /^2 \(4[0-2]s ago\)$/],
	'init-error': ['0/1', 'Init:ExitCode:3', /^0$/],
	sidecar: ['2/2', 'Running', /^1 \(12m ago\)$/],
	'two-containers': ['1/2', 'NotReady', /^0$/],
	gated: ['0/1', 'SchedulingGated', /^0$/],
	'node-lost': ['0/1', 'Unknown', /^0$/],
};

describeNeeds(['kubectl'])('podStatus and kubectl get pods print printers.go columns', () => {
	it('prints the expected READY, STATUS, RESTARTS and AGE for every fixture', async () => {
		const out = await t.kubectl(['get', 'pods', '-n', FIX]);
		expect(out.exitCode, out.stderr).toBe(0);
		const rows = parseTable(out.stdout);
		expect(rows.map(r => r.NAME).sort()).toEqual(Object.keys(EXPECTED).sort());
		for (const row of rows) {
			const [ready, status, restarts] = EXPECTED[row.NAME!]!;
			const mine = podStatus(t.cluster.store.get('pods', FIX, row.NAME!)!, Date.now());
			for (const [who, got] of [['kubectl', row], ['podStatus', {READY: mine.ready, STATUS: mine.status, RESTARTS: mine.restarts, AGE: mine.age}]] as const) {
				const label = `${who} ${row.NAME}`;
				expect(got.READY, label).toBe(ready);
				expect(got.STATUS, label).toBe(status);
				expect(got.RESTARTS, label).toMatch(restarts);
				expect(got.AGE, label).toBe('47m');
			}
		}
	});

	it('prints the same columns for the live cluster pods as podStatus computes', async () => {
		const out = await t.kubectl(['get', 'pods', '-n', 'overlord-production', '-o', 'wide']);
		const rows = parseTable(out.stdout);
		expect(rows).toHaveLength(3);
		for (const row of rows) {
			const mine = podStatus(t.cluster.store.get('pods', 'overlord-production', row.NAME!)!, Date.now());
			expect([row.READY, row.STATUS, row.RESTARTS, row.AGE]).toEqual([mine.ready, mine.status, mine.restarts, mine.age]);
			expect(row.NODE).toBe('sandbox-node-1');
			expect(row.IP).toMatch(/^10\.244\.\d+\.\d+$/);
		}
	});
});
