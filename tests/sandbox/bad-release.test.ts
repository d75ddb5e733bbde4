// The guide's failure path: v1.2.0 crash-loops, the rollout hits its progress deadline, and
// `rollout undo` brings back v1.1.0 as revision 3.
import {afterAll, beforeAll, expect, it} from 'vitest';
import {IMAGE, NS, parseTable, startTestCluster, type TestCluster, waitFor} from './helpers.js';
import {describeNeeds} from '../helpers/requirements.js';

let t: TestCluster;
beforeAll(async () => {
	// speed 10: the 30 s progress deadline passes in 3 s, back-offs start at 1 s.
	t = await startTestCluster({scenario: 'bad-release', speed: 10});
});
afterAll(async () => t?.close());

describeNeeds(['kubectl'])('bad-release scenario', () => {
	it('leaves staging alone and keeps v1.1.0 healthy', async () => {
		const rows = parseTable((await t.kubectl(['get', 'pods', '-n', 'overlord-staging'])).stdout);
		expect(rows.map(r => r.STATUS)).toEqual(['Running', 'Running', 'Running']);
	});

	it('crash-loops v1.2.0 and rollout status fails on the progress deadline', async () => {
		const started = Date.now();
		await t.kubectl(['set', 'image', 'deployment/overlord', `overlord=${IMAGE}:v1.2.0`, '-n', NS]);
		const status = await t.kubectl(['rollout', 'status', 'deployment/overlord', '-n', NS, '--timeout=30s']);
		expect(status.exitCode, status.stdout + status.stderr).toBe(1);
		expect(status.stderr).toContain('error: deployment "overlord" exceeded its progress deadline');
		expect(status.stdout, status.stderr).toContain('Waiting for deployment "overlord" rollout to finish: 1 out of 3 new replicas have been updated...');
		// 30 s at speed 10, less up to a second because condition times have second precision.
		expect(Date.now() - started).toBeGreaterThan(1900);

		const crashing = await waitFor(async () => {
			const rows = parseTable((await t.kubectl(['get', 'pods', '-n', NS])).stdout);
			const bad = rows.find(r => r.STATUS === 'CrashLoopBackOff');
			return bad && /^[1-9]\d* \(\d+s ago\)$/.test(bad.RESTARTS!) ? rows : undefined;
		}, 10_000, 'a CrashLoopBackOff pod');
		const bad = crashing.find(r => r.STATUS === 'CrashLoopBackOff')!;
		expect(bad.READY).toBe('0/1');
		// maxUnavailable rounds down to 0, so all three old pods keep serving.
		expect(crashing.filter(r => r.STATUS === 'Running' && r.READY === '1/1')).toHaveLength(3);

		const deploy = JSON.parse((await t.kubectl(['get', 'deploy', 'overlord', '-n', NS, '-o', 'json'])).stdout);
		const progressing = deploy.status.conditions.find((c: any) => c.type === 'Progressing');
		expect(progressing).toMatchObject({status: 'False', reason: 'ProgressDeadlineExceeded'});
		expect(deploy.status).toMatchObject({replicas: 4, updatedReplicas: 1, availableReplicas: 3, unavailableReplicas: 1});

		const pod = JSON.parse((await t.kubectl(['get', 'pod', bad.NAME!, '-n', NS, '-o', 'json'])).stdout);
		const cs = pod.status.containerStatuses[0];
		expect(cs.state.waiting.reason).toBe('CrashLoopBackOff');
		expect(cs.lastState.terminated).toMatchObject({exitCode: 1, reason: 'Error'});
		expect(cs.ready).toBe(false);

		const logs = await t.kubectl(['logs', bad.NAME!, '-n', NS, '--tail=100']);
		expect(logs.stdout).toMatch(/ERROR/);
		const events = parseTable((await t.kubectl(['get', 'events', '-n', NS, '--sort-by=.lastTimestamp'])).stdout);
		expect(events.some(e => e.REASON === 'BackOff' && e.TYPE === 'Warning' && e.OBJECT === `pod/${bad.NAME}`)).toBe(true);
	});

	it('rollout history lists both revisions', async () => {
		const out = await t.kubectl(['rollout', 'history', 'deployment/overlord', '-n', NS]);
		expect(out.stdout).toMatch(/REVISION\s+CHANGE-CAUSE\n1\s+<none>\n2\s+<none>/);
	});

	it('rollout undo restores v1.1.0 as revision 3 and the rollout succeeds', async () => {
		const undo = await t.kubectl(['rollout', 'undo', 'deployment/overlord', '-n', NS]);
		expect(undo.stdout.trim()).toBe('deployment.apps/overlord rolled back');
		const status = await t.kubectl(['rollout', 'status', 'deployment/overlord', '-n', NS, '--timeout=30s']);
		expect(status.exitCode, status.stderr).toBe(0);
		expect(status.stdout).toContain('deployment "overlord" successfully rolled out');
		const history = await t.kubectl(['rollout', 'history', 'deployment/overlord', '-n', NS]);
		expect(history.stdout).toMatch(/REVISION\s+CHANGE-CAUSE\n2\s+<none>\n3\s+<none>/);
		const rev3 = await t.kubectl(['rollout', 'history', 'deployment/overlord', '-n', NS, '--revision=3']);
		expect(rev3.stdout).toContain(`${IMAGE}:v1.1.0`);
		const rows = await waitFor(async () => {
			const r = parseTable((await t.kubectl(['get', 'pods', '-n', NS])).stdout);
			return r.length === 3 ? r : undefined;
		}, 10_000, 'the crashing pod to go');
		expect(rows.every(r => r.STATUS === 'Running' && r.READY === '1/1')).toBe(true);
		const images = (await t.kubectl(['get', 'pods', '-n', NS, '-o', 'jsonpath={.items[*].spec.containers[0].image}'])).stdout.split(' ');
		expect(images).toEqual([`${IMAGE}:v1.1.0`, `${IMAGE}:v1.1.0`, `${IMAGE}:v1.1.0`]);
		const rs = JSON.parse((await t.kubectl(['get', 'rs', '-n', NS, '-o', 'json'])).stdout).items;
		const restored = rs.find((r: any) => r.spec.template.spec.containers[0].image.endsWith(':v1.1.0'));
		expect(restored.metadata.annotations).toMatchObject({'deployment.kubernetes.io/revision': '3', 'deployment.kubernetes.io/revision-history': '1'});
	});
});
