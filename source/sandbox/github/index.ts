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
import {OPERATOR, REVIEWER, type World} from './world.js';
import {CI_CD} from './workflows.js';

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
	/** Where the repository's seed is kept (built once, reused) and its served copy lives; default: a temporary directory. */
	dir?: string;
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

/** The world on a fresh copy of the repository, and its three tokens. */
async function worldWithTokens(options: SandboxGitHubOptions) {
	const world = await openWorld(options.dir);
	const operator = world.addToken(OPERATOR, ['repo', 'read:packages', 'read:org', 'workflow'], options.tokens?.operator);
	const reviewer = world.addToken(REVIEWER, ['repo', 'read:org'], options.tokens?.reviewer);
	const limited = world.addToken(OPERATOR, ['read:org', 'gist'], options.tokens?.limited);
	return {world, operator, reviewer, limited};
}

export async function startSandboxGitHub(options: SandboxGitHubOptions = {}): Promise<SandboxGitHub> {
	const speed = options.speed ?? 1;
	if (!(speed > 0)) throw new Error('speed must be positive');
	const kube = options.cluster ? loadKubeTarget(options.cluster.kubeconfigPath) : undefined;
	// Fail at start-up rather than in the middle of a deploy job.
	if (kube) await kube;
	const {world, operator, reviewer, limited} = await worldWithTokens(options);
	const runner = new Runner(world, {speed, kube, scenario: options.scenario});
	seedRuns(world, runner);
	const faults = new GitHubFaults(world);
	const requests: RequestRecord[] = [];
	const rest = [...repoRoutes, ...pullRoutes, ...actionRoutes, ...ghRoutes];
	const pipeline = createPipeline({world, runner, faults, routes: [...rest, ...graphqlRoutes(rest)], publicRoutes: [...logRoutes, ...ghPublicRoutes], log: requests});
	const handle = withGit({world, runner}, (req: IncomingMessage, res: ServerResponse) => void pipeline(req, res));

	const servers: Server[] = [];
	const http = createHttpServer(handle);
	servers.push(http);
	const port = await listen(http, options.port ?? 0);
	let httpsUrl: string | undefined;
	let caPem: string | undefined;
	if (options.https) {
		const tls = await generateTls(options.https.dir);
		const https = createHttpsServer({key: tls.keyPem, cert: tls.certPem}, handle);
		servers.push(https as unknown as Server);
		httpsUrl = `https://127.0.0.1:${await listen(https as unknown as Server, options.https.port ?? 0)}`;
		caPem = tls.caPem;
	}
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
		requests,
		stop() {
			if (colleague) clearInterval(colleague);
			stopped ??= (async () => {
				await runner.stop();
				await Promise.all(servers.map(s => new Promise<void>(resolve => {
					s.close(() => resolve());
					s.closeAllConnections();
				})));
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
