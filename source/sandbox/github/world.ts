// The repository's world: accounts and tokens, the repository's commits, branches and tags (mirrored from the real
// git repository after every change — repository.ts is their truth), pull requests, workflow runs and environments.
// Runs are created here and executed by the runner.
import {randomBytes} from 'node:crypto';
import {
	type Commit, type Environment, FIRST_JOB_ID, FIRST_PULL_NUMBER, FIRST_RUN_ID, type Job, PULL_ID_BASE, type Pull,
	REVIEW_ID_BASE, type Run, type User,
} from './model.js';
import type {GitCommit, Repository} from './repository.js';
import type {WorkflowSpec} from './workflows.js';

const DAY = 24 * 3_600_000;

export const OPERATOR = 'devops-engineer';
export const REVIEWER = 'tech-lead';
export const BOT = 'dependabot[bot]';

export interface Account {
	login: string;
	id: number;
	name: string;
	type: 'User' | 'Bot';
}

export interface RunReview {
	user: string;
	state: 'approved' | 'rejected';
	comment: string;
	environmentIds: number[];
	at: number;
}

export interface RunRecord extends Run {
	reviews: RunReview[];
}

/** A world as saved in the state directory (see saved-world.ts): everything but the repository, which is on disk. */
export interface WorldState {
	startedAt: number;
	logSecret: string;
	tokens: User[];
	commits: Commit[];
	pulls: Pull[];
	runs: Array<Omit<RunRecord, 'pending'>>;
	counters: {run: number; job: number; pull: number; review: number; runNumbers: Array<[number, number]>};
}

export class World {
	readonly accounts = new Map<string, Account>();
	readonly tokens = new Map<string, User>();
	readonly commits = new Map<string, Commit>();
	readonly branches = new Map<string, string>();
	readonly tags = new Map<string, string>();
	readonly pulls: Pull[] = [];
	readonly runs: RunRecord[] = [];
	readonly environments: Environment[];
	readonly startedAt: number = Date.now();
	/** Signs the job-log download URLs the logs endpoint redirects to. */
	readonly logSecret: Buffer = randomBytes(16);
	private nextRun = FIRST_RUN_ID;
	private nextJob = FIRST_JOB_ID;
	private nextPull = FIRST_PULL_NUMBER;
	private nextReview = 0;
	private readonly runNumbers = new Map<number, number>();
	constructor(readonly repository: Repository) {
		for (const a of [
			{login: OPERATOR, id: 142_001, name: 'DevOps Engineer', type: 'User'},
			{login: REVIEWER, id: 142_002, name: 'Tech Lead', type: 'User'},
			{login: BOT, id: 49_699_333, name: 'dependabot[bot]', type: 'Bot'},
		] as Account[]) this.accounts.set(a.login, a);
		const t0 = this.startedAt;
		this.environments = [
			{id: 2_315_861_001, name: 'staging', reviewers: [], createdAt: t0 - 200 * DAY},
			{id: 2_315_861_002, name: 'production', reviewers: [OPERATOR], createdAt: t0 - 200 * DAY},
		];
	}

	saveState(): WorldState {
		return {
			startedAt: this.startedAt, logSecret: this.logSecret.toString('hex'), tokens: [...this.tokens.values()], commits: [...this.commits.values()],
			pulls: this.pulls, runs: this.runs.map(({pending: _pending, ...run}) => run),
			counters: {run: this.nextRun, job: this.nextJob, pull: this.nextPull, review: this.nextReview, runNumbers: [...this.runNumbers]},
		};
	}

	/** Puts a saved world back (before any request is served); pending approvals are the runner's to re-open. */
	loadState(state: WorldState): void {
		const self = this as {startedAt: number; logSecret: Buffer};
		self.startedAt = state.startedAt;
		self.logSecret = Buffer.from(state.logSecret, 'hex');
		for (const user of state.tokens) this.tokens.set(user.token, user);
		for (const c of state.commits) this.commits.set(c.sha, c);
		this.pulls.splice(0, this.pulls.length, ...state.pulls);
		this.runs.splice(0, this.runs.length, ...state.runs.map(run => ({...run, pending: []})));
		this.nextRun = state.counters.run;
		this.nextJob = state.counters.job;
		this.nextPull = state.counters.pull;
		this.nextReview = state.counters.review;
		this.runNumbers.clear();
		for (const [id, n] of state.counters.runNumbers) this.runNumbers.set(id, n);
		for (const env of this.environments) env.createdAt = state.startedAt - 200 * DAY;
	}

	/** Reads the repository's branches, tags and commits again (after a push, a merge, a deleted branch). */
	async refresh(): Promise<void> {
		const [refs, commits] = await Promise.all([this.repository.refs(), this.repository.allCommits()]);
		this.branches.clear();
		this.tags.clear();
		for (const [ref, sha] of refs) {
			if (ref.startsWith('refs/heads/')) this.branches.set(ref.slice('refs/heads/'.length), sha);
			else if (ref.startsWith('refs/tags/')) this.tags.set(ref.slice('refs/tags/'.length), sha);
		}
		// Commits stay known once seen: a merged PR's head outlives its deleted branch.
		for (const c of commits) if (!this.commits.has(c.sha)) this.commits.set(c.sha, this.commitOf(c));
	}

	/** A git commit as the API shows it: its author as the account whose noreply address it carries. */
	commitOf(c: GitCommit): Commit {
		const author = this.loginOf(c.author.email) ?? c.author.name;
		return {
			sha: c.sha, message: c.message, parents: c.parents, author, date: c.author.date, tree: c.tree,
			authorIdentity: {name: c.author.name, email: c.author.email}, committer: {name: c.committer.name, email: c.committer.email},
		};
	}

	/** The account whose noreply address `<id>+<login>@users.noreply.github.com` this is. */
	loginOf(email: string): string | undefined {
		const login = /^\d+\+(.+)@users\.noreply\.github\.com$/.exec(email)?.[1];
		return login && this.accounts.has(login) ? login : undefined;
	}

	/** How `login` signs commits: the name and noreply address GitHub gives the account. */
	person(login: string): {name: string; email: string} {
		const a = this.accounts.get(login);
		return {name: a?.name ?? login, email: `${a?.id ?? 0}+${login}@users.noreply.github.com`};
	}

	/** Adds a token for `login`; its rate limit is its own. */
	addToken(login: string, scopes: string[], token = `ghp_${randomBytes(18).toString('base64url')}`): User {
		const account = this.accounts.get(login);
		if (!account) throw new Error(`no sandbox account ${login}`);
		const user: User = {login, id: account.id, name: account.name, token, scopes, rate: {limit: 5000, remaining: 5000, reset: Math.floor(Date.now() / 1000) + 3600, used: 0}};
		this.tokens.set(token, user);
		return user;
	}

	/** A branch name, tag name or (abbreviated) sha to a commit sha. */
	resolve(ref: string): string | undefined {
		const name = ref.replace(/^refs\/(heads|tags)\//, '').replace(/^(heads|tags)\//, '');
		if (this.branches.has(name)) return this.branches.get(name);
		if (this.tags.has(name)) return this.tags.get(name);
		if (/^[0-9a-f]{7,40}$/.test(ref)) return [...this.commits.keys()].find(s => s.startsWith(ref));
		return undefined;
	}

	newPull(fields: Omit<Pull, 'number' | 'id' | 'reviews' | 'state' | 'merged' | 'createdAt' | 'updatedAt'>): Pull {
		const number = this.nextPull++;
		const now = Date.now();
		const pull: Pull = {...fields, number, id: PULL_ID_BASE + number, reviews: [], state: 'open', merged: false, createdAt: now, updatedAt: now};
		this.pulls.push(pull);
		return pull;
	}

	reviewId(): number {
		return REVIEW_ID_BASE + ++this.nextReview;
	}

	pull(number: number): Pull | undefined {
		return this.pulls.find(p => p.number === number);
	}

	run(id: number): RunRecord | undefined {
		return this.runs.find(r => r.id === id);
	}

	job(id: number): {run: RunRecord; job: Job} | undefined {
		for (const run of this.runs) {
			const job = run.jobs.find(j => j.id === id);
			if (job) return {run, job};
		}
		return undefined;
	}

	environment(idOrName: number | string): Environment | undefined {
		return this.environments.find(e => e.id === idOrName || e.name === idOrName);
	}

	/** A run with its jobs queued (steps appear when a job starts, as on GitHub). */
	newRun(spec: WorkflowSpec, fields: Pick<Run, 'event' | 'headBranch' | 'headSha' | 'actor'> & {inputs?: Record<string, string>; version?: string; at?: number}): RunRecord {
		const at = fields.at ?? Date.now();
		const runNumber = (this.runNumbers.get(spec.id) ?? 0) + 1;
		this.runNumbers.set(spec.id, runNumber);
		const id = this.nextRun++;
		const title = spec.runName && fields.inputs ? spec.runName(fields.inputs) : (this.commits.get(fields.headSha)?.message.split('\n')[0] ?? spec.name);
		const run: RunRecord = {
			id, runNumber, workflowId: spec.id, event: fields.event, headBranch: fields.headBranch, headSha: fields.headSha,
			displayTitle: title, actor: fields.actor, status: 'queued', conclusion: null, createdAt: at, updatedAt: at, runStartedAt: at,
			jobs: [], pending: [], inputs: fields.inputs, version: fields.version, reviews: [],
		};
		run.jobs = spec.jobs.map(j => ({
			id: this.nextJob++, runId: id, name: j.name, status: 'queued', conclusion: null, createdAt: at, steps: [], log: [],
		}));
		this.runs.push(run);
		return run;
	}
}
