// The account and repository endpoints: /user, /rate_limit, the repository, branches, git refs,
// tags, commits (read from the repository itself), and a commit's check runs and combined status.
import {apiError, FULL_NAME, iso, notFound, REPO_HTML} from './model.js';
import type {Ctx, Handler, Route} from './http.js';
import {paginate} from './http.js';
import {accountJson, checkRunJson, commitJson, refJson, repoJson} from './shapes.js';
import {deleteRef} from './pulls.js';
import type {GitCommit} from './repository.js';
import type {World} from './world.js';

/** A route under /repos/{owner}/{repo}: other repositories, and tokens without `repo`, see a 404. */
export function repoRoute(method: string, rest: string, handler: Handler): Route {
	return [method, new RegExp(`^/repos/([^/]+)/([^/]+)${rest}$`), ctx => {
		const [owner, repo, ...params] = ctx.params;
		if (`${owner}/${repo}`.toLowerCase() !== FULL_NAME.toLowerCase()) throw notFound();
		if (!ctx.user.scopes.includes('repo')) throw notFound();
		return handler({...ctx, params});
	}];
}

export function checkRunsFor(world: World, sha: string) {
	return world.runs.filter(r => r.headSha === sha).flatMap(run => run.jobs.map(job => ({run, job})));
}

/** Commit statuses: the coverage gate reports one on every commit CI has finished. */
function statusesFor(ctx: Ctx, sha: string) {
	const done = ctx.world.runs.find(r => r.headSha === sha && r.jobs[0]?.status === 'completed');
	if (!done) return [];
	const at = iso(done.jobs[0]!.completedAt ?? done.createdAt);
	return [{
		url: `${ctx.api}/repos/${FULL_NAME}/statuses/${sha}`, id: done.id + 3_000_000_000, node_id: `SC_${done.id}`,
		state: 'success', description: 'coverage 87.31% (target 85%)', target_url: `${REPO_HTML}/actions/runs/${done.id}`,
		context: 'ci/coverage', created_at: at, updated_at: at, creator: accountJson(ctx.api, ctx.world, 'devops-engineer'),
	}];
}

function branchJson(ctx: Ctx, name: string, commit: GitCommit) {
	return {
		name, commit: commitJson(ctx.api, ctx.world, ctx.world.commitOf(commit)),
		_links: {self: `${ctx.api}/repos/${FULL_NAME}/branches/${encodeURIComponent(name)}`, html: `${REPO_HTML}/tree/${name}`},
		protected: name === 'main', protection_url: `${ctx.api}/repos/${FULL_NAME}/branches/${encodeURIComponent(name)}/protection`,
	};
}

/** `heads/x` or `tags/x` as the repository has it now (git for-each-ref). */
async function refLookup(ctx: Ctx, ref: string): Promise<{ref: string; sha: string} | undefined> {
	if (!/^(heads|tags)\/./.test(ref)) return undefined;
	const sha = (await ctx.world.repository.refs()).get(`refs/${ref}`);
	return sha ? {ref: `refs/${ref}`, sha} : undefined;
}

/** The refs under `refs/<kind>/` (git for-each-ref), by name. */
async function refsOf(ctx: Ctx, kind: 'heads' | 'tags'): Promise<Array<[string, string]>> {
	const prefix = `refs/${kind}/`;
	return [...await ctx.world.repository.refs()].filter(([ref]) => ref.startsWith(prefix)).map(([ref, sha]) => [ref.slice(prefix.length), sha]);
}

/** A commit by sha, branch or tag, read from the repository (git log -1). */
async function commitOr422(ctx: Ctx, ref: string, doc: string) {
	const commit = await ctx.world.repository.commit(ref);
	if (!commit) throw apiError(422, `No commit found for SHA: ${ref}`, doc);
	return commit;
}

export const repoRoutes: Route[] = [
	['GET', /^\/user$/, ctx => ({json: {...accountJson(ctx.api, ctx.world, ctx.user.login), name: ctx.user.name, company: '@legion14041981-ui', email: null, created_at: '2021-06-01T10:00:00Z'}})],
	['GET', /^\/rate_limit$/, ctx => {
		const core = {limit: ctx.user.rate.limit, remaining: ctx.user.rate.remaining, reset: ctx.user.rate.reset, used: ctx.user.rate.used, resource: 'core'};
		const reset = Math.floor(Date.now() / 1000) + 60;
		return {json: {resources: {core, search: {limit: 30, remaining: 30, reset, used: 0, resource: 'search'}, graphql: {limit: 5000, remaining: 5000, reset: core.reset, used: 0, resource: 'graphql'}}, rate: core}};
	}],
	['GET', /^\/users\/([^/]+)$/, ctx => {
		if (!ctx.world.accounts.has(ctx.params[0]!)) throw notFound();
		return {json: accountJson(ctx.api, ctx.world, ctx.params[0]!)};
	}],
	repoRoute('GET', '', ctx => ({json: repoJson(ctx.api)})),
	repoRoute('GET', '/branches', async ctx => {
		const all = (await refsOf(ctx, 'heads')).sort(([a], [b]) => a.localeCompare(b)).map(([name, sha]) => ({
			name, commit: {sha, url: `${ctx.api}/repos/${FULL_NAME}/commits/${sha}`}, protected: name === 'main',
		}));
		const page = paginate(all, ctx);
		return {json: page.items, headers: page.headers};
	}),
	repoRoute('GET', '/branches/(.+)', async ctx => {
		const commit = await ctx.world.repository.commit(`refs/heads/${ctx.params[0]!}`);
		if (!commit) throw apiError(404, 'Branch not found', '/branches/branches#get-a-branch');
		return {json: branchJson(ctx, ctx.params[0]!, commit)};
	}),
	repoRoute('GET', '/tags', async ctx => {
		const all = (await refsOf(ctx, 'tags')).sort(([a], [b]) => b.localeCompare(a, 'en', {numeric: true})).map(([name, sha]) => ({
			name, commit: {sha, url: `${ctx.api}/repos/${FULL_NAME}/commits/${sha}`},
			zipball_url: `${ctx.api}/repos/${FULL_NAME}/zipball/refs/tags/${name}`, tarball_url: `${ctx.api}/repos/${FULL_NAME}/tarball/refs/tags/${name}`,
		}));
		const page = paginate(all, ctx);
		return {json: page.items, headers: page.headers};
	}),
	repoRoute('GET', '/git/(?:ref|refs)/(.+)', async ctx => {
		const hit = await refLookup(ctx, ctx.params[0]!);
		if (!hit) throw apiError(404, 'Not Found', '/git/refs#get-a-reference');
		return {json: refJson(ctx.api, hit.ref, hit.sha)};
	}),
	repoRoute('DELETE', '/git/refs/(.+)', async ctx => {
		await deleteRef(ctx.world, ctx.params[0]!);
		return {status: 204};
	}),
	repoRoute('GET', '/commits/(.+)/check-runs', ctx => {
		const sha = ctx.world.resolve(ctx.params[0]!);
		if (!sha) throw apiError(422, `No commit found for SHA: ${ctx.params[0]}`, '/checks/runs#list-check-runs-for-a-git-reference');
		let runs = checkRunsFor(ctx.world, sha);
		const name = ctx.query.get('check_name');
		if (name) runs = runs.filter(r => r.job.name === name);
		const status = ctx.query.get('status');
		if (status) runs = runs.filter(r => r.job.status === status);
		if ((ctx.query.get('filter') ?? 'latest') === 'latest') {
			// The newest run's job per check name.
			const seen = new Set<string>();
			runs = [...runs].reverse().filter(r => !seen.has(r.job.name) && seen.add(r.job.name)).reverse();
		}
		const page = paginate(runs, ctx);
		return {json: {total_count: runs.length, check_runs: page.items.map(r => checkRunJson(ctx.api, r.run, r.job))}, headers: page.headers};
	}),
	repoRoute('GET', '/commits/(.+)/status', ctx => {
		const sha = ctx.world.resolve(ctx.params[0]!);
		if (!sha) throw apiError(422, `No commit found for SHA: ${ctx.params[0]}`, '/commits/statuses#get-the-combined-status-for-a-specific-reference');
		const statuses = statusesFor(ctx, sha);
		return {json: {
			state: statuses.length ? 'success' : 'pending', statuses, sha, total_count: statuses.length,
			repository: repoJson(ctx.api, false), commit_url: `${ctx.api}/repos/${FULL_NAME}/commits/${sha}`,
			url: `${ctx.api}/repos/${FULL_NAME}/commits/${sha}/status`,
		}};
	}),
	repoRoute('GET', '/commits/(.+)', async ctx => {
		const commit = await commitOr422(ctx, ctx.params[0]!, '/commits/commits#get-a-commit');
		return {json: commitJson(ctx.api, ctx.world, ctx.world.commitOf(commit))};
	}),
];
