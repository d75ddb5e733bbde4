// The GraphQL objects, built from the REST API's own answers (the repository, pull requests and
// their reviews, commits, check runs and statuses, workflow runs): one source of truth. Each
// object is a plain value whose heavier fields are functions, which graphql-js's default resolver
// calls with the field's arguments; `__typename` settles interfaces and unions.
import {FULL_NAME, HTML_BASE, nodeId, OWNER, OWNER_ID} from './model.js';
import {type Gql, GitHubGraphQLError, notFoundError} from './graphql-context.js';
import {pullObj} from './graphql-pulls.js';
import {REQUIRED_CHECKS} from './pulls.js';

type Obj = Record<string, unknown>;
export const REPO = `/repos/${FULL_NAME}`;
/** GitHub's id of the Query root (base64 of "05:Query"). */
const QUERY_ID = 'MDU6UXVlcnk=';

export interface PageArgs {
	first?: number | null;
	last?: number | null;
	after?: string | null;
	before?: string | null;
}

const cursor = (i: number) => Buffer.from(`cursor:v2:${i}`).toString('base64');
const position = (c: string | null | undefined) => {
	if (!c) return undefined;
	const n = Number(Buffer.from(c, 'base64').toString('utf8').split(':').pop());
	return Number.isInteger(n) ? n : undefined;
};

/** A connection (`nodes`, `totalCount`, `pageInfo`) over a list, paged as GitHub pages (at most 100). */
export function connection<T>(items: T[], args: PageArgs, node: (item: T) => unknown): Obj {
	let start = 0;
	let end = items.length;
	const after = position(args.after);
	const before = position(args.before);
	if (after !== undefined) start = after + 1;
	if (before !== undefined) end = Math.min(end, before);
	if (args.first != null) end = Math.min(end, start + Math.min(100, Math.max(0, args.first)));
	if (args.last != null) start = Math.max(start, end - Math.min(100, Math.max(0, args.last)));
	const slice = items.slice(start, end);
	return {
		nodes: slice.map(node),
		totalCount: items.length,
		pageInfo: {
			hasNextPage: end < items.length, hasPreviousPage: start > 0,
			startCursor: slice.length ? cursor(start) : null, endCursor: slice.length ? cursor(end - 1) : null,
		},
	};
}

const upper = (s: string | null | undefined) => (s ? s.toUpperCase() : null);
const pathOf = (url: string) => new URL(url).pathname;

/** A user, a bot or the organization that owns the repository; null for an unknown login. */
export function accountObj(g: Gql, login: string): Obj | null {
	if (login === OWNER) {
		return {
			__typename: 'Organization', id: nodeId('U', OWNER_ID), databaseId: OWNER_ID, login, name: 'Legion',
			avatarUrl: `https://avatars.githubusercontent.com/u/${OWNER_ID}?v=4`, url: `${HTML_BASE}/${login}`, resourcePath: `/${login}`,
			repository: ({name}: {name: string}) => (name.toLowerCase() === FULL_NAME.split('/')[1] ? repositoryObj(g) : null),
		};
	}
	const a = g.ctx.world.accounts.get(login);
	if (!a) return null;
	const common = {id: nodeId('U', a.id), databaseId: a.id, avatarUrl: `https://avatars.githubusercontent.com/u/${a.id}?v=4`};
	// GraphQL names an app's bot without the `[bot]` REST adds.
	if (a.type === 'Bot') {
		const slug = login.replace(/\[bot\]$/, '');
		return {...common, __typename: 'Bot', login: slug, url: `${HTML_BASE}/apps/${slug}`, resourcePath: `/apps/${slug}`};
	}
	return {...common, __typename: 'User', login, name: a.name, url: `${HTML_BASE}/${login}`, resourcePath: `/${login}`, repository: () => null};
}

function permission(p: Record<string, boolean> | undefined): string | null {
	if (!p) return null;
	return p.admin ? 'ADMIN' : p.maintain ? 'MAINTAIN' : p.push ? 'WRITE' : p.triage ? 'TRIAGE' : p.pull ? 'READ' : null;
}

export function repositoryObj(g: Gql): Obj {
	const repo = () => g.get(REPO);
	const field = (pick: (json: any) => unknown) => async () => pick(await repo());
	return {
		__typename: 'Repository',
		id: field(j => j.node_id), databaseId: field(j => j.id), name: field(j => j.name), nameWithOwner: field(j => j.full_name),
		owner: () => accountObj(g, OWNER), description: field(j => j.description), url: field(j => j.html_url),
		resourcePath: field(j => pathOf(j.html_url)), sshUrl: field(j => j.ssh_url), isPrivate: field(j => j.private),
		visibility: field(j => upper(j.visibility)), isArchived: field(j => j.archived), isFork: field(j => j.fork), isEmpty: false,
		hasIssuesEnabled: field(j => j.has_issues ?? true), hasWikiEnabled: field(j => j.has_wiki ?? false),
		createdAt: field(j => j.created_at), updatedAt: field(j => j.updated_at), pushedAt: field(j => j.pushed_at),
		mergeCommitAllowed: field(j => j.allow_merge_commit), squashMergeAllowed: field(j => j.allow_squash_merge),
		rebaseMergeAllowed: field(j => j.allow_rebase_merge), deleteBranchOnMerge: field(j => j.delete_branch_on_merge),
		viewerPermission: field(j => permission(j.permissions)),
		viewerDefaultMergeMethod: field(j => (j.allow_merge_commit ? 'MERGE' : j.allow_squash_merge ? 'SQUASH' : 'REBASE')),
		parent: null,
		defaultBranchRef: async () => refObj(g, `refs/heads/${(await repo()).default_branch}`),
		ref: ({qualifiedName}: {qualifiedName: string}) => refObj(g, qualifiedName),
		pullRequest: async ({number}: {number: number}) => {
			const hit = (await allPulls(g)).find(p => p.number === number);
			if (!hit) throw notFoundError(`Could not resolve to a PullRequest with the number of ${number}.`);
			return pullObj(g, hit);
		},
		pullRequests: async (args: PageArgs & {states?: string[] | null; headRefName?: string | null; baseRefName?: string | null; orderBy?: {field: string; direction: string} | null}) => {
			const pulls = (await allPulls(g))
				.filter(p => !args.states?.length || args.states.includes(pullState(p)))
				.filter(p => args.headRefName == null || p.head.ref === args.headRefName)
				.filter(p => args.baseRefName == null || p.base.ref === args.baseRefName);
			const key = args.orderBy?.field === 'UPDATED_AT' ? 'updated_at' : 'created_at';
			const sign = args.orderBy?.direction === 'DESC' ? -1 : 1;
			pulls.sort((a, b) => sign * (a[key].localeCompare(b[key]) || a.number - b.number));
			return connection(pulls, args, p => pullObj(g, p));
		},
	};
}

/** Every pull request as REST lists them (newest first). */
export async function allPulls(g: Gql): Promise<any[]> {
	const out: any[] = [];
	for (let page = 1; ; page++) {
		const batch = await g.get(`${REPO}/pulls?state=all&per_page=100&page=${page}`);
		out.push(...batch);
		if (batch.length < 100) return out;
	}
}

export async function refObj(g: Gql, qualified: string): Promise<Obj | null> {
	const m = /^refs\/(heads|tags)\/(.+)$/.exec(qualified.startsWith('refs/') ? qualified : `refs/heads/${qualified}`);
	if (!m) return null;
	let json: any;
	try {
		json = await g.get(`${REPO}/git/ref/${m[1]}/${encodeURIComponent(m[2]!)}`);
	} catch {
		return null;
	}
	return {__typename: 'Ref', id: json.node_id, name: m[2], prefix: `refs/${m[1]}/`, target: () => commitObj(g, json.object.sha)};
}

export function commitObj(g: Gql, sha: string): Obj {
	const commit = async () => (await g.get(`${REPO}/commits/${sha}`)) as any;
	const message = async () => String((await commit()).commit.message);
	const url = `${HTML_BASE}/${FULL_NAME}/commit/${sha}`;
	return {
		__typename: 'Commit', oid: sha, abbreviatedOid: sha.slice(0, 7), id: async () => (await commit()).node_id,
		message, messageHeadline: async () => (await message()).split('\n')[0],
		messageBody: async () => (await message()).split('\n').slice(1).join('\n').replace(/^\n+/, ''),
		authoredDate: async () => (await commit()).commit.author.date, committedDate: async () => (await commit()).commit.committer.date,
		url, commitUrl: url, resourcePath: pathOf(url), commitResourcePath: pathOf(url),
		repository: () => repositoryObj(g),
		statusCheckRollup: () => rollupObj(g, sha),
	};
}

const FAILED = new Set(['failure', 'timed_out', 'cancelled', 'action_required', 'startup_failure', 'stale']);

async function rollupObj(g: Gql, sha: string): Promise<Obj | null> {
	const [checks, combined] = await Promise.all([
		g.get(`${REPO}/commits/${sha}/check-runs?filter=latest&per_page=100`),
		g.get(`${REPO}/commits/${sha}/status`),
	]);
	const runs: any[] = checks.check_runs;
	const statuses: any[] = combined.statuses;
	if (runs.length + statuses.length === 0) return null;
	const failed = runs.some(r => FAILED.has(r.conclusion)) || statuses.some(s => s.state === 'failure' || s.state === 'error');
	const pending = runs.some(r => r.status !== 'completed') || statuses.some(s => s.state === 'pending');
	const contexts: Obj[] = [...runs.map(r => checkRunObj(g, r)), ...statuses.map(s => statusContextObj(s))];
	return {
		__typename: 'StatusCheckRollup', id: nodeId('SCR', sha), commit: () => commitObj(g, sha),
		state: failed ? 'FAILURE' : pending ? 'PENDING' : 'SUCCESS',
		contexts: (args: PageArgs) => connection(contexts, args, c => c),
	};
}

/** Whether a check is one of the required ones of the pull request's base branch. */
async function isRequired(g: Gql, name: string, args: {pullRequestId?: string | null; pullRequestNumber?: number | null}): Promise<boolean> {
	if (args.pullRequestId == null && args.pullRequestNumber == null) {
		throw new GitHubGraphQLError('UNPROCESSABLE', 'isRequired requires either a pullRequestId or a pullRequestNumber');
	}
	const pull = (await allPulls(g)).find(p => p.node_id === args.pullRequestId || p.number === args.pullRequestNumber);
	return Boolean(pull && pull.base.ref === 'main' && REQUIRED_CHECKS.includes(name));
}

function checkRunObj(g: Gql, run: any): Obj {
	return {
		__typename: 'CheckRun', id: run.node_id, databaseId: run.id, name: run.name, status: upper(run.status),
		conclusion: upper(run.conclusion), startedAt: run.started_at, completedAt: run.completed_at,
		detailsUrl: run.details_url, url: run.html_url, resourcePath: pathOf(run.html_url),
		isRequired: (args: {pullRequestId?: string; pullRequestNumber?: number}) => isRequired(g, run.name, args),
		checkSuite: async () => {
			const job = await g.get(`${REPO}/actions/jobs/${run.id}`);
			const wr = await g.get(`${REPO}/actions/runs/${job.run_id}`);
			return {
				__typename: 'CheckSuite', id: wr.check_suite_node_id, databaseId: wr.check_suite_id,
				status: upper(wr.status), conclusion: upper(wr.conclusion), workflowRun: workflowRunObj(g, wr),
			};
		},
	};
}

function workflowRunObj(g: Gql, run: any): Obj {
	return {
		__typename: 'WorkflowRun', id: run.node_id, databaseId: run.id, runNumber: run.run_number, event: run.event,
		createdAt: run.created_at, updatedAt: run.updated_at, url: run.html_url, resourcePath: pathOf(run.html_url),
		workflow: async () => {
			const w = await g.get(`${REPO}/actions/workflows/${run.workflow_id}`);
			const url = `${HTML_BASE}/${FULL_NAME}/actions/workflows/${String(w.path).split('/').pop()}`;
			return {__typename: 'Workflow', id: w.node_id, databaseId: w.id, name: w.name, url, resourcePath: pathOf(url)};
		},
	};
}

function statusContextObj(s: any): Obj {
	return {
		__typename: 'StatusContext', id: s.node_id, context: s.context, state: upper(s.state), targetUrl: s.target_url,
		description: s.description, createdAt: s.created_at, isRequired: () => false,
	};
}

export function pullState(p: any): string {
	return p.merged_at ? 'MERGED' : p.state === 'open' ? 'OPEN' : 'CLOSED';
}

export function queryRoot(g: Gql): Obj {
	const repositoryOr404 = (owner: string, name: string) => {
		// A private repository is invisible to a token without `repo`, as on GitHub.
		if (`${owner}/${name}`.toLowerCase() !== FULL_NAME.toLowerCase() || !g.ctx.user.scopes.includes('repo')) {
			throw notFoundError(`Could not resolve to a Repository with the name '${owner}/${name}'.`);
		}
		return repositoryObj(g);
	};
	return {
		id: QUERY_ID,
		viewer: () => accountObj(g, g.ctx.user.login),
		user: ({login}: {login: string}) => {
			const a = accountObj(g, login);
			if (a?.__typename !== 'User') throw notFoundError(`Could not resolve to a User with the login of '${login}'.`);
			return a;
		},
		repositoryOwner: ({login}: {login: string}) => accountObj(g, login),
		repository: ({owner, name}: {owner: string; name: string}) => repositoryOr404(owner, name),
		node: ({id}: {id: string}) => nodeById(g, id),
		nodes: ({ids}: {ids: string[]}) => ids.map(id => nodeById(g, id)),
	};
}

/** `node(id:)` for the objects gh looks up by id: pull requests, the repository, accounts. */
export async function nodeById(g: Gql, id: string): Promise<Obj> {
	const hit = (await allPulls(g)).find(p => p.node_id === id);
	if (hit) return pullObj(g, hit);
	if (g.ctx.user.scopes.includes('repo') && (await g.get(REPO)).node_id === id) return repositoryObj(g);
	for (const login of [OWNER, ...g.ctx.world.accounts.keys()]) {
		const a = accountObj(g, login);
		if (a?.id === id) return a;
	}
	throw notFoundError(`Could not resolve to a node with the global id of '${id}'`);
}
