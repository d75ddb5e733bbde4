// Access to the cluster through @kubernetes/client-node, which is imported only here and only when
// a cluster is in play: the module graph is large and start-up must not pay for it.
//
// Objects reach the panes in one shape, the API's plain JSON (timestamps as strings): LISTs are
// plain GETs parsed as JSON, exactly what WATCH events carry, and about three times faster than the
// typed list calls for 5,000 pods; results of typed calls (Date objects) go through `toPlain`.
import {existsSync} from 'node:fs';
import type * as http from 'node:http';
import type * as K8s from '@kubernetes/client-node';
import {kubeconfigFiles} from './current-context.js';
import {type KubeObject, RESOURCE_PATHS, type ResourceKind} from './types.js';

export type ClientModule = typeof K8s;

let loading: Promise<ClientModule> | undefined;

/** The client-node module, imported on first use and shared afterwards. */
export function loadClientModule(): Promise<ClientModule> {
	return (loading ??= import('@kubernetes/client-node'));
}

export interface KubeClientOptions {
	/** Where KUBECONFIG and HOME are read (default: process.env). */
	env?: Record<string, string | undefined>;
	/** Kubeconfig file(s), like kubectl's --kubeconfig; wins over the env's KUBECONFIG. */
	kubeconfig?: string;
	/** A context other than the current one, like kubectl's --context. */
	context?: string;
}

export interface ListResult<T> {
	items: T[];
	resourceVersion: string;
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';

export interface KubeClient {
	readonly k8s: ClientModule;
	readonly kc: K8s.KubeConfig;
	readonly context: string;
	/** The context's namespace, or `default`, as kubectl resolves it. */
	readonly namespace: string;
	readonly server: string;
	core(): K8s.CoreV1Api;
	apps(): K8s.AppsV1Api;
	list<T extends KubeObject>(kind: ResourceKind, namespace: string, query?: Record<string, string | undefined>, signal?: AbortSignal): Promise<ListResult<T>>;
	/** One object as the server stores it; a missing one rejects with KubeApiError code 404. */
	get<T extends KubeObject>(kind: ResourceKind, namespace: string, name: string, signal?: AbortSignal): Promise<T>;
	/** PATCH with these exact bytes (kubectl's undo of a StatefulSet sends a revision's data verbatim). */
	patch<T extends KubeObject>(kind: ResourceKind, namespace: string, name: string, contentType: string, body: string, signal?: AbortSignal): Promise<T>;
	/**
	 * Any JSON request (POST, PUT, DELETE, PATCH) with the kubeconfig's credentials; rejects with KubeApiError carrying
	 * the status, the Status reason and its body (a 409 Conflict, a 422 Invalid, a 403 Forbidden's message).
	 */
	request<T = unknown>(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, body?: unknown, options?: {contentType?: string; query?: Record<string, string | undefined>; signal?: AbortSignal}): Promise<T>;
	/** Starts a client-node watch; resolves once the request is answered (or has failed, after `onDone`). */
	watch(
		kind: ResourceKind,
		namespace: string,
		query: Record<string, string | number | boolean | undefined>,
		onEvent: (type: WatchEventType, object: unknown) => void,
		onDone: (error: unknown) => void,
	): Promise<AbortController>;
}

/** An API error with the HTTP status, as client-node's ApiException carries `code`. */
export class KubeApiError extends Error {
	constructor(
		readonly code: number,
		message: string,
		readonly reason?: string,
		/** The Status the server answered with, when it sent one. */
		readonly status?: {details?: {name?: string; kind?: string; group?: string; causes?: unknown[]}},
	) {
		super(message);
		this.name = 'KubeApiError';
	}
}

/**
 * Builds the KubeConfig with kubectl's rules: files of KUBECONFIG in order (missing ones
 * skipped), the first file that sets current-context wins, and for clusters/users/contexts of the
 * same name the first definition wins. client-node's `loadFromDefault(undefined, true)` gets the
 * context right too, but throws on duplicate names and missing files where kubectl does not.
 * Returns null when no kubeconfig names a current context: no cluster is configured.
 */
export async function loadKubeConfig(options: KubeClientOptions = {}): Promise<K8s.KubeConfig | null> {
	const env = options.env ?? process.env;
	const files = (options.kubeconfig ? kubeconfigFiles({KUBECONFIG: options.kubeconfig}) : kubeconfigFiles(env)).filter(f => existsSync(f));
	if (files.length === 0) return null;
	const k8s = await loadClientModule();
	const merged = {clusters: [] as K8s.Cluster[], users: [] as K8s.User[], contexts: [] as K8s.Context[], currentContext: ''};
	for (const file of files) {
		const one = new k8s.KubeConfig();
		one.loadFromFile(file);
		const add = <T extends {name: string}>(into: T[], from: T[]) => {
			for (const item of from) if (!into.some(i => i.name === item.name)) into.push(item);
		};
		add(merged.clusters, one.clusters);
		add(merged.users, one.users);
		add(merged.contexts, one.contexts);
		if (!merged.currentContext && one.currentContext) merged.currentContext = one.currentContext;
	}
	if (options.context) merged.currentContext = options.context;
	if (!merged.currentContext) return null;
	const kc = new k8s.KubeConfig();
	kc.loadFromOptions(merged);
	return kc;
}

/** A client for the configured cluster, or null when there is none. */
export async function createKubeClient(options: KubeClientOptions = {}): Promise<KubeClient | null> {
	const kc = await loadKubeConfig(options);
	if (!kc) return null;
	return clientFor(kc, await loadClientModule());
}

/** Every client this process made: a session should make one per environment (tests count them). */
export const kubeClientsMade = {count: 0};

export function clientFor(kc: K8s.KubeConfig, k8s: ClientModule): KubeClient {
	const cluster = kc.getCurrentCluster();
	if (!cluster) throw new Error(`context "${kc.getCurrentContext()}" has no cluster`);
	const server = cluster.server.replace(/\/+$/, '');
	kubeClientsMade.count++;
	let core: K8s.CoreV1Api | undefined;
	let apps: K8s.AppsV1Api | undefined;
	return {
		k8s,
		kc,
		server,
		context: kc.getCurrentContext(),
		namespace: kc.getContextObject(kc.getCurrentContext())?.namespace || 'default',
		core: () => (core ??= kc.makeApiClient(k8s.CoreV1Api)),
		apps: () => (apps ??= kc.makeApiClient(k8s.AppsV1Api)),
		async list<T extends KubeObject>(kind: ResourceKind, namespace: string, query: Record<string, string | undefined> = {}, signal?: AbortSignal) {
			const body = (await getJson(kc, server, RESOURCE_PATHS[kind](namespace), query, signal)) as {items?: T[]; metadata?: {resourceVersion?: string}};
			return {items: body.items ?? [], resourceVersion: body.metadata?.resourceVersion ?? ''};
		},
		async get<T extends KubeObject>(kind: ResourceKind, namespace: string, name: string, signal?: AbortSignal) {
			return (await getJson(kc, server, `${RESOURCE_PATHS[kind](namespace)}/${encodeURIComponent(name)}`, {}, signal)) as T;
		},
		async patch<T extends KubeObject>(kind: ResourceKind, namespace: string, name: string, contentType: string, body: string, signal?: AbortSignal) {
			const path = `${RESOURCE_PATHS[kind](namespace)}/${encodeURIComponent(name)}`;
			return (await requestJson(kc, server, path, {}, signal, {method: 'PATCH', contentType, body})) as T;
		},
		async request<T>(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, body?: unknown, options: {contentType?: string; query?: Record<string, string | undefined>; signal?: AbortSignal} = {}) {
			const send = method === 'GET' ? undefined : {method, contentType: options.contentType ?? 'application/json', body: body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body)};
			return (await requestJson(kc, server, path, options.query ?? {}, options.signal, send)) as T;
		},
		watch(kind, namespace, query, onEvent, onDone) {
			return new k8s.Watch(kc).watch(RESOURCE_PATHS[kind](namespace), query, (type, object) => onEvent(type as WatchEventType, object), onDone);
		},
	};
}

const REQUEST_TIMEOUT_MS = 60_000;

/** GET a JSON document with the kubeconfig's credentials and TLS settings. */
function getJson(kc: K8s.KubeConfig, server: string, path: string, query: Record<string, string | undefined>, signal?: AbortSignal): Promise<unknown> {
	return requestJson(kc, server, path, query, signal);
}

/** A request answered with JSON; without `send`, a GET. */
async function requestJson(
	kc: K8s.KubeConfig,
	server: string,
	path: string,
	query: Record<string, string | undefined>,
	signal?: AbortSignal,
	send?: {method: 'POST' | 'PUT' | 'PATCH' | 'DELETE'; contentType: string; body: string},
): Promise<unknown> {
	const init = await kc.applyToFetchOptions({});
	const url = new URL(server + path);
	for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== '') url.searchParams.set(k, v);
	const headers: Record<string, string> = {Accept: 'application/json'};
	(init.headers as Headers | undefined)?.forEach((value, key) => {
		headers[key] = value;
	});
	if (send) {
		headers['Content-Type'] = send.contentType;
		headers['Content-Length'] = String(Buffer.byteLength(send.body));
	}
	// Loaded with the first request: TLS costs start-up ~10 ms, and a session without a cluster never needs it.
	const transport = url.protocol === 'http:' ? await import('node:http') : await import('node:https');
	return new Promise((resolve, reject) => {
		// Never wait forever on a half-dead connection, whoever the caller is.
		const bounded = signal ? AbortSignal.any([signal, AbortSignal.timeout(REQUEST_TIMEOUT_MS)]) : AbortSignal.timeout(REQUEST_TIMEOUT_MS);
		const req = transport.request(url, {method: send?.method ?? 'GET', headers, agent: init.agent as http.Agent | undefined, signal: bounded}, res => {
			const chunks: Buffer[] = [];
			res.on('data', (c: Buffer) => chunks.push(c));
			res.on('error', reject);
			res.on('end', () => {
				const text = Buffer.concat(chunks).toString('utf8');
				const status = res.statusCode ?? 0;
				let parsed: unknown;
				try {
					parsed = JSON.parse(text);
				} catch {
					parsed = undefined;
				}
				if (status >= 200 && status < 300 && parsed !== undefined) return resolve(parsed);
				const s = (parsed ?? {}) as {message?: string; reason?: string};
				reject(new KubeApiError(status, s.message || `HTTP ${status}`, s.reason, parsed as KubeApiError['status']));
			});
		});
		req.on('error', reject);
		req.end(send?.body);
	});
}

/**
 * Typed client-node results (class instances, Date timestamps, undefined fields) as the plain
 * JSON the API sent: timestamps back to RFC 3339 with second precision as the server writes them.
 */
export function toPlain<T = unknown>(value: unknown): T {
	return plain(value) as T;
}

function plain(value: unknown): unknown {
	if (value instanceof Date) return value.toISOString().replace(/\.000Z$/, 'Z');
	if (Array.isArray(value)) return value.map(plain);
	if (value !== null && typeof value === 'object') {
		const out: Record<string, unknown> = {};
		for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = plain(v);
		return out;
	}
	return value;
}

export interface ErrorInfo {
	/** HTTP status, when the server answered. */
	code?: number;
	message: string;
	/** Worth retrying as is: network failures, 5xx, 429. 401/403/404 need the operator. */
	transient: boolean;
}

/** One description for errors from raw requests, client-node's ApiException, watches and fetch. */
export function describeError(error: unknown): ErrorInfo {
	const e = (error ?? {}) as {code?: unknown; statusCode?: unknown; message?: unknown; body?: unknown};
	const status = typeof e.code === 'number' ? e.code : typeof e.statusCode === 'number' ? e.statusCode : undefined;
	if (status !== undefined) {
		const body = typeof e.body === 'string' ? safeParse(e.body) : e.body;
		const text = (body as {message?: string} | undefined)?.message || (typeof e.message === 'string' ? e.message : '');
		const message = text.includes(String(status)) ? text : `HTTP ${status}${text ? `: ${text}` : ''}`;
		const why = status === 401 ? ' — the server refused the kubeconfig\'s credentials (wrong or expired token)' : '';
		return {code: status, message: message + why, transient: status >= 500 || status === 429 || status === 410};
	}
	const sysCode = typeof e.code === 'string' ? e.code : undefined;
	const message = typeof e.message === 'string' ? e.message : String(error);
	return {message: plainNetworkMessage(sysCode && !message.includes(sysCode) ? `${sysCode}: ${message}` : message), transient: true};
}

const TLS_TRUST = /\b(UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED_CERT_IN_CHAIN|DEPTH_ZERO_SELF_SIGNED_CERT|UNABLE_TO_GET_ISSUER_CERT(?:_LOCALLY)?|CERT_SIGNATURE_FAILURE)\b/;

/** The two failures an operator must tell apart at a glance, said plainly: nothing listening, and a server not trusted. */
function plainNetworkMessage(message: string): string {
	const refused = /ECONNREFUSED\s*([\w.:[\]-]+)?/.exec(message);
	if (refused) return `connection refused${refused[1] ? ` at ${refused[1]}` : ''}: is the API server running? (ECONNREFUSED)`;
	const tls = TLS_TRUST.exec(message) ?? /\b(CERT_HAS_EXPIRED|ERR_TLS_CERT_ALTNAME_INVALID)\b/.exec(message);
	if (tls?.[1] === 'CERT_HAS_EXPIRED') return 'TLS: the server\'s certificate has expired (CERT_HAS_EXPIRED)';
	if (tls?.[1] === 'ERR_TLS_CERT_ALTNAME_INVALID') return 'TLS: the server\'s certificate is not for this address (ERR_TLS_CERT_ALTNAME_INVALID)';
	if (tls) return `TLS: the server's certificate is not signed by the kubeconfig's CA (${tls[1]})`;
	return message;
}

function safeParse(text: string): unknown {
	try {
		return JSON.parse(text);
	} catch {
		return undefined;
	}
}
