// The guide's failure path: in the cluster's bad-release scenario v1.2.0 crash-loops, the deploy
// job's rollout misses its progress deadline and the run fails; the rollback workflow, dispatched
// with its inputs, is found and followed, and puts v1.1.0 back.
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {pendingDeployments, reviewDeployments} from '../../source/github/approval.js';
import type {RepoTarget} from '../../source/github/client.js';
import {findRunForCommit, pipelineModel} from '../../source/github/pipeline.js';
import {dispatchRollback, followRun} from '../../source/github/release.js';
import {IMAGE, rejection, releaseToMerge, startWorld, type TestWorld} from './helpers.js';
import {itNeeds} from '../helpers/requirements.js';

let w: TestWorld;
let operator: RepoTarget;
beforeAll(async () => {
	w = await startWorld({clusterScenario: 'bad-release'});
	// Shared by the tests, so that those that do not need kubectl run without the first one.
	operator = await w.target();
});
afterAll(async () => w?.close());

describe('bad release and rollback', () => {
	itNeeds(['kubectl'])('fails the deploy job when the rollout exceeds its progress deadline', async () => {
		const merged = await releaseToMerge(w);
		const run = await findRunForCommit(operator, {sha: merged.sha, event: 'push', intervalMs: 100, timeoutMs: 15_000});
		const {RunWatcher} = await import('../../source/github/pipeline.js');
		await new RunWatcher(operator, run.id, {intervalMs: 100}).until(s => s.run.status === 'waiting', {timeoutMs: 20_000});
		const [env] = await pendingDeployments(operator, run.id);
		await reviewDeployments(operator, {runId: run.id, environmentIds: [env!.environmentId], state: 'approved', comment: 'Go'});

		// 30 s progress deadline at cluster speed 10.
		const {snapshot} = await followRun(operator, run.id, {intervalMs: 100, timeoutMs: 40_000});
		expect(snapshot.run).toMatchObject({status: 'completed', conclusion: 'failure'});
		const deploy = snapshot.jobs.find(j => j.name === 'Production Deployment')!;
		expect(deploy.conclusion).toBe('failure');
		const steps = Object.fromEntries(deploy.steps!.map(s => [s.name, s.conclusion]));
		expect(steps).toMatchObject({'Update image': 'success', 'Wait for rollout': 'failure', 'Health checks': 'skipped', 'Smoke tests': 'skipped', 'Complete job': 'success'});
		const model = pipelineModel(snapshot.run, snapshot.jobs, Date.now());
		expect(model.title).toBe(`X main CI/CD Full Cycle · ${run.id}`);
		expect(model.jobs.at(-1)).toMatchObject({icon: 'X', color: 'red'});

		const {owner, repo} = operator;
		const log = String((await operator.client.octokit.rest.actions.downloadJobLogsForWorkflowRun({owner, repo, job_id: deploy.id})).data);
		expect(log).toContain('error: deployment "overlord" exceeded its progress deadline');
		expect(log).toContain('##[error]Process completed with exit code 1.');
		expect(await w.image()).toBe(`${IMAGE}:v1.2.0`);
		const pods = await w.kubectl(['get', 'pods', '-n', 'overlord-production']);
		expect(pods.stdout).toMatch(/CrashLoopBackOff|Error/);
	});

	it('validates the rollback inputs like GitHub', async () => {
		const {owner, repo} = operator;
		const dispatch = (inputs: Record<string, unknown>, ref = 'main') => rejection(operator.client.octokit.rest.actions.createWorkflowDispatch({owner, repo, workflow_id: 'rollback.yml', ref, inputs} as never));
		expect((await dispatch({environment: 'prod', target_version: 'v1.1.0'})).response.data.message).toBe("Provided value 'prod' for input 'environment' not in the list of allowed values");
		expect((await dispatch({environment: 'production'})).response.data.message).toBe("Required input 'target_version' not provided");
		expect((await dispatch({environment: 'production', target_version: 1.1})).response.data.message).toBe("Invalid request.\n\nFor 'properties/target_version', 1.1 is not a string.");
		expect((await dispatch({environment: 'production', target_version: 'v1.1.0', force: 'yes'})).response.data.message).toBe('Unexpected inputs provided: ["force"]');
		expect((await dispatch({environment: 'production', target_version: 'v1.1.0'}, 'nope')).response.data.message).toBe('No ref found for: nope');
		const ci = await rejection(operator.client.octokit.rest.actions.createWorkflowDispatch({owner, repo, workflow_id: 'ci-cd-full-cycle.yml', ref: 'main'}));
		expect(ci.status).toBe(422);
		expect(ci.message).toContain("Workflow does not have 'workflow_dispatch' trigger");
	});

	itNeeds(['kubectl'])('dispatches rollback.yml (204), finds the run it started and follows it back to v1.1.0', async () => {
		const {owner, repo} = operator;
		const raw = await operator.client.octokit.rest.actions.createWorkflowDispatch({owner, repo, workflow_id: 'rollback.yml', ref: 'main', inputs: {environment: 'staging', target_version: 'v1.1.0'}});
		expect(raw.status).toBe(204);
		// The staging rollback above is in flight too: the app must pick the production one it started.
		const run = await dispatchRollback(operator, {environment: 'production', targetVersion: 'v1.0.0', intervalMs: 100, timeoutMs: 15_000});
		expect(run).toMatchObject({event: 'workflow_dispatch', name: 'Rollback', display_title: 'Rollback production to v1.0.0', head_branch: 'main'});
		const {snapshot} = await followRun(operator, run.id, {intervalMs: 100, timeoutMs: 30_000});
		expect(snapshot.run.conclusion).toBe('success');
		expect(await w.image()).toBe(`${IMAGE}:v1.0.0`);

		const back = await dispatchRollback(operator, {environment: 'production', targetVersion: 'v1.1.0', intervalMs: 100, timeoutMs: 15_000});
		expect(back.id).not.toBe(run.id);
		expect(back.display_title).toBe('Rollback production to v1.1.0');
		const done = await followRun(operator, back.id, {intervalMs: 100, timeoutMs: 30_000});
		expect(done.snapshot.run.conclusion).toBe('success');
		expect(await w.image()).toBe(`${IMAGE}:v1.1.0`);
		const rollout = await w.kubectl(['rollout', 'status', 'deployment/overlord', '-n', 'overlord-production', '--timeout=20s']);
		expect(rollout.exitCode, rollout.stderr).toBe(0);
		const pods = await w.kubectl(['get', 'pods', '-n', 'overlord-production', '--no-headers']);
		expect(pods.stdout.trim().split('\n').filter(l => /1\/1\s+Running/.test(l))).toHaveLength(3);
	});

	itNeeds(['kubectl'])('fails a rollback to a tag that does not exist at its verify step', async () => {
		const run = await dispatchRollback(operator, {environment: 'production', targetVersion: 'v9.9.9', intervalMs: 100, timeoutMs: 15_000});
		const {snapshot} = await followRun(operator, run.id, {intervalMs: 100, timeoutMs: 20_000});
		expect(snapshot.run.conclusion).toBe('failure');
		expect(snapshot.jobs[0]!.steps!.find(s => s.name === 'Verify target version')!.conclusion).toBe('failure');
		expect(await w.image()).toBe(`${IMAGE}:v1.1.0`);
	});
});
