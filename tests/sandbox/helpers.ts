// Shared plumbing for the sandbox tests: a cluster per test file, real kubectl against it, and
// small polling/HTTP helpers (speed-ups instead of sleeps).
import {mkdtemp, readFile, rm} from 'node:fs/promises';
import {request} from 'node:https';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {execa} from 'execa';
import {type SandboxCluster, type SandboxOptions, startSandboxCluster} from '../../source/sandbox/cluster/index.js';
export {parseTable} from '../helpers/wait.js';
export {waitFor} from '../helpers/wait.js';

export interface TestCluster {
	cluster: SandboxCluster;
	dir: string;
	kubectl(args: string[], options?: {timeoutMs?: number; env?: Record<string, string>}): Promise<{stdout: string; stderr: string; exitCode: number}>;
	token(): Promise<string>;
	close(): Promise<void>;
}

export async function startTestCluster(options: Partial<SandboxOptions> = {}): Promise<TestCluster> {
	const dir = await mkdtemp(path.join(tmpdir(), 'runbook-sandbox-test-'));
	const cluster = await startSandboxCluster({speed: 10, ...options, dir: path.join(dir, 'state')}).catch(async error => {
		await rm(dir, {recursive: true, force: true});
		throw error;
	});
	const cacheDir = path.join(dir, 'kube-cache');
	return {
		cluster,
		dir,
		async kubectl(args, opts = {}) {
			// Global flags go first: anything after `--` belongs to the exec'd command.
			const result = await execa('kubectl', ['--kubeconfig', cluster.kubeconfigPath, '--cache-dir', cacheDir, ...args], {
				reject: false,
				timeout: opts.timeoutMs ?? 20_000,
				env: {HOME: dir, KUBECONFIG: '', ...opts.env},
				extendEnv: true,
			});
			return {stdout: String(result.stdout), stderr: String(result.stderr), exitCode: result.exitCode ?? -1};
		},
		async token() {
			const config = JSON.parse(await readFile(cluster.kubeconfigPath, 'utf8'));
			return config.users[0].user.token as string;
		},
		async close() {
			await cluster.stop();
			await rm(dir, {recursive: true, force: true});
		},
	};
}



export interface RawResponse {
	status: number;
	headers: Record<string, string | string[] | undefined>;
	body: string;
}

/** One HTTPS request verified against the sandbox CA. */
export function httpsRequest(
	cluster: SandboxCluster,
	pathAndQuery: string,
	options: {method?: string; token?: string; body?: unknown; headers?: Record<string, string>} = {},
): Promise<RawResponse> {
	return new Promise((resolve, reject) => {
		const req = request(
			`${cluster.url}${pathAndQuery}`,
			{
				method: options.method ?? 'GET',
				ca: cluster.caPem,
				headers: {
					...(options.token ? {Authorization: `Bearer ${options.token}`} : {}),
					...(options.body !== undefined ? {'Content-Type': 'application/json'} : {}),
					...options.headers,
				},
			},
			res => {
				const chunks: Buffer[] = [];
				res.on('data', c => chunks.push(c));
				res.on('end', () => resolve({status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8')}));
				res.on('error', reject);
			},
		);
		req.on('error', reject);
		req.end(options.body !== undefined ? JSON.stringify(options.body) : undefined);
	});
}

export interface LineStream {
	lines: string[];
	closed: Promise<void>;
	close(): void;
}

/** Opens a streaming GET (watch or log follow) and collects complete lines as they arrive. */
export function streamLines(cluster: SandboxCluster, pathAndQuery: string, token: string): Promise<LineStream> {
	return new Promise((resolve, reject) => {
		const lines: string[] = [];
		let closeResolve: () => void;
		const closed = new Promise<void>(r => (closeResolve = r));
		const req = request(`${cluster.url}${pathAndQuery}`, {ca: cluster.caPem, headers: {Authorization: `Bearer ${token}`}}, res => {
			let buffer = '';
			res.setEncoding('utf8');
			res.on('data', (chunk: string) => {
				buffer += chunk;
				let i: number;
				while ((i = buffer.indexOf('\n')) >= 0) {
					lines.push(buffer.slice(0, i));
					buffer = buffer.slice(i + 1);
				}
			});
			res.on('close', () => closeResolve());
			res.on('error', () => closeResolve());
			resolve({lines, closed, close: () => req.destroy()});
		});
		req.on('error', error => {
			closeResolve();
			reject(error);
		});
		req.end();
	});
}

export const NS = 'overlord-production';
export const IMAGE = 'ghcr.io/legion14041981-ui/overlord-trading-system-v8';
