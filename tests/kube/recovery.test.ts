// Watch recovery against the sandbox's faults: dropped streams, 500s, silent stalls, 410 Expired,
// and a server that is gone. The cache converges each time and never presents old data as fresh.
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {freshnessLabel} from '../../source/kube/pods-model.js';
import {isFresh, ResourceWatch, type ResourceWatchOptions} from '../../source/kube/resource-watch.js';
import type {Pod} from '../../source/kube/types.js';
import {type KubeTestEnv, NS, sleep, startKubeTestEnv, waitFor} from './helpers.js';

let env: KubeTestEnv;
beforeAll(async () => {
	// Bookmarks every 200 ms, so a 1 s watchdog never fires on a healthy, quiet watch.
	env = await startKubeTestEnv({speed: 10, bookmarkIntervalMs: 200});
});
afterAll(async () => env?.close());

const watches: ResourceWatch<Pod>[] = [];
afterAll(() => {
	for (const w of watches) w.stop();
});

let opened = 0;
const watchesOpened = () => opened;

function podsWatch(options: Partial<ResourceWatchOptions<Pod>> = {}) {
	// The real client, with the watches it opens counted.
	const client: ResourceWatchOptions<Pod>['client'] = {
		list: (...args) => env.client.list(...args),
		watch: (...args) => {
			opened++;
			return env.client.watch(...args);
		},
	};
	const w = new ResourceWatch<Pod>({client, kind: 'pods', namespace: NS, batchMs: 20, watchdogMs: 1000, backoffInitialMs: 200, backoffMaxMs: 1000, ...options});
	watches.push(w);
	return w.start();
}

/** Samples the watch's status and label every 10 ms until stopped. */
function sample(w: ResourceWatch<Pod>) {
	const seen: Array<{status: string; label: string; fresh: boolean}> = [];
	const t = setInterval(() => {
		const s = w.state;
		seen.push({status: s.status, label: freshnessLabel(s, Date.now()).text, fresh: isFresh(s)});
	}, 10);
	return {seen, stop: () => clearInterval(t)};
}

let touches = 0;
function touch(): string {
	const pod = env.cluster.store.list('pods', NS)[0]!;
	const value = String(++touches);
	env.cluster.store.mutate('pods', NS, pod.metadata.name, p => {
		p.metadata.annotations = {...p.metadata.annotations, touch: value};
	});
	return value;
}
const seesTouch = (w: ResourceWatch<Pod>, value: string) => [...w.state.items.values()].some(p => p.metadata.annotations?.touch === value);

/** The cache holds exactly the server's pods at their current resourceVersions. */
function converged(w: ResourceWatch<Pod>): boolean {
	const server = env.cluster.store.list('pods', NS);
	return server.length === w.state.items.size && server.every(p => w.state.items.get(p.metadata.name)?.metadata.resourceVersion === p.metadata.resourceVersion);
}

describe('watch recovery', () => {
	it('reconnects after dropped streams (reset and clean close) and converges', async () => {
		const w = podsWatch();
		await waitFor(() => w.state.status === 'live', 5000, 'live');
		for (const mode of ['reset', 'close'] as const) {
			expect(env.cluster.faults.dropWatches(mode)).toBeGreaterThanOrEqual(1);
			// The sandbox writes to a watch it has just end()ed if a change comes in the same tick.
			await sleep(20);
			const value = touch();
			await waitFor(() => w.state.status === 'live' && seesTouch(w, value), 5000, `recovery after a ${mode}`);
		}
		await waitFor(() => converged(w), 3000, 'convergence');
		w.stop();
	});

	it('answers 500s: reconnecting (never fresh) until the API is back, then live', async () => {
		const w = podsWatch();
		await waitFor(() => w.state.status === 'live', 5000, 'live');
		const s = sample(w);
		env.cluster.faults.fail500(2);
		env.cluster.faults.dropWatches();
		const value = touch();
		await waitFor(() => w.state.status === 'reconnecting' && w.state.lastError?.includes('500'), 2000, 'reconnecting on 500');
		expect(freshnessLabel(w.state, Date.now()).text).toMatch(/^reconnecting \d+s$/);
		expect(w.state.items.size).toBe(3);
		const failedAt = s.seen.length;
		await waitFor(() => w.state.status === 'live', 6000, 'live again');
		s.stop();
		expect(seesTouch(w, value)).toBe(true);
		const during = s.seen.slice(failedAt, s.seen.findIndex((x, i) => i >= failedAt && x.status === 'live'));
		expect(during.length).toBeGreaterThan(50);
		expect(during.every(x => !x.fresh && !x.label.startsWith('●'))).toBe(true);
		expect(s.seen.every(x => x.fresh === x.label.startsWith('●'))).toBe(true);
		w.stop();
	});

	it('turns stale when the outage lasts, keeping the items', async () => {
		const w = podsWatch({staleAfterMs: 400});
		await waitFor(() => w.state.status === 'live', 5000, 'live');
		const names = [...w.state.items.keys()];
		env.cluster.faults.fail500(1.5);
		env.cluster.faults.dropWatches();
		await waitFor(() => w.state.status === 'stale', 3000, 'stale');
		expect(freshnessLabel(w.state, Date.now())).toEqual({text: expect.stringMatching(/^stale \d+s$/), tone: 'error'});
		expect([...w.state.items.keys()]).toEqual(names);
		await waitFor(() => w.state.status === 'live', 6000, 'live again');
		w.stop();
	});

	it('restarts a silently stalled watch from its watchdog', async () => {
		const w = podsWatch({watchdogMs: 800});
		await waitFor(() => w.state.status === 'live', 5000, 'live');
		await sleep(1200); // bookmarks keep a healthy watch alive past the watchdog
		expect(w.state.status).toBe('live');
		env.cluster.faults.stallWatches();
		const value = touch();
		await sleep(300);
		expect(seesTouch(w, value)).toBe(false);
		await waitFor(() => seesTouch(w, value), 4000, 'the watchdog to restart the watch');
		expect(w.state.status).toBe('live');

		// Watches born stalled for a while: the watchdog keeps trying until one works.
		const opened = watchesOpened();
		env.cluster.faults.stallWatches(2.5);
		const second = touch();
		await waitFor(() => seesTouch(w, second) && w.state.status === 'live', 8000, 'recovery from born-stalled watches');
		// Counted at the client rather than sampled from the state: on a loaded machine the moment between a watchdog's
		// restart and the next watch opening is shorter than a timer's tick.
		expect(watchesOpened() - opened).toBeGreaterThanOrEqual(2);
		env.cluster.faults.clear();
		w.stop();
	});

	it('relists on 410 Expired and drops what was deleted meanwhile', async () => {
		// A client that records what the watch is told and how often it lists.
		const codes: number[] = [];
		let lists = 0;
		const client: ResourceWatchOptions<Pod>['client'] = {
			list: (...args) => (lists++, env.client.list(...args)),
			watch: (kind, ns, query, onEvent, onDone) =>
				env.client.watch(kind, ns, query, (type, object) => {
					if (type === 'ERROR') codes.push((object as {code: number}).code);
					onEvent(type, object);
				}, onDone),
		};
		const w = podsWatch({backoffInitialMs: 400, client});
		await waitFor(() => w.state.status === 'live', 5000, 'live');
		const syncedBefore = w.state.syncedAt!;
		const victim = [...w.state.items.keys()][0]!;
		env.cluster.faults.dropWatches('reset');
		// While the client waits out its backoff: a deletion, then the history it would resume from is gone.
		env.cluster.store.remove('pods', NS, victim);
		env.cluster.faults.expireHistory();
		await waitFor(() => w.state.syncedAt! > syncedBefore && w.state.status === 'live', 5000, 'a relist');
		expect(w.state.items.has(victim)).toBe(false);
		expect(codes).toEqual([410]);
		expect(lists).toBe(2);
		await waitFor(() => converged(w), 5000, 'convergence');
		w.stop();
	});

	it('keeps the last items, marked stale, when the server is gone (last: stops the sandbox)', async () => {
		const w = podsWatch({staleAfterMs: 300});
		await waitFor(() => w.state.status === 'live', 5000, 'live');
		const names = [...w.state.items.keys()].sort();
		await env.cluster.stop();
		await waitFor(() => w.state.status === 'stale', 4000, 'stale');
		expect(w.state.lastError).toMatch(/ECONNREFUSED|ECONNRESET|socket|closed/i);
		expect([...w.state.items.keys()].sort()).toEqual(names);
		expect(freshnessLabel(w.state, Date.now()).text).toMatch(/^stale /);
		w.stop();
	});
});
