// The sandbox's GraphQL endpoint, spoken to raw: GitHub's paths (/api/graphql, /graphql), the schema's names and
// types as GitHub's, errors shaped as GitHub's (HTTP 200, `type`/`path`/`locations`), ids that agree with REST's
// node_id, and the mutations' rules — which are the REST endpoints' own.
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {startWorld, type TestWorld} from './helpers.js';

let w: TestWorld;
beforeAll(async () => {
	w = await startWorld();
});
afterAll(async () => w?.close());

const REPO = '/repos/legion14041981-ui/overlord-trading-system-v8';

async function gql(query: string, variables: Record<string, unknown> = {}, token: string | undefined = w.gh.token, path = '/api/graphql') {
	const res = await fetch(`${w.gh.url}${path}`, {
		method: 'POST',
		headers: {'content-type': 'application/json', ...(token ? {authorization: `token ${token}`} : {})},
		body: JSON.stringify({query, variables}),
	});
	return {status: res.status, body: await res.json() as any};
}

const REPO_QUERY = 'query RepositoryInfo($owner: String!, $name: String!) { repository(owner: $owner, name: $name) { id name owner { login } viewerPermission defaultBranchRef { name } squashMergeAllowed rebaseMergeAllowed } }';
const repoVars = {owner: 'legion14041981-ui', name: 'overlord-trading-system-v8'};

describe('the sandbox GitHub GraphQL API', () => {
	it('answers at /api/graphql (Enterprise) and /graphql, with the repository as REST describes it', async () => {
		const rest = await (await fetch(`${w.gh.url}${REPO}`, {headers: {authorization: `token ${w.gh.token}`}})).json() as any;
		for (const path of ['/api/graphql', '/graphql']) {
			const {status, body} = await gql(REPO_QUERY, repoVars, w.gh.token, path);
			expect(status).toBe(200);
			expect(body).toEqual({data: {repository: {
				id: rest.node_id, name: 'overlord-trading-system-v8', owner: {login: 'legion14041981-ui'}, viewerPermission: 'MAINTAIN',
				defaultBranchRef: {name: 'main'}, squashMergeAllowed: true, rebaseMergeAllowed: false,
			}}});
		}
	});

	it('has GitHub\'s names and types for what gh asks (feature detection lists PullRequest\'s fields)', async () => {
		const {body} = await gql('query PullRequest_fields { PullRequest: __type(name: "PullRequest") { fields(includeDeprecated: true) { name type { kind name ofType { name } } } } Ctx: __type(name: "StatusCheckRollupContext") { possibleTypes { name } } }');
		const fields = Object.fromEntries(body.data.PullRequest.fields.map((f: any) => [f.name, f.type.ofType?.name ?? f.type.name]));
		expect(fields).toMatchObject({mergeStateStatus: 'MergeStateStatus', headRepositoryOwner: 'RepositoryOwner', commits: 'PullRequestCommitConnection', isInMergeQueue: 'Boolean', number: 'Int'});
		expect(body.data.Ctx.possibleTypes.map((t: any) => t.name).sort()).toEqual(['CheckRun', 'StatusContext']);
	});

	it('shapes errors as GitHub does: unknown fields, unknown repositories, tokens without `repo`, no token', async () => {
		const unknown = await gql('{ repository(owner: "legion14041981-ui", name: "overlord-trading-system-v8") { nope } }');
		expect(unknown.status).toBe(200);
		expect(unknown.body).toEqual({errors: [{message: 'Field \'nope\' doesn\'t exist on type \'Repository\'', locations: [{line: 1, column: 80}], extensions: {code: 'undefinedField', typeName: 'Repository', fieldName: 'nope'}}]});
		const missing = await gql(REPO_QUERY, {owner: 'someone', name: 'else'});
		expect(missing.body).toEqual({data: {repository: null}, errors: [{type: 'NOT_FOUND', path: ['repository'], locations: [{line: 1, column: 57}], message: 'Could not resolve to a Repository with the name \'someone/else\'.'}]});
		expect((await gql(REPO_QUERY, repoVars, w.gh.limitedToken)).body.errors[0]).toMatchObject({type: 'NOT_FOUND'});
		const none = await gql(REPO_QUERY, repoVars, '');
		expect(none.status).toBe(401);
		const node = await gql('{ node(id: "PR_nope") { id } }');
		expect(node.body).toMatchObject({data: {node: null}, errors: [{type: 'NOT_FOUND', message: 'Could not resolve to a node with the global id of \'PR_nope\''}]});
	});

	it('creates, reviews and refuses to merge as REST does, with REST\'s ids', async () => {
		const {body: info} = await gql(REPO_QUERY, repoVars);
		const create = 'mutation PullRequestCreate($input: CreatePullRequestInput!) { createPullRequest(input: $input) { pullRequest { id number url state mergeStateStatus reviewDecision headRefName } } }';
		const absent = await gql(create, {input: {repositoryId: info.data.repository.id, baseRefName: 'main', headRefName: 'no-such-branch', title: 'x', body: '', draft: false}});
		expect(absent.body.errors).toMatchObject([{type: 'UNPROCESSABLE', path: ['createPullRequest'], message: 'Head sha can\'t be blank, Base sha can\'t be blank, No commits between main and no-such-branch, Head ref must be a branch'}]);

		const made = await gql(create, {input: {repositoryId: info.data.repository.id, baseRefName: 'main', headRefName: 'develop', title: 'Sync develop', body: 'b', draft: false, maintainerCanModify: true}});
		const pr = made.body.data.createPullRequest.pullRequest;
		expect(pr).toMatchObject({state: 'OPEN', mergeStateStatus: 'BLOCKED', reviewDecision: 'REVIEW_REQUIRED', headRefName: 'develop'});
		const rest = await (await fetch(`${w.gh.url}${REPO}/pulls/${pr.number}`, {headers: {authorization: `token ${w.gh.token}`}})).json() as any;
		expect(pr.id).toBe(rest.node_id);
		expect(pr.url).toBe(rest.html_url);

		const review = 'mutation PullRequestReviewAdd($input: AddPullRequestReviewInput!) { addPullRequestReview(input: $input) { clientMutationId } }';
		const own = await gql(review, {input: {pullRequestId: pr.id, event: 'APPROVE', body: 'mine'}});
		expect(own.body).toMatchObject({data: {addPullRequestReview: null}, errors: [{type: 'UNPROCESSABLE', message: 'Can not approve your own pull request'}]});
		const merge = 'mutation PullRequestMerge($input: MergePullRequestInput!) { mergePullRequest(input: $input) { clientMutationId } }';
		const early = await gql(merge, {input: {pullRequestId: pr.id, mergeMethod: 'SQUASH'}});
		expect(early.body.errors[0]).toMatchObject({type: 'UNPROCESSABLE', message: 'At least 1 approving review is required by reviewers with write access.'});
		expect((await gql(review, {input: {pullRequestId: pr.id, event: 'APPROVE', body: 'ok'}}, w.gh.reviewerToken)).body).toEqual({data: {addPullRequestReview: {clientMutationId: null}}});
		const after = await gql('query($id: ID!) { node(id: $id) { ... on PullRequest { reviewDecision latestReviews(first: 10) { nodes { author { login } state } } } } }', {id: pr.id});
		expect(after.body.data.node).toEqual({reviewDecision: 'APPROVED', latestReviews: {nodes: [{author: {login: 'tech-lead'}, state: 'APPROVED'}]}});
	});
});
