// Load: a 5,000-pod list and watches at 200 events/s must stay quick on a 2-core machine.
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {httpsRequest, NS, parseTable, startTestCluster, streamLines, type TestCluster, waitFor} from './helpers.js';
import {itNeeds} from '../helpers/requirements.js';

let t: TestCluster;
let token: string;
beforeAll(async () => {
	t = await startTestCluster({speed: 1});
	token = await t.token();
});
afterAll(async () => t?.close());

describe('load', () => {
	itNeeds(['kubectl'])('serves a 5,000-pod list and a 200 events/s watch', async () => {
		const churn = t.cluster.churn({namespace: 'churn', pods: 5000, ratePerSecond: 200});
		expect(churn.created).toBe(5000);

		let started = performance.now();
		const res = await httpsRequest(t.cluster, '/api/v1/namespaces/churn/pods', {token});
		const listMs = performance.now() - started;
		expect(res.status).toBe(200);
		const list = JSON.parse(res.body);
		expect(list.items).toHaveLength(5000);

		started = performance.now();
		const table = await t.kubectl(['get', 'pods', '-n', 'churn', '--no-headers']);
		const kubectlMs = performance.now() - started;
		expect(table.stdout.trim().split('\n')).toHaveLength(5000);

		const rv = list.metadata.resourceVersion;
		const watches = await Promise.all([1, 2, 3].map(() => streamLines(t.cluster, `/api/v1/namespaces/churn/pods?watch=true&resourceVersion=${rv}`, token)));
		// Let the replay of what happened since the list drain before measuring the live rate.
		await new Promise(r => setTimeout(r, 500));
		const windowStart = performance.now();
		const countAtStart = watches.map(w => w.lines.length);
		await new Promise(r => setTimeout(r, 2000));
		const seconds = (performance.now() - windowStart) / 1000;
		const rates = watches.map((w, i) => (w.lines.length - countAtStart[i]!) / seconds);
		for (const w of watches) w.close();
		const last = JSON.parse(watches[0]!.lines.at(-1)!);
		expect(last.type).toBe('MODIFIED');

		// The rest of the cluster stays responsive under churn.
		started = performance.now();
		const pods = parseTable((await t.kubectl(['get', 'pods', '-n', NS])).stdout);
		const smallMs = performance.now() - started;
		expect(pods).toHaveLength(3);
		churn.stop();

		console.log(
			`[sandbox load] 5000-pod JSON list ${listMs.toFixed(0)} ms (${(res.body.length / 1e6).toFixed(1)} MB); ` +
				`kubectl get pods (Table, 10 pages) ${kubectlMs.toFixed(0)} ms; watch rates ${rates.map(r => r.toFixed(0)).join('/')} events/s; ` +
				`kubectl get pods in another namespace under churn ${smallMs.toFixed(0)} ms`,
		);
		expect(listMs).toBeLessThan(3000);
		for (const rate of rates) expect(rate).toBeGreaterThan(170);
	});

	it('keeps resuming watches inside the history window and 410s beyond it', async () => {
		const small = await startTestCluster({historyLimit: 100});
		try {
			const tok = await small.token();
			const rv = small.cluster.store.currentRv();
			const churn = small.cluster.churn({namespace: 'churn', pods: 200});
			churn.stop();
			const res = await httpsRequest(small.cluster, `/api/v1/namespaces/churn/pods?watch=true&resourceVersion=${rv}&timeoutSeconds=1`, {token: tok});
			expect(JSON.parse(res.body.trim().split('\n')[0]!)).toMatchObject({type: 'ERROR', object: {code: 410}});
			const recent = small.cluster.store.currentRv() - 50;
			const ok = await streamLines(small.cluster, `/api/v1/namespaces/churn/pods?watch=true&resourceVersion=${recent}`, tok);
			const expected = (small.cluster.store.eventsSince(recent) as Array<{resource: string; object: {metadata: {namespace?: string}}}>).filter(
				e => e.resource === 'pods' && e.object.metadata.namespace === 'churn',
			).length;
			expect(expected).toBeGreaterThan(30);
			await waitFor(() => ok.lines.length >= expected, 5000, 'replayed events');
			ok.close();
		} finally {
			await small.close();
		}
	});
});
