// Pull requests: create/list/get, reviews and merges, as pulls.ts does them (the GraphQL resolvers call the same).
import {apiError, FULL_NAME, type Pull, validationFailed} from './model.js';
import type {Ctx, Route} from './http.js';
import {paginate} from './http.js';
import {mergeBlocker, mergePull, openPull, reviewPull} from './pulls.js';
import {repoRoute} from './routes-repo.js';
import {pullJson, reviewJson} from './shapes.js';

export {mergeBlocker, REQUIRED_CHECKS} from './pulls.js';

function pullOr404(ctx: Ctx): Pull {
	const p = ctx.world.pull(Number(ctx.params[0]));
	if (!p) throw apiError(404, 'Not Found', '/pulls/pulls#get-a-pull-request');
	return p;
}

const json = (ctx: Ctx, p: Pull) => pullJson(ctx.api, ctx.world, p, {clean: !mergeBlocker(ctx.world, p)});
const text = (v: unknown) => (typeof v === 'string' ? v : undefined);

async function createPull(ctx: Ctx) {
	const missing = (['title', 'head', 'base'] as const).filter(f => typeof ctx.body[f] !== 'string' || ctx.body[f] === '');
	if (missing.length) {
		throw validationFailed(missing.map(field => ({resource: 'PullRequest', code: 'missing_field', field})), '/pulls/pulls#create-a-pull-request');
	}
	const p = await openPull(ctx.world, {title: ctx.body.title, head: ctx.body.head, base: ctx.body.base, body: text(ctx.body.body), author: ctx.user.login});
	return {status: 201, json: json(ctx, p), headers: {location: `${ctx.api}/repos/${FULL_NAME}/pulls/${p.number}`}};
}

function createReview(ctx: Ctx) {
	const p = pullOr404(ctx);
	const review = reviewPull(ctx.world, p, {event: ctx.body.event, body: text(ctx.body.body), login: ctx.user.login});
	return {json: reviewJson(ctx.api, ctx.world, p, review)};
}

async function merge(ctx: Ctx) {
	const p = pullOr404(ctx);
	const {sha} = await mergePull(ctx, p, {
		method: ctx.body.merge_method, commitTitle: text(ctx.body.commit_title), commitMessage: text(ctx.body.commit_message),
		sha: text(ctx.body.sha), login: ctx.user.login,
	});
	return {json: {sha, merged: true, message: 'Pull Request successfully merged'}};
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
