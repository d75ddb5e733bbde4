// HTTPS front door: authentication, fault injection, discovery and routing to the REST, watch and
// log handlers. URL layout follows the real API server's.
import type {IncomingMessage, ServerResponse} from 'node:http';
import type {Duplex} from 'node:stream';
import {timingSafeEqual} from 'node:crypto';
import type {AccessLog} from './access-log.js';
import {Api, type Target, matcherFor} from './api.js';
import {AUTHENTICATION_RESOURCES, AUTHORIZATION_RESOURCES, forbidden, requestAttributes, selfSubjectAccessReview, selfSubjectReview} from './authorization.js';
import {handleExecUpgrade} from './exec.js';
import type {Faults} from './faults.js';
import {bearerToken, boolParam, readBody, responseFormat, sendError, sendJson, sendStatus} from './http-util.js';
import {serveLogs} from './logs.js';
import {OPENAPI_V3_PATHS, openApiV2Protobuf, openApiV3Document, openApiV3Index} from './openapi.js';
import {METRICS_GROUP, METRICS_RESOURCES, serveMetrics} from './metrics.js';
import {apiGroup, apiResourceList, apiVersions, findResource, STORED_GROUPS, VERSION_INFO} from './resources.js';
import type {ScenarioName} from './scenarios.js';
import type {ServiceIpBlock} from './service-ips.js';
import type {ObjectStore} from './store.js';
import {type IncludeObject, toTable} from './tables.js';
import {ApiError, statusBody} from './types.js';
import {rejectUpgrade} from './websocket.js';
import type {WatchHub} from './watch.js';

export interface RouterDeps {
	store: ObjectStore;
	watches: WatchHub;
	faults: Faults;
	token: string;
	scenario: ScenarioName;
	speed: number;
	serverAddress: () => string;
	/** Where Services get their addresses. */
	serviceIps?: ServiceIpBlock;
	/** What the pods' apps logged serving Service traffic, for pods/log. */
	accessLog?: AccessLog;
}

const PUBLIC_PATHS = new Set(['/version', '/healthz', '/livez', '/readyz']);

function tokenMatches(given: string | undefined, expected: string): boolean {
	if (!given) return false;
	const a = Buffer.from(given);
	const b = Buffer.from(expected);
	return a.length === b.length && timingSafeEqual(a, b);
}

/** Splits `/api/v1/...` or `/apis/<group>/v1/...` into a Target; undefined for non-resource paths. */
function parseTarget(segments: string[]): (Target & {watchPath: boolean}) | undefined {
	let rest: string[];
	let group: string;
	if (segments[0] === 'api' && segments[1] === 'v1') {
		group = '';
		rest = segments.slice(2);
	} else if (segments[0] === 'apis' && segments[2] === 'v1' && STORED_GROUPS.includes(segments[1]!)) {
		group = segments[1]!;
		rest = segments.slice(3);
	} else {
		return undefined;
	}
	let watchPath = false;
	if (rest[0] === 'watch') {
		watchPath = true;
		rest = rest.slice(1);
	}
	if (rest.length === 0) return undefined;
	let namespace: string | undefined;
	if (rest[0] === 'namespaces' && rest.length >= 3 && rest[2] !== 'status' && rest[2] !== 'finalize') {
		namespace = rest[1];
		rest = rest.slice(2);
	}
	const def = findResource(group, rest[0]!);
	if (!def) throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
	if (namespace !== undefined && !def.namespaced) throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
	return {def, namespace, name: rest[1], subresource: rest[2], watchPath};
}

const ok = (body: unknown) => (res: ServerResponse) => sendJson(res, 200, body);

/** `/apis` in the real server's order: the groups with stored resources, and the review-only ones. */
const API_GROUPS = ['apps', 'authentication.k8s.io', 'authorization.k8s.io', ...STORED_GROUPS.filter(g => g !== 'apps')].map(apiGroup);

/** `/apis/<group>` and `/apis/<group>/v1` for every group but metrics. */
function groupDiscovery(): Array<[string, (res: ServerResponse) => void]> {
	const lists: Record<string, unknown> = {'authentication.k8s.io': AUTHENTICATION_RESOURCES, 'authorization.k8s.io': AUTHORIZATION_RESOURCES};
	return API_GROUPS.flatMap(group => [
		[`/apis/${group.name}`, ok({kind: 'APIGroup', apiVersion: 'v1', ...group})],
		[`/apis/${group.name}/v1`, ok(lists[group.name] ?? apiResourceList(group.name))],
	] as Array<[string, (res: ServerResponse) => void]>);
}

/** The review endpoints (`kubectl auth can-i`, `kubectl auth whoami`): POST only, answered from the deny rules. */
const REVIEWS = new Map<string, (req: IncomingMessage, deps: RouterDeps) => Promise<unknown>>([
	['/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', (req, deps) => selfSubjectAccessReview(req, deps.faults.denyRules)],
	['/apis/authentication.k8s.io/v1/selfsubjectreviews', req => selfSubjectReview(req)],
]);

/** The fixed discovery paths, answered the same way every time: what kubectl and client libraries ask first. */
const DISCOVERY = new Map<string, (res: ServerResponse, deps: RouterDeps) => void>([
	['/version', ok(VERSION_INFO)],
	...['/healthz', '/livez', '/readyz'].map(path => [path, (res: ServerResponse) => {
		res.writeHead(200, {'Content-Type': 'text/plain'});
		res.end('ok');
	}] as const),
	['/api', (res, deps) => sendJson(res, 200, apiVersions(deps.serverAddress()))],
	['/apis', ok({kind: 'APIGroupList', apiVersion: 'v1', groups: [...API_GROUPS, METRICS_GROUP]})],
	['/api/v1', res => sendJson(res, 200, apiResourceList(''))],
	...groupDiscovery(),
	['/apis/metrics.k8s.io', ok({kind: 'APIGroup', apiVersion: 'v1', ...METRICS_GROUP})],
	['/apis/metrics.k8s.io/v1beta1', ok(METRICS_RESOURCES)],
	['/openapi/v2', res => {
		const body = openApiV2Protobuf();
		res.writeHead(200, {'Content-Type': 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf', 'Content-Length': body.length});
		res.end(body);
	}],
	['/openapi/v3', res => sendJson(res, 200, openApiV3Index())],
	...[...OPENAPI_V3_PATHS].map(([path, group]) => [`/openapi/v3/${path}`, ok(openApiV3Document(group))] as [string, (res: ServerResponse) => void]),
]);

export function createRouter(deps: RouterDeps) {
	const api = new Api(deps.store, deps.serviceIps);

	async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
		const url = new URL(req.url ?? '/', 'https://sandbox.invalid');
		const path = url.pathname.replace(/\/+$/, '') || '/';
		const method = req.method ?? 'GET';
		if (!PUBLIC_PATHS.has(path) && !tokenMatches(bearerToken(req), deps.token)) {
			return sendStatus(res, statusBody(401, 'Unauthorized', 'Unauthorized'));
		}
		if (path === '/sandbox/faults') {
			if (method === 'GET') return sendJson(res, 200, deps.faults.state());
			if (method !== 'POST') throw new ApiError(405, 'MethodNotAllowed', 'use POST');
			return sendJson(res, 200, deps.faults.apply(await readBody(req)));
		}
		if (deps.faults.isFailing()) {
			return sendStatus(res, statusBody(500, 'InternalError', 'Internal error occurred: sandbox fault injection is failing requests'));
		}
		const discovery = DISCOVERY.get(path);
		if (discovery) return discovery(res, deps);
		const review = REVIEWS.get(path);
		if (review) {
			if (method !== 'POST') throw new ApiError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');
			return sendJson(res, 201, await review(req, deps));
		}
		const segments = path.split('/').filter(Boolean).map(decodeURIComponent);
		if (segments[1] === 'metrics.k8s.io' && segments[2] === 'v1beta1') {
			if (method !== 'GET') throw new ApiError(405, 'MethodNotAllowed', 'metrics are read-only');
			return sendJson(res, 200, serveMetrics(deps.store, segments.slice(3), url.searchParams));
		}
		const target = parseTarget(segments);
		if (!target) throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
		if (target.def.namespaced && target.namespace === undefined && target.name !== undefined) {
			throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
		}
		if (target.subresource && !(target.def.subresources ?? []).includes(target.subresource)) {
			throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
		}
		const attributes = requestAttributes(method, target, url.searchParams);
		if (deps.faults.denies(attributes)) throw forbidden(attributes);
		return serveResource(req, res, target, {api, deps, method, query: url.searchParams});
	}

	return (req: IncomingMessage, res: ServerResponse) => {
		handle(req, res).catch(error => sendError(res, error));
	};
}

/** A request on a resource (a list, an object, or its log, scale or watch), by method, as the API server answers it. */
async function serveResource(
	req: IncomingMessage,
	res: ServerResponse,
	target: Target & {watchPath: boolean},
	{api, deps, method, query}: {api: Api; deps: RouterDeps; method: string; query: URLSearchParams},
): Promise<void> {
	const format = responseFormat(req.headers.accept);
	const include = (query.get('includeObject') as IncludeObject | null) ?? 'Metadata';
	const dryRun = query.getAll('dryRun').includes('All');
	if (method === 'GET' && target.subresource === 'log') {
		const pod = api.getObject(target);
		return serveLogs(req, res, deps.store, pod, query, {scenario: deps.scenario, speed: deps.speed, accessLog: deps.accessLog});
	}
	if (method === 'GET' && (target.watchPath || boolParam(query, 'watch'))) {
		const matcher = matcherFor(query, target.name);
		return deps.watches.serve(req, res, {def: target.def, namespace: target.namespace, matcher, query, format, include});
	}
	if (method === 'GET' && target.name === undefined) {
		return sendJson(res, 200, api.list(target, query, format, include));
	}
	if (method === 'GET') {
		const obj = api.getObject(target);
		if (target.subresource === 'scale') return sendJson(res, 200, api.toScale(obj));
		if (format.kind === 'table') {
			return sendJson(res, 200, toTable(target.def.name, [obj], include, {resourceVersion: obj.metadata.resourceVersion}));
		}
		return sendJson(res, 200, obj);
	}
	if (method === 'POST' && target.name === undefined) {
		return sendJson(res, 201, api.create(target, await readBody(req), dryRun));
	}
	if (method === 'PUT' && target.name !== undefined) {
		return sendJson(res, 200, api.update(target, await readBody(req), dryRun));
	}
	if (method === 'PATCH' && target.name !== undefined) {
		const body = await readBody(req);
		return sendJson(res, 200, api.patch(target, String(req.headers['content-type'] ?? ''), body, dryRun));
	}
	if (method === 'DELETE' && target.name !== undefined) {
		return sendJson(res, 200, api.delete(target, await readBody(req), query, dryRun));
	}
	if (method === 'DELETE') {
		return sendJson(res, 200, api.deleteCollection(target, query));
	}
	throw new ApiError(405, 'MethodNotAllowed', `the server does not allow this method on the requested resource`);
}

/** Connection upgrades: only pods/exec, which kubectl opens as a WebSocket. */
export function upgradeHandler(deps: Pick<RouterDeps, 'store' | 'faults' | 'token'>) {
	return (req: IncomingMessage, socket: Duplex) => {
		const url = new URL(req.url ?? '/', 'https://sandbox.invalid');
		const m = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/exec$/.exec(url.pathname);
		if (!tokenMatches(bearerToken(req), deps.token)) return rejectUpgrade(socket, 401, 'Unauthorized', statusBody(401, 'Unauthorized', 'Unauthorized'));
		if (deps.faults.isFailing()) return rejectUpgrade(socket, 500, 'Internal Server Error', statusBody(500, 'InternalError', 'sandbox fault injection'));
		if (!m) return rejectUpgrade(socket, 404, 'Not Found', statusBody(404, 'NotFound', 'the server could not find the requested resource'));
		handleExecUpgrade(req, socket, deps.store, decodeURIComponent(m[1]!), decodeURIComponent(m[2]!), url.searchParams);
	};
}
