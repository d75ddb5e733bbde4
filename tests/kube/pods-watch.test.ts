// The pods cache against the sandbox: the initial list, a rollout seen as ADDED/MODIFIED/DELETED
// with statuses moving Pending → ContainerCreating → Running, and rows that match kubectl's.
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {toPlain} from '../../source/kube/client.js';
import {createPodsView, freshnessLabel, podRows} from '../../source/kube/pods-model.js';
import {ResourceWatch} from '../../source/kube/resource-watch.js';
import type {Pod} from '../../source/kube/types.js';
import {IMAGE, type KubeTestEnv, NS, parseTable, startKubeTestEnv, waitFor} from './helpers.js';
import {itNeeds} from '../helpers/requirements.js';

let env: KubeTestEnv;
beforeAll(async () => {
	env = await startKubeTestEnv({speed: 10});
});
afterAll(async () => env?.close());

describe('pods cache', () => {
	itNeeds(['kubectl'])('lists, goes live, and follows a rollout through its statuses', async () => {
		const events: Array<{type: string; name: string; status: string}> = [];
		const watch = new ResourceWatch<Pod>({
			client: env.client,
			kind: 'pods',
			namespace: NS,
			labelSelector: 'app=overlord',
			batchMs: 50,
			onEvent: (type, pod) => events.push({type, name: pod.metadata.name, status: podRows([pod], Date.now())[0]!.status}),
		});
		let notified = 0;
		watch.subscribe(() => notified++);
		try {
			expect(watch.state.status).toBe('connecting');
			watch.start();
			await waitFor(() => watch.state.status === 'live' && watch.state.items.size === 3, 5000, 'the initial list');
			expect(watch.state.syncedAt).not.toBeNull();
			expect(Number(watch.state.resourceVersion)).toBeGreaterThan(0);
			const initial = [...watch.state.items.keys()].sort();
			const rows = podRows(watch.state.items.values(), Date.now());
			expect(rows.map(r => r.name)).toEqual(initial);
			expect(rows.every(r => r.status === 'Running' && r.ready === '1/1' && r.tone === 'ok')).toBe(true);
			expect(freshnessLabel(watch.state, Date.now()).text).toMatch(/^● \d+s$/);
			await waitFor(() => notified > 0, 2000, 'a listener call');

			await env.client.apps().patchNamespacedDeployment(
				{name: 'overlord', namespace: NS, body: {spec: {template: {spec: {containers: [{name: 'overlord', image: `${IMAGE}:v1.2.0`}]}}}}},
				env.client.k8s.setHeaderOptions('Content-Type', env.client.k8s.PatchStrategy.StrategicMergePatch),
			);
			await waitFor(() => {
				const pods = [...watch.state.items.values()];
				return (
					pods.length === 3 &&
					pods.every(p => p.spec?.containers[0] && (p.spec.containers[0] as {image?: string}).image === `${IMAGE}:v1.2.0`) &&
					podRows(pods, Date.now()).every(r => r.status === 'Running' && r.ready === '1/1')
				);
			}, 15_000, 'the rollout to finish in the cache');

			const types = new Set(events.map(e => e.type));
			expect(types).toEqual(new Set(['ADDED', 'MODIFIED', 'DELETED']));
			for (const name of initial) expect(events.some(e => e.type === 'DELETED' && e.name === name)).toBe(true);
			expect(events.some(e => e.status === 'Terminating')).toBe(true);
			// Each new pod is seen moving through kubectl's statuses, in order.
			const fresh = [...watch.state.items.keys()];
			for (const name of fresh) {
				const seen = events.filter(e => e.name === name).map(e => e.status);
				const order = ['Pending', 'ContainerCreating', 'Running'].map(s => seen.indexOf(s));
				expect(order.every(i => i >= 0), `${name}: ${seen.join(' → ')}`).toBe(true);
				expect(order).toEqual([...order].sort((a, b) => a - b));
			}

			// The cache's rows are kubectl's rows.
			const table = parseTable((await env.kubectl(['get', 'pods', '-n', NS, '-l', 'app=overlord'])).stdout);
			const mine = createPodsView()(watch.state, 0, 40, Date.now()).rows;
			expect(mine.map(r => [r.name, r.ready, r.status, r.restarts])).toEqual(table.map(r => [r.NAME, r.READY, r.STATUS, r.RESTARTS]));
		} finally {
			watch.stop();
		}
	});

	it('list items, typed results (through toPlain) and watch objects share one plain-JSON shape', async () => {
		const listed = (await env.client.list<Pod>('pods', NS)).items[0]!;
		const typed = toPlain<Pod>(await env.client.core().readNamespacedPod({name: listed.metadata.name, namespace: NS}));
		expect(typeof listed.metadata.creationTimestamp).toBe('string');
		expect(typed).toEqual(listed);
		const w = new ResourceWatch<Pod>({client: env.client, kind: 'pods', namespace: NS, fieldSelector: `metadata.name=${listed.metadata.name}`, batchMs: 10});
		let watched: Pod | undefined;
		try {
			w.start();
			await waitFor(() => w.state.status === 'live', 5000, 'live');
			// A change, so the object in the cache is one a WATCH event delivered.
			env.cluster.store.mutate('pods', NS, listed.metadata.name, p => {
				p.metadata.annotations = {...p.metadata.annotations, shape: 'watched'};
			});
			watched = await waitFor(() => {
				const pod = w.state.items.get(listed.metadata.name);
				return pod?.metadata.annotations?.shape === 'watched' && pod;
			}, 5000, 'the watched change');
		} finally {
			w.stop();
		}
		const relisted = (await env.client.list<Pod>('pods', NS, {fieldSelector: `metadata.name=${listed.metadata.name}`})).items[0]!;
		expect(watched).toEqual(relisted);
	});

	it('stop() ends everything: no more listener calls', async () => {
		const watch = new ResourceWatch<Pod>({client: env.client, kind: 'pods', namespace: NS, batchMs: 20});
		let calls = 0;
		watch.subscribe(() => calls++);
		watch.start();
		await waitFor(() => watch.state.status === 'live', 5000, 'live');
		watch.stop();
		const before = calls;
		env.cluster.store.mutate('pods', NS, [...watch.state.items.keys()][0]!, p => {
			p.metadata.annotations = {...p.metadata.annotations, poke: '1'};
		});
		await new Promise(r => setTimeout(r, 150));
		expect(calls).toBe(before);
		expect(env.cluster.faults.state().openWatches).toBe(0);
	});
});
