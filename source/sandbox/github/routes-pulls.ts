// Pull requests: create/list/get, reviews (an author cannot approve their own), and merges gated by
// main's branch protection (one approving review, green required checks). A merge to main starts
// the CI/CD run for the merge commit — and, a moment later, dependabot's run on develop, so "the
// newest run" is not the release's.
import {apiError, FULL_NAME, type Pull, validationFailed} from './model.js';
import type {Ctx, Route} from './http.js';
import {paginate} from './http.js';
import {checkRunsFor, repoRoute} from './routes-repo.js';
import {pullJson, reviewJson} from './shapes.js';
import {BOT, type World} from './world.js';
import {CI_CD} from './workflows.js';

export const REQUIRED_CHECKS = ['Quality Gates', 'Security Scanning', 'Unit Tests'];
const DOC_MERGE = '/pulls/pulls#merge-a-pull-request';
const DOC_REVIEW = '/pulls/reviews#create-a-review-for-a-pull-request';

/** Why main's protection refuses the merge, or undefined when it may go in. */
export function mergeBlocker(world: World, p: Pull): string | undefined {
	if (p.state !== 'open') return 'Pull Request is not mergeable';
	if (p.base !== 'main') return undefined;
	const latest = new Map<string, string>();
	for (const r of p.reviews) if (r.state !== 'COMMENTED') latest.set(r.user, r.state);
	const approved = [...latest].some(([user, state]) => user !== p.author && state === 'APPROVED');
	if (!approved) return 'At least 1 approving review is required by reviewers with write access.';
	const checks = checkRunsFor(world, p.headSha);
	for (const name of REQUIRED_CHECKS) {
		const job = checks.filter(c => c.job.name === name).at(-1)?.job;
		if (!job) return `Required status check "${name}" is expected.`;
		if (job.status !== 'completed') return `Required status check "${name}" is in progress.`;
		if (job.conclusion !== 'success' && job.conclusion !== 'skipped') return `Required status check "${name}" is failing.`;
	}
	return undefined;
}

function pullOr404(ctx: Ctx): Pull {
	const p = ctx.world.pull(Number(ctx.params[0]));
	if (!p) throw apiError(404, 'Not Found', '/pulls/pulls#get-a-pull-request');
	return p;
}

const json = (ctx: Ctx, p: Pull) => pullJson(ctx.api, ctx.world, p, {clean: !mergeBlocker(ctx.world, p)});

function createPull(ctx: Ctx) {
	const {title, head: rawHead, base, body} = ctx.body as Record<string, unknown>;
	const missing = (['title', 'head', 'base'] as const).filter(f => typeof ctx.body[f] !== 'string' || ctx.body[f] === '');
	if (missing.length) throw validationFailed(missing.map(field => ({resource: 'PullRequest', code: 'missing_field', field})), '/pulls/pulls#create-a-pull-request');
	const head = String(rawHead).replace(/^[^:]+:/, '');
	const headSha = ctx.world.branches.get(head);
	const baseSha = ctx.world.branches.get(String(base));
	if (!headSha) throw validationFailed([{resource: 'PullRequest', field: 'head', code: 'invalid'}], '/pulls/pulls#create-a-pull-request');
	if (!baseSha) throw validationFailed([{resource: 'PullRequest', field: 'base', code: 'invalid'}], '/pulls/pulls#create-a-pull-request');
	if (ctx.world.pulls.some(p => p.state === 'open' && p.head === head && p.base === base)) {
		throw validationFailed([{resource: 'PullRequest', code: 'custom', message: `A pull request already exists for ${FULL_NAME.split('/')[0]}:${head}.`}], '/pulls/pulls#create-a-pull-request');
	}
	if (headSha === baseSha) throw validationFailed([{resource: 'PullRequest', code: 'custom', message: `No commits between ${base} and ${head}`}], '/pulls/pulls#create-a-pull-request');
	const p = ctx.world.newPull({title: String(title), body: typeof body === 'string' ? body : '', head, headSha, base: String(base), baseSha, author: ctx.user.login});
	return {status: 201, json: json(ctx, p), headers: {location: `${ctx.api}/repos/${FULL_NAME}/pulls/${p.number}`}};
}

function createReview(ctx: Ctx) {
	const p = pullOr404(ctx);
	const event = ctx.body.event;
	const body = typeof ctx.body.body === 'string' ? ctx.body.body : '';
	if (!['APPROVE', 'REQUEST_CHANGES', 'COMMENT'].includes(event)) {
		throw apiError(422, 'Unprocessable Entity', DOC_REVIEW, {errors: ['Review event must be one of APPROVE, REQUEST_CHANGES or COMMENT']});
	}
	if (p.state !== 'open') throw apiError(422, 'Unprocessable Entity', DOC_REVIEW, {errors: [`Can not ${event === 'APPROVE' ? 'approve' : 'review'} a ${p.merged ? 'merged' : 'closed'} pull request`]});
	if (p.author === ctx.user.login && event === 'APPROVE') throw apiError(422, 'Unprocessable Entity', DOC_REVIEW, {errors: ['Can not approve your own pull request']});
	if (p.author === ctx.user.login && event === 'REQUEST_CHANGES') throw apiError(422, 'Unprocessable Entity', DOC_REVIEW, {errors: ['Can not request changes on your own pull request']});
	if (event !== 'APPROVE' && !body) throw apiError(422, 'Unprocessable Entity', DOC_REVIEW, {errors: ['Body is required when the event is REQUEST_CHANGES or COMMENT']});
	const state = event === 'APPROVE' ? 'APPROVED' : event === 'REQUEST_CHANGES' ? 'CHANGES_REQUESTED' : 'COMMENTED';
	const review = {id: ctx.world.reviewId(), user: ctx.user.login, state, body, submittedAt: Date.now(), commitId: p.headSha} as const;
	p.reviews.push(review);
	p.updatedAt = Date.now();
	return {json: reviewJson(ctx.api, ctx.world, p, review)};
}

function merge(ctx: Ctx) {
	const p = pullOr404(ctx);
	const method = ctx.body.merge_method ?? 'merge';
	if (!['merge', 'squash', 'rebase'].includes(method)) throw validationFailed([{resource: 'PullRequest', field: 'merge_method', code: 'invalid'}], DOC_MERGE);
	if (method === 'rebase') throw apiError(405, 'Rebase merges are not allowed on this repository.', DOC_MERGE);
	if (typeof ctx.body.sha === 'string' && ctx.body.sha !== p.headSha && p.state === 'open') {
		throw apiError(409, 'Head branch was modified. Review and try the merge again.', DOC_MERGE);
	}
	const blocker = mergeBlocker(ctx.world, p);
	if (blocker) throw apiError(405, blocker, DOC_MERGE);
	const world = ctx.world;
	const baseHead = world.branches.get(p.base)!;
	const title = typeof ctx.body.commit_title === 'string' ? ctx.body.commit_title : `${p.title} (#${p.number})`;
	const headMessage = world.commits.get(p.headSha)?.message.split('\n')[0] ?? '';
	const message = typeof ctx.body.commit_message === 'string' ? ctx.body.commit_message : `* ${headMessage}`;
	const parents = method === 'squash' ? [baseHead] : [baseHead, p.headSha];
	const commitSha = world.commit(method === 'squash' ? `${title}\n\n${message}` : `Merge pull request #${p.number} from ${FULL_NAME.split('/')[0]}/${p.head}\n\n${p.title}`, parents, ctx.user.login, Date.now());
	world.branches.set(p.base, commitSha);
	const now = Date.now();
	Object.assign(p, {state: 'closed', merged: true, mergedAt: now, closedAt: now, updatedAt: now, mergeCommitSha: commitSha, mergedBy: ctx.user.login});
	if (p.base === 'main' || p.base === 'develop') {
		const version = /^release\/(v\d+\.\d+\.\d+)$/.exec(p.head)?.[1];
		const actor = ctx.user.login;
		const base = p.base;
		ctx.runner.later(1.5, () => {
			const run = world.newRun(CI_CD, {event: 'push', headBranch: base, headSha: commitSha, actor, version});
			ctx.runner.start(run, CI_CD, 0.5);
		});
		if (base === 'main') {
			// Someone else's push lands right after: `gh run list --limit 1` would pick it.
			ctx.runner.later(2.5, () => {
				const devHead = world.branches.get('develop')!;
				const bump = world.commit(`chore(deps): bump fastapi from 0.115.5 to 0.115.6 (#${p.number + 1})`, [devHead], BOT, Date.now());
				world.branches.set('develop', bump);
				const run = world.newRun(CI_CD, {event: 'push', headBranch: 'develop', headSha: bump, actor: BOT});
				ctx.runner.start(run, CI_CD, 0.5);
			});
		}
	}
	return {json: {sha: commitSha, merged: true, message: 'Pull Request successfully merged'}};
}

export const pullRoutes: Route[] = [
	repoRoute('POST', '/pulls', createPull),
	repoRoute('GET', '/pulls', ctx => {
		const state = ctx.query.get('state') ?? 'open';
		const head = ctx.query.get('head')?.replace(/^[^:]+:/, '');
		const base = ctx.query.get('base');
		const all = ctx.world.pulls
			.filter(p => state === 'all' || p.state === state)
			.filter(p => !head || p.head === head)
			.filter(p => !base || p.base === base)
			.sort((a, b) => (ctx.query.get('direction') === 'asc' ? a.number - b.number : b.number - a.number));
		const page = paginate(all, ctx);
		return {json: page.items.map(p => json(ctx, p)), headers: page.headers};
	}),
	repoRoute('GET', '/pulls/(\\d+)', ctx => ({json: json(ctx, pullOr404(ctx))})),
	repoRoute('GET', '/pulls/(\\d+)/reviews', ctx => {
		const p = pullOr404(ctx);
		const page = paginate(p.reviews, ctx);
		return {json: page.items.map(r => reviewJson(ctx.api, ctx.world, p, r)), headers: page.headers};
	}),
	repoRoute('POST', '/pulls/(\\d+)/reviews', createReview),
	repoRoute('GET', '/pulls/(\\d+)/merge', ctx => {
		if (!pullOr404(ctx).merged) throw apiError(404, 'Not Found', '/pulls/pulls#check-if-a-pull-request-has-been-merged');
		return {status: 204};
	}),
	repoRoute('PUT', '/pulls/(\\d+)/merge', merge),
];
