// The request pipeline every answer goes through: token auth (401s), faults, the primary rate
// limit with its x-ratelimit-* headers, routing, and ETags (a matching If-None-Match is a 304 that
// costs no rate limit), with GitHub's header set.
import {createHash, randomBytes} from 'node:crypto';
import type {IncomingMessage, ServerResponse} from 'node:http';
import type {GitHubFaults} from './faults.js';
import {apiError, HttpError, type User} from './model.js';
import type {Runner} from './runner.js';
import type {World} from './world.js';

export interface Ctx {
	method: string;
	path: string;
	query: URLSearchParams;
	body: any;
	user: User;
	/** The REST base URL as the client reached it (api.github.com's role). */
	api: string;
	world: World;
	runner: Runner;
	params: string[];
}

export interface Reply {
	status?: number;
	json?: unknown;
	text?: string;
	/** Bytes (a zip), for the token-free download routes. */
	binary?: Buffer;
	headers?: Record<string, string>;
}

export type Handler = (ctx: Ctx) => Reply | Promise<Reply>;
export type Route = [method: string, pattern: RegExp, handler: Handler];

export interface RequestRecord {
	method: string;
	path: string;
	status: number;
	login?: string;
}

export interface PipelineOptions {
	world: World;
	runner: Runner;
	faults: GitHubFaults;
	routes: Route[];
	/** Routes served without a token (signed log downloads). */
	publicRoutes: Route[];
	log: RequestRecord[];
}

const MAX_LOG = 5000;
const DOC_RATE = 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api';

function requestId(): string {
	return randomBytes(8).toString('hex').toUpperCase().replace(/(.{4})(.{4})(.{4})(.{4})/, '$1:$2:$3:$4');
}

async function readJson(req: IncomingMessage): Promise<unknown> {
	const chunks: Buffer[] = [];
	let size = 0;
	for await (const chunk of req) {
		size += (chunk as Buffer).length;
		if (size > 1_000_000) throw apiError(413, 'Payload too large');
		chunks.push(chunk as Buffer);
	}
	const text = Buffer.concat(chunks).toString('utf8');
	if (text.trim() === '') return {};
	try {
		return JSON.parse(text);
	} catch {
		throw apiError(400, 'Problems parsing JSON');
	}
}

function tokenOf(req: IncomingMessage): string | undefined {
	const m = /^(?:token|bearer)\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
	return m?.[1];
}

function rateHeaders(user: User | undefined): Record<string, string> {
	if (!user) return {'x-ratelimit-limit': '60', 'x-ratelimit-remaining': '59', 'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 3600), 'x-ratelimit-used': '1', 'x-ratelimit-resource': 'core'};
	return {
		'x-ratelimit-limit': String(user.rate.limit),
		'x-ratelimit-remaining': String(user.rate.remaining),
		'x-ratelimit-reset': String(user.rate.reset),
		'x-ratelimit-used': String(user.rate.used),
		'x-ratelimit-resource': 'core',
	};
}

function etagMatches(header: string | undefined, etag: string): boolean {
	if (!header) return false;
	const bare = (t: string) => t.trim().replace(/^W\//, '');
	return header.split(',').some(t => t.trim() === '*' || bare(t) === bare(etag));
}

export function match(routes: Route[], method: string, path: string): {handler: Handler; params: string[]} | 'method' | undefined {
	let pathMatched = false;
	for (const [m, pattern, handler] of routes) {
		const hit = pattern.exec(path);
		if (!hit) continue;
		pathMatched = true;
		if (m === method) return {handler, params: hit.slice(1).map(p => decodeURIComponent(p ?? ''))};
	}
	return pathMatched ? 'method' : undefined;
}

type Send = (status: number, body: string | Buffer | undefined, extra?: Record<string, string>) => void;

/** Where a request went: its method, its path below the REST root (`/api/v3` on Enterprise), and that root's URL. */
function requestLine(req: IncomingMessage): {method: string; path: string; query: URLSearchParams; api: string} {
	const method = (req.method ?? 'GET').toUpperCase();
	const host = req.headers.host ?? '127.0.0.1';
	const scheme = (req.socket as {encrypted?: boolean}).encrypted ? 'https' : 'http';
	const raw = new URL(req.url ?? '/', `${scheme}://${host}`);
	const enterprise = raw.pathname.startsWith('/api/v3');
	const path = (enterprise ? raw.pathname.slice('/api/v3'.length) : raw.pathname).replace(/\/+$/, '') || '/';
	return {method, path, query: raw.searchParams, api: `${scheme}://${host}${enterprise ? '/api/v3' : ''}`};
}

export function createPipeline(options: PipelineOptions) {
	const {world, log} = options;
	const record = (entry: RequestRecord) => {
		log.push(entry);
		if (log.length > MAX_LOG) log.splice(0, log.length - MAX_LOG);
	};

	return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
		const {method, path, query, api} = requestLine(req);
		let user: User | undefined;
		const headers: Record<string, string> = {
			...(path.startsWith('/repos/') ? {'x-accepted-oauth-scopes': 'repo'} : {}),
			'x-github-request-id': requestId(),
			'x-github-api-version-selected': '2022-11-28',
			'x-github-media-type': 'github.v3; format=json',
			'x-content-type-options': 'nosniff',
		};
		const send: Send = (status, body, extra = {}) => {
			const out = {...headers, ...rateHeaders(user), ...extra};
			if (user) out['x-oauth-scopes'] = user.scopes.join(', ');
			if (body !== undefined) out['content-length'] = String(Buffer.byteLength(body));
			res.writeHead(status, out);
			res.end(body);
			record({method, path, status, login: user?.login});
		};
		const sendError = (error: HttpError) => send(error.status, JSON.stringify(error.body), {'content-type': 'application/json; charset=utf-8', ...error.headers});

		try {
			const pub = match(options.publicRoutes, method, path);
			if (pub && pub !== 'method') {
				const reply = await pub.handler({method, path, query, body: {}, user: undefined as never, api, world, runner: options.runner, params: pub.params});
				const type = reply.text !== undefined ? 'text/plain; charset=utf-8' : 'application/json; charset=utf-8';
				return send(reply.status ?? 200, reply.binary ?? reply.text ?? JSON.stringify(reply.json), {'content-type': type, ...reply.headers});
			}
			user = authenticate(req, world);
			return await serveAuthenticated(req, {method, path, query, api}, user, options, headers['x-github-request-id']!, send);
		} catch (error) {
			if (error instanceof HttpError) return sendError(error);
			return sendError(apiError(500, `sandbox internal error: ${error instanceof Error ? error.message : String(error)}`));
		}
	};
}

/** The token's user (401 without one), its rate-limit window renewed once the hour is up. */
function authenticate(req: IncomingMessage, world: World): User {
	const token = tokenOf(req);
	if (!token) throw apiError(401, 'Requires authentication', '/overview/authenticating-to-the-rest-api');
	const user = world.tokens.get(token);
	if (!user) throw apiError(401, 'Bad credentials', '');
	if (Date.now() / 1000 >= user.rate.reset) user.rate = {...user.rate, remaining: user.rate.limit, used: 0, reset: Math.floor(Date.now() / 1000) + 3600};
	return user;
}

/** An authenticated request: the faults endpoint, injected faults, the primary rate limit, then its route, with ETags. */
async function serveAuthenticated(
	req: IncomingMessage,
	{method, path, query, api}: ReturnType<typeof requestLine>,
	user: User,
	options: PipelineOptions,
	requestIdText: string,
	send: Send,
): Promise<void> {
	if (path === '/sandbox/faults' && method === 'POST') {
		try {
			options.faults.apply((await readJson(req)) as never);
		} catch (error) {
			if (error instanceof HttpError) throw error;
			throw apiError(422, error instanceof Error ? error.message : String(error));
		}
		return send(204, undefined);
	}
	const free = path === '/rate_limit';
	refuseIfFaultedOrLimited(options.faults, {method, path, user, free, requestIdText});
	const charge = () => {
		if (free) return;
		user.rate.remaining = Math.max(0, user.rate.remaining - 1);
		user.rate.used++;
	};

	const found = match(options.routes, method, path);
	if (!found || found === 'method') {
		charge();
		throw apiError(404, 'Not Found');
	}
	const body = method === 'GET' || method === 'HEAD' ? {} : await readJson(req);
	let reply: Reply;
	try {
		reply = await found.handler({method, path, query, body, user, api, world: options.world, runner: options.runner, params: found.params});
	} catch (error) {
		charge();
		throw error;
	}
	const status = reply.status ?? 200;
	const text = reply.text ?? (reply.json === undefined ? undefined : JSON.stringify(reply.json));
	const type = reply.text !== undefined ? 'text/plain; charset=utf-8' : 'application/json; charset=utf-8';
	const extra: Record<string, string> = {...(text !== undefined ? {'content-type': type} : {}), ...reply.headers};
	if (method === 'GET' && status === 200 && text !== undefined) {
		// GitHub varies on Authorization: the same body for another user is another entity.
		const etag = `W/"${createHash('sha256').update(user.login).update('\0').update(text).digest('hex')}"`;
		Object.assign(extra, {etag, 'cache-control': 'private, max-age=60, s-maxage=60', vary: 'Accept, Authorization, Cookie, X-GitHub-OTP'});
		if (etagMatches(req.headers['if-none-match'], etag)) return send(304, undefined, {etag, 'cache-control': extra['cache-control']!, vary: extra.vary!});
	}
	charge();
	return send(status, text, extra);
}

/** A fault injected for this request (a secondary rate limit, a 5xx), or the primary rate limit spent: thrown as GitHub answers it. */
function refuseIfFaultedOrLimited(faults: GitHubFaults, {method, path, user, free, requestIdText}: {method: string; path: string; user: User; free: boolean; requestIdText: string}): void {
	const fault = faults.take(method, path);
	if (fault?.kind === 'secondary-rate-limit') {
		throw new HttpError(403, {
			message: `You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID ${requestIdText}.`,
			documentation_url: `${DOC_RATE}#about-secondary-rate-limits`,
			status: '403',
		}, {'retry-after': String(fault.retryAfter)});
	}
	if (fault?.kind === 'server-error') {
		throw new HttpError(fault.status, {message: fault.status === 502 ? 'Server Error' : 'Service Unavailable'});
	}
	if (!free && user.rate.remaining <= 0) {
		throw new HttpError(403, {
			message: `API rate limit exceeded for user ID ${user.id}. If you reach out to GitHub Support for help, please include the request ID ${requestIdText}.`,
			documentation_url: `${DOC_RATE}#about-the-primary-rate-limit`,
			status: '403',
		});
	}
}

/** `?per_page=&page=` slicing with GitHub's `link` header. */
export function paginate<T>(items: T[], ctx: Ctx): {items: T[]; headers: Record<string, string>} {
	const perPage = Math.min(100, Math.max(1, Number(ctx.query.get('per_page') ?? 30) || 30));
	const page = Math.max(1, Number(ctx.query.get('page') ?? 1) || 1);
	const last = Math.max(1, Math.ceil(items.length / perPage));
	const link = (p: number, rel: string) => {
		const q = new URLSearchParams(ctx.query);
		q.set('per_page', String(perPage));
		q.set('page', String(p));
		return `<${ctx.api}${ctx.path}?${q}>; rel="${rel}"`;
	};
	const rels: string[] = [];
	if (page > 1) rels.push(link(page - 1, 'prev'), link(1, 'first'));
	if (page < last) rels.push(link(page + 1, 'next'), link(last, 'last'));
	return {items: items.slice((page - 1) * perPage, page * perPage), headers: rels.length ? {link: rels.join(', ')} : {}};
}
