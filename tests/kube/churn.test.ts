// Batching under load: 2,000 pods updated 200 times a second cost about one listener call per
// batch interval, every event is applied, and the cache ends equal to the server's list.
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {createPodsView} from '../../source/kube/pods-model.js';
import {ResourceWatch} from '../../source/kube/resource-watch.js';
import type {Pod} from '../../source/kube/types.js';
import {type KubeTestEnv, sleep, startKubeTestEnv, waitFor} from './helpers.js';

let env: KubeTestEnv;
beforeAll(async () => {
	env = await startKubeTestEnv({speed: 10});
});
afterAll(async () => env?.close());

describe('batched listener calls under churn', () => {
	it('calls the listener at most once per interval and converges', async () => {
		const batchMs = 100;
		const churn = env.cluster.churn({namespace: 'churn', pods: 2000, ratePerSecond: 200});
		let events = 0;
		const watch = new ResourceWatch<Pod>({client: env.client, kind: 'pods', namespace: 'churn', batchMs, onEvent: () => events++});
		const view = createPodsView();
		let calls = 0;
		let rows = 0;
		watch.subscribe(state => {
			calls++;
			rows = view(state, 0, 40, Date.now()).rows.length;
		});
		try {
			watch.start();
			await waitFor(() => watch.state.status === 'live' && watch.state.items.size === 2000, 10_000, 'the initial 2,000 pods');
			const start = {at: Date.now(), calls, events, updates: churn.updates()};
			await sleep(3000);
			const window = {ms: Date.now() - start.at, calls: calls - start.calls, events: events - start.events, updates: churn.updates() - start.updates};
			churn.stop();
			await waitFor(() => {
				const server = env.cluster.store.list('pods', 'churn');
				return server.length === watch.state.items.size && server.every(p => watch.state.items.get(p.metadata.name)?.metadata.resourceVersion === p.metadata.resourceVersion);
			}, 5000, 'the cache to converge to the server');
			expect(window.updates).toBeGreaterThanOrEqual(500);
			// Events keep flowing (all of them: none is lost), but redraws are bounded by the interval.
			expect(window.events).toBeGreaterThanOrEqual(window.updates * 0.8);
			expect(window.calls).toBeGreaterThanOrEqual(5);
			expect(window.calls).toBeLessThanOrEqual(Math.ceil(window.ms / batchMs) + 2);
			expect(rows).toBe(40);
			expect(watch.state.status).toBe('live');
		} finally {
			watch.stop();
			churn.stop();
		}
	});
});
