// `runbook sandbox`: run the sandbox cluster in the foreground until SIGINT/SIGTERM, and write an
// env file a shell can source once the server is really answering.
import {request} from 'node:https';
import {rename, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {shellQuote} from '../runbook/shell-words.js';
import {type SandboxCluster, type ScenarioName, startSandboxCluster} from './cluster/index.js';
import {savedScenario} from './cluster/saved-world.js';

export interface SandboxCommandOptions {
	/** Default: the port this state directory's sandbox had last (its GitHub's too), else a free one. */
	port?: number;
	/** Default: the scenario this state directory's world was playing, else `default`. */
	scenario?: ScenarioName;
	/** Path of the env file to write (`export KUBECONFIG=…` etc.); nothing is written when omitted. */
	writeEnv?: string;
	/** State directory: TLS material, token, kubeconfig and the world, kept there from one start to the next. */
	dir: string;
	speed?: number;
	/** Where the one "listening" line goes (default: process.stdout). */
	out?: NodeJS.WritableStream;
	/** Stops the command like a signal would; for tests and embedding. */
	signal?: AbortSignal;
	/** Also serve the sandbox GitHub, acting on this cluster; its variables join the env file. */
	github?: boolean;
	/** Called once the server answers and the env file is written. */
	onReady?: (cluster: SandboxCluster) => void;
}

export {shellQuote};

export function envFileText(cluster: Pick<SandboxCluster, 'kubeconfigPath' | 'caPem' | 'url'>): string {
	return [
		`export KUBECONFIG=${shellQuote(cluster.kubeconfigPath)}`,
		`export SANDBOX_CA=${shellQuote(cluster.caPem.trimEnd())}`,
		`export SANDBOX_K8S_URL=${shellQuote(cluster.url)}`,
		'',
	].join('\n');
}

/** Resolves once `GET /version` succeeds over TLS verified against the sandbox CA. */
function waitForAnswer(url: string, caPem: string, timeoutMs = 10_000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	return new Promise((resolve, reject) => {
		const attempt = () => {
			const req = request(`${url}/version`, {ca: caPem, timeout: 2000}, res => {
				res.resume();
				if (res.statusCode === 200) resolve();
				else retry(new Error(`status ${res.statusCode}`));
			});
			req.on('error', retry);
			req.on('timeout', () => req.destroy(new Error('timeout')));
			req.end();
		};
		const retry = (error: Error) => {
			if (Date.now() > deadline) reject(new Error(`sandbox did not answer: ${error.message}`));
			else setTimeout(attempt, 50);
		};
		attempt();
	});
}

/** Runs until SIGINT/SIGTERM (or `signal`), then stops the server; resolves with the exit code. */
export async function runSandboxCommand(options: SandboxCommandOptions): Promise<number> {
	const out = options.out ?? process.stdout;
	const dir = path.resolve(options.dir);
	// Restarted on the same directory, the same world comes back: its scenario too unless another is asked for.
	const scenario = options.scenario ?? savedScenario(dir) ?? 'default';
	const cluster = await startSandboxCluster({port: options.port, scenario, dir, speed: options.speed});
	const github = options.github
		// As in a rehearsal: a colleague approves release PRs, and the real `gh` has a socket under gh/ (the env file says so).
		? await (await import('./github/index.js')).startSandboxGitHub({cluster, scenario, speed: options.speed, colleagueReviewMs: 3000, gh: {dir: path.join(dir, 'gh')}, dir: path.join(dir, 'github')})
		: null;
	let stopping: Promise<void> | undefined;
	const stop = () => (stopping ??= Promise.all([cluster.stop(), github?.stop()]).then(() => undefined));
	const stopped = new Promise<void>(resolve => {
		const onSignal = () => {
			process.off('SIGINT', onSignal);
			process.off('SIGTERM', onSignal);
			options.signal?.removeEventListener('abort', onSignal);
			void stop().then(resolve);
		};
		process.on('SIGINT', onSignal);
		process.on('SIGTERM', onSignal);
		if (options.signal?.aborted) onSignal();
		else options.signal?.addEventListener('abort', onSignal);
	});
	// A clone of the sandbox repository to rehearse in by hand (`cd "$SANDBOX_WORKSPACE"`); a rehearsal has its own.
	const workspace = github ? path.join(dir, 'checkout') : null;
	try {
		await waitForAnswer(cluster.url, cluster.caPem);
		if (github && workspace) {
			const {cloneWorkspace, operatorSource} = await import('./workspace.js');
			await cloneWorkspace(workspace, operatorSource(github));
		}
		if (options.writeEnv) {
			const target = path.resolve(options.writeEnv);
			const temp = `${target}.${process.pid}.tmp`;
			// Written whole then renamed, so a poller never sources half a file.
			const githubEnv = github ? (await import('./github/index.js')).githubEnvText(github) : '';
			const workspaceEnv = workspace ? `export SANDBOX_WORKSPACE=${shellQuote(workspace)}\n` : '';
			await writeFile(temp, envFileText(cluster) + githubEnv + workspaceEnv, {mode: 0o600});
			await rename(temp, target);
		}
	} catch (error) {
		await stop();
		throw error;
	}
	const envNote = options.writeEnv ? `, env: ${path.resolve(options.writeEnv)}` : '';
	const githubNote = github ? `; sandbox GitHub on ${github.url} (${github.repository})` : '';
	const restored = cluster.restored ? ', its saved world restored' : '';
	out.write(`sandbox cluster (${cluster.scenario}${restored}) listening on ${cluster.url} (kubeconfig: ${cluster.kubeconfigPath}${envNote})${githubNote}\n`);
	options.onReady?.(cluster);
	await stopped;
	return 0;
}
