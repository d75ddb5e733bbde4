// The operator's checkout of the sandbox repository: a rehearsal proposes it for the guide's
// `cd /path/to/overlord-trading-system-v8`, and `runbook sandbox` makes one (SANDBOX_WORKSPACE in its env file) whose
// pushes reach the sandbox — where, as in a rehearsal, a colleague approves the release PR.
import {readFileSync, writeFileSync} from 'node:fs';
import {mkdtemp, readFile, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {PassThrough} from 'node:stream';
import {execa} from 'execa';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {parseRunbook} from '../../source/runbook/parse.js';
import {walkSteps} from '../../source/runbook/walk.js';
import {runSandboxCommand} from '../../source/sandbox/command.js';
import {workspacePlaceholder} from '../../source/sandbox/rehearsal.js';
import {questionsFor} from '../../source/session/questions.js';
import {emptySessionState} from '../../source/session/session-state.js';
import {itNeeds} from '../helpers/requirements.js';
import {waitFor} from './helpers.js';

let dir: string;
beforeAll(async () => {
	dir = await mkdtemp(path.join(tmpdir(), 'runbook-sandbox-ws-'));
});
afterAll(async () => rm(dir, {recursive: true, force: true}));

const RUNBOOK = `# Deploy

## Release branch

\`\`\`bash
cd /path/to/overlord-trading-system-v8
export KUBECONFIG=/path/to/kubeconfig-staging.yaml
cd /path/to/some-other-repo
\`\`\`
`;

describe('the rehearsal\'s answer for the repository\'s checkout', () => {
	it('is the workspace for a placeholder whose last path segment is the repository\'s name, and nothing else', () => {
		const propose = workspacePlaceholder('/state/sandbox/workspace');
		expect(propose('/path/to/overlord-trading-system-v8')).toBe('/state/sandbox/workspace');
		expect(propose('/path/to/overlord-trading-system-v8/')).toBe('/state/sandbox/workspace');
		expect(propose('/path/to/kubeconfig-staging.yaml')).toBeUndefined();
		expect(propose('/path/to/overlord-trading-system-v9')).toBeUndefined();
	});

	it('is what the prompt proposes (Enter keeps it); a variable\'s current value still comes first', () => {
		const runbook = parseRunbook(RUNBOOK, {path: 'deploy.md'});
		const block = walkSteps(runbook).flatMap(s => s.blocks).find(b => b.kind === 'command')!;
		const questions = questionsFor(block, runbook, emptySessionState(), {KUBECONFIG: '/sandbox/kubeconfig'}, workspacePlaceholder('/ws'));
		expect(questions.map(q => (q.kind === 'placeholder' ? [q.text, q.suggestion] : q.kind))).toEqual([
			['/path/to/overlord-trading-system-v8', '/ws'],
			['/path/to/kubeconfig-staging.yaml', '/sandbox/kubeconfig'],
			['/path/to/some-other-repo', '/path/to/some-other-repo'],
		]);
		// Outside a rehearsal nothing is proposed but the runbook's own text.
		expect(questionsFor(block, runbook, emptySessionState(), {})[0]).toMatchObject({suggestion: '/path/to/overlord-trading-system-v8'});
	});
});

describe('runbook sandbox', () => {
	itNeeds(['git'])('exports SANDBOX_WORKSPACE, a clone whose push reaches the sandbox, where the colleague approves the release PR', async () => {
		const envFile = path.join(dir, 'sandbox.env');
		const abort = new AbortController();
		let ready = false;
		const out = new PassThrough();
		out.resume();
		const running = runSandboxCommand({port: 0, scenario: 'default', writeEnv: envFile, dir: path.join(dir, 'state'), out, signal: abort.signal, github: true, speed: 20, onReady: () => (ready = true)});
		try {
			await waitFor(() => ready, 20_000, 'the sandbox to be ready');
			const env = await readFile(envFile, 'utf8');
			const workspace = /^export SANDBOX_WORKSPACE='(.+)'$/m.exec(env)?.[1];
			expect(workspace).toBe(path.join(dir, 'state', 'checkout'));
			const api = /^export GITHUB_API_URL='(.+)'$/m.exec(env)![1]!;
			const token = /^export GITHUB_TOKEN='(.+)'$/m.exec(env)![1]!;
			const git = async (...args: string[]) => {
				const r = await execa('git', args, {cwd: workspace, reject: false, env: {HOME: dir, GIT_CONFIG_NOSYSTEM: '1', GIT_TERMINAL_PROMPT: '0'}});
				expect(r.exitCode, String(r.stderr)).toBe(0);
				return String(r.stdout).trim();
			};
			expect(await git('remote', 'get-url', 'origin')).toBe(`${api}/legion14041981-ui/overlord-trading-system-v8.git`);
			await git('checkout', '-q', '-b', 'release/v1.2.0', 'origin/develop');
			const pyproject = path.join(workspace!, 'pyproject.toml');
			writeFileSync(pyproject, readFileSync(pyproject, 'utf8').replace('version = "1.1.0"', 'version = "1.2.0"'));
			await git('commit', '-qam', 'chore: Bump version to 1.2.0');
			await git('push', '-q', 'origin', 'release/v1.2.0');

			const repo = `${api}/repos/legion14041981-ui/overlord-trading-system-v8`;
			const headers = {authorization: `token ${token}`, 'content-type': 'application/json'};
			const created = await fetch(`${repo}/pulls`, {method: 'POST', headers, body: JSON.stringify({title: 'Release v1.2.0', head: 'release/v1.2.0', base: 'main'})});
			expect(created.status).toBe(201);
			const {number} = await created.json() as {number: number};
			const reviews = await waitFor(async () => {
				const list = await (await fetch(`${repo}/pulls/${number}/reviews`, {headers})).json() as Array<{user: {login: string}; state: string}>;
				return list.length > 0 && list;
			}, 10_000, 'the colleague\'s review');
			expect(reviews.map(r => [r.user.login, r.state])).toEqual([['tech-lead', 'APPROVED']]);
		} finally {
			abort.abort();
			await running;
		}
	}, 60_000);
});
