// The production approval: a run waiting on a protected environment lists its pending deployments;
// the review sends their INTEGER environment ids (not names, as the guide's `gh api` call does)
// with a comment, which GitHub requires. Refusals come back as plain sentences.
import {GitHubError, githubMessage, type RepoTarget} from './client.js';

export interface PendingEnvironment {
	environmentId: number;
	name: string;
	/** Logins (users) or slugs (teams) that may review. */
	reviewers: string[];
	/** Whether the token's user is one of them. */
	canApprove: boolean;
	waitTimerMinutes: number;
	url?: string;
}

interface PendingJson {
	environment: {id?: number; name?: string; html_url?: string};
	wait_timer?: number;
	current_user_can_approve: boolean;
	reviewers: Array<{type?: string; reviewer?: {login?: string; slug?: string; name?: string}}>;
}

export async function pendingDeployments(target: RepoTarget, runId: number): Promise<PendingEnvironment[]> {
	try {
		const {data} = await target.client.octokit.request('GET /repos/{owner}/{repo}/actions/runs/{run_id}/pending_deployments', {owner: target.owner, repo: target.repo, run_id: runId});
		return (data as PendingJson[]).map(p => ({
			environmentId: p.environment.id!,
			name: p.environment.name ?? String(p.environment.id),
			reviewers: p.reviewers.map(r => r.reviewer?.login ?? r.reviewer?.slug ?? r.reviewer?.name ?? '?'),
			canApprove: p.current_user_can_approve,
			waitTimerMinutes: p.wait_timer ?? 0,
			url: p.environment.html_url,
		}));
	} catch (error) {
		throw target.client.explain(error, `reading the pending deployments of run ${runId}`);
	}
}

export interface DeploymentReview {
	runId: number;
	environmentIds: number[];
	state: 'approved' | 'rejected';
	comment: string;
}

/** What GitHub would refuse, checked before asking it. */
export function reviewProblem(review: DeploymentReview): string | undefined {
	if (review.environmentIds.length === 0) return 'Choose at least one environment to review.';
	const bad = review.environmentIds.find(id => !Number.isInteger(id));
	if (bad !== undefined) return `Environment ids are the integer ids from the pending deployments, not names (got ${JSON.stringify(bad)}).`;
	if (review.state !== 'approved' && review.state !== 'rejected') return `The review is "approved" or "rejected", not ${JSON.stringify(review.state)}.`;
	if (!review.comment.trim()) return 'A comment is required: GitHub records it with the review.';
	return undefined;
}

/** GitHub's 422s on this endpoint, in plain words. */
export function explainReviewRefusal(message: string): string {
	if (/is not an integer/.test(message)) return `GitHub wants integer environment ids, not names (${message}).`;
	if (/"comment"[^.]*supplied/.test(message)) return 'GitHub requires a comment with a deployment review.';
	if (/not a required reviewer|not allowed|permission/i.test(message)) return `You are not a required reviewer of this environment, so GitHub will not take your review (${message}).`;
	if (/No pending deployment/i.test(message)) return 'Nothing to review: the deployment is no longer waiting (someone may have reviewed it already).';
	return message;
}

export async function reviewDeployments(target: RepoTarget, review: DeploymentReview): Promise<{environments: string[]}> {
	const problem = reviewProblem(review);
	if (problem) throw new GitHubError('invalid', problem);
	try {
		const {data} = await target.client.octokit.request('POST /repos/{owner}/{repo}/actions/runs/{run_id}/pending_deployments', {
			owner: target.owner, repo: target.repo, run_id: review.runId,
			environment_ids: review.environmentIds, state: review.state, comment: review.comment,
		});
		return {environments: (data as Array<{environment?: string}>).map(d => d.environment ?? '?')};
	} catch (error) {
		const status = (error as {status?: number}).status;
		if (status === 422 || status === 403) {
			const message = githubMessage(error as never);
			throw new GitHubError('refused', target.client.redact(`${review.state === 'approved' ? 'Approval' : 'Rejection'} refused: ${explainReviewRefusal(message)}`), status, {cause: error});
		}
		throw target.client.explain(error, `reviewing the deployment of run ${review.runId}`);
	}
}
