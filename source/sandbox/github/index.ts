// startSandboxGitHub: a local GitHub REST API for the guide's repository — pull requests, the CI/CD
// and rollback workflows, the production environment's approval — whose deploy jobs act on the
// sandbox cluster. Plain HTTP for octokit; optionally HTTPS too (its own CA) for tools that insist.
import {createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse} from 'node:http';
import {createServer as createHttpsServer} from 'node:https';
import {shellQuote} from '../../runbook/shell-words.js';
import {listen} from '../cluster/http-util.js';
import {generateTls} from '../cluster/tls.js';
import {GitHubFaults} from './faults.js';
import {type GhCliAccess, ghEnv, startGhListener} from './gh-cli.js';
import {ghPublicRoutes, ghRoutes} from './gh-routes.js';
import {graphqlRoutes} from './graphql.js';
import {openWorld, withGit} from './git-service.js';
import {createPipeline, type RequestRecord} from './http.js';
import {loadKubeTarget} from './kube.js';
import {FULL_NAME, OWNER, REPO_NAME} from './model.js';
import {actionRoutes, logRoutes} from './routes-actions.js';
import {pullRoutes} from './routes-pulls.js';
import {repoRoutes} from './routes-repo.js';
import {Runner} from './runner.js';
import {type GitHubKeeping, keepWorld, readKept, saveServer} from './saved-world.js';
import {OPERATOR, REVIEWER, type World} from './world.js';
import {CI_CD, WORKFLOWS} from './workflows.js';

export type {FaultRequest} from './faults.js';
export type {RequestRecord} from './http.js';
export {GitHubFaults} from './faults.js';
export {OPERATOR, REVIEWER} from './world.js';
export {type GhCliAccess, ghEnv} from './gh-cli.js';

export interface SandboxGitHubOptions {
	/** 0 (default) picks a free port. */
	port?: number;
	/** The sandbox cluster the deploy jobs act on (a running `SandboxCluster` will do). */
	cluster?: {kubeconfigPath: string};
	/** Divides every simulated duration: 20 runs the whole pipeline in a couple of seconds. */
	speed?: number;
	/** The cluster decides a rollout's fate; without one, `bad-release` fails the v1.2.0 rollout. */
	scenario?: 'default' | 'bad-release';
	/** Fixed tokens (default: random `ghp_…`). */
	tokens?: {operator?: string; reviewer?: string; limited?: string};
	/**
	 * A colleague (`tech-lead`) approves each open pull request the operator opens, after this long: in a
	 * rehearsal the operator cannot approve their own release PR, and main's protection wants one review.
	 */
	colleagueReviewMs?: number;
	/** Also serve HTTPS, with a CA written under `dir` (as the sandbox cluster does). */
	https?: {dir: string; port?: number};
	/**
	 * Where the repository's seed is kept (built once, reused) and its served copy lives; default: a temporary directory.
	 * With a `dir` the sandbox persists there: its tokens and port (`server.json`), its world (`world.json`) and its
	 * repository (`git/served`) come back on the next start, the world when it plays the same scenario for the same owner.
	 */
	dir?: string;
	/** Whose world this is (a rehearsal's session id): a saved world of another owner is not taken up. */
	owner?: string | null;
	/** Start from the seed whatever was saved. */
	fresh?: boolean;
	/** Also listen on a unix socket under `dir` for the real `gh` (see gh-cli.ts); `host` is GH_HOST (default: gitUrl's, 127.0.0.1). */
	gh?: {dir: string; host?: string};
}

export interface SandboxGitHub {
	/** The REST base URL (octokit's `baseUrl`, `GITHUB_API_URL`). `${url}/api/v3` answers too. */
	url: string;
	/** The operator's token (`devops-engineer`: PR author, required reviewer of `production`). */
	token: string;
	/** A second user (`tech-lead`) who can approve pull requests but not production deployments. */
	reviewerToken: string;
	/** The operator with a token lacking the `repo` scope. */
	limitedToken: string;
	repository: typeof FULL_NAME;
	owner: typeof OWNER;
	repo: typeof REPO_NAME;
	httpsUrl?: string;
	/** The repository over git's smart HTTP (`git clone`); a push needs the token as the password. */
	gitUrl: string;
	/** How `gh` reaches this sandbox (with the `gh` option); `ghEnv(gh, token)` gives its variables. */
	gh?: GhCliAccess;
	caPem?: string;
	faults: GitHubFaults;
	world: World;
	/** Whether the world saved in `dir` came back (else the seeded one was made). */
	restored: boolean;
	/** Every answered request, oldest first (bounded): for counting attempts and polls in tests. */
	requests: RequestRecord[];
	stop(): Promise<void>;
}

/** The seeded history: v1.1.0's release run on main, develop's last push (no release branch: one is pushed). */
function seedRuns(world: World, runner: Runner): void {
	const t0 = world.startedAt;
	const past = [
		{branch: 'main', ref: 'v1.1.0', at: t0 - 12 * 86_400_000 + 60_000, version: 'v1.1.0'},
		{branch: 'develop', ref: 'develop', at: t0 - 2 * 86_400_000 + 60_000},
	];
	for (const p of past) {
		const headSha = world.resolve(p.ref)!;
		const run = world.newRun(CI_CD, {event: 'push', headBranch: p.branch, headSha, actor: world.commits.get(headSha)!.author, version: p.version, at: p.at});
		runner.replay(run, CI_CD, p.at);
	}
}

/** A colleague who approves every open PR once it is `afterMs` old. */
function startColleague(world: World, afterMs: number): NodeJS.Timeout {
	const colleague = setInterval(() => {
		const due = Date.now() - afterMs;
		for (const p of world.pulls) {
			if (p.state !== 'open' || p.author === REVIEWER || p.createdAt > due || p.reviews.some(r => r.user === REVIEWER)) continue;
			p.reviews.push({id: world.reviewId(), user: REVIEWER, state: 'APPROVED', body: 'LGTM! Ready for production.', submittedAt: Date.now(), commitId: p.headSha});
			p.updatedAt = Date.now();
		}
	}, 250);
	colleague.unref();
	return colleague;
}

/** The world on a fresh copy of the repository (or the kept one, and the kept world), and its three tokens. */
async function worldWithTokens(options: SandboxGitHubOptions, kept: GitHubKeeping) {
	const world = await openWorld(options.dir, options.dir === undefined ? undefined : {reuse: kept.world !== undefined});
	if (kept.world) world.loadState(kept.world);
	const tokens = options.tokens ?? kept.tokens;
	const token = (login: string, scopes: string[], given?: string) => (given && world.tokens.get(given)) || world.addToken(login, scopes, given);
	const operator = token(OPERATOR, ['repo', 'read:packages', 'read:org', 'workflow'], tokens?.operator);
	const reviewer = token(REVIEWER, ['repo', 'read:org'], tokens?.reviewer);
	const limited = token(OPERATOR, ['read:org', 'gist'], tokens?.limited);
	return {world, operator, reviewer, limited};
}

/** A kept world's unfinished runs carry on; a new world gets the seeded history. */
function startRuns(world: World, runner: Runner, restored: boolean): void {
	if (!restored) return seedRuns(world, runner);
	for (const run of world.runs) {
		const spec = WORKFLOWS.find(w => w.id === run.workflowId);
		if (spec && run.status !== 'completed') runner.resume(run, spec);
	}
}

/** The port asked for, else this directory's last one if it is free, else any. */
async function listenApi(server: Server, asked: number | undefined, last: number | undefined): Promise<number> {
	if (asked !== undefined || last === undefined) return listen(server, asked ?? 0);
	return listen(server, last).catch((error: NodeJS.ErrnoException) => {
		if (error.code !== 'EADDRINUSE') throw error;
		return listen(server, 0);
	});
}

/** The same API over HTTPS, with a CA written under `https.dir` (as the sandbox cluster does). */
async function serveHttps(https: {dir: string; port?: number}, handle: (req: IncomingMessage, res: ServerResponse) => void, servers: Server[]) {
	const tls = await generateTls(https.dir);
	const server = createHttpsServer({key: tls.keyPem, cert: tls.certPem}, handle) as unknown as Server;
	servers.push(server);
	return {httpsUrl: `https://127.0.0.1:${await listen(server, https.port ?? 0)}`, caPem: tls.caPem};
}

export async function startSandboxGitHub(options: SandboxGitHubOptions = {}): Promise<SandboxGitHub> {
	const speed = options.speed ?? 1;
	if (!(speed > 0)) throw new Error('speed must be positive');
	const kube = options.cluster ? loadKubeTarget(options.cluster.kubeconfigPath) : undefined;
	// Fail at start-up rather than in the middle of a deploy job.
	if (kube) await kube;
	const owner = options.owner ?? null;
	const kept: GitHubKeeping = options.dir ? readKept(options.dir, {scenario: options.scenario ?? 'default', owner, fresh: options.fresh}) : {};
	const {world, operator, reviewer, limited} = await worldWithTokens(options, kept);
	const runner = new Runner(world, {speed, kube, scenario: options.scenario});
	startRuns(world, runner, kept.world !== undefined);
	const faults = new GitHubFaults(world);
	const requests: RequestRecord[] = [];
	const rest = [...repoRoutes, ...pullRoutes, ...actionRoutes, ...ghRoutes];
	const pipeline = createPipeline({world, runner, faults, routes: [...rest, ...graphqlRoutes(rest)], publicRoutes: [...logRoutes, ...ghPublicRoutes], log: requests});
	const handle = withGit({world, runner}, (req: IncomingMessage, res: ServerResponse) => void pipeline(req, res));

	const servers: Server[] = [];
	const http = createHttpServer(handle);
	servers.push(http);
	const port = await listenApi(http, options.port, kept.lastPort);
	const dir = options.dir;
	if (dir) await saveServer(dir, {port, tokens: {operator: operator.token, reviewer: reviewer.token, limited: limited.token}});
	const keeping = dir ? keepWorld(dir, {scenario: options.scenario ?? 'default', owner}, () => world.saveState()) : null;
	const {httpsUrl, caPem} = options.https ? await serveHttps(options.https, handle, servers) : {httpsUrl: undefined, caPem: undefined};
	const ghCli = options.gh ? await startGhListener(options.gh.dir, handle, options.gh.host) : undefined;
	if (ghCli) servers.push(ghCli.server);

	const colleague = options.colleagueReviewMs === undefined ? null : startColleague(world, options.colleagueReviewMs);

	let stopped: Promise<void> | undefined;
	return {
		url: `http://127.0.0.1:${port}`,
		gitUrl: `http://127.0.0.1:${port}/${FULL_NAME}.git`,
		token: operator.token,
		reviewerToken: reviewer.token,
		limitedToken: limited.token,
		repository: FULL_NAME,
		owner: OWNER,
		repo: REPO_NAME,
		httpsUrl,
		caPem,
		gh: ghCli?.access,
		faults,
		world,
		restored: kept.world !== undefined,
		requests,
		stop() {
			if (colleague) clearInterval(colleague);
			stopped ??= (async () => {
				await runner.stop();
				await Promise.all(servers.map(s => new Promise<void>(resolve => {
					s.close(() => resolve());
					s.closeAllConnections();
				})));
				await keeping?.stop();
				await world.repository.dispose();
			})();
			return stopped;
		},
	};
}

/** Lines for the `runbook sandbox` env file: what the app and `gh` need to talk to this sandbox. */
export function githubEnvText(github: Pick<SandboxGitHub, 'url' | 'token' | 'repository' | 'gh'>): string {
	const gh = github.gh ? Object.entries(ghEnv(github.gh, github.token)).map(([k, v]) => `export ${k}=${shellQuote(v)}`) : [];
	return [
		`export GITHUB_API_URL=${shellQuote(github.url)}`,
		`export GITHUB_TOKEN=${shellQuote(github.token)}`,
		`export GITHUB_REPOSITORY=${shellQuote(github.repository)}`,
		...gh,
		'',
	].join('\n');
}
