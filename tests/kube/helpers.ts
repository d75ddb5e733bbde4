// A sandbox cluster per test file, the real kubectl against it, and a client from its kubeconfig.
import {mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {execa} from 'execa';
import {createKubeClient, type KubeClient} from '../../source/kube/client.js';
import {type SandboxCluster, type SandboxOptions, startSandboxCluster} from '../../source/sandbox/cluster/index.js';

export const NS = 'overlord-production';
export const STAGING = 'overlord-staging';
export const IMAGE = 'ghcr.io/legion14041981-ui/overlord-trading-system-v8';

export interface KubeTestEnv {
	cluster: SandboxCluster;
	client: KubeClient;
	kubectl(args: string[], timeoutMs?: number): Promise<{stdout: string; stderr: string; exitCode: number}>;
	close(): Promise<void>;
}

export async function startKubeTestEnv(options: Partial<SandboxOptions> = {}): Promise<KubeTestEnv> {
	const dir = await mkdtemp(path.join(tmpdir(), 'kube-test-'));
	const cluster = await startSandboxCluster({port: 0, speed: 10, ...options, dir: path.join(dir, 'state')});
	const client = await createKubeClient({kubeconfig: cluster.kubeconfigPath});
	if (!client) throw new Error('no client for the sandbox kubeconfig');
	const cacheDir = path.join(dir, 'kube-cache');
	return {
		cluster,
		client,
		async kubectl(args, timeoutMs = 20_000) {
			// Global flags first: anything after `--` would belong to an exec'd command.
			const r = await execa('kubectl', ['--kubeconfig', cluster.kubeconfigPath, '--cache-dir', cacheDir, ...args], {
				reject: false,
				timeout: timeoutMs,
				env: {HOME: dir, KUBECONFIG: ''},
			});
			return {stdout: String(r.stdout), stderr: String(r.stderr), exitCode: r.exitCode ?? -1};
		},
		async close() {
			await cluster.stop();
			await rm(dir, {recursive: true, force: true});
		},
	};
}

export async function waitFor<T>(probe: () => T | undefined | false | null | Promise<T | undefined | false | null>, timeoutMs = 10_000, what = 'condition'): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	let last: unknown;
	while (Date.now() < deadline) {
		try {
			const v = await probe();
			if (v) return v;
		} catch (error) {
			last = error;
		}
		await sleep(25);
	}
	throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
}

export const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

/** kubectl's aligned table output, split by the header's column starts. */
export function parseTable(text: string): Array<Record<string, string>> {
	const lines = text.split('\n').filter(l => l.trim() !== '');
	if (lines.length === 0) return [];
	const header = lines[0]!;
	const starts: Array<{name: string; at: number}> = [];
	const re = /(\S+(?: \S+)*)/g;
	for (let m = re.exec(header); m; m = re.exec(header)) starts.push({name: m[1]!, at: m.index});
	return lines.slice(1).map(line => {
		const row: Record<string, string> = {};
		starts.forEach((col, i) => {
			row[col.name] = line.slice(col.at, i + 1 < starts.length ? starts[i + 1]!.at : undefined).trim();
		});
		return row;
	});
}
