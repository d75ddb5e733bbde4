// The bad release as the Service shows it: the crash-looping v1.2.0 pod never gets traffic, the old pods answer
// with their version while they serve, and once no ready endpoint remains the address refuses (curl -f fails)
// until a rollback brings v1.1.0 back.
import {execa} from 'execa';
import {afterAll, beforeAll, expect, it} from 'vitest';
import {describeNeeds} from '../helpers/requirements.js';
import {IMAGE, NS, parseTable, startTestCluster, type TestCluster, waitFor} from './helpers.js';

let t: TestCluster;
beforeAll(async () => {
	t = await startTestCluster({scenario: 'bad-release', speed: 10});
});
afterAll(async () => t?.close());

const curl = async (args: string[]) => {
	const r = await execa('curl', ['-sS', '--max-time', '5', ...args], {reject: false});
	return {code: r.exitCode, out: String(r.stdout), err: String(r.stderr)};
};

describeNeeds(['kubectl', 'curl'])('the Service through a bad release', () => {
	let ip = '';

	it('keeps answering from the old pods while the v1.2.0 pod crash-loops behind no endpoint', async () => {
		ip = (await t.kubectl(['get', 'svc', 'overlord', '-n', NS, '-o', 'jsonpath={.status.loadBalancer.ingress[0].ip}'])).stdout;
		await t.kubectl(['set', 'image', 'deployment/overlord', `overlord=${IMAGE}:v1.2.0`, '-n', NS]);
		const status = await t.kubectl(['rollout', 'status', 'deployment/overlord', '-n', NS, '--timeout=30s']);
		expect(status.stderr).toContain('exceeded its progress deadline');
		// The rolling update keeps every old pod (maxUnavailable rounds down to 0): they still answer, at v1.1.0.
		for (let i = 0; i < 12; i++) {
			const health = await curl(['-f', `http://${ip}:8000/health`]);
			expect(health, health.err).toMatchObject({code: 0, out: '{"status":"healthy","version":"1.1.0"}'});
		}
		const logs = (await t.kubectl(['logs', '-l', 'app=overlord', '-n', NS, '--tail=100'])).stdout;
		const alarms = logs.split('\n').filter(l => /(ERROR|CRITICAL|FATAL)/.test(l));
		expect(alarms.some(l => l.includes('CRITICAL [overlord.main]'))).toBe(true);
		expect(alarms.some(l => l.includes('ERROR [overlord.main] startup failed'))).toBe(true);
	});

	it('refuses connections once no ready endpoint remains, and answers again after the rollback', async () => {
		// A Recreate strategy stops every old pod first: then only crash-looping v1.2.0 pods are left.
		const patched = await t.kubectl(['patch', 'deployment/overlord', '-n', NS, '--type=merge', '-p', '{"spec":{"strategy":{"type":"Recreate","rollingUpdate":null}}}']);
		expect(patched.exitCode, patched.stderr).toBe(0);
		await waitFor(async () => {
			const rows = parseTable((await t.kubectl(['get', 'pods', '-n', NS])).stdout);
			return rows.length > 0 && rows.every(r => r.READY === '0/1') ? rows : undefined;
		}, 15_000, 'only unready pods');
		const endpoints = JSON.parse((await t.kubectl(['get', 'endpoints', 'overlord', '-n', NS, '-o', 'json'])).stdout);
		expect(endpoints.subsets.flatMap((s: any) => s.addresses ?? [])).toEqual([]);
		const down = await curl(['-f', `http://${ip}:8000/health`]);
		expect(down.code, down.out).toBe(7);
		expect(down.err).toMatch(/Connection refused|Couldn't connect to server/);

		expect((await t.kubectl(['rollout', 'undo', 'deployment/overlord', '-n', NS])).exitCode).toBe(0);
		const status = await t.kubectl(['rollout', 'status', 'deployment/overlord', '-n', NS, '--timeout=30s']);
		expect(status.exitCode, status.stderr).toBe(0);
		const up = await waitFor(async () => {
			const r = await curl(['-f', `http://${ip}:8000/health`]);
			return r.code === 0 ? r : undefined;
		}, 5000, 'the Service to answer again');
		expect(up.out).toBe('{"status":"healthy","version":"1.1.0"}');
	});
});
