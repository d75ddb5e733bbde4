// Polling cost and re-render discipline: with ETags an unchanged poll is two 304s that leave the
// rate limit alone and wake no subscriber; without them each poll costs two requests. Plus the
// pure pane model (gh's icons, durations, "time ago").
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {type RepoTarget} from '../../source/github/client.js';
import {findRunForCommit, formatDuration, fuzzyAgo, pipelineModel, type PipelineSnapshot, RunWatcher, statusIcon} from '../../source/github/pipeline.js';
import {releaseToMerge, rejection, startWorld, type TestWorld} from './helpers.js';

let w: TestWorld;
let operator: RepoTarget;
beforeAll(async () => {
	w = await startWorld();
	operator = await w.target();
});
afterAll(async () => w?.close());

const remaining = async () => (await operator.client.octokit.rest.rateLimit.get()).data.resources.core.remaining;

/** A finished run: develop's last push. */
async function finishedRun(): Promise<number> {
	const {data} = await operator.client.octokit.rest.actions.listWorkflowRuns({owner: operator.owner, repo: operator.repo, workflow_id: 'ci-cd-full-cycle.yml', branch: 'develop'});
	return data.workflow_runs[0]!.id;
}

describe('polling with ETags', () => {
	it('costs nothing and notifies nobody while a run does not change', async () => {
		const runId = await finishedRun();
		const watcher = new RunWatcher(operator, runId);
		let notified = 0;
		watcher.subscribe(() => notified++);
		expect(await watcher.poll()).toBe(true);
		expect(notified).toBe(1);
		const start = await remaining();
		for (let i = 0; i < 10; i++) expect(await watcher.poll()).toBe(false);
		expect(await remaining()).toBe(start);
		expect(notified).toBe(1);
		expect(watcher.stats).toEqual({polls: 11, fetched: 2, notModified: 20, changes: 1});
		// The same ten polls the way gh does them, without If-None-Match: two requests each.
		const {owner, repo} = operator;
		for (let i = 0; i < 10; i++) {
			await operator.client.octokit.rest.actions.getWorkflowRun({owner, repo, run_id: runId});
			await operator.client.octokit.rest.actions.listJobsForWorkflowRun({owner, repo, run_id: runId});
		}
		expect(start - (await remaining())).toBe(20);
	});

	it('notifies on each change of a live run, and only then', async () => {
		const {sha} = await releaseToMerge(w);
		const run = await findRunForCommit(operator, {sha, event: 'push', intervalMs: 50, timeoutMs: 15_000});
		const watcher = new RunWatcher(operator, run.id, {intervalMs: 40});
		const seen: PipelineSnapshot[] = [];
		watcher.subscribe(s => seen.push(structuredClone(s)));
		await watcher.until(s => s.run.status === 'waiting', {timeoutMs: 20_000});
		for (let i = 1; i < seen.length; i++) expect(JSON.stringify(seen[i]), `notification ${i}`).not.toBe(JSON.stringify(seen[i - 1]));
		expect(watcher.stats.changes).toBe(seen.length);
		// Waiting for approval is a steady state: polls are free until someone approves.
		const before = await remaining();
		const notModified = watcher.stats.notModified;
		for (let i = 0; i < 5; i++) expect(await watcher.poll()).toBe(false);
		expect(await remaining()).toBe(before);
		expect(watcher.stats.notModified - notModified).toBe(10);
		expect(watcher.stats.changes).toBe(seen.length);
	});

	it('start() polls on its own and stops once the run has completed', async () => {
		const watcher = new RunWatcher(operator, await finishedRun(), {intervalMs: 30});
		const done = new Promise<PipelineSnapshot>(resolve => watcher.subscribe(resolve));
		watcher.start();
		expect((await done).run.status).toBe('completed');
		await new Promise(r => setTimeout(r, 200));
		expect(watcher.stats.polls).toBe(1);
		watcher.stop();
	});

	it('gives up finding a run for a commit that has none', async () => {
		const error = await rejection(findRunForCommit(operator, {sha: 'f'.repeat(40), workflow: 'ci-cd-full-cycle.yml', intervalMs: 50, timeoutMs: 200}));
		expect(error).toMatchObject({kind: 'timeout', message: 'No ci-cd-full-cycle.yml run for commit fffffff after 0 s.'});
	});
});

describe('the pane model', () => {
	it('uses gh\'s icons and colours', () => {
		expect(statusIcon('completed', 'success')).toEqual({icon: '✓', color: 'green'});
		expect(statusIcon('completed', 'skipped')).toEqual({icon: '-', color: 'grey'});
		expect(statusIcon('completed', 'neutral')).toEqual({icon: '-', color: 'grey'});
		for (const c of ['failure', 'cancelled', 'timed_out', 'action_required', 'startup_failure']) expect(statusIcon('completed', c)).toEqual({icon: 'X', color: 'red'});
		for (const s of ['queued', 'in_progress', 'waiting', 'pending', 'requested']) expect(statusIcon(s, null)).toEqual({icon: '*', color: 'yellow'});
	});

	it('prints durations and ages like gh', () => {
		expect([0, 999, 45_000, 62_000, 3_605_000].map(formatDuration)).toEqual(['0s', '1s', '45s', '1m2s', '1h0m5s']);
		expect([10_000, 60_000, 150_000, 3_600_000, 2 * 86_400_000].map(fuzzyAgo)).toEqual(['less than a minute ago', 'about 1 minute ago', 'about 2 minutes ago', 'about 1 hour ago', 'about 2 days ago']);
	});

	it('models a run: title, trigger, jobs with elapsed time, steps, waiting', () => {
		const t = Date.parse('2025-01-10T12:00:00Z');
		const at = (s: number) => new Date(t + s * 1000).toISOString().replace(/\.000Z$/, 'Z');
		const run = {id: 7, name: 'CI/CD Full Cycle', head_branch: 'main', head_sha: 'abc', event: 'push', status: 'waiting', conclusion: null, created_at: at(0), run_started_at: at(0), html_url: 'https://github.com/o/r/actions/runs/7'};
		const jobs = [
			{id: 1, name: 'Quality Gates', status: 'completed', conclusion: 'success', started_at: at(5), completed_at: at(200), steps: [{name: 'Lint', number: 1, status: 'completed', conclusion: 'success', started_at: at(5), completed_at: at(65)}]},
			{id: 2, name: 'E2E Tests', status: 'completed', conclusion: 'skipped', started_at: at(200), completed_at: at(200), steps: []},
			{id: 3, name: 'Docker Build', status: 'in_progress', conclusion: null, started_at: at(210), steps: [{name: 'Build and push image', number: 1, status: 'in_progress', conclusion: null, started_at: at(215)}]},
			{id: 4, name: 'Production Deployment', status: 'waiting', conclusion: null, started_at: at(0), steps: []},
		];
		const m = pipelineModel(run, jobs, t + 300_000);
		expect(m).toMatchObject({title: '* main CI/CD Full Cycle · 7', subtitle: 'Triggered via push about 5 minutes ago', waiting: true, waitingJobs: ['Production Deployment'], done: false, elapsed: '5m0s'});
		expect(m.jobs.map(j => j.text)).toEqual([
			'✓ Quality Gates in 3m15s (ID 1)', '- E2E Tests in 0s (ID 2)', '* Docker Build in 1m30s (ID 3)', '* Production Deployment (waiting for approval) (ID 4)',
		]);
		expect(m.jobs[0]!.steps).toEqual([{number: 1, name: 'Lint', icon: '✓', color: 'green', elapsed: '1m0s'}]);
		expect(m.jobs[2]!.steps[0]).toMatchObject({icon: '*', color: 'yellow', elapsed: '1m25s'});
	});
});
