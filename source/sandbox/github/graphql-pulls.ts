// A pull request and its reviews as GraphQL objects, from the REST answers for them: its merge
// state is REST's `mergeable_state` (main's protection decides it there), its review decision is
// read from its reviews and whether the base branch is protected.
import {type Gql} from './graphql-context.js';
import {accountObj, commitObj, connection, type PageArgs, pullState, refObj, REPO, repositoryObj} from './graphql-objects.js';
import {nodeId} from './model.js';

type Obj = Record<string, unknown>;

const MERGE_STATES: Record<string, string> = {clean: 'CLEAN', blocked: 'BLOCKED', behind: 'BEHIND', dirty: 'DIRTY', unstable: 'UNSTABLE', has_hooks: 'HAS_HOOKS', draft: 'BLOCKED'};

async function reviewsOf(g: Gql, number: number): Promise<any[]> {
	return g.get(`${REPO}/pulls/${number}/reviews?per_page=100`);
}

/** Each reviewer's last approving or blocking review (comments do not count), oldest first. */
function latest(reviews: any[]): any[] {
	const last = new Map<string, any>();
	for (const r of reviews) if (r.state !== 'COMMENTED') last.set(r.user.login, r);
	return [...last.values()];
}

async function reviewDecision(g: Gql, pull: any): Promise<string | null> {
	let protectedBase = false;
	try {
		protectedBase = Boolean((await g.get(`${REPO}/branches/${encodeURIComponent(pull.base.ref)}`)).protected);
	} catch {
		// the base branch is gone: nothing requires a review any more
	}
	const states = latest(await reviewsOf(g, pull.number)).filter(r => r.user.login !== pull.user.login).map(r => r.state);
	if (states.includes('CHANGES_REQUESTED')) return 'CHANGES_REQUESTED';
	if (states.includes('APPROVED')) return 'APPROVED';
	return protectedBase ? 'REVIEW_REQUIRED' : null;
}

export function reviewObj(g: Gql, pull: any, r: any): Obj {
	return {
		__typename: 'PullRequestReview', id: r.node_id, databaseId: r.id, author: () => accountObj(g, r.user.login),
		body: r.body ?? '', state: r.state, submittedAt: r.submitted_at, url: r.html_url,
		commit: r.commit_id ? commitObj(g, r.commit_id) : null, pullRequest: () => pullObj(g, pull),
	};
}

/** A pull request from its REST JSON (GET /repos/…/pulls/N). */
export function pullObj(g: Gql, pull: any): Obj {
	const resourcePath = new URL(pull.html_url).pathname;
	const reviews = async (args: PageArgs & {states?: string[] | null; author?: string | null}) => {
		const all = (await reviewsOf(g, pull.number))
			.filter(r => !args.states?.length || args.states.includes(r.state))
			.filter(r => args.author == null || r.user.login === args.author);
		return connection(all, args, r => reviewObj(g, pull, r));
	};
	return {
		__typename: 'PullRequest', id: pull.node_id, databaseId: pull.id, number: pull.number, title: pull.title,
		body: pull.body ?? '', url: pull.html_url, permalink: pull.html_url, resourcePath,
		state: pullState(pull), closed: pull.state !== 'open', merged: Boolean(pull.merged_at), isDraft: Boolean(pull.draft),
		createdAt: pull.created_at, updatedAt: pull.updated_at, closedAt: pull.closed_at, mergedAt: pull.merged_at,
		author: () => accountObj(g, pull.user.login), mergedBy: () => (pull.merged_by ? accountObj(g, pull.merged_by.login) : null),
		baseRefName: pull.base.ref, headRefName: pull.head.ref, baseRefOid: pull.base.sha, headRefOid: pull.head.sha,
		baseRef: () => refObj(g, `refs/heads/${pull.base.ref}`), headRef: () => refObj(g, `refs/heads/${pull.head.ref}`),
		headRepository: () => repositoryObj(g), headRepositoryOwner: () => accountObj(g, pull.head.user.login),
		isCrossRepository: pull.head.repo?.full_name !== pull.base.repo?.full_name, maintainerCanModify: Boolean(pull.maintainer_can_modify),
		mergeable: pull.state === 'open' ? (pull.mergeable === false ? 'CONFLICTING' : 'MERGEABLE') : 'UNKNOWN',
		mergeStateStatus: pull.state === 'open' ? MERGE_STATES[pull.mergeable_state] ?? 'UNKNOWN' : 'UNKNOWN',
		reviewDecision: () => reviewDecision(g, pull),
		isInMergeQueue: false, isMergeQueueEnabled: false,
		additions: pull.additions, deletions: pull.deletions, changedFiles: pull.changed_files,
		mergeCommit: pull.merged_at && pull.merge_commit_sha ? commitObj(g, pull.merge_commit_sha) : null,
		potentialMergeCommit: null,
		repository: () => repositoryObj(g),
		commits: (args: PageArgs) => connection([pull.head.sha], args, (sha: string) => ({
			__typename: 'PullRequestCommit', id: nodeId('PURC', `${pull.id}:${sha}`), commit: commitObj(g, sha),
			url: `${pull.html_url}/commits/${sha}`, resourcePath: `${resourcePath}/commits/${sha}`, pullRequest: () => pullObj(g, pull),
		})),
		reviews,
		latestReviews: async (args: PageArgs) => connection(latest(await reviewsOf(g, pull.number)), args, r => reviewObj(g, pull, r)),
	};
}
