// The whole release against the sandbox GitHub and the sandbox cluster, with real octokit: PR,
// the author's refused self-approval, the reviewer's approval, squash merge + branch deletion, the
// CI/CD run found by sha, jobs progressing, the production approval by integer id with a comment,
// and the deploy job rolling v1.2.0 out on the cluster.
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {pendingDeployments, reviewDeployments} from '../../source/github/approval.js';
import {performGuideAction} from '../../source/github/guide-actions.js';
import {GitHubError, type RepoTarget} from '../../source/github/client.js';
import {findRunForCommit, pipelineModel, type PipelineSnapshot, RunWatcher} from '../../source/github/pipeline.js';
import {approvePr, createReleasePr, followRun, mergeRelease, prChecks} from '../../source/github/release.js';
import {guideReleaseTemplate, IMAGE, pushReleaseBranch, rejection, startWorld, type TestWorld, waitFor} from './helpers.js';
import {itNeeds} from '../helpers/requirements.js';

let w: TestWorld;
let operator: RepoTarget;
let reviewer: RepoTarget;
beforeAll(async () => {
	w = await startWorld({clusterScenario: 'default'});
	operator = await w.target();
	reviewer = await w.target(w.gh.reviewerToken);
	// The guide's Step 1: the release branch exists once it is pushed.
	await pushReleaseBranch(w);
}, 60_000);
afterAll(async () => w?.close());

const state = {prNumber: 0, headSha: '', mergeSha: '', runId: 0};

describe('the release, step by step', () => {
	it('creates the release PR from the guide\'s template, once', async () => {
		const pr = await createReleasePr(operator, {version: 'v1.2.0', previousVersion: 'v1.1.0', template: guideReleaseTemplate()});
		expect(pr).toMatchObject({number: 42, created: true, head: 'release/v1.2.0'});
		expect(pr.url).toBe('https://github.com/legion14041981-ui/overlord-trading-system-v8/pull/42');
		expect(pr.headSha).toMatch(/^[0-9a-f]{40}$/);
		const {data} = await operator.client.octokit.rest.pulls.get({owner: operator.owner, repo: operator.repo, pull_number: 42});
		expect(data.title).toBe('Release v1.2.0');
		expect(data.body).toContain('2. Revert to previous version: v1.1.0');
		expect(data.user?.login).toBe('devops-engineer');
		expect(data.mergeable_state).toBe('blocked');

		// GitHub's 422 for a second PR from the same branch; the app returns the existing one.
		const raw = await rejection(operator.client.octokit.rest.pulls.create({owner: operator.owner, repo: operator.repo, head: 'release/v1.2.0', base: 'main', title: 'again'}));
		expect(raw.status).toBe(422);
		expect(raw.response.data.errors[0].message).toBe('A pull request already exists for legion14041981-ui:release/v1.2.0.');
		expect(await createReleasePr(operator, {version: 'v1.2.0', previousVersion: 'v1.1.0', template: guideReleaseTemplate()})).toMatchObject({number: 42, created: false});
		state.prNumber = pr.number;
		state.headSha = pr.headSha;
	});

	it('groups the PR checks like gh pr checks', async () => {
		const checks = await prChecks(operator, state.headSha);
		expect(checks.pass.map(c => c.name)).toEqual(['Quality Gates', 'Security Scanning', 'Unit Tests', 'Integration Tests', 'Docker Build', 'ci/coverage']);
		expect(checks.skipped.map(c => c.name)).toEqual(['E2E Tests', 'Production Deployment']);
		expect(checks.fail).toEqual([]);
		expect(checks.pending).toEqual([]);
	});

	it('refuses to merge before a review (405) and explains the author cannot approve (422)', async () => {
		const early = await rejection(mergeRelease(operator, state.prNumber));
		expect(early).toBeInstanceOf(GitHubError);
		expect(early.status).toBe(405);
		expect(early.message).toBe('#42 cannot be merged yet: At least 1 approving review is required by reviewers with write access.');
		// From the guide's `gh pr merge` block (the `m` key), the refusal also says what to do.
		const env = {GITHUB_API_URL: w.gh.url, GITHUB_TOKEN: w.gh.token, GITHUB_REPOSITORY: w.gh.repository, HOME: w.dir};
		const viaGuide = await rejection(performGuideAction({kind: 'merge-pr'}, env, {prNumber: state.prNumber}));
		expect(viaGuide.message).toBe('#42 cannot be merged yet: At least 1 approving review is required by reviewers with write access. Press m again once a reviewer has approved it.');

		const self = await rejection(approvePr(operator, state.prNumber));
		expect(self).toMatchObject({kind: 'refused', status: 422});
		expect(self.message).toBe('GitHub does not let the author of #42 approve it (you opened it): ask another engineer with write access to run the approval.');
		expect(self.cause.response.data.errors).toEqual(['Can not approve your own pull request']);
	});

	it('takes the reviewer\'s approval, refuses a stale sha (409), squash-merges and deletes the branch', async () => {
		expect(await approvePr(reviewer, state.prNumber)).toMatchObject({user: 'tech-lead'});
		const stale = await rejection(mergeRelease(operator, state.prNumber, {sha: '0'.repeat(40)}));
		expect(stale.status).toBe(409);
		expect(stale.message).toContain('got new commits');

		const merged = await mergeRelease(operator, state.prNumber, {sha: state.headSha});
		expect(merged).toMatchObject({branch: 'release/v1.2.0', branchDeleted: 'deleted'});
		expect(merged.sha).toMatch(/^[0-9a-f]{40}$/);
		const {owner, repo} = operator;
		const main = await operator.client.octokit.rest.repos.getBranch({owner, repo, branch: 'main'});
		expect(main.data.commit.sha).toBe(merged.sha);
		expect(main.data.commit.commit.message).toBe('Release v1.2.0 (#42)\n\n* chore: Bump version to 1.2.0');
		// Deleting again: GitHub's 422, which the merge step treats as "already deleted".
		const again = await rejection(operator.client.octokit.rest.git.deleteRef({owner, repo, ref: 'heads/release/v1.2.0'}));
		expect(again.status).toBe(422);
		expect(again.response.data.message).toBe('Reference does not exist');
		state.mergeSha = merged.sha;
	});

	it('finds the CI/CD run by the merge sha, not the newest run', async () => {
		const run = await findRunForCommit(operator, {sha: state.mergeSha, event: 'push', intervalMs: 100, timeoutMs: 15_000});
		expect(run).toMatchObject({head_sha: state.mergeSha, head_branch: 'main', event: 'push', name: 'CI/CD Full Cycle', display_title: 'Release v1.2.0 (#42)'});
		expect(run.html_url).toBe(`https://github.com/legion14041981-ui/overlord-trading-system-v8/actions/runs/${run.id}`);
		state.runId = run.id;
		// dependabot's push to develop lands right after: `gh run list --limit 1` would pick it.
		const {owner, repo} = operator;
		const newest = await waitFor(async () => {
			const {data} = await operator.client.octokit.rest.actions.listWorkflowRuns({owner, repo, workflow_id: 'ci-cd-full-cycle.yml', per_page: 1});
			return data.workflow_runs[0]!.id !== run.id && data.workflow_runs[0];
		}, 10_000, 'the develop run');
		expect(newest.head_branch).toBe('develop');
		expect(newest.head_sha).not.toBe(state.mergeSha);
		expect((await findRunForCommit(operator, {sha: state.mergeSha, intervalMs: 100})).id).toBe(run.id);
	});

	it('follows the jobs until the run waits on production', async () => {
		const watcher = new RunWatcher(operator, state.runId, {intervalMs: 100});
		const seen: PipelineSnapshot[] = [];
		watcher.subscribe(s => seen.push(s));
		const waiting = await watcher.until(s => s.run.status === 'waiting', {timeoutMs: 20_000});
		const jobs = waiting.jobs.map(j => [j.name, j.status, j.conclusion]);
		expect(jobs).toEqual([
			['Quality Gates', 'completed', 'success'], ['Security Scanning', 'completed', 'success'], ['Unit Tests', 'completed', 'success'],
			['Integration Tests', 'completed', 'success'], ['E2E Tests', 'completed', 'success'], ['Docker Build', 'completed', 'success'],
			['Production Deployment', 'waiting', null],
		]);
		// Progress was seen along the way: some job in progress with some of its steps done.
		expect(seen.some(s => s.jobs.some(j => j.status === 'in_progress' && j.steps?.some(st => st.conclusion === 'success')))).toBe(true);
		expect(seen.length).toBeGreaterThan(5);
		const model = pipelineModel(waiting.run, waiting.jobs, Date.now());
		expect(model.title).toBe(`* main CI/CD Full Cycle · ${state.runId}`);
		expect(model.subtitle).toBe('Triggered via push less than a minute ago');
		expect(model.waiting).toBe(true);
		expect(model.waitingJobs).toEqual(['Production Deployment']);
		expect(model.jobs[0]!.text).toMatch(/^✓ Quality Gates in \d+s \(ID \d+\)$/);
		expect(model.jobs[6]!.text).toMatch(/^\* Production Deployment \(waiting for approval\) \(ID \d+\)$/);
		expect(model.jobs[0]!.steps.map(s => s.icon)).toEqual(Array(7).fill('✓'));
	});

	it('lists the pending deployment with an integer id; names, a missing comment and a non-reviewer are refused', async () => {
		const pending = await pendingDeployments(operator, state.runId);
		expect(pending).toEqual([{environmentId: 2_315_861_002, name: 'production', reviewers: ['devops-engineer'], canApprove: true, waitTimerMinutes: 0, url: expect.any(String)}]);
		expect((await pendingDeployments(reviewer, state.runId))[0]!.canApprove).toBe(false);

		const {owner, repo} = operator;
		const raw = (body: Record<string, unknown>) => rejection(operator.client.octokit.request('POST /repos/{owner}/{repo}/actions/runs/{run_id}/pending_deployments', {owner, repo, run_id: state.runId, ...body} as never));
		// The guide's `-f environment_ids[]='production'`.
		const byName = await raw({environment_ids: ['production'], state: 'approved', comment: 'Approved via CLI'});
		expect(byName.status).toBe(422);
		expect(byName.response.data.message).toBe('Invalid request.\n\nFor \'items\', "production" is not an integer.');
		const noComment = await raw({environment_ids: [pending[0]!.environmentId], state: 'approved'});
		expect(noComment.status).toBe(422);
		expect(noComment.response.data.message).toBe('Invalid request.\n\n"comment" wasn\'t supplied.');

		// The app's own checks, before GitHub is asked.
		const requestsBefore = w.gh.requests.length;
		const blank = await rejection(reviewDeployments(operator, {runId: state.runId, environmentIds: [pending[0]!.environmentId], state: 'approved', comment: '  '}));
		expect(blank.message).toBe('A comment is required: GitHub records it with the review.');
		const named = await rejection(reviewDeployments(operator, {runId: state.runId, environmentIds: ['production' as never], state: 'approved', comment: 'ok'}));
		expect(named.message).toContain('integer ids from the pending deployments, not names');
		expect(w.gh.requests.length).toBe(requestsBefore);

		const notReviewer = await rejection(reviewDeployments(reviewer, {runId: state.runId, environmentIds: [pending[0]!.environmentId], state: 'approved', comment: 'LGTM'}));
		expect(notReviewer).toMatchObject({kind: 'refused', status: 422});
		expect(notReviewer.message).toMatch(/^Approval refused: You are not a required reviewer of this environment/);
	});

	itNeeds(['kubectl'])('approves by id with a comment; the deploy job sets v1.2.0 on the cluster and the rollout completes', async () => {
		expect(await w.image()).toBe(`${IMAGE}:v1.1.0`);
		const [env] = await pendingDeployments(operator, state.runId);
		const result = await reviewDeployments(operator, {runId: state.runId, environmentIds: [env!.environmentId], state: 'approved', comment: '✅ Approved for production deployment'});
		expect(result.environments).toEqual(['production']);

		const {snapshot} = await followRun(operator, state.runId, {intervalMs: 100, timeoutMs: 40_000});
		expect(snapshot.run).toMatchObject({status: 'completed', conclusion: 'success'});
		const deploy = snapshot.jobs.find(j => j.name === 'Production Deployment')!;
		expect(deploy.conclusion).toBe('success');
		expect(deploy.steps!.map(s => s.conclusion)).toEqual(Array(deploy.steps!.length).fill('success'));
		expect(pipelineModel(snapshot.run, snapshot.jobs, Date.now()).title).toBe(`✓ main CI/CD Full Cycle · ${state.runId}`);

		expect(await w.image()).toBe(`${IMAGE}:v1.2.0`);
		const rollout = await w.kubectl(['rollout', 'status', 'deployment/overlord', '-n', 'overlord-production', '--timeout=20s']);
		expect(rollout.exitCode, rollout.stderr).toBe(0);
		expect(rollout.stdout).toContain('successfully rolled out');

		const {owner, repo} = operator;
		const log = await operator.client.octokit.rest.actions.downloadJobLogsForWorkflowRun({owner, repo, job_id: deploy.id});
		expect(String(log.data)).toContain(`kubectl set image deployment/overlord overlord=${IMAGE}:v1.2.0 -n overlord-production`);
		expect(String(log.data)).toContain('deployment "overlord" successfully rolled out');
		const approvals = await operator.client.octokit.request('GET /repos/{owner}/{repo}/actions/runs/{run_id}/approvals', {owner, repo, run_id: state.runId});
		expect(approvals.data).toMatchObject([{state: 'approved', comment: '✅ Approved for production deployment', user: {login: 'devops-engineer'}}]);
	});
});
