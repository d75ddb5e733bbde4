// Kubeconfig loading with kubectl's rules, the lazy import of client-node, plain-JSON
// normalisation, and a cluster that cannot be reached from the start.
import {mkdtemp, readFile, rm, utimes, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {execa} from 'execa';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {createKubeClient, describeError, loadKubeConfig, toPlain} from '../../source/kube/client.js';
import {currentKubeTarget, prepareKubeconfigReading} from '../../source/kube/current-context.js';
import {freshnessLabel} from '../../source/kube/pods-model.js';
import {ResourceWatch} from '../../source/kube/resource-watch.js';
import {ROOT} from '../helpers/paths.js';
import {waitFor} from './helpers.js';

let dir: string;
beforeAll(async () => {
	dir = await mkdtemp(path.join(tmpdir(), 'runbook-kube-client-'));
});
afterAll(async () => rm(dir, {recursive: true, force: true}));

async function kubeconfig(name: string, opts: {current?: string; contexts: Array<{name: string; cluster: string; namespace?: string}>; clusters: Array<{name: string; server: string}>}) {
	const file = path.join(dir, name);
	const config = {
		apiVersion: 'v1',
		kind: 'Config',
		clusters: opts.clusters.map(c => ({name: c.name, cluster: {server: c.server}})),
		users: [{name: 'u', user: {token: 't'}}],
		contexts: opts.contexts.map(c => ({name: c.name, context: {cluster: c.cluster, user: 'u', ...(c.namespace ? {namespace: c.namespace} : {})}})),
		...(opts.current ? {'current-context': opts.current} : {}),
	};
	await writeFile(file, JSON.stringify(config));
	return file;
}

describe('kubeconfig with kubectl semantics', () => {
	it('the first file that sets current-context wins; first definitions win; missing files are skipped', async () => {
		const a = await kubeconfig('a', {current: 'ctx-a', contexts: [{name: 'ctx-a', cluster: 'shared', namespace: 'team-a'}], clusters: [{name: 'shared', server: 'https://a.example:6443'}]});
		const b = await kubeconfig('b', {current: 'ctx-b', contexts: [{name: 'ctx-b', cluster: 'shared'}, {name: 'ctx-a', cluster: 'other'}], clusters: [{name: 'shared', server: 'https://b.example:6443'}, {name: 'other', server: 'https://o.example'}]});
		const none = await kubeconfig('none', {contexts: [], clusters: []});
		const env = {KUBECONFIG: [path.join(dir, 'missing'), none, a, b].join(path.delimiter), HOME: dir};
		const client = (await createKubeClient({env}))!;
		expect(client.context).toBe('ctx-a');
		expect(client.namespace).toBe('team-a');
		expect(client.server).toBe('https://a.example:6443');
		expect(currentKubeTarget(env)).toMatchObject({context: 'ctx-a', namespace: 'team-a', server: 'https://a.example:6443'});

		const reversed = (await createKubeClient({env: {KUBECONFIG: [b, a].join(path.delimiter)}}))!;
		expect([reversed.context, reversed.namespace, reversed.server]).toEqual(['ctx-b', 'default', 'https://b.example:6443']);
		expect((await createKubeClient({env, context: 'ctx-b'}))!.server).toBe('https://a.example:6443');
		expect((await createKubeClient({env, kubeconfig: b}))!.context).toBe('ctx-b');
		expect(await loadKubeConfig({env: {KUBECONFIG: none}})).toBeNull();
		expect(await loadKubeConfig({env: {HOME: dir}})).toBeNull(); // no ~/.kube/config: no cluster
	});

	it('reads a kubectl-written YAML kubeconfig, before and after the parser is loaded for start-up', async () => {
		const yamlFile = path.join(dir, 'kubectl-written');
		await writeFile(yamlFile, ['apiVersion: v1', 'kind: Config', 'current-context: prod-eu', 'contexts:', '- name: prod-eu', '  context:', '    cluster: eu', '    namespace: shop', 'clusters:', '- name: eu', '  cluster:', '    server: https://eu.example:6443', ''].join('\n'));
		const env = {KUBECONFIG: yamlFile, HOME: dir};
		expect(currentKubeTarget(env)).toMatchObject({context: 'prod-eu', namespace: 'shop', server: 'https://eu.example:6443'});
		await prepareKubeconfigReading(env);
		await writeFile(yamlFile, (await readFile(yamlFile, 'utf8')).replace('namespace: shop', 'namespace: checkout'));
		await utimes(yamlFile, new Date(), new Date(Date.now() + 5000)); // a new mtime: read again
		expect(currentKubeTarget(env)).toMatchObject({context: 'prod-eu', namespace: 'checkout'});
	});

	it('does not load client-node until a cluster is in play', async () => {
		const hook = path.join(dir, 'hook.mjs');
		await writeFile(hook, `export async function resolve(s, c, next) { if (s.includes('@kubernetes/client-node')) process.stdout.write('CLIENT-NODE\\n'); return next(s, c); }\n`);
		const register = `data:text/javascript,import {register} from 'node:module'; register(${JSON.stringify(`file://${hook}`)});`;
		const run = (code: string) => execa(process.execPath, ['--import', 'tsx', '--import', register, '--input-type=module', '-e', code], {cwd: ROOT});
		// One process: the module's import must print nothing; only the first client use loads client-node.
		const out = await run(
			`const m = await import('./source/kube/index.ts'); m.podStatus({metadata: {name: 'x'}, status: {phase: 'Running'}}); console.log('imported'); await m.loadClientModule(); console.log('used');`,
		);
		expect(out.stdout.trim().split('\n')).toEqual(['imported', 'CLIENT-NODE', 'used']);
	});

	it('normalises typed results to the API’s plain JSON', () => {
		class Meta {
			name = 'x';
			creationTimestamp = new Date('2025-01-01T00:00:00Z');
			deletionTimestamp = undefined;
		}
		expect(toPlain({metadata: new Meta(), list: [new Date('2025-01-01T00:00:00.250Z')]})).toEqual({
			metadata: {name: 'x', creationTimestamp: '2025-01-01T00:00:00Z'},
			list: ['2025-01-01T00:00:00.250Z'],
		});
		expect(describeError({code: 'ECONNREFUSED', message: 'connect ECONNREFUSED 127.0.0.1:1'})).toEqual({message: 'connection refused at 127.0.0.1:1: is the API server running? (ECONNREFUSED)', transient: true});
		expect(describeError({code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', message: 'unable to verify the first certificate'}).message).toBe("TLS: the server's certificate is not signed by the kubeconfig's CA (UNABLE_TO_VERIFY_LEAF_SIGNATURE)");
		expect(describeError({code: 401, body: {message: 'Unauthorized'}}).message).toBe("HTTP 401: Unauthorized — the server refused the kubeconfig's credentials (wrong or expired token)");
		expect(describeError({statusCode: 500, message: 'Internal Server Error'})).toEqual({code: 500, message: 'HTTP 500: Internal Server Error', transient: true});
		expect(describeError({code: 403, body: '{"message":"pods is forbidden"}'})).toMatchObject({code: 403, transient: false});
	});

	it('reports an unreachable cluster as an error, never as data', async () => {
		const file = await kubeconfig('dead', {current: 'dead', contexts: [{name: 'dead', cluster: 'dead'}], clusters: [{name: 'dead', server: 'https://127.0.0.1:1'}]});
		const client = (await createKubeClient({kubeconfig: file}))!;
		const w = new ResourceWatch({client, kind: 'pods', namespace: 'x', batchMs: 10, backoffInitialMs: 50, backoffMaxMs: 100}).start();
		try {
			await waitFor(() => w.state.status === 'error', 3000, 'error');
			expect(w.state.lastError).toMatch(/ECONNREFUSED/);
			expect(w.state.items.size).toBe(0);
			expect(freshnessLabel(w.state, Date.now()).text).toBe('error');
		} finally {
			w.stop();
		}
	});
});
