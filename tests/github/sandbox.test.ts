// The sandbox GitHub's own contract, spoken to raw: auth and rate-limit headers, the repository's
// world, run filters and pagination, environments, job log redirects, determinism, the /api/v3
// prefix and the optional HTTPS listener.
import {request} from 'node:https';
import {mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {startSandboxGitHub} from '../../source/sandbox/github/index.js';
import {startWorld, type TestWorld} from './helpers.js';

let w: TestWorld;
beforeAll(async () => {
	w = await startWorld();
});
afterAll(async () => w?.close());

const REPO = '/repos/legion14041981-ui/overlord-trading-system-v8';
const get = (p: string, token: string | undefined = w.gh.token, headers: Record<string, string> = {}) =>
	fetch(`${w.gh.url}${p}`, {headers: {...(token ? {authorization: `Bearer ${token}`} : {}), ...headers}, redirect: 'manual'});

describe('the sandbox GitHub API', () => {
	it('answers 401 without a token or with a wrong one, with rate-limit headers everywhere', async () => {
		const none = await get('/user', '');
		expect(none.status).toBe(401);
		expect(await none.json()).toMatchObject({message: 'Requires authentication'});
		const wrong = await get('/user', 'ghp_nope');
		expect(wrong.status).toBe(401);
		expect(await wrong.json()).toMatchObject({message: 'Bad credentials'});
		const ok = await get('/user');
		for (const h of ['x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset', 'x-ratelimit-used', 'x-ratelimit-resource', 'etag', 'x-github-request-id']) {
			expect(ok.headers.get(h), h).toBeTruthy();
		}
		expect(ok.headers.get('x-oauth-scopes')).toBe('repo, read:packages, read:org, workflow');
		expect(await ok.json()).toMatchObject({login: 'devops-engineer', id: 142001, html_url: 'https://github.com/devops-engineer'});
	});

	it('answers a matching If-None-Match with 304, no body and no rate-limit cost', async () => {
		const first = await get(REPO);
		const etag = first.headers.get('etag')!;
		const left = Number(first.headers.get('x-ratelimit-remaining'));
		const again = await get(REPO, w.gh.token, {'if-none-match': etag});
		expect(again.status).toBe(304);
		expect(await again.text()).toBe('');
		expect(Number(again.headers.get('x-ratelimit-remaining'))).toBe(left);
		// Another user's ETag for the same URL is another entity.
		expect((await get(REPO, w.gh.reviewerToken, {'if-none-match': etag})).status).toBe(200);
		expect((await (await get('/rate_limit')).json()).resources.core.remaining).toBe(left);
	});

	it('holds the guide\'s repository: branches, tags, refs, protected main; no release branch until one is pushed', async () => {
		const branches = await (await get(`${REPO}/branches`)).json();
		expect(branches.map((b: any) => [b.name, b.protected])).toEqual([['develop', false], ['main', true]]);
		expect((await (await get(`${REPO}/tags`)).json()).map((t: any) => t.name)).toEqual(['v1.1.0', 'v1.0.0']);
		const ref = await (await get(`${REPO}/git/refs/heads/main`)).json();
		expect(ref).toMatchObject({ref: 'refs/heads/main', object: {type: 'commit'}});
		expect(ref.object.sha).toBe((await (await get(`${REPO}/git/ref/tags/v1.1.0`)).json()).object.sha);
		expect((await get(`${REPO}/branches/release%2Fv1.2.0`)).status).toBe(404);
		const develop = await (await get(`${REPO}/branches/develop`)).json();
		expect(develop.commit).toMatchObject({sha: w.gh.world.branches.get('develop'), commit: {message: 'feat: order book depth alerts (#41)', author: {name: 'Tech Lead'}}});
		expect(develop.commit.parents.map((p: any) => p.sha)).toEqual([ref.object.sha]);
		expect((await get('/repos/someone/else')).status).toBe(404);
		expect((await get(REPO, w.gh.limitedToken)).status).toBe(404);
	});

	it('lists workflows, environments and filtered, paginated runs', async () => {
		const workflows = await (await get(`${REPO}/actions/workflows`)).json();
		expect(workflows.workflows.map((x: any) => [x.name, x.path])).toEqual([['CI/CD Full Cycle', '.github/workflows/ci-cd-full-cycle.yml'], ['Rollback', '.github/workflows/rollback.yml']]);
		const envs = await (await get(`${REPO}/environments`)).json();
		expect(envs.environments.map((e: any) => [e.name, Number.isInteger(e.id), e.protection_rules.map((r: any) => r.type)])).toEqual([['staging', true, []], ['production', true, ['required_reviewers']]]);
		expect(envs.environments[1].protection_rules[0].reviewers[0].reviewer.login).toBe('devops-engineer');

		const all = await (await get(`${REPO}/actions/workflows/ci-cd-full-cycle.yml/runs`)).json();
		expect(all.total_count).toBe(2);
		expect(all.workflow_runs.map((r: any) => r.head_branch)).toEqual(['develop', 'main']);
		const main = all.workflow_runs[1];
		expect(main).toMatchObject({status: 'completed', conclusion: 'success', event: 'push', display_title: 'Release v1.1.0 (#38)'});
		const q = async (query: string) => (await (await get(`${REPO}/actions/runs?${query}`)).json()).workflow_runs.map((r: any) => r.head_branch);
		expect(await q(`head_sha=${main.head_sha}`)).toEqual(['main']);
		expect(await q('branch=develop')).toEqual(['develop']);
		expect(await q('status=success')).toHaveLength(2);
		expect(await q('status=in_progress')).toEqual([]);
		expect(await q(`created=${encodeURIComponent(`>=${new Date(Date.now() - 3 * 86_400_000).toISOString()}`)}`)).toEqual(['develop']);
		expect(await q('created=2020-01-01..2020-12-31')).toEqual([]);
		const page = await get(`${REPO}/actions/runs?per_page=1&page=1`);
		expect(page.headers.get('link')).toMatch(/page=2>; rel="next".*page=2>; rel="last"/);
		const jobs = await (await get(`${REPO}/actions/runs/${main.id}/jobs`)).json();
		expect(jobs.jobs.map((j: any) => j.name)).toEqual(['Quality Gates', 'Security Scanning', 'Unit Tests', 'Integration Tests', 'E2E Tests', 'Docker Build', 'Production Deployment']);
		expect(jobs.jobs[0].steps[0]).toMatchObject({name: 'Set up job', number: 1, status: 'completed', conclusion: 'success'});
	});

	it('redirects job logs to a signed URL', async () => {
		const runs = await (await get(`${REPO}/actions/runs?branch=main`)).json();
		const jobs = await (await get(`${REPO}/actions/runs/${runs.workflow_runs[0].id}/jobs`)).json();
		const logs = await get(`${REPO}/actions/jobs/${jobs.jobs[0].id}/logs`);
		expect(logs.status).toBe(302);
		const location = logs.headers.get('location')!;
		const text = await (await fetch(location)).text();
		expect(text).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}Z /);
		expect(text).toContain('ruff check .');
		expect((await fetch(location.replace(/sig=\w+/, 'sig=forged'))).status).toBe(403);
	});

	it('answers under /api/v3 as GitHub Enterprise does', async () => {
		const r = await get(`/api/v3${REPO}`);
		expect(r.status).toBe(200);
		expect((await r.json()).url).toBe(`${w.gh.url}/api/v3${REPO}`);
	});

	it('hands out the same shas and ids each time', async () => {
		const other = await startSandboxGitHub({speed: 20});
		try {
			expect([...other.world.branches]).toEqual([...w.gh.world.branches]);
			expect(other.world.runs.map(r => [r.id, r.headSha])).toEqual(w.gh.world.runs.slice(0, 2).map(r => [r.id, r.headSha]));
			expect(other.world.runs[0]!.jobs[0]!.id).toBe(w.gh.world.runs[0]!.jobs[0]!.id);
		} finally {
			await other.stop();
		}
	});

	it('serves HTTPS too, verified against its own CA', async () => {
		const dir = await mkdtemp(path.join(tmpdir(), 'runbook-github-tls-'));
		const secure = await startSandboxGitHub({https: {dir}});
		try {
			expect(secure.httpsUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
			const body = await new Promise<string>((resolve, reject) => {
				const req = request(`${secure.httpsUrl}/user`, {ca: secure.caPem, headers: {authorization: `token ${secure.token}`}}, res => {
					let text = '';
					res.on('data', c => (text += c));
					res.on('end', () => resolve(text));
				});
				req.on('error', reject);
				req.end();
			});
			expect(JSON.parse(body).login).toBe('devops-engineer');
		} finally {
			await secure.stop();
			await rm(dir, {recursive: true, force: true});
		}
	});
});
