// A bad release and its rollback, with the app's models and the real kubectl side by side:
// rollout status messages at the same moments, the deadline failure, history, the exact undo
// patch, and the native undo against `kubectl rollout undo` in the other namespace.
import {afterAll, beforeAll, expect, it} from 'vitest';
import {createPodsView} from '../../source/kube/pods-model.js';
import {followRollout, performUndo, UndoError} from '../../source/kube/rollback.js';
import {ResourceWatch} from '../../source/kube/resource-watch.js';
import {planUndo, rolloutHistory, rolloutStatusMessage, semanticEqual} from '../../source/kube/rollout-model.js';
import type {Deployment, Pod, ReplicaSet} from '../../source/kube/types.js';
import {IMAGE, type KubeTestEnv, NS, parseTable, STAGING, startKubeTestEnv, waitFor} from './helpers.js';
import {describeNeeds} from '../helpers/requirements.js';

let env: KubeTestEnv;
const templates: Record<string, unknown> = {};
beforeAll(async () => {
	env = await startKubeTestEnv({scenario: 'bad-release', speed: 10});
	for (const ns of [NS, STAGING]) templates[ns] = (await deployment(ns)).spec?.template;
});
afterAll(async () => env?.close());

const deployment = async (ns: string) => (await env.client.list<Deployment>('deployments', ns)).items.find(d => d.metadata.name === 'overlord')!;
const replicaSets = async (ns: string) => (await env.client.list<ReplicaSet>('replicasets', ns, {labelSelector: 'app=overlord'})).items;

/** Our message and `kubectl rollout status --watch=false` at the same moment (state read before and after). */
async function compareStatus(ns: string): Promise<string> {
	const before = rolloutStatusMessage(await deployment(ns));
	const out = await env.kubectl(['rollout', 'status', 'deployment/overlord', '-n', ns, '--watch=false']);
	const after = rolloutStatusMessage(await deployment(ns));
	const theirs = out.exitCode === 0 ? out.stdout.trim() : out.stderr.trim().replace(/^error: /, '');
	expect([before.message, after.message]).toContain(theirs);
	expect(after.failed).toBe(out.exitCode !== 0);
	return theirs;
}

async function kubectlHistory(ns: string): Promise<Array<[number, string]>> {
	const out = await env.kubectl(['rollout', 'history', 'deployment/overlord', '-n', ns]);
	return out.stdout.trim().split('\n').slice(2).map(l => {
		const [rev, ...cause] = l.trim().split(/\s+/);
		return [Number(rev), cause.join(' ')];
	});
}

describeNeeds(['kubectl'])('bad release and rollback, against kubectl', () => {
	it('rollout status messages match kubectl from success through the deadline error', async () => {
		expect(await compareStatus(NS)).toBe('deployment "overlord" successfully rolled out');
		for (const ns of [NS, STAGING]) {
			const set = await env.kubectl(['set', 'image', 'deployment/overlord', `overlord=${IMAGE}:v1.2.0`, '-n', ns]);
			expect(set.exitCode, set.stderr).toBe(0);
		}
		expect(await compareStatus(NS)).toMatch(/^Waiting for deployment "overlord" rollout to finish: |^Waiting for deployment spec update/);

		const quick = await followRollout(NS, 'overlord', () => {}, {client: env.client, timeoutMs: 200});
		expect(quick).toEqual({outcome: 'timeout', message: 'timed out waiting for the condition'});

		const messages: string[] = [];
		const [ours, theirs] = await Promise.all([
			followRollout(NS, 'overlord', s => messages.push(s.message), {client: env.client, timeoutMs: 20_000}),
			env.kubectl(['rollout', 'status', 'deployment/overlord', '-n', NS, '--timeout=20s']),
		]);
		expect(theirs.exitCode).toBe(1);
		expect(theirs.stderr.trim()).toBe('error: deployment "overlord" exceeded its progress deadline');
		expect(ours).toEqual({outcome: 'failed', message: 'deployment "overlord" exceeded its progress deadline'});
		expect(messages.at(-1)).toBe(ours.message);
		// Every line kubectl printed while waiting is one we reported too.
		for (const line of theirs.stdout.trim().split('\n').filter(Boolean)) expect(messages).toContain(line);
		expect(await compareStatus(NS)).toBe('deployment "overlord" exceeded its progress deadline');
	});

	it('shows the crash-looping pod as kubectl does, in the error tone', async () => {
		const watch = new ResourceWatch<Pod>({client: env.client, kind: 'pods', namespace: NS, labelSelector: 'app=overlord', batchMs: 20});
		const view = createPodsView();
		try {
			watch.start();
			const rows = await waitFor(() => {
				const r = view(watch.state, 0, 40, Date.now()).rows;
				return r.some(x => x.status === 'CrashLoopBackOff' && /^[1-9]\d* \(\d+s ago\)$/.test(x.restarts)) ? r : undefined;
			}, 10_000, 'a CrashLoopBackOff row with restarts');
			const bad = rows.find(r => r.status === 'CrashLoopBackOff')!;
			expect(bad).toMatchObject({ready: '0/1', tone: 'error'});
			expect(rows.filter(r => r.status === 'Running' && r.tone === 'ok')).toHaveLength(3);
			const table = parseTable((await env.kubectl(['get', 'pods', '-n', NS])).stdout);
			const now = view(watch.state, 0, 40, Date.now()).rows;
			expect(now.map(r => [r.name, r.ready])).toEqual(table.map(r => [r.NAME, r.READY]));
			const kubectlBad = table.find(r => r.NAME === bad.name)!;
			// STATUS flips between Error and CrashLoopBackOff; the restart count may tick between the two reads.
			expect(['CrashLoopBackOff', 'Error', 'Running']).toContain(kubectlBad.STATUS);
			expect(kubectlBad.RESTARTS).toMatch(/^[1-9]\d* \(\d+s ago\)$/);
		} finally {
			watch.stop();
		}
	});

	it('history matches kubectl rollout history', async () => {
		for (const ns of [NS, STAGING]) {
			const history = rolloutHistory(await deployment(ns), await replicaSets(ns));
			expect(history.map(h => [h.revision, h.changeCause])).toEqual(await kubectlHistory(ns));
			expect(history.map(h => h.images[0])).toEqual([`${IMAGE}:v1.1.0`, `${IMAGE}:v1.2.0`]);
			expect(history.map(h => h.current)).toEqual([false, true]);
		}
	});

	it('the undo patch is byte for byte the body kubectl sends', async () => {
		const plan = planUndo(await deployment(STAGING), await replicaSets(STAGING));
		expect(plan.action).toBe('patch');
		if (plan.action !== 'patch') return;
		expect(plan.target.revision).toBe(1);
		expect(plan.diff).toEqual(['overlord: image v1.2.0 → v1.1.0']);
		const undo = await env.kubectl(['rollout', 'undo', 'deployment/overlord', '-n', STAGING, '-v=9']);
		expect(undo.stdout.trim()).toBe('deployment.apps/overlord rolled back');
		const line = undo.stderr.split('\n').find(l => l.includes('"Request Body"') && l.includes('/spec/template'))!;
		const body = JSON.parse(JSON.parse(line.slice(line.indexOf('body=') + 5)));
		expect(plan.patch).toEqual(body);
	});

	it('performUndo rolls production back like kubectl did staging, and followRollout sees it succeed', async () => {
		const result = await performUndo({client: env.client, namespace: NS, name: 'overlord'});
		expect(result.outcome).toBe('rolled-back');
		expect(result.message).toBe('deployment.apps/overlord rolled back');
		expect(result.target.revision).toBe(1);
		const messages: string[] = [];
		const followed = await followRollout(NS, 'overlord', s => messages.push(s.message), {client: env.client, timeoutMs: 20_000});
		expect(followed).toEqual({outcome: 'success', message: 'deployment "overlord" successfully rolled out'});
		expect(messages[0]).toMatch(/^Waiting for deployment/);
		expect((await env.kubectl(['rollout', 'status', 'deployment/overlord', '-n', STAGING, '--timeout=20s'])).exitCode).toBe(0);

		for (const ns of [NS, STAGING]) {
			const d = await deployment(ns);
			// Back to the original template, revision 1 now revision 3, as kubectl's history says. (The
			// sandbox keeps the `creationTimestamp: null` both patches carry, where a real server drops it:
			// compared semantically, as the deployment controller compares templates.)
			expect(semanticEqual(d.spec?.template, templates[ns])).toBe(true);
			expect(d.metadata.annotations?.['deployment.kubernetes.io/revision']).toBe('3');
			expect(await kubectlHistory(ns)).toEqual([[2, '<none>'], [3, '<none>']]);
			const history = rolloutHistory(d, await replicaSets(ns));
			expect(history.map(h => [h.revision, h.images[0], h.current])).toEqual([[2, `${IMAGE}:v1.2.0`, false], [3, `${IMAGE}:v1.1.0`, true]]);
		}
		// Our undo and kubectl's left the two deployments in the same state, namespace-specific env aside.
		const [prod, staging] = [await deployment(NS), await deployment(STAGING)];
		expect(prod.metadata.annotations).toEqual(staging.metadata.annotations);
		const withoutEnv = (d: Deployment) => JSON.parse(JSON.stringify(d.spec?.template).replaceAll(/"(production|staging)"/g, '"ENV"'));
		expect(withoutEnv(prod)).toEqual(withoutEnv(staging));
		expect(prod.metadata.generation).toBe(staging.metadata.generation);
	});

	it('refuses and skips with kubectl’s words', async () => {
		const kubectlMissing = await env.kubectl(['rollout', 'undo', 'deployment/overlord', '-n', STAGING, '--to-revision=99']);
		const missing = performUndo({client: env.client, namespace: NS, name: 'overlord', toRevision: 99});
		await expect(missing).rejects.toBeInstanceOf(UndoError);
		await expect(missing).rejects.toThrow(kubectlMissing.stderr.trim().replace(/^error: /, ''));

		const kubectlSkip = await env.kubectl(['rollout', 'undo', 'deployment/overlord', '-n', STAGING, '--to-revision=3']);
		const skip = await performUndo({client: env.client, namespace: NS, name: 'overlord', toRevision: 3});
		expect(skip.outcome).toBe('skipped');
		expect(skip.message).toBe(kubectlSkip.stdout.trim());

		const stale = performUndo({client: env.client, namespace: NS, name: 'overlord', expectReplicaSet: 'overlord-something-else'});
		await expect(stale).rejects.toThrow(/history changed/);
		await expect(performUndo({client: env.client, namespace: NS, name: 'nope'})).rejects.toThrow('deployments.apps "nope" not found');
	});
});
