// The client's resolution of token, host and repository, its one-line errors (no token, 401,
// missing scopes, rate limit with reset time, secondary limit, unreachable), and the retry and
// throttling plugins against injected 403s and 5xx.
import {chmod, mkdtemp, rm, writeFile} from 'node:fs/promises';
import {createServer} from 'node:net';
import type {AddressInfo} from 'node:net';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {execa} from 'execa';
import {afterAll, beforeAll, beforeEach, describe, expect, it} from 'vitest';
import {
	createGitHubClient, GitHubError, localTime, parseRepository, type RetryNotice, resolveBaseUrl, resolveRepository, resolveToken,
	verifyAccess,
} from '../../source/github/client.js';
import {rejection, startWorld, type TestWorld} from './helpers.js';
import {itNeeds} from '../helpers/requirements.js';

let w: TestWorld;
let tmp: string;
beforeAll(async () => {
	w = await startWorld();
	tmp = await mkdtemp(path.join(tmpdir(), 'runbook-github-client-'));
});
afterAll(async () => {
	await w?.close();
	await rm(tmp, {recursive: true, force: true});
});
beforeEach(() => w.gh.faults.clear());

const hits = (p: string) => w.gh.requests.filter(r => r.path === p);
const REPO_PATH = '/repos/legion14041981-ui/overlord-trading-system-v8';

describe('host, token and repository', () => {
	it('resolves the REST base URL from GITHUB_API_URL, GH_HOST or the default', () => {
		expect(resolveBaseUrl({})).toEqual({baseUrl: 'https://api.github.com', host: 'github.com'});
		expect(resolveBaseUrl({GH_HOST: 'ghe.corp.example'})).toEqual({baseUrl: 'https://ghe.corp.example/api/v3', host: 'ghe.corp.example'});
		expect(resolveBaseUrl({GH_HOST: 'ghe.corp.example', GITHUB_API_URL: 'http://127.0.0.1:9999/'})).toEqual({baseUrl: 'http://127.0.0.1:9999', host: '127.0.0.1:9999'});
	});

	it('takes GH_TOKEN, then GITHUB_TOKEN, enterprise tokens for GHE, then gh auth token', async () => {
		expect(await resolveToken({GH_TOKEN: 'a', GITHUB_TOKEN: 'b'}, 'github.com')).toEqual({token: 'a', source: 'GH_TOKEN'});
		expect(await resolveToken({GITHUB_TOKEN: 'b'}, 'github.com')).toEqual({token: 'b', source: 'GITHUB_TOKEN'});
		expect(await resolveToken({GH_ENTERPRISE_TOKEN: 'e'}, 'ghe.corp.example')).toEqual({token: 'e', source: 'GH_ENTERPRISE_TOKEN'});
		expect(await resolveToken({}, 'github.com', async () => 'from-gh')).toEqual({token: 'from-gh', source: 'gh auth token'});
		const none = await rejection(resolveToken({PATH: ''}, 'github.com'));
		expect(none).toMatchObject({kind: 'no-token', message: 'No GitHub token: set GH_TOKEN or GITHUB_TOKEN, or log in with `gh auth login`.'});
	});

	it('runs the gh on PATH for `gh auth token --hostname HOST`', async () => {
		const bin = path.join(tmp, 'bin');
		await execa('mkdir', ['-p', bin]);
		await writeFile(path.join(bin, 'gh'), '#!/bin/sh\n[ "$1 $2 $3 $4" = "auth token --hostname 127.0.0.1" ] && echo gho_fromgh\n');
		await chmod(path.join(bin, 'gh'), 0o755);
		expect(await resolveToken({PATH: bin}, '127.0.0.1')).toEqual({token: 'gho_fromgh', source: 'gh auth token'});
	});

	it('parses owner/repo from the forms a remote takes', () => {
		for (const s of ['legion14041981-ui/overlord-trading-system-v8', 'https://github.com/legion14041981-ui/overlord-trading-system-v8.git',
			'git@github.com:legion14041981-ui/overlord-trading-system-v8.git', 'ssh://git@github.com/legion14041981-ui/overlord-trading-system-v8']) {
			expect(parseRepository(s), s).toEqual({owner: 'legion14041981-ui', repo: 'overlord-trading-system-v8'});
		}
		expect(parseRepository('not a repo')).toBeUndefined();
	});

	itNeeds(['git'])('finds the repository in GITHUB_REPOSITORY, the front matter, then the git remote', async () => {
		expect(await resolveRepository({env: {GITHUB_REPOSITORY: 'a/b'}, frontMatter: 'c/d'})).toEqual({owner: 'a', repo: 'b', source: 'GITHUB_REPOSITORY'});
		expect(await resolveRepository({env: {}, frontMatter: 'c/d'})).toEqual({owner: 'c', repo: 'd', source: 'front matter'});
		const clone = path.join(tmp, 'clone');
		await execa('git', ['init', '-q', clone]);
		await execa('git', ['-C', clone, 'remote', 'add', 'origin', 'git@github.com:legion14041981-ui/overlord-trading-system-v8.git']);
		expect(await resolveRepository({env: {}, cwd: clone})).toEqual({owner: 'legion14041981-ui', repo: 'overlord-trading-system-v8', source: 'git remote'});
		const none = await rejection(resolveRepository({env: {}, cwd: tmp}));
		expect(none.kind).toBe('no-repository');
	});
});

describe('errors in one line, never with the token', () => {
	it('explains a bad token (401)', async () => {
		const token = 'ghp_thisTokenIsWrong0123456789';
		const client = await createGitHubClient({env: {GH_TOKEN: token, GITHUB_API_URL: w.gh.url}});
		const error = await rejection(verifyAccess(client));
		expect(error).toBeInstanceOf(GitHubError);
		expect(error).toMatchObject({kind: 'bad-token', status: 401});
		expect(error.message).toBe('GitHub rejected the token from GH_TOKEN (401 Bad credentials): it is wrong, expired or revoked');
		expect(`${error.message}${error.stack}`).not.toContain(token);
	});

	it('says which scopes the token lacks', async () => {
		const client = await createGitHubClient({env: {GITHUB_TOKEN: w.gh.limitedToken, GITHUB_API_URL: w.gh.url}});
		const error = await rejection(verifyAccess(client));
		expect(error.message).toBe('The token from GITHUB_TOKEN lacks the scope repo (it has: read:org, gist); refresh it with `gh auth refresh -s repo`.');
		// A repository call with it: GitHub hides the private repository (404), with the scope headers.
		const notFound = await rejection(client.octokit.rest.repos.get({owner: w.gh.owner, repo: w.gh.repo}));
		expect(client.explain(notFound).message).toBe('the token from GITHUB_TOKEN lacks the scope repo (it has: read:org, gist)');
		expect((await verifyAccess(await createGitHubClient({token: w.gh.token, baseUrl: w.gh.url}))).login).toBe('devops-engineer');
	});

	it('gives the local reset time when the rate limit is used up', async () => {
		w.gh.faults.exhaustRateLimit({login: 'devops-engineer', resetIn: 900});
		const reset = w.gh.world.tokens.get(w.gh.token)!.rate.reset;
		const t = await w.target();
		const error = t.client.explain(await rejection(t.client.octokit.rest.repos.get({owner: t.owner, repo: t.repo})));
		expect(error).toMatchObject({kind: 'rate-limit', status: 403});
		expect(error.message).toBe(`GitHub API rate limit used up (5000 requests/hour); it resets at ${localTime(reset)}`);
		expect(localTime(reset)).toMatch(/^\d\d:\d\d$/);
		// /rate_limit stays free and answers.
		const {data} = await t.client.octokit.rest.rateLimit.get();
		expect(data.resources.core.remaining).toBe(0);
	});

	it('names the unreachable host', async () => {
		// A port that was free a moment ago: nothing listens there.
		const probe = createServer();
		await new Promise<void>(resolve => probe.listen(0, '127.0.0.1', resolve));
		const {port} = probe.address() as AddressInfo;
		await new Promise(resolve => probe.close(resolve));
		const client = await createGitHubClient({token: 'x', baseUrl: `http://127.0.0.1:${port}`, retries: 0});
		const error = await rejection(verifyAccess(client));
		expect(error).toMatchObject({kind: 'network', message: `cannot reach GitHub at http://127.0.0.1:${port} (ECONNREFUSED)`});
	});
});

describe('retries', () => {
	it('waits out a secondary rate limit (403 + retry-after) and succeeds', async () => {
		const notices: RetryNotice[] = [];
		const t = await w.target(undefined, {onRetry: n => notices.push(n)});
		const before = hits(REPO_PATH).length;
		const attempts = t.client.stats.attempts;
		w.gh.faults.secondaryRateLimit({count: 2, retryAfter: 1, path: REPO_PATH});
		const {data} = await t.client.octokit.rest.repos.get({owner: t.owner, repo: t.repo});
		expect(data.full_name).toBe('legion14041981-ui/overlord-trading-system-v8');
		expect(hits(REPO_PATH).slice(before).map(r => r.status)).toEqual([403, 403, 200]);
		expect(t.client.stats.attempts - attempts).toBe(3);
		expect(notices.map(n => [n.reason, n.retryAfterSeconds, n.attempt])).toEqual([['secondary-limit', 1, 1], ['secondary-limit', 1, 2]]);
	});

	it('honours retry-after in real seconds by default', async () => {
		const t = await w.target(undefined, {retryBaseMs: undefined});
		w.gh.faults.secondaryRateLimit({count: 1, retryAfter: 1, path: '/user'});
		const started = Date.now();
		await t.client.octokit.rest.users.getAuthenticated();
		expect(Date.now() - started).toBeGreaterThanOrEqual(950);
	});

	it('gives up on a persistent secondary limit with one line', async () => {
		const t = await w.target();
		w.gh.faults.secondaryRateLimit({count: 10, retryAfter: 1, path: '/user'});
		const error = await rejection(verifyAccess(t.client));
		expect(error).toMatchObject({kind: 'secondary-limit', message: "GitHub's secondary rate limit: too many requests too fast; retry after 1 s"});
		expect(hits('/user').slice(-4).map(r => r.status)).toEqual([403, 403, 403, 403]);
	});

	it('retries 5xx until it succeeds, and says so when it never does', async () => {
		const t = await w.target();
		const before = hits(REPO_PATH).length;
		w.gh.faults.serverError({count: 2, status: 502, path: REPO_PATH});
		await t.client.octokit.rest.repos.get({owner: t.owner, repo: t.repo});
		expect(hits(REPO_PATH).slice(before).map(r => r.status)).toEqual([502, 502, 200]);

		w.gh.faults.serverError({count: 10, status: 503, path: REPO_PATH});
		const attempts = t.client.stats.attempts;
		const error = t.client.explain(await rejection(t.client.octokit.rest.repos.get({owner: t.owner, repo: t.repo})));
		expect(t.client.stats.attempts - attempts).toBe(4);
		expect(error).toMatchObject({kind: 'server', message: 'GitHub answered 503 (Service Unavailable) and kept failing after retries'});
	});

	it('takes faults over HTTP from another process, with a token', async () => {
		const post = (token?: string) => fetch(`${w.gh.url}/sandbox/faults`, {
			method: 'POST', body: JSON.stringify({fault: 'server-error', count: 1, status: 500, path: '/user'}),
			headers: token ? {authorization: `token ${token}`} : {},
		});
		expect((await post()).status).toBe(401);
		expect((await post(w.gh.token)).status).toBe(204);
		const r = await fetch(`${w.gh.url}/user`, {headers: {authorization: `token ${w.gh.token}`}});
		expect(r.status).toBe(500);
		expect((await fetch(`${w.gh.url}/user`, {headers: {authorization: `token ${w.gh.token}`}})).status).toBe(200);
	});
});
