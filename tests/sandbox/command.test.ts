// `runbook sandbox` entry: env file written only once the server answers, one line of output,
// clean stop on abort and on SIGTERM.
import {existsSync} from 'node:fs';
import {mkdtemp, readFile, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {PassThrough} from 'node:stream';
import {execa} from 'execa';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {envFileText, runSandboxCommand, shellQuote} from '../../source/sandbox/command.js';
import type {SandboxCluster} from '../../source/sandbox/cluster/index.js';
import {waitFor} from './helpers.js';
import {itNeeds} from '../helpers/requirements.js';

let dir: string;
beforeAll(async () => {
	dir = await mkdtemp(path.join(tmpdir(), 'runbook-sandbox-cmd-'));
});
afterAll(async () => rm(dir, {recursive: true, force: true}));

describe('runSandboxCommand', () => {
	it('quotes values for POSIX shells', () => {
		expect(shellQuote("it's")).toBe(`'it'\\''s'`);
		const text = envFileText({kubeconfigPath: '/a b/kubeconfig', caPem: '-----BEGIN X-----\nAB\n-----END X-----\n', url: 'https://127.0.0.1:1'});
		expect(text).toBe("export KUBECONFIG='/a b/kubeconfig'\nexport SANDBOX_CA='-----BEGIN X-----\nAB\n-----END X-----'\nexport SANDBOX_K8S_URL='https://127.0.0.1:1'\n");
	});

	itNeeds(['kubectl', 'curl'])('writes an env file a shell can source, prints one line, and stops on abort', async () => {
		const envFile = path.join(dir, 'sandbox.env');
		const out = new PassThrough();
		let printed = '';
		out.on('data', c => (printed += String(c)));
		const abort = new AbortController();
		let ready: SandboxCluster | undefined;
		const running = runSandboxCommand({port: 0, scenario: 'default', writeEnv: envFile, dir: path.join(dir, 'state'), out, signal: abort.signal, onReady: c => (ready = c)});
		await waitFor(() => ready, 10_000, 'the sandbox to be ready');
		expect(existsSync(envFile)).toBe(true);
		expect(printed.trim().split('\n')).toHaveLength(1);
		expect(printed).toContain(`listening on ${ready!.url}`);
		const env = await readFile(envFile, 'utf8');
		expect(env).toContain(`export SANDBOX_K8S_URL='${ready!.url}'`);
		const shell = await execa('bash', ['-c', `. '${envFile}' && printf '%s' "$SANDBOX_CA" > '${dir}/ca.pem' && kubectl --cache-dir '${dir}/cache' get deploy overlord -o name && curl -sS --cacert '${dir}/ca.pem' "$SANDBOX_K8S_URL/version"`], {reject: false});
		expect(shell.stdout).toContain('deployment.apps/overlord');
		expect(shell.stdout).toContain('"gitVersion"');
		expect((await readFile(path.join(dir, 'ca.pem'), 'utf8')).trim()).toBe(ready!.caPem.trim());
		abort.abort();
		await expect(running).resolves.toBe(0);
		const after = await execa('kubectl', ['--kubeconfig', ready!.kubeconfigPath, '--cache-dir', `${dir}/cache`, 'get', 'pods', '--request-timeout=1s'], {reject: false});
		expect(after.exitCode).not.toBe(0);
	});

	it('runs via scripts/sandbox-dev.mjs and exits cleanly on SIGTERM', async () => {
		const envFile = path.join(dir, 'dev.env');
		const child = execa('node', ['scripts/sandbox-dev.mjs', '--dir', path.join(dir, 'dev-state'), '--env', envFile, '--scenario', 'bad-release'], {reject: false, cwd: path.resolve(import.meta.dirname, '../..')});
		let stdout = '';
		child.stdout?.on('data', c => (stdout += String(c)));
		await waitFor(() => stdout.includes('listening on'), 15_000, 'the dev script to listen');
		expect(stdout).toContain('(bad-release)');
		expect(existsSync(envFile)).toBe(true);
		child.kill('SIGTERM');
		const result = await child;
		expect(result.exitCode).toBe(0);
	});
});
