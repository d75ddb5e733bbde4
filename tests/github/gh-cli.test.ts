// The real gh (Debian's 2.23 in CI) against the sandbox GitHub, unmodified, as the guide runs it: from a clone whose
// remote is the sandbox's git server, with only the variables the sandbox exports (GH_HOST, GH_ENTERPRISE_TOKEN,
// GH_CONFIG_DIR naming the unix socket, TMPDIR). The release branch is pushed with real git; then gh pr create,
// the author's refused self-approval and the colleague's approval, gh pr checks, gh pr merge --squash
// --delete-branch (a real squash commit, pulled into the clone), gh run list/view/watch, the production approval
// through gh api, and gh workflow run for the rollback — each checked against what the sandbox then holds.
import {readFileSync} from 'node:fs';
import {mkdtemp, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {PassThrough} from 'node:stream';
import {execa} from 'execa';
import {afterAll, beforeAll, describe, expect} from 'vitest';
import {ghEnv, type SandboxGitHub, startSandboxGitHub} from '../../source/sandbox/github/index.js';
import {itNeeds} from '../helpers/requirements.js';
import {guideReleaseTemplate, waitFor} from './helpers.js';

const REPO = 'legion14041981-ui/overlord-trading-system-v8';
const it = itNeeds(['gh', 'git']);

let dir: string;
let gh: SandboxGitHub;
let clone: string;
beforeAll(async () => {
	dir = await mkdtemp(path.join(tmpdir(), 'runbook-gh-cli-'));
	gh = await startSandboxGitHub({speed: 20, dir: path.join(dir, 'github'), gh: {dir: path.join(dir, 'gh')}, https: {dir: path.join(dir, 'tls')}});
	clone = path.join(dir, 'overlord-trading-system-v8');
}, 60_000);
afterAll(async () => {
	try {
		await gh?.stop();
	} finally {
		await rm(dir, {recursive: true, force: true});
	}
});

/** The environment a rehearsal's shell has for gh and git: nothing of this machine's logins. */
function env(token = gh.token): Record<string, string> {
	return {PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir, LANG: 'C.UTF-8', GIT_CONFIG_NOSYSTEM: '1', NO_COLOR: '1', ...ghEnv(gh.gh!, token)};
}

async function run(file: string, args: string[], options: {token?: string; cwd?: string; env?: Record<string, string>} = {}) {
	const r = await execa(file, args, {cwd: options.cwd ?? clone, env: {...env(options.token), ...options.env}, extendEnv: false, reject: false, timeout: 60_000});
	return {stdout: String(r.stdout), stderr: String(r.stderr), exitCode: r.exitCode ?? -1};
}

const ghIn = (args: string[], options?: Parameters<typeof run>[2]) => run('gh', args, options);
const git = (args: string[], cwd = clone) => run('git', args, {cwd});
const pullNamed = (head: string) => gh.world.pulls.find(p => p.head === head);
const state = {pr: 0, mergeSha: '', runId: 0};

describe('the guide\'s gh commands against the sandbox', () => {
	it('points gh at the sandbox by its git remote\'s host, with no token in its configuration', async () => {
		expect(gh.gh!.host).toBe(new URL(gh.gitUrl).hostname);
		const config = readFileSync(path.join(gh.gh!.configDir, 'config.yml'), 'utf8');
		expect(config).toContain(`http_unix_socket: ${JSON.stringify(gh.gh!.socketPath)}`);
		expect(config).not.toContain(gh.token);
		const r = await ghIn(['api', `/repos/${REPO}`, '--jq', '.full_name'], {cwd: dir});
		expect(r).toMatchObject({exitCode: 0, stdout: REPO});
	});

	it('pushes the release branch with real git, and gh pr create opens the PR from the clone', async () => {
		expect((await git(['clone', '--quiet', gh.gitUrl, clone], dir)).exitCode).toBe(0);
		await git(['checkout', '-q', '-b', 'release/v1.2.0']);
		const pyproject = path.join(clone, 'pyproject.toml');
		await writeFile(pyproject, readFileSync(pyproject, 'utf8').replace('version = "1.1.0"', 'version = "1.2.0"'));
		expect((await git(['-c', 'user.name=DevOps Engineer', '-c', 'user.email=142001+devops-engineer@users.noreply.github.com', 'commit', '-qam', 'chore: Bump version to 1.2.0'])).exitCode).toBe(0);
		const basic = Buffer.from(`devops-engineer:${gh.token}`).toString('base64');
		const push = await git(['-c', `http.extraHeader=Authorization: Basic ${basic}`, 'push', '-q', 'origin', 'release/v1.2.0']);
		expect(push.exitCode, push.stderr).toBe(0);
		expect(push.stderr).toContain('Create a pull request for \'release/v1.2.0\'');

		const {title, body} = guideReleaseTemplate();
		const r = await ghIn(['pr', 'create', '--base', 'main', '--head', 'release/v1.2.0', '--title', title, '--body', body]);
		expect(r.stderr).toBe('');
		expect(r.exitCode).toBe(0);
		const pull = pullNamed('release/v1.2.0')!;
		expect(r.stdout.trim()).toBe(`https://github.com/${REPO}/pull/${pull.number}`);
		expect(pull).toMatchObject({state: 'open', base: 'main', author: 'devops-engineer', title: 'Release v1.2.0'});
		expect(pull.headSha).toBe((await git(['rev-parse', 'HEAD'])).stdout.trim());
		state.pr = pull.number;
		// GitHub's answer to a second one, through gh.
		const again = await ghIn(['pr', 'create', '--base', 'main', '--head', 'release/v1.2.0', '--title', title, '--body', body]);
		expect(again.exitCode).toBe(1);
		expect(again.stderr).toContain(`a pull request for branch "release/v1.2.0" into branch "main" already exists`);
	});

	it('gh pr review --approve: the author is refused, the reviewer approves', async () => {
		const own = await ghIn(['pr', 'review', '--approve', '--body', 'LGTM! Ready for production.']);
		expect(own.exitCode).toBe(1);
		expect(own.stderr).toContain('Can not approve your own pull request');
		const colleague = await ghIn(['pr', 'review', '--approve', '--body', 'LGTM! Ready for production.'], {token: gh.reviewerToken});
		expect(colleague).toMatchObject({exitCode: 0, stderr: ''});
		expect(gh.world.pull(state.pr)!.reviews.map(r => [r.user, r.state])).toEqual([['tech-lead', 'APPROVED']]);
	});

	it('gh pr checks lists the pushed branch\'s checks and passes once they are green', async () => {
		const r = await waitFor(async () => {
			const c = await ghIn(['pr', 'checks']);
			return c.exitCode === 0 && c;
		}, 30_000, 'gh pr checks to pass');
		const rows = r.stdout.trim().split('\n').map(l => l.split('\t').slice(0, 2));
		expect(rows).toEqual(expect.arrayContaining([['Quality Gates', 'pass'], ['Unit Tests', 'pass'], ['Production Deployment', 'skipping'], ['ci/coverage', 'pass']]));
	});

	it('gh pr merge --squash --delete-branch merges for real, deletes the branch, and brings the clone to main', async () => {
		const r = await ghIn(['pr', 'merge', '--squash', '--delete-branch']);
		expect(r.exitCode, r.stderr).toBe(0);
		const pull = gh.world.pull(state.pr)!;
		expect(pull).toMatchObject({merged: true, mergedBy: 'devops-engineer'});
		state.mergeSha = pull.mergeCommitSha!;
		expect(gh.world.branches.get('main')).toBe(state.mergeSha);
		expect(gh.world.branches.has('release/v1.2.0')).toBe(false);
		expect((await git(['rev-parse', 'HEAD'])).stdout.trim()).toBe(state.mergeSha);
		expect((await git(['branch', '--show-current'])).stdout.trim()).toBe('main');
		expect((await git(['log', '-1', '--format=%s'])).stdout.trim()).toBe(`Release v1.2.0 (#${state.pr})`);
		expect((await git(['branch', '--list', 'release/v1.2.0'])).stdout).toBe('');
	});

	it('gh run list --workflow=ci-cd-full-cycle.yml --limit 1 finds the newest run; on main it is the merge\'s', async () => {
		const onMain = await waitFor(async () => {
			const r = await ghIn(['run', 'list', '--workflow=ci-cd-full-cycle.yml', '--branch', 'main', '--limit', '1', '--json', 'databaseId,headSha,status']);
			const [first] = JSON.parse(r.stdout || '[]');
			return first?.headSha === state.mergeSha && first?.status === 'waiting' && first;
		}, 30_000, 'the merge\'s run to wait for production');
		state.runId = onMain.databaseId;
		const guide = await ghIn(['run', 'list', '--workflow=ci-cd-full-cycle.yml', '--limit', '1', '--json', 'databaseId', '--jq', '.[0].databaseId']);
		const newest = [...gh.world.runs].filter(r => r.workflowId === gh.world.run(state.runId)!.workflowId).sort((a, b) => b.createdAt - a.createdAt || b.id - a.id)[0]!;
		expect(guide).toMatchObject({exitCode: 0, stdout: String(newest.id)});
	});

	it('gh run view shows the run and its jobs', async () => {
		const r = await ghIn(['run', 'view', String(state.runId)]);
		expect(r.exitCode, r.stderr).toBe(0);
		expect(r.stdout).toContain(`main CI/CD Full Cycle · ${state.runId}`);
		expect(r.stdout).toMatch(/JOBS\n[\s\S]*Production Deployment/);
	});

	it('gh api approves the production deployment: the guide\'s environment name is refused, the integer id passes', async () => {
		const pending = `/repos/${REPO}/actions/runs/${state.runId}/pending_deployments`;
		// The guide's own form, as GitHub answers it.
		const guide = await ghIn(['api', '--method', 'POST', '-H', 'Accept: application/vnd.github+json', pending, '-f', 'environment_ids[]=production', '-f', 'state=approved', '-f', 'comment=Approved via CLI']);
		expect(guide.exitCode).toBe(1);
		expect(guide.stderr).toContain('"production" is not an integer');
		const id = (await ghIn(['api', pending, '--jq', '.[0].environment.id'])).stdout.trim();
		expect(id).toBe(String(gh.world.environment('production')!.id));
		const ok = await ghIn(['api', '--method', 'POST', '-H', 'Accept: application/vnd.github+json', pending, '-F', `environment_ids[]=${id}`, '-f', 'state=approved', '-f', 'comment=Approved via CLI']);
		expect(ok.exitCode, ok.stderr).toBe(0);
		expect(gh.world.run(state.runId)!.reviews).toMatchObject([{user: 'devops-engineer', state: 'approved', comment: 'Approved via CLI'}]);
	});

	it('gh run watch follows the run to its end, and gh run view --log shows each step\'s lines', async () => {
		const watch = await ghIn(['run', 'watch', String(state.runId), '--interval', '1', '--exit-status']);
		expect(watch.exitCode, watch.stderr).toBe(0);
		expect(gh.world.run(state.runId)).toMatchObject({status: 'completed', conclusion: 'success'});
		const log = await ghIn(['run', 'view', String(state.runId), '--log']);
		expect(log.exitCode, log.stderr).toBe(0);
		expect(log.stdout).toMatch(/^Production Deployment\tSet up job\t\S+Z Current runner version/m);
		expect(log.stdout).toMatch(/^Quality Gates\t/m);
	});

	it('gh api lists the container image versions, v1.2.0 (just built) first', async () => {
		const r = await ghIn(['api', '/users/legion14041981-ui/packages/container/overlord-trading-system-v8/versions', '--jq', '.[].metadata.container.tags | join(",")']);
		expect(r).toMatchObject({exitCode: 0, stdout: 'v1.2.0,latest\nv1.1.0\nv1.0.0'});
	});

	it('gh workflow run rollback.yml -f … starts the rollback run with those inputs', async () => {
		const r = await ghIn(['workflow', 'run', 'rollback.yml', '-f', 'environment=production', '-f', 'target_version=v1.1.0']);
		expect(r.exitCode, r.stderr).toBe(0);
		const rollback = await waitFor(() => gh.world.runs.find(x => x.event === 'workflow_dispatch'), 15_000, 'the rollback run');
		expect(rollback).toMatchObject({headBranch: 'main', actor: 'devops-engineer', inputs: {environment: 'production', target_version: 'v1.1.0'}});
		const listed = await waitFor(async () => {
			const l = await ghIn(['run', 'list', '--workflow=rollback.yml', '--limit', '1', '--json', 'databaseId,displayTitle']);
			return JSON.parse(l.stdout || '[]')[0];
		}, 15_000, 'gh run list to show the rollback');
		expect(listed).toEqual({databaseId: rollback.id, displayTitle: 'Rollback production to v1.1.0'});
	});

	it('also answers over HTTPS with its own CA (GH_HOST with the port, -R, SSL_CERT_FILE)', async () => {
		const caFile = path.join(dir, 'ca.pem');
		await writeFile(caFile, gh.caPem!);
		const host = `localhost:${new URL(gh.httpsUrl!).port}`;
		const https = {GH_HOST: host, GH_CONFIG_DIR: path.join(dir, 'no-gh-config')};
		const trusted = await ghIn(['pr', 'list', '-R', REPO, '--state', 'all', '--json', 'number', '--jq', '.[].number'], {cwd: dir, env: {...https, SSL_CERT_FILE: caFile}});
		expect(trusted).toMatchObject({exitCode: 0, stdout: gh.world.pulls.map(p => p.number).reverse().join('\n')});
		const untrusted = await ghIn(['api', `/repos/${REPO}`], {cwd: dir, env: https});
		expect(untrusted.exitCode).not.toBe(0);
		expect(untrusted.stderr).toContain('certificate signed by unknown authority');
	});
});

describe('the variables the sandbox hands out for gh', () => {
	it('`runbook sandbox --write-env`: a shell that sources the file reaches the sandbox with gh', async () => {
		const {runSandboxCommand} = await import('../../source/sandbox/command.js');
		const envFile = path.join(dir, 'sandbox.env');
		const abort = new AbortController();
		let ready = false;
		const running = runSandboxCommand({scenario: 'default', writeEnv: envFile, dir: path.join(dir, 'cmd'), github: true, speed: 20, out: new PassThrough(), signal: abort.signal, onReady: () => (ready = true)});
		try {
			await waitFor(() => ready, 30_000, 'runbook sandbox to be ready');
			const text = readFileSync(envFile, 'utf8');
			for (const name of ['GH_HOST', 'GH_ENTERPRISE_TOKEN', 'GH_CONFIG_DIR', 'TMPDIR']) expect(text).toMatch(new RegExp(`^export ${name}=`, 'm'));
			const r = await execa('bash', ['-c', `. ${JSON.stringify(envFile)} && gh api "/repos/${REPO}" --jq .full_name && ls "$GH_CONFIG_DIR"`], {env: {PATH: process.env.PATH!, HOME: dir}, extendEnv: false, reject: false, cwd: dir});
			expect(r).toMatchObject({exitCode: 0, stdout: `${REPO}\nconfig.yml`});
			const configDir = /^export GH_CONFIG_DIR='(.+)'$/m.exec(text)![1]!;
			const token = /^export GH_ENTERPRISE_TOKEN='(.+)'$/m.exec(text)![1]!;
			expect(readFileSync(path.join(configDir, 'config.yml'), 'utf8')).not.toContain(token);
		} finally {
			abort.abort();
			await running;
		}
	}, 60_000);

	it('a rehearsal\'s shell environment carries them too', async () => {
		const {startRehearsalSandbox} = await import('../../source/sandbox/rehearsal.js');
		const sandbox = await startRehearsalSandbox({dir: path.join(dir, 'rehearsal'), speed: 20});
		try {
			expect(sandbox.env).toMatchObject({GH_HOST: '127.0.0.1', GH_CONFIG_DIR: path.join(dir, 'rehearsal', 'gh', 'gh-config'), TMPDIR: path.join(dir, 'rehearsal', 'gh', 'gh-tmp')});
			const r = await execa('gh', ['api', `/repos/${REPO}`, '--jq', '.full_name'], {env: {PATH: process.env.PATH!, HOME: dir, ...sandbox.env}, extendEnv: false, reject: false, cwd: dir});
			expect(r).toMatchObject({exitCode: 0, stdout: REPO});
		} finally {
			await sandbox.stop();
		}
	}, 60_000);
});
