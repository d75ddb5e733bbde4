// GitHub Actions: workflows, runs (with head_sha/event/created/branch/status filters), jobs and their
// logs, workflow dispatch with input validation, pending deployments and their review, environments.
import {createHmac} from 'node:crypto';
import {apiError, FULL_NAME, invalid, iso, nodeId, notFound, type RunStatus} from './model.js';
import type {Ctx, Route} from './http.js';
import {paginate} from './http.js';
import {repoRoute} from './routes-repo.js';
import {accountJson, environmentJson, jobJson, runJson, workflowJson} from './shapes.js';
import type {RunRecord, World} from './world.js';
import {WORKFLOWS, workflowById, type WorkflowSpec} from './workflows.js';

const STATUSES: RunStatus[] = ['queued', 'in_progress', 'completed', 'waiting', 'requested', 'pending'];
const DOC_PENDING = '/actions/workflow-runs#review-pending-deployments-for-a-workflow-run';
const DOC_DISPATCH = '/actions/workflows#create-a-workflow-dispatch-event';

/** GitHub's `created` qualifier: `>=T`, `>T`, `<=T`, `<T`, `A..B`, or a date (that whole day). */
export function createdFilter(expr: string | null): (ms: number) => boolean {
	if (!expr) return () => true;
	const range = /^(.+)\.\.(.+)$/.exec(expr);
	const at = (s: string) => Date.parse(s.trim());
	if (range) {
		const from = range[1] === '*' ? -Infinity : at(range[1]!);
		const to = range[2] === '*' ? Infinity : at(range[2]!);
		return ms => ms >= from && ms <= to;
	}
	const m = /^(>=|<=|>|<)?(.+)$/.exec(expr)!;
	const t = at(m[2]!);
	if (Number.isNaN(t)) return () => true;
	// Timestamps have second precision on GitHub: compare at that precision.
	const sec = (ms: number) => Math.floor(ms / 1000) * 1000;
	switch (m[1]) {
		case '>=': return ms => sec(ms) >= t;
		case '>': return ms => sec(ms) > t;
		case '<=': return ms => sec(ms) <= t;
		case '<': return ms => sec(ms) < t;
		default: return /^\d{4}-\d{2}-\d{2}$/.test(m[2]!) ? ms => ms >= t && ms < t + 86_400_000 : ms => sec(ms) === t;
	}
}

function runsJson(ctx: Ctx, runs: RunRecord[]) {
	const q = ctx.query;
	const created = createdFilter(q.get('created'));
	const status = q.get('status');
	const filtered = runs
		.filter(r => !q.get('head_sha') || r.headSha === q.get('head_sha'))
		.filter(r => !q.get('event') || r.event === q.get('event'))
		.filter(r => !q.get('branch') || r.headBranch === q.get('branch'))
		.filter(r => !q.get('actor') || r.actor === q.get('actor'))
		.filter(r => !status || (STATUSES.includes(status as RunStatus) ? r.status === status : r.conclusion === status))
		.filter(r => created(r.createdAt))
		.sort((a, b) => b.createdAt - a.createdAt || b.id - a.id);
	const page = paginate(filtered, ctx);
	return {json: {total_count: filtered.length, workflow_runs: page.items.map(r => runJson(ctx.api, ctx.world, r))}, headers: page.headers};
}

function workflowOr404(ctx: Ctx): WorkflowSpec {
	const w = workflowById(ctx.params[0]!);
	if (!w) throw notFound();
	return w;
}

function runOr404(ctx: Ctx): RunRecord {
	const run = ctx.world.run(Number(ctx.params[0]));
	if (!run) throw notFound();
	return run;
}

export function logSignature(world: World, jobId: number): string {
	return createHmac('sha256', world.logSecret).update(String(jobId)).digest('hex').slice(0, 32);
}

function dispatch(ctx: Ctx) {
	const w = workflowOr404(ctx);
	const {ref, inputs = {}} = ctx.body as {ref?: unknown; inputs?: unknown};
	if (typeof ref !== 'string' || !ref) throw invalid('"ref" wasn\'t supplied.', DOC_DISPATCH);
	if (typeof inputs !== 'object' || inputs === null || Array.isArray(inputs)) throw invalid(`For 'properties/inputs', ${JSON.stringify(inputs)} is not an object.`, DOC_DISPATCH);
	for (const [key, value] of Object.entries(inputs)) {
		if (typeof value !== 'string') throw invalid(`For 'properties/${key}', ${JSON.stringify(value)} is not a string.`, DOC_DISPATCH);
	}
	const branch = ref.replace(/^refs\/heads\//, '');
	const headSha = ctx.world.branches.get(branch) ?? ctx.world.tags.get(ref.replace(/^refs\/tags\//, ''));
	if (!headSha) throw apiError(422, `No ref found for: ${ref}`, DOC_DISPATCH);
	if (!w.inputs) throw apiError(422, "Workflow does not have 'workflow_dispatch' trigger", DOC_DISPATCH);
	const given = inputs as Record<string, string>;
	const unexpected = Object.keys(given).filter(k => !Object.hasOwn(w.inputs!, k));
	if (unexpected.length) throw apiError(422, `Unexpected inputs provided: ${JSON.stringify(unexpected)}`, DOC_DISPATCH);
	for (const [name, spec] of Object.entries(w.inputs)) {
		const value = given[name];
		if (value === undefined || value === '') {
			if (spec.required) throw apiError(422, `Required input '${name}' not provided`, DOC_DISPATCH);
			continue;
		}
		if (spec.options && !spec.options.includes(value)) throw apiError(422, `Provided value '${value}' for input '${name}' not in the list of allowed values`, DOC_DISPATCH);
		if (spec.pattern && !spec.pattern.test(value)) throw apiError(422, `Provided value '${value}' for input '${name}' is not a version tag like v1.1.0`, DOC_DISPATCH);
	}
	const actor = ctx.user.login;
	ctx.runner.later(1, () => {
		const run = ctx.world.newRun(w, {event: 'workflow_dispatch', headBranch: branch, headSha, actor, inputs: {...given}});
		ctx.runner.start(run, w, 0.5);
	});
	return {status: 204};
}

function pendingJson(ctx: Ctx, run: RunRecord) {
	return run.pending.map(p => {
		const env = ctx.world.environment(p.environmentId)!;
		return {
			environment: {id: env.id, node_id: nodeId('EN', env.id), name: env.name, url: `${ctx.api}/repos/${FULL_NAME}/environments/${env.name}`, html_url: `https://github.com/${FULL_NAME}/deployments/activity_log?environments_filter=${env.name}`},
			wait_timer: 0, wait_timer_started_at: iso(p.since),
			current_user_can_approve: env.reviewers.includes(ctx.user.login),
			reviewers: env.reviewers.map(login => ({type: 'User', reviewer: accountJson(ctx.api, ctx.world, login)})),
		};
	});
}

function reviewPending(ctx: Ctx) {
	const run = runOr404(ctx);
	const {environment_ids: ids, state, comment} = ctx.body as Record<string, unknown>;
	const missing = (['environment_ids', 'state', 'comment'] as const).filter(k => ctx.body[k] === undefined);
	if (missing.length === 1) throw invalid(`"${missing[0]}" wasn't supplied.`, DOC_PENDING);
	if (missing.length > 1) throw invalid(`${missing.map(m => `"${m}"`).join(', ')} weren't supplied.`, DOC_PENDING);
	if (!Array.isArray(ids)) throw invalid(`For 'properties/environment_ids', ${JSON.stringify(ids)} is not an array.`, DOC_PENDING);
	const bad = ids.find(id => !Number.isInteger(id));
	if (bad !== undefined) throw invalid(`For 'items', ${JSON.stringify(bad)} is not an integer.`, DOC_PENDING);
	if (state !== 'approved' && state !== 'rejected') throw invalid(`For 'properties/state', ${JSON.stringify(state)} is not one of ["approved", "rejected"].`, DOC_PENDING);
	if (typeof comment !== 'string') throw invalid(`For 'properties/comment', ${JSON.stringify(comment)} is not a string.`, DOC_PENDING);
	const targets = (ids as number[]).map(id => run.pending.find(p => p.environmentId === id));
	if (ids.length === 0 || targets.some(t => !t)) throw apiError(422, 'No pending deployment requests to approve or reject', DOC_PENDING);
	for (const t of targets) {
		const env = ctx.world.environment(t!.environmentId)!;
		if (!env.reviewers.includes(ctx.user.login)) {
			throw apiError(422, `${ctx.user.login} is not a required reviewer for the ${env.name} environment and cannot approve or reject its deployments`, DOC_PENDING);
		}
	}
	const now = Date.now();
	run.reviews.push({user: ctx.user.login, state, comment, environmentIds: ids as number[], at: now});
	const out = targets.map(t => {
		const env = ctx.world.environment(t!.environmentId)!;
		const id = 1_600_000_000 + (t!.jobId % 100_000_000);
		return {
			url: `${ctx.api}/repos/${FULL_NAME}/deployments/${id}`, id, node_id: nodeId('DE', id), sha: run.headSha, ref: run.headBranch,
			task: 'deploy', payload: {}, original_environment: env.name, environment: env.name, description: null,
			creator: accountJson(ctx.api, ctx.world, ctx.user.login), created_at: iso(now), updated_at: iso(now),
			statuses_url: `${ctx.api}/repos/${FULL_NAME}/deployments/${id}/statuses`, repository_url: `${ctx.api}/repos/${FULL_NAME}`,
		};
	});
	for (const t of targets) t!.decide(state, ctx.user.login, comment);
	return {json: out};
}

export const actionRoutes: Route[] = [
	repoRoute('GET', '/actions/workflows', ctx => ({json: {total_count: WORKFLOWS.length, workflows: WORKFLOWS.map(w => workflowJson(ctx.api, w))}})),
	repoRoute('GET', '/actions/workflows/([^/]+)', ctx => ({json: workflowJson(ctx.api, workflowOr404(ctx))})),
	repoRoute('GET', '/actions/workflows/([^/]+)/runs', ctx => {
		const w = workflowOr404(ctx);
		return runsJson(ctx, ctx.world.runs.filter(r => r.workflowId === w.id));
	}),
	repoRoute('POST', '/actions/workflows/([^/]+)/dispatches', dispatch),
	repoRoute('GET', '/actions/runs', ctx => runsJson(ctx, ctx.world.runs)),
	repoRoute('GET', '/actions/runs/(\\d+)', ctx => ({json: runJson(ctx.api, ctx.world, runOr404(ctx))})),
	repoRoute('GET', '/actions/runs/(\\d+)/jobs', ctx => {
		const run = runOr404(ctx);
		const page = paginate(run.jobs, ctx);
		return {json: {total_count: run.jobs.length, jobs: page.items.map(j => jobJson(ctx.api, run, j))}, headers: page.headers};
	}),
	repoRoute('GET', '/actions/jobs/(\\d+)', ctx => {
		const hit = ctx.world.job(Number(ctx.params[0]));
		if (!hit) throw notFound();
		return {json: jobJson(ctx.api, hit.run, hit.job)};
	}),
	repoRoute('GET', '/actions/jobs/(\\d+)/logs', ctx => {
		const id = Number(ctx.params[0]);
		if (!ctx.world.job(id)) throw notFound();
		// GitHub answers with a redirect to short-lived blob storage.
		return {status: 302, headers: {location: `${ctx.api}/sandbox/logs/jobs/${id}?sig=${logSignature(ctx.world, id)}`}};
	}),
	repoRoute('GET', '/actions/runs/(\\d+)/pending_deployments', ctx => ({json: pendingJson(ctx, runOr404(ctx))})),
	repoRoute('POST', '/actions/runs/(\\d+)/pending_deployments', reviewPending),
	repoRoute('GET', '/actions/runs/(\\d+)/approvals', ctx => {
		const run = runOr404(ctx);
		return {json: run.reviews.map(r => ({
			state: r.state, comment: r.comment, user: accountJson(ctx.api, ctx.world, r.user),
			environments: r.environmentIds.map(id => environmentJson(ctx.api, ctx.world, ctx.world.environment(id)!)),
		}))};
	}),
	repoRoute('GET', '/environments', ctx => ({json: {total_count: ctx.world.environments.length, environments: ctx.world.environments.map(e => environmentJson(ctx.api, ctx.world, e))}})),
	repoRoute('GET', '/environments/([^/]+)', ctx => {
		const env = ctx.world.environment(ctx.params[0]!);
		if (!env) throw notFound();
		return {json: environmentJson(ctx.api, ctx.world, env)};
	}),
];

/** The log "blob storage" the logs endpoint redirects to: no token, a signature instead. */
export const logRoutes: Route[] = [
	['GET', /^\/sandbox\/logs\/jobs\/(\d+)$/, ctx => {
		const id = Number(ctx.params[0]);
		const hit = ctx.world.job(id);
		if (!hit || ctx.query.get('sig') !== logSignature(ctx.world, id)) throw apiError(403, 'Server failed to authenticate the request.');
		return {text: hit.job.log.map(l => `${l}\n`).join('')};
	}],
];
