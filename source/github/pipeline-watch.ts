// The pipeline the pane follows, watched outside React in the manner of kube/resource-watch.ts: the run for a
// commit (matched by sha through findRunForCommit), or the newest run on a branch (of one workflow or of any),
// polled with ETags. An unchanged poll is 304s, which cost no rate limit and notify nobody; listeners hear of a
// change (the run, its jobs, the environments it waits on, the branch, an error appearing or clearing) at most
// once per poll. Failures back off exponentially with jitter, up to `backoffMaxMs`, and keep what was known.
// A commit's run that has completed is final: polling stops by itself. stop() ends everything at once.

import {pendingDeployments} from './approval.js';
import {conditionalGet, EtagCache, GitHubError, type RepoTarget} from './client.js';
import {findRunForCommit, type JobLike, type RunLike} from './pipeline.js';

export interface PipelineFollow {
	/** The merge commit whose run to follow; without it, the newest run on the branch. */
	sha?: string;
	/** The runbook's workflow (file name or id); none: runs of every workflow. */
	workflow?: string | null;
	/** Default: the repository's default branch. */
	branch?: string;
}

export interface PipelineWatchOptions extends PipelineFollow {
	/** Between polls while all is well (default 3000 ms, gh's pace); also the first retry's delay. */
	pollMs?: number;
	/** The longest wait between retries after failures (default 6 s). */
	backoffMaxMs?: number;
	now?: () => number;
}

export interface PipelineWatchState {
	run: RunLike | null;
	jobs: JobLike[];
	/** The environments a waiting run needs, read once per wait. */
	waitingOn: string | null;
	/** The branch whose newest run is followed: given, or the repository's default once read. */
	branch: string | null;
	/** When a poll last succeeded (it moves on every poll, notifying nobody). */
	lastOkAt: number | null;
	error: string | null;
	/** Polling has stopped for good: a commit's run completed. */
	done: boolean;
}

export interface PipelineWatchStats {
	polls: number;
	/** Answers with a body (they count against the rate limit), and 304s (free). */
	fetched: number;
	notModified: number;
	/** Times listeners were told. */
	notifications: number;
	/** Failed polls in a row; the next delay grows with them. */
	failures: number;
	/** The wait before the next poll, as last scheduled. */
	nextDelayMs: number | null;
}

export class PipelineWatch {
	private readonly cache = new EtagCache();
	private readonly listeners = new Set<() => void>();
	private current: PipelineWatchState;
	private runId: number | null = null;
	private version = 0;
	private started = false;
	private stopped = false;
	private timer: NodeJS.Timeout | null = null;
	readonly stats: PipelineWatchStats = {polls: 0, fetched: 0, notModified: 0, notifications: 0, failures: 0, nextDelayMs: null};
	private readonly pollMs: number;
	private readonly backoffMaxMs: number;
	private readonly now: () => number;

	constructor(
		private readonly target: RepoTarget,
		private readonly options: PipelineWatchOptions = {},
	) {
		this.pollMs = options.pollMs ?? 3000;
		// A GitHub back from a restart (the sandbox restarted on its state directory) is polled again within seconds.
		this.backoffMaxMs = options.backoffMaxMs ?? 6000;
		this.now = options.now ?? Date.now;
		this.current = {run: null, jobs: [], waitingOn: null, branch: options.branch ?? null, lastOkAt: null, error: null, done: false};
	}

	/** What is known; a new object after each change, the same one otherwise (lastOkAt aside). */
	get state(): PipelineWatchState {
		return this.current;
	}

	/** Moves on each notification: what useSyncExternalStore compares. */
	snapshot = (): number => this.version;

	subscribe = (listener: () => void): (() => void) => {
		this.listeners.add(listener);
		return () => this.listeners.delete(listener);
	};

	start(): this {
		if (this.started || this.stopped) return this;
		this.started = true;
		void this.tick();
		return this;
	}

	stop(): void {
		this.stopped = true;
		if (this.timer) clearTimeout(this.timer);
		this.timer = null;
		this.listeners.clear();
	}

	private async tick(): Promise<void> {
		this.timer = null;
		if (this.stopped) return;
		let next: PipelineWatchState;
		try {
			next = await this.poll();
			if (this.stopped) return;
			this.stats.failures = 0;
			next = {...next, error: null};
			if (next.error === this.current.error && sameState(next, this.current)) next = this.current;
			next.lastOkAt = this.now();
		} catch (error) {
			if (this.stopped) return;
			this.stats.failures++;
			const message = (error instanceof GitHubError ? error : this.target.client.explain(error)).message;
			next = message === this.current.error ? this.current : {...this.current, error: message};
		}
		const done = Boolean(this.options.sha) && next.run?.status === 'completed' && next.error === null;
		if (done && !next.done) next = {...next, done: true};
		this.publish(next);
		if (done) return void (this.stats.nextDelayMs = null);
		this.schedule();
	}

	/** One round: the branch (once), the run to follow, its state and jobs, and what it waits on. */
	private async poll(): Promise<PipelineWatchState> {
		this.stats.polls++;
		const before = {...this.cache.counts};
		let s = this.current;
		try {
			const {sha, workflow = null} = this.options;
			// With a sha the run never changes once found; the newest on a branch does after each merge.
			if (!sha && s.branch === null) s = {...s, branch: await this.defaultBranch()};
			const found = sha && this.runId !== null ? null : await this.currentRun(sha, workflow, s.branch ?? '');
			const switched = found !== null && found.id !== this.runId;
			const runId = switched ? found.id : this.runId;
			// A finished run does not change any more: only a newer one is worth reading.
			if (runId !== null && (switched || s.run?.status !== 'completed')) s = await this.readRun(runId, s);
			if (switched) {
				this.runId = runId;
				if (s.waitingOn) s = {...s, waitingOn: null};
			}
			const waiting = s.run?.status === 'waiting';
			if (waiting && !s.waitingOn && s.run) {
				const pending = await pendingDeployments(this.target, s.run.id);
				s = {...s, waitingOn: pending.map(p => p.name).join(', ') || null};
			} else if (!waiting && s.waitingOn) s = {...s, waitingOn: null};
			return s;
		} catch (error) {
			// What was learned before the failure stays (a branch read, a run found).
			if (s !== this.current && !this.stopped) this.publish({...s, error: this.current.error});
			throw error;
		} finally {
			this.stats.fetched += this.cache.counts.ok - before.ok;
			this.stats.notModified += this.cache.counts.notModified - before.notModified;
		}
	}

	private async readRun(runId: number, s: PipelineWatchState): Promise<PipelineWatchState> {
		const {owner, repo, client} = this.target;
		const [run, jobs] = await Promise.all([
			conditionalGet<RunLike>(client, this.cache, 'GET /repos/{owner}/{repo}/actions/runs/{run_id}', {owner, repo, run_id: runId}),
			conditionalGet<{jobs: JobLike[]}>(client, this.cache, 'GET /repos/{owner}/{repo}/actions/runs/{run_id}/jobs', {owner, repo, run_id: runId, per_page: 100}),
		]);
		if (!run.changed && !jobs.changed && s.run?.id === runId) return s;
		return {...s, run: run.data, jobs: jobs.data.jobs};
	}

	/** The run to watch now: the commit's (null until GitHub has created it) or the branch's newest. */
	private async currentRun(sha: string | undefined, workflow: string | null, branch: string): Promise<RunLike | null> {
		const t = this.target;
		if (sha) {
			try {
				// One look per poll (timeout 0): the watch does the waiting, at its own pace and stoppable.
				return await findRunForCommit(t, {sha, workflow: workflow ?? undefined, timeoutMs: 0, cache: this.cache});
			} catch (error) {
				if (error instanceof GitHubError && error.kind === 'timeout') return null;
				throw error;
			}
		}
		const {data} = workflow
			? await conditionalGet<{workflow_runs: RunLike[]}>(t.client, this.cache, 'GET /repos/{owner}/{repo}/actions/workflows/{workflow_id}/runs', {
					owner: t.owner, repo: t.repo, workflow_id: workflow, branch, per_page: 1,
				})
			: await conditionalGet<{workflow_runs: RunLike[]}>(t.client, this.cache, 'GET /repos/{owner}/{repo}/actions/runs', {
					owner: t.owner, repo: t.repo, branch, per_page: 1,
				});
		return data.workflow_runs[0] ?? null;
	}

	private async defaultBranch(): Promise<string> {
		const t = this.target;
		const {data} = await conditionalGet<{default_branch?: string}>(t.client, this.cache, 'GET /repos/{owner}/{repo}', {owner: t.owner, repo: t.repo});
		return data.default_branch || 'main';
	}

	/** The pace after success; after failures, doubling from it with jitter up to backoffMaxMs. */
	private schedule(): void {
		const failures = this.stats.failures;
		const base = failures === 0 ? this.pollMs : Math.min(this.backoffMaxMs, this.pollMs * 2 ** failures);
		const delay = failures === 0 ? base : base * (0.75 + Math.random() * 0.5);
		this.stats.nextDelayMs = delay;
		this.timer = setTimeout(() => void this.tick(), delay);
		this.timer.unref();
	}

	private publish(next: PipelineWatchState): void {
		if (next === this.current) return;
		this.current = next;
		this.version++;
		this.stats.notifications++;
		for (const listener of this.listeners) {
			try {
				listener();
			} catch (error) {
				process.emitWarning(`pipeline watch listener failed: ${String(error)}`);
			}
		}
	}
}

/** Two states that differ at most in lastOkAt and error. */
function sameState(a: PipelineWatchState, b: PipelineWatchState): boolean {
	return a.run === b.run && a.jobs === b.jobs && a.waitingOn === b.waitingOn && a.branch === b.branch && a.done === b.done;
}
