// The guide's application as its pods serve it: a FastAPI app behind uvicorn with `/health`, the `/api/v1/…` the
// guide's user flows and a smoke test call, `/admin`, `/metrics`, and the `/ws/trading` WebSocket. Answers are
// FastAPI's (compact JSON, `{"detail": …}` errors); its version is the pod's image tag.
import {createHmac, randomBytes, timingSafeEqual} from 'node:crypto';
import type {IncomingMessage} from 'node:http';
import {stamp} from './access-log.js';
import {type App, type AppContext, sendBody, uvicornAccessLine} from './app-kit.js';
import {openTradingSocket} from './overlord-socket.js';
import {findMarket, MARKETS, marketSummary, orderBook} from './overlord-market.js';
import {placeOrder, portfolio, userOrders} from './overlord-orders.js';

export interface Reply {
	status: number;
	/** Objects are sent as JSON; strings as they are, with `type`. */
	body: unknown;
	type?: string;
	headers?: Record<string, string>;
}

export interface Call {
	ctx: AppContext;
	params: string[];
	body: unknown;
	user: string;
}

interface Route {
	method: 'GET' | 'POST';
	path: string;
	summary: string;
	auth?: boolean;
	json?: boolean;
	handler: (call: Call) => Reply;
}

/** The one account the guide logs in with (`{"username":"test","password":"test123"}`). */
const USERS: Record<string, {password: string; roles: string[]}> = {test: {password: 'test123', roles: ['trader']}};
const TOKEN_SECONDS = 3600;

const ok = (body: unknown, status = 200): Reply => ({status, body});
const detail = (status: number, text: unknown, headers?: Record<string, string>): Reply => ({status, body: {detail: text}, headers});
const missing = (field: string, input: unknown) => ({type: 'missing', loc: ['body', field], msg: 'Field required', input});

function health(ctx: AppContext): Reply {
	if (ctx.behaviour === 'never-ready') {
		return ok({status: 'unhealthy', version: ctx.version, checks: {database: 'ok', redis: 'ok', exchange_gateway: 'unreachable'}}, 503);
	}
	return ok({status: 'healthy', version: ctx.version});
}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

function signToken(user: string, secret: Buffer): string {
	const now = Math.floor(Date.now() / 1000);
	const unsigned = `${b64({alg: 'HS256', typ: 'JWT'})}.${b64({sub: user, roles: USERS[user]?.roles ?? [], iat: now, exp: now + TOKEN_SECONDS})}`;
	return `${unsigned}.${createHmac('sha256', secret).update(unsigned).digest('base64url')}`;
}

/** The token's user, or undefined when it is forged, mangled or expired. */
function verifyToken(token: string, secret: Buffer): string | undefined {
	const [header, payload, signature] = token.split('.');
	if (!header || !payload || !signature) return undefined;
	const expected = createHmac('sha256', secret).update(`${header}.${payload}`).digest();
	const given = Buffer.from(signature, 'base64url');
	if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
	try {
		const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
		return typeof claims.sub === 'string' && claims.exp > Date.now() / 1000 ? claims.sub : undefined;
	} catch {
		return undefined;
	}
}

function login({ctx, body}: Call): Reply {
	const fields = body && typeof body === 'object' ? (body as Record<string, unknown>) : undefined;
	if (!fields) return detail(422, [{type: 'model_attributes_type', loc: ['body'], msg: 'Input should be a valid dictionary or object to extract fields from', input: body ?? null}]);
	const problems = ['username', 'password'].filter(f => typeof fields[f] !== 'string').map(f => missing(f, fields));
	if (problems.length) return detail(422, problems);
	const user = String(fields.username);
	if (USERS[user]?.password !== fields.password) {
		ctx.log(`${stamp(Date.now())} WARNING [overlord.auth] login failed: bad credentials for user=${JSON.stringify(user)}`);
		return detail(401, 'Incorrect username or password', {'www-authenticate': 'Bearer'});
	}
	ctx.log(`${stamp(Date.now())} INFO [overlord.auth] login succeeded user=${user}`);
	return ok({access_token: signToken(user, ctx.secret), token_type: 'bearer', expires_in: TOKEN_SECONDS});
}

function market({params}: Call, view: (m: NonNullable<ReturnType<typeof findMarket>>, at: number) => unknown): Reply {
	const m = findMarket(params[0] ?? '');
	return m ? ok(view(m, Date.now())) : detail(404, 'Market not found');
}

function requestCount(ctx: AppContext): number {
	return Number(ctx.shared.get(`requests:${ctx.pod.metadata.uid}`) ?? 0);
}

function metrics(ctx: AppContext): Reply {
	const lines = [
		'# HELP overlord_build_info Build information.',
		'# TYPE overlord_build_info gauge',
		`overlord_build_info{version="${ctx.version}",environment="${ctx.environment}"} 1`,
		'# HELP http_requests_total Requests served by this process.',
		'# TYPE http_requests_total counter',
		`http_requests_total ${requestCount(ctx)}`,
		'# HELP overlord_db_pool_connections Database connections in use.',
		'# TYPE overlord_db_pool_connections gauge',
		'overlord_db_pool_connections 3',
		'',
	];
	return {status: 200, body: lines.join('\n'), type: 'text/plain; version=0.0.4; charset=utf-8'};
}

const html = (title: string, inner: string): Reply => ({
	status: 200,
	type: 'text/html; charset=utf-8',
	body: `<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>${title}</title></head>\n<body>${inner}</body></html>\n`,
});

function admin(ctx: AppContext): Reply {
	const rows = MARKETS.map(m => `<tr><td>${m.symbol}</td><td>${marketSummary(m, Date.now()).last_price}</td></tr>`).join('');
	return html('OVERLORD Admin Dashboard', `<h1>OVERLORD Admin Dashboard</h1>\n<p>Version ${ctx.version} · ${ctx.environment} · ${ctx.pod.metadata.name}</p>\n<h2>Metrics</h2><p>Requests served: ${requestCount(ctx)}</p>\n<h2>Markets</h2><table>${rows}</table>`);
}

export const ROUTES: Route[] = [
	{method: 'GET', path: '/', summary: 'Service information', handler: ({ctx}) => ok({name: 'OVERLORD Trading System', version: ctx.version, environment: ctx.environment, docs: '/docs'})},
	{method: 'GET', path: '/health', summary: 'Health check', handler: ({ctx}) => health(ctx)},
	{method: 'GET', path: '/health/live', summary: 'Liveness', handler: () => ok({status: 'alive'})},
	{method: 'GET', path: '/health/ready', summary: 'Readiness: database and Redis', handler: ({ctx}) => {
		const h = health(ctx);
		return h.status === 200 ? ok({status: 'ready', version: ctx.version, checks: {database: 'ok', redis: 'ok'}}) : h;
	}},
	{method: 'GET', path: '/version', summary: 'Version', handler: ({ctx}) => ok({version: ctx.version, environment: ctx.environment})},
	{method: 'GET', path: '/metrics', summary: 'Prometheus metrics', handler: ({ctx}) => metrics(ctx)},
	{method: 'POST', path: '/api/v1/auth/login', summary: 'Log in', json: true, handler: login},
	{method: 'GET', path: '/api/v1/users/me', summary: 'The logged-in user', auth: true, handler: ({user}) => ok({username: user, roles: USERS[user]?.roles ?? []})},
	{method: 'GET', path: '/api/v1/trading/markets', summary: 'Markets', handler: () => ok({markets: MARKETS.map(m => marketSummary(m, Date.now()))})},
	{method: 'GET', path: '/api/v1/trading/markets/{symbol}', summary: 'One market', handler: call => market(call, marketSummary)},
	{method: 'GET', path: '/api/v1/trading/orderbook/{symbol}', summary: 'Order book', handler: call => market(call, orderBook)},
	{method: 'GET', path: '/api/v1/trading/orders', summary: 'Your orders', auth: true, handler: ({ctx, user}) => ok({orders: userOrders(ctx.shared, user)})},
	{method: 'POST', path: '/api/v1/trading/orders', summary: 'Place an order', auth: true, json: true, handler: placeOrder},
	{method: 'GET', path: '/api/v1/portfolio', summary: 'Balances and positions', auth: true, handler: ({ctx, user}) => ok(portfolio(ctx.shared, user))},
	{method: 'GET', path: '/admin', summary: 'Admin dashboard', handler: ({ctx}) => admin(ctx)},
	{method: 'GET', path: '/docs', summary: 'API docs', handler: () => html('OVERLORD Trading System - Swagger UI', '<div id="swagger-ui"></div>\n<p>OpenAPI document: <a href="/openapi.json">/openapi.json</a></p>')},
	{method: 'GET', path: '/openapi.json', summary: 'OpenAPI document', handler: ({ctx}) => ok(openApi(ctx.version))},
];

function openApi(version: string) {
	const paths: Record<string, Record<string, {summary: string}>> = {};
	for (const r of ROUTES) (paths[r.path] ??= {})[r.method.toLowerCase()] = {summary: r.summary};
	paths['/ws/trading'] = {get: {summary: 'WebSocket: ticker stream (upgrade)'}};
	return {openapi: '3.1.0', info: {title: 'OVERLORD Trading System', version}, paths};
}

const PATTERNS = new Map(ROUTES.map(r => [r, new RegExp(`^${r.path.replace(/\{\w+\}/g, '([^/]+)')}$`)]));

/** The route for a method and path; 405 when only the path matches, 404 when nothing does. */
function route(method: string, path: string): {route: Route; params: string[]} | Reply {
	const matching = ROUTES.map(r => ({r, m: PATTERNS.get(r)!.exec(path)})).filter(x => x.m);
	if (matching.length === 0) return detail(404, 'Not Found');
	const wanted = method === 'HEAD' ? 'GET' : method;
	const hit = matching.find(x => x.r.method === wanted);
	if (!hit) return detail(405, 'Method Not Allowed', {allow: [...new Set(matching.map(x => x.r.method))].join(', ')});
	return {route: hit.r, params: hit.m!.slice(1).map(decodeURIComponent)};
}

async function readJson(req: IncomingMessage): Promise<{value?: unknown; error?: Reply}> {
	const chunks: Buffer[] = [];
	let size = 0;
	for await (const chunk of req) {
		size += (chunk as Buffer).length;
		if (size > 1024 * 1024) return {error: detail(413, 'Request Entity Too Large')};
		chunks.push(chunk as Buffer);
	}
	const text = Buffer.concat(chunks).toString('utf8');
	const type = String(req.headers['content-type'] ?? 'application/json');
	// FastAPI parses the body as JSON only when the request says it is JSON (curl -d without -H sends a form).
	if (!/json/i.test(type)) return {value: text};
	if (text.trim() === '') return {value: undefined};
	try {
		return {value: JSON.parse(text)};
	} catch (error) {
		return {error: detail(422, [{type: 'json_invalid', loc: ['body', 0], msg: 'JSON decode error', input: {}, ctx: {error: String((error as Error).message)}}])};
	}
}

function authorise(req: IncomingMessage, ctx: AppContext): string | Reply {
	const m = /^Bearer\s+(\S+)$/i.exec(String(req.headers.authorization ?? ''));
	if (!m) return detail(401, 'Not authenticated', {'www-authenticate': 'Bearer'});
	return verifyToken(m[1]!, ctx.secret) ?? detail(401, 'Could not validate credentials', {'www-authenticate': 'Bearer'});
}

async function answer(req: IncomingMessage, ctx: AppContext): Promise<Reply> {
	const found = route(req.method ?? 'GET', new URL(req.url ?? '/', 'http://pod').pathname);
	if (!('route' in found)) return found;
	const user = found.route.auth ? authorise(req, ctx) : '';
	if (typeof user !== 'string') return user;
	let body: unknown;
	if (found.route.json) {
		const read = await readJson(req);
		if (read.error) return read.error;
		body = read.value;
	}
	return found.route.handler({ctx, params: found.params, body, user});
}

export const overlordApp: App = {
	async handle(req, res, ctx) {
		ctx.shared.set(`requests:${ctx.pod.metadata.uid}`, requestCount(ctx) + 1);
		const reply = await answer(req, ctx);
		const text = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body);
		const type = typeof reply.body === 'string' ? reply.type ?? 'text/plain; charset=utf-8' : 'application/json';
		sendBody(res, reply.status, text, {date: new Date().toUTCString(), server: 'uvicorn', ...reply.headers, 'content-type': type});
	},
	upgrade(req, socket, ctx) {
		openTradingSocket(req, socket, ctx);
	},
	accessLine: uvicornAccessLine,
};

/** A per-sandbox secret for login tokens. */
export const newAppSecret = (): Buffer => randomBytes(32);
