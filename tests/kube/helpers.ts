// A sandbox cluster per test file, the real kubectl against it, and a client from its kubeconfig.
import {mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {execa} from 'execa';
import {createKubeClient, type KubeClient} from '../../source/kube/client.js';
import {type SandboxCluster, type SandboxOptions, startSandboxCluster} from '../../source/sandbox/cluster/index.js';
import {waitFor as sharedWaitFor} from '../helpers/wait.js';
export {parseTable} from '../helpers/wait.js';
export {sleep} from '../helpers/wait.js';
export const waitFor = <T>(probe: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 10000, what = 'condition') => sharedWaitFor(probe, timeoutMs, what, 25);

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
	const dir = await mkdtemp(path.join(tmpdir(), 'runbook-kube-test-'));
	const removeDir = () => rm(dir, {recursive: true, force: true});
	const cluster = await startSandboxCluster({port: 0, speed: 10, ...options, dir: path.join(dir, 'state')}).catch(async error => {
		await removeDir();
		throw error;
	});
	const client = await createKubeClient({kubeconfig: cluster.kubeconfigPath})
		.then(made => made ?? Promise.reject(new Error('no client for the sandbox kubeconfig')))
		.catch(async error => {
			await cluster.stop();
			await removeDir();
			throw error;
		});
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



