// The pipeline watcher on its own against the sandbox GitHub: unchanged polls are free 304s that notify nobody,
// failures back off (doubling, capped) and keep what was known, the watch recovers by itself, and stop() ends
// it at once, even with a poll in flight.
import {setTimeout as pause} from 'node:timers/promises';
import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest';
import type {RepoTarget} from '../../source/github/client.js';
import {PipelineWatch} from '../../source/github/pipeline-watch.js';
import {startWorld, type TestWorld} from './helpers.js';

let w: TestWorld;
let operator: RepoTarget;
beforeAll(async () => {
	w = await startWorld();
	// No retries inside Octokit: every failure the sandbox injects reaches the watch.
	operator = await w.target(undefined, {retries: 0});
});
const watches: PipelineWatch[] = [];
afterEach(() => {
	for (const watch of watches.splice(0)) watch.stop();
	w.gh.faults.clear();
});
afterAll(async () => w?.close());

function watch(options: ConstructorParameters<typeof PipelineWatch>[1]): PipelineWatch {
	const made = new PipelineWatch(operator, options);
	watches.push(made);
	return made;
}

async function until<T>(probe: () => T | undefined | false | null, what: string, ms = 15_000): Promise<T> {
	const end = Date.now() + ms;
	for (;;) {
		const value = probe();
		if (value) return value;
		if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
		await pause(5);
	}
}

const remaining = async () => (await operator.client.octokit.rest.rateLimit.get()).data.resources.core.remaining;

describe('PipelineWatch against the sandbox GitHub', () => {
	it('follows the newest run on the default branch; unchanged polls are 304s that cost nothing and notify nobody', async () => {
		const pipeline = watch({pollMs: 20});
		let heard = 0;
		pipeline.subscribe(() => heard++);
		pipeline.start();
		const run = await until(() => pipeline.state.run?.status === 'completed' && pipeline.state.run, 'the completed run on main');
		expect(pipeline.state).toMatchObject({branch: 'main', error: null, done: false});
		expect(pipeline.state.jobs.length).toBeGreaterThan(0);
		const settled = {heard, version: pipeline.snapshot(), fetched: pipeline.stats.fetched, notModified: pipeline.stats.notModified, polls: pipeline.stats.polls};
		const before = await remaining();
		await until(() => pipeline.stats.notModified >= settled.notModified + 10 && pipeline.stats.polls >= settled.polls + 10, 'ten more polls');
		expect(heard).toBe(settled.heard);
		expect(pipeline.snapshot()).toBe(settled.version);
		expect(pipeline.stats.fetched).toBe(settled.fetched);
		expect(await remaining()).toBe(before);
		expect(pipeline.state.run).toBe(run);
		expect(pipeline.state.lastOkAt).not.toBeNull();
	});

	it('backs off on failures, doubling up to the cap, keeps what it knew, and recovers by itself', async () => {
		const pollMs = 40;
		const backoffMaxMs = 400;
		const pipeline = watch({pollMs, backoffMaxMs});
		pipeline.start();
		const run = await until(() => pipeline.state.run?.status === 'completed' && pipeline.state.run, 'the run');
		let heard = 0;
		pipeline.subscribe(() => heard++);
		w.gh.faults.serverError({count: 4, path: '/actions/runs'});
		const delays = new Map<number, number>();
		const sampler = setInterval(() => {
			const {failures, nextDelayMs} = pipeline.stats;
			if (failures > 0 && nextDelayMs !== null) delays.set(failures, nextDelayMs);
		}, 2);
		try {
			await until(() => pipeline.state.error, 'the error');
			expect(pipeline.state.error).toMatch(/502/);
			// What was known stays on screen through the outage.
			expect(pipeline.state.run).toBe(run);
			await until(() => pipeline.stats.failures === 0 && pipeline.state.error === null, 'the recovery');
		} finally {
			clearInterval(sampler);
		}
		expect([...delays.keys()].sort()).toEqual([1, 2, 3, 4]);
		for (const [failures, delay] of delays) {
			const base = Math.min(backoffMaxMs, pollMs * 2 ** failures);
			expect(delay, `after ${failures} failures`).toBeGreaterThanOrEqual(base * 0.75);
			expect(delay, `after ${failures} failures`).toBeLessThanOrEqual(base * 1.25);
		}
		// One notification when the error appeared, one when it cleared: repeated failures say nothing new.
		expect(heard).toBe(2);
		expect(pipeline.stats.nextDelayMs).toBe(pollMs);
		expect(pipeline.state.run).toBe(run);
	});

	it('stop() ends it at once: no more polls, no more notifications, also with a poll in flight', async () => {
		const clock = watch({pollMs: 20}).start();
		const inFlight = watch({pollMs: 20});
		let heardInFlight = 0;
		inFlight.subscribe(() => heardInFlight++);
		inFlight.start();
		inFlight.stop();

		const running = watch({pollMs: 20}).start();
		await until(() => running.state.run, 'the run');
		let heardRunning = 0;
		running.subscribe(() => heardRunning++);
		running.stop();
		const polls = running.stats.polls;

		// The clock watch polls on: once it has polled ten more times, the stopped ones would have too.
		const from = clock.stats.polls;
		await until(() => clock.stats.polls >= from + 10, 'ten polls of the clock watch');
		expect(inFlight.stats.polls).toBe(1);
		expect(heardInFlight).toBe(0);
		expect(inFlight.state.run).toBeNull();
		expect(running.stats.polls).toBe(polls);
		expect(heardRunning).toBe(0);
	});
});
