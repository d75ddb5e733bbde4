// The guide's deployment flow in the default scenario: set image, watch the rollout, roll back.
import {afterAll, beforeAll, expect, it} from 'vitest';
import {IMAGE, NS, parseTable, startTestCluster, type TestCluster} from './helpers.js';
import {describeNeeds} from '../helpers/requirements.js';

let t: TestCluster;
beforeAll(async () => {
	t = await startTestCluster({speed: 10});
});
afterAll(async () => t?.close());

const history = async () => {
	const out = await t.kubectl(['rollout', 'history', 'deployment/overlord', '-n', NS]);
	return out.stdout.trim().split('\n').slice(2).map(l => l.trim().split(/\s+/)[0]);
};
const deployedImage = async () =>
	(await t.kubectl(['get', 'deploy', 'overlord', '-n', NS, '-o', 'jsonpath={.spec.template.spec.containers[0].image}'])).stdout;
/** Images of the pods that are not terminating. */
const podImages = async () => {
	const list = JSON.parse((await t.kubectl(['get', 'pods', '-n', NS, '-o', 'json'])).stdout);
	return list.items.filter((p: any) => !p.metadata.deletionTimestamp).map((p: any) => p.spec.containers[0].image);
};

describeNeeds(['kubectl'])('rollout in the default scenario', () => {
	it('sets the image and rollout status reaches "successfully rolled out"', async () => {
		const set = await t.kubectl(['set', 'image', 'deployment/overlord', `overlord=${IMAGE}:v1.2.0`, '-n', NS]);
		expect(set.exitCode, set.stderr).toBe(0);
		expect(set.stdout).toContain('deployment.apps/overlord image updated');
		const status = await t.kubectl(['rollout', 'status', 'deployment/overlord', '-n', NS, '--timeout=30s']);
		expect(status.exitCode, status.stderr).toBe(0);
		expect(status.stdout).toMatch(/Waiting for deployment "overlord" rollout to finish: \d out of 3 new replicas have been updated/);
		expect(status.stdout.trim().split('\n').at(-1)).toBe('deployment "overlord" successfully rolled out');
		const pods = parseTable((await t.kubectl(['get', 'pods', '-n', NS])).stdout).filter(r => r.STATUS !== 'Terminating');
		expect(pods).toHaveLength(3);
		expect(new Set(pods.map(p => p.STATUS))).toEqual(new Set(['Running']));
		const rs = parseTable((await t.kubectl(['get', 'rs', '-n', NS])).stdout);
		expect(rs.map(r => r.DESIRED).sort()).toEqual(['0', '3']);
		expect(await history()).toEqual(['1', '2']);
		const events = (await t.kubectl(['get', 'events', '-n', NS, '--field-selector', 'reason=ScalingReplicaSet', '-o', 'jsonpath={.items[*].message}'])).stdout;
		expect(events).toMatch(/Scaled up replica set overlord-\w+ from 0 to 1/);
		expect(events).toMatch(/Scaled down replica set overlord-\w+ from 3 to 2/);
	});

	it('rolls back with rollout undo: revision 1 becomes 3 and pods return to v1.1.0', async () => {
		const undo = await t.kubectl(['rollout', 'undo', 'deployment/overlord', '-n', NS]);
		expect(undo.exitCode, undo.stderr).toBe(0);
		expect(undo.stdout.trim()).toBe('deployment.apps/overlord rolled back');
		const status = await t.kubectl(['rollout', 'status', 'deployment/overlord', '-n', NS, '--timeout=30s']);
		expect(status.stdout).toContain('successfully rolled out');
		expect(await history()).toEqual(['2', '3']);
		expect(await deployedImage()).toBe(`${IMAGE}:v1.1.0`);
		expect(await podImages()).toEqual([`${IMAGE}:v1.1.0`, `${IMAGE}:v1.1.0`, `${IMAGE}:v1.1.0`]);
	});

	it('rolls back to a given revision, records change-cause, and refuses unknown ones', async () => {
		await t.kubectl(['set', 'image', 'deployment/overlord', `overlord=${IMAGE}:v1.3.0`, '-n', NS]);
		await t.kubectl(['annotate', 'deployment/overlord', '-n', NS, 'kubernetes.io/change-cause=release v1.3.0', '--overwrite']);
		expect((await t.kubectl(['rollout', 'status', 'deployment/overlord', '-n', NS, '--timeout=30s'])).exitCode).toBe(0);
		const withCause = await t.kubectl(['rollout', 'history', 'deployment/overlord', '-n', NS]);
		expect(withCause.stdout).toMatch(/^4\s+release v1\.3\.0$/m);
		const undo = await t.kubectl(['rollout', 'undo', 'deployment/overlord', '--to-revision=2', '-n', NS]);
		expect(undo.stdout.trim()).toBe('deployment.apps/overlord rolled back');
		expect((await t.kubectl(['rollout', 'status', 'deployment/overlord', '-n', NS, '--timeout=30s'])).exitCode).toBe(0);
		expect(await history()).toEqual(['3', '4', '5']);
		expect(await deployedImage()).toBe(`${IMAGE}:v1.2.0`);
		const same = await t.kubectl(['rollout', 'undo', 'deployment/overlord', '--to-revision=5', '-n', NS]);
		expect(same.stdout).toContain('skipped rollback (current template already matches revision 5)');
		const missing = await t.kubectl(['rollout', 'undo', 'deployment/overlord', '--to-revision=1', '-n', NS]);
		expect(missing.exitCode).toBe(1);
		expect(missing.stderr).toContain('unable to find specified revision 1 in history');
	});

	it('rollout status also works over watch-list (sendInitialEvents), as kubectl >= 1.35 does by default', async () => {
		await t.kubectl(['set', 'image', 'deployment/overlord', `overlord=${IMAGE}:v1.4.0`, '-n', NS]);
		const status = await t.kubectl(['rollout', 'status', 'deployment/overlord', '-n', NS, '--timeout=30s', '-v=6'], {env: {KUBE_FEATURE_WatchListClient: 'true'}});
		expect(status.exitCode, status.stderr).toBe(0);
		expect(status.stderr).toContain('sendInitialEvents=true');
		expect(status.stdout).toContain('successfully rolled out');
	});

	it('scales, restarts and replaces deleted pods', async () => {
		expect((await t.kubectl(['scale', 'deployment/overlord', '--replicas=5', '-n', NS])).stdout).toContain('scaled');
		expect((await t.kubectl(['rollout', 'status', 'deployment/overlord', '-n', NS, '--timeout=30s'])).exitCode).toBe(0);
		const five = parseTable((await t.kubectl(['get', 'deploy', 'overlord', '-n', NS])).stdout)[0]!;
		expect(five.READY).toBe('5/5');
		const restart = await t.kubectl(['rollout', 'restart', 'deployment/overlord', '-n', NS]);
		expect(restart.stdout).toContain('restarted');
		expect((await t.kubectl(['rollout', 'status', 'deployment/overlord', '-n', NS, '--timeout=30s'])).exitCode).toBe(0);
		// Pods of the previous ReplicaSet may still be terminating; pick a live one.
		const live = JSON.parse((await t.kubectl(['get', 'pods', '-n', NS, '-o', 'json'])).stdout).items.filter((p: any) => !p.metadata.deletionTimestamp);
		const victim = `pod/${live[0].metadata.name}`;
		const deleted = await t.kubectl(['delete', victim, '-n', NS]);
		expect(deleted.stdout, deleted.stderr).toContain('deleted');
		const after = (await t.kubectl(['get', 'pods', '-n', NS, '-o', 'name'])).stdout;
		expect(after).not.toContain(victim);
	});
});
