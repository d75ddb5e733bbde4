// Pull requests and branches as operations on the world and its git repository — what the REST routes and the
// GraphQL resolvers both do: open a PR (its head must be a pushed branch), review it (an author cannot approve their
// own), merge it (main's protection: one approval, green required checks; the merge is a real commit on the base
// branch, made with merge-tree + commit-tree), delete a branch. Errors are GitHub's REST ones (HttpError).
import {apiError, OWNER, type Pull, type Review, validationFailed} from './model.js';
import {afterMerge, type Sandbox} from './pushes.js';
import type {World} from './world.js';

export type {Sandbox} from './pushes.js';

export const REQUIRED_CHECKS = ['Quality Gates', 'Security Scanning', 'Unit Tests'];
const DOC_CREATE = '/pulls/pulls#create-a-pull-request';
const DOC_MERGE = '/pulls/pulls#merge-a-pull-request';
const DOC_REVIEW = '/pulls/reviews#create-a-review-for-a-pull-request';
const DOC_REF = '/git/refs#delete-a-reference';

/** The commit a branch points at in the repository itself (git rev-parse), or undefined when there is no such branch. */
export function branchHead(world: World, name: string): Promise<string | undefined> {
	return world.repository.resolve(`refs/heads/${name}`);
}

function checkRunsOf(world: World, sha: string) {
	return world.runs.filter(r => r.headSha === sha).flatMap(run => run.jobs.map(job => ({run, job})));
}

/** Why main's protection refuses the merge, or undefined when it may go in. */
export function mergeBlocker(world: World, p: Pull): string | undefined {
	if (p.state !== 'open') return 'Pull Request is not mergeable';
	if (p.base !== 'main') return undefined;
	const latest = new Map<string, string>();
	for (const r of p.reviews) if (r.state !== 'COMMENTED') latest.set(r.user, r.state);
	const approved = [...latest].some(([user, state]) => user !== p.author && state === 'APPROVED');
	if (!approved) return 'At least 1 approving review is required by reviewers with write access.';
	const checks = checkRunsOf(world, p.headSha);
	for (const name of REQUIRED_CHECKS) {
		const job = checks.filter(c => c.job.name === name).at(-1)?.job;
		if (!job) return `Required status check "${name}" is expected.`;
		if (job.status !== 'completed') return `Required status check "${name}" is in progress.`;
		if (job.conclusion !== 'success' && job.conclusion !== 'skipped') return `Required status check "${name}" is failing.`;
	}
	return undefined;
}

/** `POST /pulls`: `head` (`owner:branch` or `branch`) must be a pushed branch with commits `base` lacks. */
export async function openPull(world: World, fields: {title: string; head: string; base: string; body?: string; author: string}): Promise<Pull> {
	const head = fields.head.replace(/^[^:]+:/, '');
	const {base} = fields;
	const [headSha, baseSha] = await Promise.all([branchHead(world, head), branchHead(world, base)]);
	if (!headSha) throw validationFailed([{resource: 'PullRequest', field: 'head', code: 'invalid'}], DOC_CREATE);
	if (!baseSha) throw validationFailed([{resource: 'PullRequest', field: 'base', code: 'invalid'}], DOC_CREATE);
	if (world.pulls.some(p => p.state === 'open' && p.head === head && p.base === base)) {
		throw validationFailed([{resource: 'PullRequest', code: 'custom', message: `A pull request already exists for ${OWNER}:${head}.`}], DOC_CREATE);
	}
	if (await world.repository.isAncestor(headSha, baseSha)) {
		throw validationFailed([{resource: 'PullRequest', code: 'custom', message: `No commits between ${base} and ${head}`}], DOC_CREATE);
	}
	return world.newPull({title: fields.title, body: fields.body ?? '', head, headSha, base, baseSha, author: fields.author});
}

/** `POST /pulls/{n}/reviews`. */
export function reviewPull(world: World, p: Pull, review: {event: string; body?: string; login: string}): Review {
	const {event, login} = review;
	const body = review.body ?? '';
	const refuse = (why: string) => apiError(422, 'Unprocessable Entity', DOC_REVIEW, {errors: [why]});
	if (!['APPROVE', 'REQUEST_CHANGES', 'COMMENT'].includes(event)) throw refuse('Review event must be one of APPROVE, REQUEST_CHANGES or COMMENT');
	if (p.state !== 'open') throw refuse(`Can not ${event === 'APPROVE' ? 'approve' : 'review'} a ${p.merged ? 'merged' : 'closed'} pull request`);
	if (p.author === login && event === 'APPROVE') throw refuse('Can not approve your own pull request');
	if (p.author === login && event === 'REQUEST_CHANGES') throw refuse('Can not request changes on your own pull request');
	if (event !== 'APPROVE' && !body) throw refuse('Body is required when the event is REQUEST_CHANGES or COMMENT');
	const state = event === 'APPROVE' ? 'APPROVED' : event === 'REQUEST_CHANGES' ? 'CHANGES_REQUESTED' : 'COMMENTED';
	const made: Review = {id: world.reviewId(), user: login, state, body, submittedAt: Date.now(), commitId: p.headSha};
	p.reviews.push(made);
	p.updatedAt = Date.now();
	return made;
}

export interface MergeRequest {
	method?: string;
	commitTitle?: string;
	commitMessage?: string;
	/** The head sha the merger saw: a different one is a 409, as on GitHub. */
	sha?: string;
	login: string;
}

/**
 * `PUT /pulls/{n}/merge`: a squash (one commit, the base's head its only parent) or a merge commit, written into the
 * repository and moved onto the base branch; then the push to the base runs CI as any push does (pushes.ts).
 */
export async function mergePull(s: Sandbox, p: Pull, request: MergeRequest): Promise<{sha: string}> {
	const method = request.method ?? 'merge';
	if (!['merge', 'squash', 'rebase'].includes(method)) throw validationFailed([{resource: 'PullRequest', field: 'merge_method', code: 'invalid'}], DOC_MERGE);
	if (method === 'rebase') throw apiError(405, 'Rebase merges are not allowed on this repository.', DOC_MERGE);
	if (request.sha !== undefined && request.sha !== p.headSha && p.state === 'open') throw apiError(409, 'Head branch was modified. Review and try the merge again.', DOC_MERGE);
	const blocker = mergeBlocker(s.world, p);
	if (blocker) throw apiError(405, blocker, DOC_MERGE);
	const {world} = s;
	const repo = world.repository;
	const sha = await repo.exclusive(async () => {
		const baseHead = await branchHead(world, p.base);
		if (!baseHead) throw apiError(405, 'Base branch was deleted.', DOC_MERGE);
		const tree = await repo.mergeTree(baseHead, p.headSha);
		if (!tree) throw apiError(405, 'Pull Request is not mergeable', DOC_MERGE);
		const headline = world.commits.get(p.headSha)?.message.split('\n')[0] ?? '';
		const message = method === 'squash'
			? `${request.commitTitle ?? `${p.title} (#${p.number})`}\n\n${request.commitMessage ?? `* ${headline}`}`
			: `${request.commitTitle ?? `Merge pull request #${p.number} from ${OWNER}/${p.head}`}\n\n${request.commitMessage ?? p.title}`;
		const parents = method === 'squash' ? [baseHead] : [baseHead, p.headSha];
		const commit = await repo.commitTree({tree, parents, message, author: world.person(request.login), committer: {name: 'GitHub', email: 'noreply@github.com'}});
		await repo.updateRef(`refs/heads/${p.base}`, commit, baseHead);
		return commit;
	});
	await world.refresh();
	const now = Date.now();
	Object.assign(p, {state: 'closed', merged: true, mergedAt: now, closedAt: now, updatedAt: now, mergeCommitSha: sha, mergedBy: request.login});
	afterMerge(s, {base: p.base, sha, actor: request.login, version: /^release\/(v\d+\.\d+\.\d+)$/.exec(p.head)?.[1], number: p.number});
	return {sha};
}

/** `DELETE /git/refs/heads/{branch}` (or `tags/{tag}`): gone from the repository; main is protected. */
export async function deleteRef(world: World, ref: string): Promise<void> {
	const exists = /^(heads|tags)\/./.test(ref) && (await world.repository.resolve(`refs/${ref}`)) !== undefined;
	if (!exists) throw apiError(422, 'Reference does not exist', DOC_REF);
	if (ref === 'heads/main') throw apiError(422, 'Cannot delete protected branch', DOC_REF);
	await world.repository.exclusive(() => world.repository.deleteRef(`refs/${ref}`));
	await world.refresh();
}
