// The sandbox repository with the real git, over git's smart HTTP (git http-backend behind the sandbox GitHub):
// anonymous clone, pushes only with a token, a pushed branch seen by the API and opened as a PR, a squash merge made
// through the API that `git fetch` then brings, DELETE of the branch, and the guide's manual rollback — a force push
// of v1.1.0 to main — starting the push run that deploys v1.1.0. The operator's workspace clone carries its
// identity and credentials, and `git push` never shows the token.
import {readFileSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {execa} from 'execa';
import {afterAll, beforeAll, describe, expect} from 'vitest';
import {itNeeds} from '../helpers/requirements.js';
import {cloneWorkspace, operatorSource} from '../../source/sandbox/workspace.js';
import {rejection, startWorld, type TestWorld, waitFor} from './helpers.js';

const it = itNeeds(['git']);
const REPO = '/repos/legion14041981-ui/overlord-trading-system-v8';

let w: TestWorld;
let workspace: string;
beforeAll(async () => {
	w = await startWorld();
	workspace = path.join(w.dir, 'workspace');
}, 60_000);
afterAll(async () => w?.close());

async function git(cwd: string, ...args: string[]) {
	// The clone's own identity, not the one the test run sets in GIT_AUTHOR_* / GIT_COMMITTER_*.
	const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('GIT_')));
	const r = await execa('git', args, {cwd, reject: false, extendEnv: false, env: {...env, HOME: w.dir, GIT_CONFIG_NOSYSTEM: '1', GIT_TERMINAL_PROMPT: '0'}});
	return {stdout: String(r.stdout).trim(), stderr: String(r.stderr), exitCode: r.exitCode ?? -1};
}

const api = async (method: string, p: string, body?: unknown, token = w.gh.token) => {
	const r = await fetch(`${w.gh.url}${p}`, {method, headers: {authorization: `token ${token}`, 'content-type': 'application/json'}, body: body === undefined ? undefined : JSON.stringify(body)});
	return {status: r.status, json: r.status === 204 ? null : await r.json()};
};

describe('the sandbox repository over git\'s smart HTTP', () => {
	it('clones anonymously: main at v1.1.0, develop, the tags, the files the guide uses', async () => {
		const anon = path.join(w.dir, 'anonymous');
		expect((await git(w.dir, 'clone', '-q', w.gh.gitUrl, anon)).exitCode).toBe(0);
		expect((await git(anon, 'rev-parse', 'HEAD')).stdout).toBe(w.gh.world.branches.get('main'));
		expect((await git(anon, 'describe', '--tags')).stdout).toBe('v1.1.0');
		expect((await git(anon, 'tag')).stdout.split('\n')).toEqual(['v1.0.0', 'v1.1.0']);
		expect((await git(anon, 'branch', '-r')).stdout).toMatch(/origin\/develop\n\s*origin\/main/);
		expect(readFileSync(path.join(anon, 'pyproject.toml'), 'utf8')).toMatch(/^version = "1\.1\.0"$/m);
		const bash = await execa('bash', ['-n', 'scripts/smoke-tests.sh', 'scripts/pre-deployment-checks.sh'], {cwd: anon, reject: false});
		expect(bash.exitCode, bash.stderr).toBe(0);
		// Without a token a push is refused, as GitHub refuses it; a wrong token too.
		const push = await git(anon, 'push', 'origin', 'HEAD:refs/heads/anonymous');
		expect(push.exitCode).not.toBe(0);
		expect(push.stderr).toMatch(/Authentication failed|could not read Username/);
		expect(w.gh.world.branches.has('anonymous')).toBe(false);
	});

	itNeeds(['git', 'make'])('runs the Makefile\'s quality targets at once, as the guide calls them', async () => {
		const checkout = path.join(w.dir, 'anonymous');
		const started = Date.now();
		const make = await execa('make', ['lint', 'type-check', 'test', 'integration-test', 'test-integration', 'coverage', 'security-scan'], {cwd: checkout, reject: false, timeout: 5000});
		expect(make.exitCode, make.stderr).toBe(0);
		expect(Date.now() - started).toBeLessThan(1000);
		expect(make.stdout).toContain('All checks passed!');
		expect(make.stdout).toContain('1284 passed');
		expect(make.stdout).toContain('Total coverage: 87.31%');
		expect(make.stdout).toContain('No issues identified.');
	});

	it('has no release branch until one is pushed: the release PR is refused and says so', async () => {
		const {createReleasePr} = await import('../../source/github/release.js');
		const refused = await rejection(createReleasePr(await w.target(), {version: 'v1.2.0', previousVersion: 'v1.1.0'}));
		expect(refused).toMatchObject({kind: 'refused', status: 422});
		expect(refused.message).toBe('release/v1.2.0 is not on GitHub: push it first (git push origin release/v1.2.0), then open the pull request.');
	});

	it('makes the operator\'s workspace a clone with their identity, whose push works and never shows the token', async () => {
		await cloneWorkspace(workspace, operatorSource(w.gh));
		expect((await git(workspace, 'remote', 'get-url', 'origin')).stdout).toBe(w.gh.gitUrl);
		expect((await git(workspace, 'config', 'user.email')).stdout).toBe('142001+devops-engineer@users.noreply.github.com');
		await git(workspace, 'checkout', '-q', 'develop');
		const pull = await git(workspace, 'pull', 'origin', 'develop');
		expect(pull.exitCode, pull.stderr).toBe(0);
		await git(workspace, 'checkout', '-q', '-b', 'release/v1.2.0');
		const pyproject = path.join(workspace, 'pyproject.toml');
		writeFileSync(pyproject, readFileSync(pyproject, 'utf8').replace('version = "1.1.0"', 'version = "1.2.0"'));
		await git(workspace, 'commit', '-qam', 'chore: Bump version to 1.2.0');
		const push = await git(workspace, 'push', 'origin', 'release/v1.2.0');
		expect(push.exitCode, push.stderr).toBe(0);
		expect(push.stderr).toContain('* [new branch]      release/v1.2.0 -> release/v1.2.0');
		expect(push.stderr).toContain('Create a pull request for \'release/v1.2.0\' on GitHub by visiting:');
		expect(push.stdout + push.stderr).not.toContain(w.gh.token);
		const head = (await git(workspace, 'rev-parse', 'HEAD')).stdout;
		// The API knows the branch as soon as git push returns.
		const branch = (await api('GET', `${REPO}/branches/release%2Fv1.2.0`)).json;
		expect(branch.commit).toMatchObject({sha: head, commit: {message: 'chore: Bump version to 1.2.0', author: {name: 'DevOps Engineer'}}, author: {login: 'devops-engineer'}});
		expect((await api('GET', `${REPO}/git/ref/heads/release/v1.2.0`)).json.object.sha).toBe(head);
	});

	it('squash-merges through the API into a real commit on main that git fetch brings, and deletes the branch', async () => {
		const head = (await git(workspace, 'rev-parse', 'HEAD')).stdout;
		await waitFor(() => w.gh.world.runs.some(r => r.headSha === head && r.headBranch === 'release/v1.2.0' && r.status === 'completed'), 20_000, 'the push run of the release branch');
		const pr = await api('POST', `${REPO}/pulls`, {title: 'Release v1.2.0', head: 'release/v1.2.0', base: 'main', body: 'x'});
		expect(pr).toMatchObject({status: 201, json: {head: {sha: head}}});
		expect((await api('POST', `${REPO}/pulls/${pr.json.number}/reviews`, {event: 'APPROVE'}, w.gh.reviewerToken)).status).toBe(200);
		const merged = await api('PUT', `${REPO}/pulls/${pr.json.number}/merge`, {merge_method: 'squash', sha: head});
		expect(merged.status, JSON.stringify(merged.json)).toBe(200);
		expect((await api('DELETE', `${REPO}/git/refs/heads/release/v1.2.0`)).status).toBe(204);
		expect((await api('GET', `${REPO}/branches/release%2Fv1.2.0`)).status).toBe(404);

		expect((await git(workspace, 'fetch', '--prune', 'origin')).exitCode).toBe(0);
		expect((await git(workspace, 'rev-parse', 'origin/main')).stdout).toBe(merged.json.sha);
		expect((await git(workspace, 'log', '-1', '--format=%s%n%an <%ae>%n%cn%n%P', 'origin/main')).stdout.split('\n')).toEqual([
			`Release v1.2.0 (#${pr.json.number})`, 'DevOps Engineer <142001+devops-engineer@users.noreply.github.com>', 'GitHub', w.gh.world.tags.get('v1.1.0'),
		]);
		// A squash: main's tree is the release branch's, one commit on top of v1.1.0.
		expect((await git(workspace, 'diff', '--stat', 'origin/main', head)).stdout).toBe('');
		expect((await git(workspace, 'branch', '-r')).stdout).not.toContain('release/v1.2.0');
		expect((await api('GET', `${REPO}/commits/${merged.json.sha}`)).json.parents.map((p: any) => p.sha)).toEqual([w.gh.world.tags.get('v1.1.0')]);
		const run = await waitFor(() => w.gh.world.runs.find(r => r.headSha === merged.json.sha), 10_000, 'the merge\'s push run');
		expect(run).toMatchObject({headBranch: 'main', event: 'push', version: 'v1.2.0'});
	});

	it('takes the guide\'s manual rollback, git push origin v1.1.0:main --force, and starts the push run of v1.1.0', async () => {
		const prevTag = (await git(workspace, 'describe', '--tags', '--abbrev=0', 'HEAD~1')).stdout;
		expect(prevTag).toBe('v1.1.0');
		expect((await git(workspace, 'checkout', '-q', prevTag)).exitCode).toBe(0);
		const runs = w.gh.world.runs.length;
		const push = await git(workspace, 'push', 'origin', `${prevTag}:main`, '--force');
		expect(push.exitCode, push.stderr).toBe(0);
		expect(push.stderr).toMatch(/\+ [0-9a-f]+\.\.\.[0-9a-f]+ v1\.1\.0 -> main \(forced update\)/);
		expect((await api('GET', `${REPO}/branches/main`)).json.commit.sha).toBe(w.gh.world.tags.get('v1.1.0'));
		const run = await waitFor(() => w.gh.world.runs.slice(runs).find(r => r.headBranch === 'main'), 10_000, 'the push run of main');
		expect(run).toMatchObject({event: 'push', headSha: w.gh.world.tags.get('v1.1.0'), actor: 'devops-engineer', version: 'v1.1.0'});
	});
});
