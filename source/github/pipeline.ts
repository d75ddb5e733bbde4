// The pipeline pane's data: the workflow run for a merge commit (matched by sha — the newest run is
// often someone else's), polled with ETags so unchanged polls cost no rate limit and wake nobody,
// and a pure model of it in `gh run watch`'s terms (icons, colours, durations).
import {setTimeout as sleep} from 'node:timers/promises';
import {conditionalGet, EtagCache, GitHubError, type RepoTarget} from './client.js';

export interface StepLike {
	name: string;
	number: number;
	status: string;
	conclusion: string | null;
	started_at?: string | null;
	completed_at?: string | null;
}

export interface JobLike {
	id: number;
	name: string;
	status: string;
	conclusion: string | null;
	started_at?: string | null;
	completed_at?: string | null;
	html_url?: string | null;
	steps?: StepLike[];
}

export interface RunLike {
	id: number;
	name?: string | null;
	display_title?: string;
	head_branch: string | null;
	head_sha: string;
	event: string;
	status: string | null;
	conclusion: string | null;
	created_at: string;
	updated_at?: string;
	run_started_at?: string;
	html_url: string;
	run_number?: number;
	workflow_id?: number;
}

export type IconColor = 'green' | 'grey' | 'red' | 'yellow';

/** gh's symbols: ✓ success, - skipped/neutral, X any other conclusion, * not finished. */
export function statusIcon(status: string | null, conclusion: string | null): {icon: string; color: IconColor} {
	if (status !== 'completed') return {icon: '*', color: 'yellow'};
	if (conclusion === 'success') return {icon: '✓', color: 'green'};
	if (conclusion === 'skipped' || conclusion === 'neutral') return {icon: '-', color: 'grey'};
	return {icon: 'X', color: 'red'};
}

/** Go's Duration.String() at second precision, as gh prints elapsed times: `0s`, `45s`, `1m2s`, `1h0m5s`. */
export function formatDuration(ms: number): string {
	const total = Math.max(0, Math.round(ms / 1000));
	const h = Math.floor(total / 3600);
	const m = Math.floor((total % 3600) / 60);
	const s = total % 60;
	if (h) return `${h}h${m}m${s}s`;
	if (m) return `${m}m${s}s`;
	return `${s}s`;
}

/** gh's fuzzy "time ago". */
export function fuzzyAgo(ms: number): string {
	const minutes = Math.floor(ms / 60_000);
	if (minutes < 1) return 'less than a minute ago';
	if (minutes < 60) return `about ${minutes} minute${minutes === 1 ? '' : 's'} ago`;
	const hours = Math.floor(minutes / 60);
	if (hours < 24) return `about ${hours} hour${hours === 1 ? '' : 's'} ago`;
	const days = Math.floor(hours / 24);
	return `about ${days} day${days === 1 ? '' : 's'} ago`;
}

const time = (s: string | null | undefined) => (s ? Date.parse(s) : Number.NaN);

function elapsed(startedAt: string | null | undefined, completedAt: string | null | undefined, status: string, now: number): string | undefined {
	const start = time(startedAt);
	if (Number.isNaN(start) || status === 'queued' || status === 'waiting') return undefined;
	const end = status === 'completed' ? time(completedAt) : now;
	return formatDuration((Number.isNaN(end) ? now : end) - start);
}

export interface StepLine {
	number: number;
	name: string;
	icon: string;
	color: IconColor;
	elapsed?: string;
}

export interface JobLine {
	id: number;
	name: string;
	icon: string;
	color: IconColor;
	status: string;
	conclusion: string | null;
	waiting: boolean;
	elapsed?: string;
	/** `✓ Quality Gates in 1m2s (ID 123)`, as gh prints it. */
	text: string;
	steps: StepLine[];
}

export interface PipelineModel {
	runId: number;
	icon: string;
	color: IconColor;
	/** `* main CI/CD Full Cycle · 11204000004` */
	title: string;
	/** `Triggered via push about 2 minutes ago` */
	subtitle: string;
	status: string;
	conclusion: string | null;
	/** The run waits on a protected environment: time to look at pending deployments. */
	waiting: boolean;
	waitingJobs: string[];
	done: boolean;
	elapsed: string;
	jobs: JobLine[];
	url: string;
	sha: string;
}

export function pipelineModel(run: RunLike, jobs: JobLike[], now: number): PipelineModel {
	const status = run.status ?? 'queued';
	const {icon, color} = statusIcon(status, run.conclusion);
	const lines = jobs.map((job): JobLine => {
		const j = statusIcon(job.status, job.conclusion);
		const took = elapsed(job.started_at, job.completed_at, job.status, now);
		const waiting = job.status === 'waiting';
		return {
			id: job.id, name: job.name, icon: j.icon, color: j.color, status: job.status, conclusion: job.conclusion, waiting,
			elapsed: took,
			text: `${j.icon} ${job.name}${waiting ? ' (waiting for approval)' : took ? ` in ${took}` : ''} (ID ${job.id})`,
			steps: (job.steps ?? []).map(step => ({
				number: step.number, name: step.name, ...statusIcon(step.status, step.conclusion),
				elapsed: elapsed(step.started_at, step.completed_at, step.status, now),
			})),
		};
	});
	const start = time(run.run_started_at ?? run.created_at);
	const end = status === 'completed' ? time(run.updated_at) : now;
	return {
		runId: run.id, icon, color,
		title: `${icon} ${run.head_branch ?? ''} ${run.name ?? ''} · ${run.id}`.replace(/\s+/g, ' '),
		subtitle: `Triggered via ${run.event} ${fuzzyAgo(now - time(run.created_at))}`,
		status, conclusion: run.conclusion,
		waiting: status === 'waiting', waitingJobs: lines.filter(l => l.waiting).map(l => l.name),
		done: status === 'completed', elapsed: formatDuration((Number.isNaN(end) ? now : end) - start),
		jobs: lines, url: run.html_url, sha: run.head_sha,
	};
}

// ---------------------------------------------------------------------------------------------

export interface FindRunOptions {
	/** Workflow file name or id; none: the runs of every workflow for the commit. */
	workflow?: string | number;
	sha: string;
	event?: string;
	intervalMs?: number;
	timeoutMs?: number;
	signal?: AbortSignal;
	cache?: EtagCache;
}

/**
 * The run for a commit, waiting for GitHub to create it (a merge's run appears a few seconds later).
 * Matched by `head_sha`, never by recency; a re-run of the same commit picks the newest of those.
 */
export async function findRunForCommit(target: RepoTarget, options: FindRunOptions): Promise<RunLike> {
	const workflow = options.workflow;
	const cache = options.cache ?? new EtagCache();
	const deadline = Date.now() + (options.timeoutMs ?? 60_000);
	const query = {owner: target.owner, repo: target.repo, head_sha: options.sha, per_page: 20, ...(options.event ? {event: options.event} : {})};
	for (;;) {
		const {data} = workflow === undefined
			? await conditionalGet<{workflow_runs: RunLike[]}>(target.client, cache, 'GET /repos/{owner}/{repo}/actions/runs', query)
			: await conditionalGet<{workflow_runs: RunLike[]}>(target.client, cache, 'GET /repos/{owner}/{repo}/actions/workflows/{workflow_id}/runs', {...query, workflow_id: workflow});
		const mine = data.workflow_runs.filter(r => r.head_sha === options.sha && (!options.event || r.event === options.event));
		if (mine.length) return mine.reduce((a, b) => (time(b.created_at) > time(a.created_at) || (time(b.created_at) === time(a.created_at) && b.id > a.id) ? b : a));
		if (Date.now() > deadline) throw new GitHubError('timeout', `No ${workflow ?? 'workflow'} run for commit ${options.sha.slice(0, 7)} after ${Math.round((options.timeoutMs ?? 60_000) / 1000)} s.`);
		await sleep(options.intervalMs ?? 3000, undefined, {signal: options.signal});
	}
}

export interface PipelineSnapshot {
	run: RunLike;
	jobs: JobLike[];
}

export interface WatchStats {
	polls: number;
	/** Requests that came back 304 (free of rate limit). */
	notModified: number;
	/** Requests that came back 200. */
	fetched: number;
	/** Polls that changed something (and notified subscribers). */
	changes: number;
}

/**
 * Polls a run and its jobs with ETags. Subscribers hear only about changes: a poll answered 304
 * twice (run and jobs) notifies nobody, so the pane does not re-render.
 */
export class RunWatcher {
	private readonly cache = new EtagCache();
	private readonly listeners = new Set<(snapshot: PipelineSnapshot) => void>();
	private readonly errorListeners = new Set<(error: GitHubError) => void>();
	private timer: NodeJS.Timeout | undefined;
	private running = false;
	private current: PipelineSnapshot | undefined;
	readonly stats: WatchStats = {polls: 0, notModified: 0, fetched: 0, changes: 0};
	lastError: GitHubError | undefined;

	constructor(private readonly target: RepoTarget, readonly runId: number, private readonly options: {intervalMs?: number} = {}) {}

	get snapshot(): PipelineSnapshot | undefined {
		return this.current;
	}

	subscribe(listener: (snapshot: PipelineSnapshot) => void): () => void {
		this.listeners.add(listener);
		return () => this.listeners.delete(listener);
	}

	onError(listener: (error: GitHubError) => void): () => void {
		this.errorListeners.add(listener);
		return () => this.errorListeners.delete(listener);
	}

	/** One poll: true when the run or its jobs changed (subscribers were told). */
	async poll(): Promise<boolean> {
		const {owner, repo, client} = this.target;
		this.stats.polls++;
		const before = {...this.cache.counts};
		const [run, jobs] = await Promise.all([
			conditionalGet<RunLike>(client, this.cache, 'GET /repos/{owner}/{repo}/actions/runs/{run_id}', {owner, repo, run_id: this.runId}),
			conditionalGet<{jobs: JobLike[]}>(client, this.cache, 'GET /repos/{owner}/{repo}/actions/runs/{run_id}/jobs', {owner, repo, run_id: this.runId, per_page: 100}),
		]);
		this.stats.fetched += this.cache.counts.ok - before.ok;
		this.stats.notModified += this.cache.counts.notModified - before.notModified;
		if (!run.changed && !jobs.changed && this.current) return false;
		this.current = {run: run.data, jobs: jobs.data.jobs};
		this.stats.changes++;
		for (const listener of this.listeners) listener(this.current);
		return true;
	}

	/** Polls every `intervalMs` (default 3 s, gh's pace) until stopped or the run completes. */
	start(): void {
		if (this.running) return;
		this.running = true;
		const tick = async () => {
			if (!this.running) return;
			try {
				await this.poll();
				this.lastError = undefined;
			} catch (error) {
				this.lastError = error instanceof GitHubError ? error : this.target.client.explain(error);
				for (const listener of this.errorListeners) listener(this.lastError);
			}
			if (!this.running) return;
			if (this.current?.run.status === 'completed') {
				this.running = false;
				return;
			}
			this.timer = setTimeout(tick, this.options.intervalMs ?? 3000);
		};
		void tick();
	}

	stop(): void {
		this.running = false;
		if (this.timer) clearTimeout(this.timer);
		this.timer = undefined;
	}

	/** Polls until `predicate` holds for a snapshot (bounded by `timeoutMs`). */
	async until(predicate: (snapshot: PipelineSnapshot) => boolean, options: {timeoutMs?: number; signal?: AbortSignal} = {}): Promise<PipelineSnapshot> {
		const deadline = Date.now() + (options.timeoutMs ?? 10 * 60_000);
		for (;;) {
			await this.poll();
			if (this.current && predicate(this.current)) return this.current;
			if (Date.now() > deadline) throw new GitHubError('timeout', `Run ${this.runId} did not reach the expected state within ${Math.round((options.timeoutMs ?? 600_000) / 1000)} s (it is ${this.current?.run.status ?? 'unknown'}).`);
			await sleep(this.options.intervalMs ?? 3000, undefined, {signal: options.signal});
		}
	}
}
