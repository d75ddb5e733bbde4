// A sandbox restarted on its state directory is the same sandbox: same ports, CA and tokens, the same objects at
// the same resourceVersions, the same pull requests; a world of another owner or scenario starts from the seed.
import {readFile} from 'node:fs/promises';
import path from 'node:path';
import {PassThrough} from 'node:stream';
import {describe, expect, it} from 'vitest';
import {type SandboxCluster, startSandboxCluster} from '../../source/sandbox/cluster/index.js';
import {runSandboxCommand} from '../../source/sandbox/command.js';
import {testTempDir} from '../helpers/temp.js';
import {itNeeds} from '../helpers/requirements.js';
import {waitFor} from './helpers.js';

interface Running {
	cluster: SandboxCluster;
	env: Record<string, string>;
	printed: () => string;
	stop(): Promise<number>;
}

/** `runbook sandbox` in this process, as the CLI calls it with no --port and no --scenario after the first start. */
async function sandbox(dir: string, options: {scenario?: 'bad-release'} = {}): Promise<Running> {
	const abort = new AbortController();
	const out = new PassThrough();
	let printed = '';
	out.on('data', c => (printed += String(c)));
	let ready: SandboxCluster | undefined;
	const envFile = path.join(dir, 'sandbox.env');
	const running = runSandboxCommand({...options, speed: 10, writeEnv: envFile, dir: path.join(dir, 'state'), out, signal: abort.signal, github: true, onReady: c => (ready = c)});
	const cluster = await waitFor(() => ready, 20_000, 'the sandbox to be ready');
	const env = Object.fromEntries([...(await readFile(envFile, 'utf8')).matchAll(/^export (\w+)='([^']*)'$/gm)].map(m => [m[1]!, m[2]!]));
	return {cluster, env, printed: () => printed, stop: () => (abort.abort(), running)};
}

async function github(env: Record<string, string>, method: string, route: string, body?: unknown): Promise<{status: number; json: any}> {
	const res = await fetch(`${env.GITHUB_API_URL}/repos/${env.GITHUB_REPOSITORY}${route}`, {
		method, headers: {authorization: `token ${env.GITHUB_TOKEN}`, accept: 'application/vnd.github+json'}, body: body === undefined ? undefined : JSON.stringify(body),
	});
	return {status: res.status, json: await res.json()};
}

const container = (c: SandboxCluster, pod: string) => c.store.get('pods', 'overlord-production', pod)?.status?.containerStatuses?.[0];

describe('a sandbox restarted on its state directory', () => {
	itNeeds(['git'])('comes back on the same ports with the same CA, token, objects and pull requests', async () => {
		const dir = testTempDir('sandbox-persist');
		const first = await sandbox(dir, {scenario: 'bad-release'});
		// The bad release rolled out by hand: a new revision whose pod crash-loops; a pull request opened and merged.
		first.cluster.store.mutate('deployments', 'overlord-production', 'overlord', d => {
			d.spec.template.spec.containers[0].image = 'ghcr.io/legion14041981-ui/overlord-trading-system-v8:v1.2.0';
		});
		const crashing = await waitFor(() => first.cluster.store.list('pods', 'overlord-production').find(p => (container(first.cluster, p.metadata.name)?.restartCount ?? 0) >= 1), 20_000, 'a crash-looping pod');
		const pull = await github(first.env, 'POST', '/pulls', {title: 'Release v1.1.1', head: 'develop', base: 'main', body: 'the release'});
		expect(pull.status).toBe(201);
		const before = {
			rv: first.cluster.store.currentRv(), deployment: first.cluster.store.get('deployments', 'overlord-production', 'overlord')!,
			restarts: container(first.cluster, crashing.metadata.name)!.restartCount as number, kubeconfig: JSON.parse(await readFile(first.cluster.kubeconfigPath, 'utf8')),
		};
		expect(await first.stop()).toBe(0);

		const second = await sandbox(dir);
		try {
			expect(second.printed()).toMatch(/sandbox cluster \(bad-release, its saved world restored\) listening on/);
			expect(second.cluster.url).toBe(first.cluster.url);
			expect(second.cluster.caPem).toBe(first.cluster.caPem);
			expect(second.env.GITHUB_API_URL).toBe(first.env.GITHUB_API_URL);
			expect(second.env.GITHUB_TOKEN).toBe(first.env.GITHUB_TOKEN);
			expect(JSON.parse(await readFile(second.cluster.kubeconfigPath, 'utf8')).users).toEqual(before.kubeconfig.users);
			expect(second.cluster.store.currentRv()).toBeGreaterThanOrEqual(before.rv);
			const deployment = second.cluster.store.get('deployments', 'overlord-production', 'overlord')!;
			expect(deployment.metadata.uid).toBe(before.deployment.metadata.uid);
			expect(deployment.metadata.annotations?.['deployment.kubernetes.io/revision']).toBe('2');
			expect(second.cluster.store.list('replicasets', 'overlord-production')).toHaveLength(2);
			// The crash loop carries on from where it was: the same pod, its restarts counted on, never reset.
			expect(container(second.cluster, crashing.metadata.name)!.restartCount).toBeGreaterThanOrEqual(before.restarts);
			await waitFor(() => (container(second.cluster, crashing.metadata.name)?.restartCount ?? 0) > before.restarts, 20_000, 'the crash loop to go on');
			const again = await github(second.env, 'GET', `/pulls/${pull.json.number}`);
			expect(again.status).toBe(200);
			expect(again.json).toMatchObject({title: 'Release v1.1.1', state: 'open', head: {ref: 'develop'}});
			// The repository is the one the first sandbox served, and its counters go on.
			const next = await github(second.env, 'POST', '/pulls', {title: 'Another', head: 'develop', base: 'main'});
			expect(next.status).toBe(422);
		} finally {
			await second.stop();
		}
	}, 90_000);

	it('starts from the seed for another owner, another scenario, or when asked to', async () => {
		const dir = path.join(testTempDir('sandbox-owner'), 'state');
		const start = (owner: string | null, extra: {fresh?: boolean; scenario?: 'bad-release'} = {}) => startSandboxCluster({dir, speed: 10, owner, ...extra});
		const first = await start('session-a');
		expect(first.restored).toBe(false);
		first.store.mutate('deployments', 'overlord-production', 'overlord', d => {
			d.metadata.labels = {...d.metadata.labels, marked: 'yes'};
		});
		const token = first.token;
		await first.stop();
		const cases: Array<[string | null, {fresh?: boolean; scenario?: 'bad-release'}, boolean]> = [
			['session-a', {}, true], ['session-b', {}, false], ['session-a', {scenario: 'bad-release'}, false], ['session-a', {fresh: true}, false],
		];
		for (const [owner, extra, restored] of cases) {
			const c = await start(owner, extra);
			try {
				expect(c.restored, `${owner} ${JSON.stringify(extra)}`).toBe(restored);
				expect(c.store.get('deployments', 'overlord-production', 'overlord')!.metadata.labels?.marked).toBe(restored ? 'yes' : undefined);
				// The token, like the CA, belongs to the directory, whatever the world.
				expect(c.token).toBe(token);
			} finally {
				await c.stop();
			}
			// What was just started is now the saved world: put session-a's marked world back for the next case.
			if (!restored) {
				const again = await start('session-a', {fresh: true});
				again.store.mutate('deployments', 'overlord-production', 'overlord', d => {
					d.metadata.labels = {...d.metadata.labels, marked: 'yes'};
				});
				await again.stop();
			}
		}
	}, 60_000);

	it('sends a watch from before the restart to relist (410), not a silent gap', async () => {
		const dir = path.join(testTempDir('sandbox-rv'), 'state');
		const first = await startSandboxCluster({dir, speed: 10});
		const rv = first.store.currentRv();
		await first.stop();
		const second = await startSandboxCluster({dir, speed: 10});
		try {
			expect(second.restored).toBe(true);
			expect(second.store.eventsSince(rv - 1)).toBe('expired');
			expect(second.store.eventsSince(rv + 50)).toBe('expired');
			expect(second.store.eventsSince(second.store.currentRv())).toEqual(expect.any(Array));
		} finally {
			await second.stop();
		}
	}, 30_000);
});
