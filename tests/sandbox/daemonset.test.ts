// DaemonSets in the sandbox through real kubectl: one pod on the sandbox's node, rolling updates,
// ControllerRevisions for `rollout history|undo daemonset`, kubectl's status messages and tables.
import {writeFile} from 'node:fs/promises';
import path from 'node:path';
import {afterAll, beforeAll, expect, it} from 'vitest';
import {describeNeeds} from '../helpers/requirements.js';
import {parseTable, startTestCluster, type TestCluster, waitFor} from './helpers.js';

const NS = 'agents';
const IMAGE = 'registry.example.com/node-agent';

let t: TestCluster;
beforeAll(async () => {
	t = await startTestCluster({speed: 10});
});
afterAll(async () => t?.close());

const k = (...args: string[]) => t.kubectl([...args, '-n', NS]);
const lastLine = (text: string) => text.trim().split('\n').at(-1);
const livePods = async () => JSON.parse((await k('get', 'pods', '-o', 'json')).stdout).items.filter((p: any) => !p.metadata.deletionTimestamp);

describeNeeds(['kubectl'])('DaemonSets through real kubectl', () => {
	it('runs one pod on the node, rolls a new image, and rolls back with history renumbered', async () => {
		const file = path.join(t.dir, 'agent.json');
		await writeFile(file, JSON.stringify({
			apiVersion: 'v1',
			kind: 'List',
			items: [
				{apiVersion: 'v1', kind: 'Namespace', metadata: {name: NS}},
				{
					apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: {name: 'agent', namespace: NS},
					spec: {
						selector: {matchLabels: {app: 'agent'}},
						template: {metadata: {labels: {app: 'agent'}}, spec: {containers: [{name: 'agent', image: `${IMAGE}:1.0.0`}]}},
					},
				},
			],
		}));
		const applied = await t.kubectl(['apply', '-f', file]);
		expect(applied.exitCode, applied.stderr).toBe(0);
		const first = await k('rollout', 'status', 'daemonset/agent', '--timeout=30s');
		expect(first.exitCode, first.stderr).toBe(0);
		expect(lastLine(first.stdout)).toBe('daemon set "agent" successfully rolled out');
		const ds = parseTable((await k('get', 'ds')).stdout);
		expect(ds).toEqual([{NAME: 'agent', DESIRED: '1', CURRENT: '1', READY: '1', 'UP-TO-DATE': '1', AVAILABLE: '1', 'NODE SELECTOR': '<none>', AGE: expect.any(String)}]);
		const [pod] = await livePods();
		expect(pod.metadata.name).toMatch(/^agent-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
		expect(pod.spec.nodeName).toBe('sandbox-node-1');
		expect(pod.metadata.labels['pod-template-generation']).toBe('1');
		expect(pod.spec.tolerations.map((x: any) => x.key)).toContain('node.kubernetes.io/unschedulable');

		await k('annotate', 'daemonset/agent', 'kubernetes.io/change-cause=agent 1.1.0');
		expect((await k('set', 'image', 'daemonset/agent', `agent=${IMAGE}:1.1.0`)).stdout.trim()).toBe('daemonset.apps/agent image updated');
		const rolled = await k('rollout', 'status', 'daemonset/agent', '--timeout=30s');
		expect(lastLine(rolled.stdout)).toBe('daemon set "agent" successfully rolled out');
		await waitFor(async () => (await livePods()).length === 1, 10_000, 'the old pod to go');
		expect((await livePods())[0].spec.containers[0].image).toBe(`${IMAGE}:1.1.0`);
		const history = (await k('rollout', 'history', 'daemonset/agent')).stdout;
		expect(history).toMatch(/^daemonset\.apps\/agent \nREVISION {2}CHANGE-CAUSE\n1 {9}<none>\n2 {9}agent 1\.1\.0\n/);
		const crs = parseTable((await k('get', 'controllerrevisions')).stdout);
		expect(crs.map(r => [r.CONTROLLER, r.REVISION])).toEqual(expect.arrayContaining([['daemonset.apps/agent', '1'], ['daemonset.apps/agent', '2']]));

		expect((await k('rollout', 'undo', 'daemonset/agent')).stdout.trim()).toBe('daemonset.apps/agent rolled back');
		const back = await k('rollout', 'status', 'daemonset/agent', '--timeout=30s');
		expect(lastLine(back.stdout)).toBe('daemon set "agent" successfully rolled out');
		await waitFor(async () => (await livePods()).map((p: any) => p.spec.containers[0].image).join() === `${IMAGE}:1.0.0`, 10_000, 'the 1.0.0 pod');
		expect((await k('rollout', 'history', 'daemonset/agent')).stdout).toMatch(/\n2 {9}agent 1\.1\.0\n3 {9}<none>\n/);
		const same = await k('rollout', 'undo', 'daemonset/agent', '--to-revision=3');
		expect(same.stdout.trim()).toBe('daemonset.apps/agent skipped rollback (current template already matches revision 3)');

		expect((await k('delete', 'daemonset', 'agent')).exitCode).toBe(0);
		await waitFor(async () => (await k('get', 'pods,controllerrevisions', '-o', 'name')).stdout.trim() === '', 15_000, 'pods and revisions to be collected');
	});
});
