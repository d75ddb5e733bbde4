// The mutations gh sends for the guide's steps: createPullRequest (`gh pr create`),
// addPullRequestReview (`gh pr review`), mergePullRequest (`gh pr merge`). Each is the REST
// endpoint's rule (one author cannot approve their own PR, main's protection gates the merge),
// reached through an internal REST call; only GitHub's GraphQL wording is added here.
import {fromRest, type Gql, GitHubGraphQLError, HttpError, notFoundError} from './graphql-context.js';
import {accountObj, allPulls, REPO} from './graphql-objects.js';
import {pullObj, reviewObj} from './graphql-pulls.js';

type Input = Record<string, any>;

const noNode = (id: unknown) => notFoundError(`Could not resolve to a node with the global id of '${String(id)}'`);

async function pullByNodeId(g: Gql, id: unknown): Promise<any> {
	const hit = (await allPulls(g)).find(p => p.node_id === id);
	if (!hit) throw noNode(id);
	return hit;
}

/** GitHub's words when the head (or base) branch does not exist: the one gh users know from an unpushed branch. */
function createError(error: HttpError, input: Input): GitHubGraphQLError {
	const details = Array.isArray(error.body.errors) ? error.body.errors as any[] : [];
	const bad = (field: string) => details.some(d => d?.field === field && d?.code === 'invalid');
	if (bad('head')) {
		return new GitHubGraphQLError('UNPROCESSABLE', `Head sha can't be blank, Base sha can't be blank, No commits between ${input.baseRefName} and ${input.headRefName}, Head ref must be a branch`);
	}
	if (bad('base')) return new GitHubGraphQLError('UNPROCESSABLE', 'Base ref must be a branch');
	return fromRest(error);
}

async function createPullRequest(g: Gql, input: Input): Promise<Input> {
	const repo = await g.get(REPO).catch(() => undefined);
	if (!repo || input.repositoryId !== repo.node_id) throw noNode(input.repositoryId);
	if (input.headRepositoryId != null && input.headRepositoryId !== repo.node_id) throw noNode(input.headRepositoryId);
	let reply;
	try {
		reply = await g.rest('POST', `${REPO}/pulls`, {
			title: input.title, head: input.headRefName, base: input.baseRefName, body: input.body ?? '',
			draft: input.draft ?? false, maintainer_can_modify: input.maintainerCanModify ?? true,
		});
	} catch (error) {
		throw error instanceof HttpError ? createError(error, input) : error;
	}
	return {clientMutationId: input.clientMutationId ?? null, pullRequest: pullObj(g, reply.json)};
}

async function addPullRequestReview(g: Gql, input: Input): Promise<Input> {
	const pull = await pullByNodeId(g, input.pullRequestId);
	if (input.event == null) {
		// GitHub would start a pending (draft) review; the sandbox keeps no drafts.
		throw new GitHubGraphQLError('UNPROCESSABLE', 'The sandbox does not keep pending reviews: give an event (APPROVE, COMMENT or REQUEST_CHANGES)');
	}
	const reply = await g.rest('POST', `${REPO}/pulls/${pull.number}/reviews`, {
		event: input.event, body: input.body ?? '', ...(input.commitOID ? {commit_id: input.commitOID} : {}),
	});
	return {clientMutationId: input.clientMutationId ?? null, pullRequestReview: reviewObj(g, pull, reply.json)};
}

async function mergePullRequest(g: Gql, input: Input): Promise<Input> {
	const pull = await pullByNodeId(g, input.pullRequestId);
	await g.rest('PUT', `${REPO}/pulls/${pull.number}/merge`, {
		merge_method: String(input.mergeMethod ?? 'MERGE').toLowerCase(),
		...(input.commitHeadline != null ? {commit_title: input.commitHeadline} : {}),
		...(input.commitBody != null ? {commit_message: input.commitBody} : {}),
		...(input.expectedHeadOid != null ? {sha: input.expectedHeadOid} : {}),
	});
	const merged = await g.rest('GET', `${REPO}/pulls/${pull.number}`);
	return {clientMutationId: input.clientMutationId ?? null, actor: accountObj(g, g.ctx.user.login), pullRequest: pullObj(g, merged.json)};
}

export function mutationRoot(g: Gql): Record<string, (args: {input: Input}) => Promise<Input>> {
	return {
		createPullRequest: ({input}) => createPullRequest(g, input),
		addPullRequestReview: ({input}) => addPullRequestReview(g, input),
		mergePullRequest: ({input}) => mergePullRequest(g, input),
	};
}
