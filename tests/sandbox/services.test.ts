// Services behind the Service IPs: the guide's curl and WebSocket checks reach the pods' app at the Service's
// loopback address, answers follow the Service's endpoints, and listeners come and go with Services and sandboxes.
import {connect} from 'node:net';
import path from 'node:path';
import {rm, writeFile} from 'node:fs/promises';
import {execa} from 'execa';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {startSandboxCluster} from '../../source/sandbox/cluster/index.js';
import {itNeeds} from '../helpers/requirements.js';
import {IMAGE, NS, startTestCluster, type TestCluster, waitFor} from './helpers.js';
import {openWebSocket} from './ws-client.js';

let t: TestCluster;
beforeAll(async () => {
	t = await startTestCluster({speed: 10});
});
afterAll(async () => t?.close());

const curl = async (args: string[]) => {
	const r = await execa('curl', ['-sS', '--max-time', '5', ...args], {reject: false});
	return {code: r.exitCode, out: String(r.stdout), err: String(r.stderr)};
};
const ingressIp = (cluster = t.cluster, ns = NS) => cluster.store.get('services', ns, 'overlord')!.status.loadBalancer.ingress[0].ip as string;

/** Resolves with the connection's fate: 'connected' or the error code (ECONNREFUSED once nothing listens). */
const tryConnect = (host: string, port: number) =>
	new Promise<string>(resolve => {
		const socket = connect({host, port});
		socket.on('connect', () => {
			socket.destroy();
			resolve('connected');
		});
		socket.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
	});

describe('Services answer at their loopback IPs', () => {
	itNeeds(['kubectl', 'curl'])("answers the guide's health check at the Service IP with the running version", async () => {
		const ip = (await t.kubectl(['get', 'svc', 'overlord', '-n', NS, '-o', 'jsonpath={.status.loadBalancer.ingress[0].ip}'])).stdout;
		expect(ip.startsWith(t.cluster.serviceCidr.replace(/0\/24$/, ''))).toBe(true);
		const health = await curl(['-f', `http://${ip}:8000/health`]);
		expect(health, health.err).toMatchObject({code: 0, out: '{"status":"healthy","version":"1.1.0"}'});
		const clusterIp = (await t.kubectl(['get', 'svc', 'overlord', '-n', NS, '-o', 'jsonpath={.spec.clusterIP}'])).stdout;
		expect(clusterIp).not.toBe(ip);
		expect((await curl(['-f', `http://${clusterIp}:8000/health`])).out).toBe('{"status":"healthy","version":"1.1.0"}');
		const staging = ingressIp(t.cluster, 'overlord-staging');
		expect(staging).not.toBe(ip);
		expect((await curl(['-f', `http://${staging}:8000/health`])).code).toBe(0);
	});

	itNeeds(['curl'])("serves the guide's user flows: login, markets, orders with the token, admin", async () => {
		const base = `http://${ingressIp()}:8000`;
		const login = await curl(['-X', 'POST', `${base}/api/v1/auth/login`, '-H', 'Content-Type: application/json', '-d', '{"username":"test","password":"test123"}']);
		const token = JSON.parse(login.out);
		expect(token).toMatchObject({token_type: 'bearer', expires_in: 3600});
		const markets = JSON.parse((await curl([`${base}/api/v1/trading/markets`])).out);
		expect(markets.markets.map((m: any) => m.symbol)).toContain('BTC-USD');
		expect((await curl(['-f', `${base}/api/v1/trading/orders`])).code).toBe(22);
		const wrong = await fetch(`${base}/api/v1/auth/login`, {method: 'POST', headers: {'content-type': 'application/json'}, body: '{"username":"test","password":"nope"}'});
		expect(wrong.status).toBe(401);
		const auth = {authorization: `Bearer ${token.access_token}`, 'content-type': 'application/json'};
		const placed = await fetch(`${base}/api/v1/trading/orders`, {method: 'POST', headers: auth, body: JSON.stringify({symbol: 'ETH-USD', side: 'buy', quantity: 2})});
		expect(placed.status).toBe(201);
		const order = await placed.json();
		expect(order).toMatchObject({symbol: 'ETH-USD', side: 'buy', status: 'filled'});
		// Every pod reads the same database: the order is there whichever pod answers.
		for (let i = 0; i < 4; i++) {
			const listed = await (await fetch(`${base}/api/v1/trading/orders`, {headers: auth})).json();
			expect(listed.orders.map((o: any) => o.id)).toContain(order.id);
		}
		const admin = await fetch(`${base}/admin`);
		expect(admin.status).toBe(200);
		expect(await admin.text()).toContain('OVERLORD Admin Dashboard');
		expect((await fetch(`${base}/no/such/path`)).status).toBe(404);
	});

	it('speaks WebSocket on /ws/trading: a real handshake, then JSON tickers', async () => {
		const ws = await openWebSocket(`http://${ingressIp()}:8000/ws/trading`);
		const [welcome, ...tickers] = (await ws.waitForMessages(4)).map(m => JSON.parse(m));
		expect(welcome).toMatchObject({type: 'welcome', version: '1.1.0', subscribed: ['BTC-USD', 'ETH-USD']});
		expect(tickers[0]).toMatchObject({type: 'ticker', symbol: 'BTC-USD'});
		expect(Number(tickers[0].price)).toBeGreaterThan(0);
		ws.send('{"action":"subscribe","symbols":["SOL-USD"]}');
		await waitFor(async () => ws.messages.some(m => m.includes('"subscribed"') && m.includes('SOL-USD')) || undefined, 3000, 'the subscription');
		await waitFor(async () => ws.messages.some(m => m.includes('"ticker"') && m.includes('SOL-USD')) || undefined, 3000, 'a SOL-USD ticker');
		await ws.close();
		await expect(openWebSocket(`http://${ingressIp()}:8000/ws/nothing`)).rejects.toThrow('HTTP 403');
	});

	itNeeds(['kubectl', 'curl'])('after a rollout, answers with the new version and its logs show what the guide looks for', async () => {
		await t.kubectl(['set', 'image', 'deployment/overlord', `overlord=${IMAGE}:v1.2.0`, '-n', NS]);
		const status = await t.kubectl(['rollout', 'status', 'deployment/overlord', '-n', NS, '--timeout=30s']);
		expect(status.exitCode, status.stderr).toBe(0);
		const ip = ingressIp();
		for (let i = 0; i < 6; i++) expect((await curl(['-f', `http://${ip}:8000/health`])).out).toBe('{"status":"healthy","version":"1.2.0"}');
		// Every line of each pod (a selector's default is 10 a pod; and on a loaded machine the rollout takes long enough
		// for the pods' periodic lines to push their start-up lines out of any fixed tail).
		const logs = await t.kubectl(['logs', '-l', 'app=overlord', '-n', NS, '--tail=-1']);
		for (const phrase of ['Application started successfully', 'Database connection established', 'Redis connection established']) {
			expect(logs.stdout.split(phrase).length - 1).toBeGreaterThanOrEqual(3);
		}
		expect(logs.stdout).toContain('- "GET /health HTTP/1.1" 200 OK');
		expect(logs.stdout).not.toMatch(/error/i);
	});

	itNeeds(['kubectl', 'curl'])('a Service applied with kubectl answers at its ClusterIP while it has ready endpoints', async () => {
		const manifest = `
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: default}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - {name: web, image: registry.example/team/web:2.3.4, ports: [{name: http, containerPort: 8080}]}
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: default}
spec:
  selector: {app: web}
  ports: [{port: 80, targetPort: http}]
`;
		const file = path.join(t.dir, 'web.yaml');
		await writeFile(file, manifest);
		const applied = await t.kubectl(['apply', '-f', file]);
		expect(applied.exitCode, applied.stderr).toBe(0);
		const ip = (await t.kubectl(['get', 'svc', 'web', '-n', 'default', '-o', 'jsonpath={.spec.clusterIP}'])).stdout;
		expect(ip.startsWith(t.cluster.serviceCidr.replace(/0\/24$/, ''))).toBe(true);
		await waitFor(async () => (await curl(['-f', `http://${ip}/health`])).code === 0 || undefined, 10_000, 'web to answer');
		expect((await curl(['-f', `http://${ip}/`])).out).toMatch(/^web-\S+: ok \(version 2\.3\.4\)$/m);
		expect((await curl(['-f', `http://${ip}/missing`])).code).toBe(22);
		await writeFile(file, 'apiVersion: v1\nkind: Service\nmetadata: {name: fixed, namespace: default}\nspec: {clusterIP: 10.0.0.7, ports: [{port: 80}]}\n');
		const outside = await t.kubectl(['create', '-f', file]);
		expect(outside.stderr).toContain(`provided IP (10.0.0.7) is not in the valid range. The range of valid IPs is ${t.cluster.serviceCidr}`);
		expect((await t.kubectl(['delete', 'svc', 'web', '-n', 'default'])).exitCode).toBe(0);
		await waitFor(async () => (await tryConnect(ip, 80)) === 'ECONNREFUSED' || undefined, 5000, 'the listener to close');
		expect((await curl(['-f', `http://${ip}/health`])).code).toBe(7);
		expect(t.cluster.services.listening().some(a => a.startsWith(`${ip}:`))).toBe(false);
	});

	it('gives two sandboxes different blocks, keeps a block across a restart, and closes every listener on stop', async () => {
		const other = await startTestCluster({speed: 10});
		try {
			expect(other.cluster.serviceCidr).not.toBe(t.cluster.serviceCidr);
			const mine = await (await fetch(`http://${ingressIp()}:8000/health`)).json();
			const theirs = await (await fetch(`http://${ingressIp(other.cluster)}:8000/health`)).json();
			expect([mine.status, theirs]).toEqual(['healthy', {status: 'healthy', version: '1.1.0'}]);
			const served = other.cluster.services.listening();
			expect(served).toHaveLength(4);
			await other.cluster.stop();
			expect(other.cluster.services.listening()).toEqual([]);
			for (const address of served) expect(await tryConnect(address.split(':')[0]!, 8000)).toBe('ECONNREFUSED');
			const again = await startSandboxCluster({dir: path.join(other.dir, 'state'), speed: 10});
			expect(again.serviceCidr).toBe(other.cluster.serviceCidr);
			await again.stop();
		} finally {
			await other.cluster.stop();
			await rm(other.dir, {recursive: true, force: true});
		}
	});
});
