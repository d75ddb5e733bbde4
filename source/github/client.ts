// Octokit for the app: token, host and repository resolved the way gh resolves them, the retry and
// throttling plugins loaded lazily (start-up does not pay for them), ETag-conditional GETs, and
// every failure turned into one plain line that never contains the token.
import {execFile} from 'node:child_process';
import {promisify} from 'node:util';
import type {Octokit} from '@octokit/rest';
import {which} from '../exec/which.js';

const run = promisify(execFile);

export type Env = Record<string, string | undefined>;

export type GitHubErrorKind =
	| 'no-token' | 'bad-token' | 'missing-scopes' | 'rate-limit' | 'secondary-limit' | 'network' | 'not-found'
	| 'refused' | 'invalid' | 'server' | 'no-repository' | 'timeout' | 'other';

/** A failure explained in one line (`message`); the original error is the `cause`. */
export class GitHubError extends Error {
	override readonly name = 'GitHubError';
	constructor(readonly kind: GitHubErrorKind, message: string, readonly status?: number, options?: {cause?: unknown}) {
		super(message.replace(/\s*\n+\s*/g, ' ').trim(), options);
	}
}

export interface RetryNotice {
	reason: 'secondary-limit' | 'rate-limit';
	retryAfterSeconds: number;
	attempt: number;
	method: string;
	url: string;
}

export interface ClientOptions {
	env?: Env;
	/** Overrides the token lookup (tests, embedding). */
	token?: string;
	/** Overrides GITHUB_API_URL / GH_HOST. */
	baseUrl?: string;
	/**
	 * GitHub's recommended pacing of writes (1 s apart, 3 s for ones that notify). Default: on, except
	 * for loopback base URLs (the sandbox), where it only slows rehearsals down.
	 */
	pacing?: boolean;
	/** Retries of 5xx and network failures (default 3), backing off (n+1)² × `retryBaseMs`. */
	retries?: number;
	/** Base of every retry delay, including `retry-after` seconds (default 1000). */
	retryBaseMs?: number;
	/** Longest `retry-after` (secondary limit) or reset wait (primary limit) retried (default 60 s / 0 s). */
	maxSecondaryWaitSeconds?: number;
	maxRateLimitWaitSeconds?: number;
	onRetry?: (notice: RetryNotice) => void;
	/** Where `gh auth token` comes from (tests); default: the `gh` on PATH, if any. */
	ghAuthToken?: (host: string) => Promise<string | undefined>;
}

export interface GitHubClient {
	octokit: Octokit;
	baseUrl: string;
	host: string;
	/** Where the token came from: `GH_TOKEN`, `GITHUB_TOKEN`, `gh auth token`, … (never the token). */
	tokenSource: string;
	/** HTTP attempts made, retries included. */
	stats: {attempts: number};
	/** Removes the token from text bound for the screen or a log. */
	redact(text: string): string;
	explain(error: unknown, what?: string): GitHubError;
}

export interface RepoRef {
	owner: string;
	repo: string;
}

export interface RepoTarget extends RepoRef {
	client: GitHubClient;
}

export const NEEDED_SCOPES = ['repo'];

// ---------------------------------------------------------------------------------------------
// Host, token, repository

export function resolveBaseUrl(env: Env): {baseUrl: string; host: string} {
	const explicit = env.GITHUB_API_URL?.trim();
	if (explicit) {
		const baseUrl = explicit.replace(/\/+$/, '');
		return {baseUrl, host: new URL(baseUrl).host};
	}
	const host = env.GH_HOST?.trim().replace(/^https?:\/\//, '').replace(/\/+$/, '');
	if (host && host !== 'github.com') return {baseUrl: `https://${host}/api/v3`, host};
	return {baseUrl: 'https://api.github.com', host: 'github.com'};
}

async function ghAuthToken(host: string, env: Env): Promise<string | undefined> {
	const gh = which('gh', env.PATH ?? '');
	if (!gh) return undefined;
	try {
		const {stdout} = await run(gh, ['auth', 'token', '--hostname', host], {timeout: 5000, env: {...process.env, ...env, GH_PROMPT_DISABLED: '1'}});
		return stdout.trim() || undefined;
	} catch {
		return undefined;
	}
}

export async function resolveToken(env: Env, host: string, lookup?: (host: string) => Promise<string | undefined>): Promise<{token: string; source: string}> {
	const enterprise = host !== 'github.com' && host !== 'api.github.com';
	const names = ['GH_TOKEN', 'GITHUB_TOKEN', ...(enterprise ? ['GH_ENTERPRISE_TOKEN', 'GITHUB_ENTERPRISE_TOKEN'] : [])];
	for (const name of names) {
		const value = env[name]?.trim();
		if (value) return {token: value, source: name};
	}
	const token = await (lookup ?? (h => ghAuthToken(h, env)))(host);
	if (token) return {token, source: 'gh auth token'};
	throw new GitHubError('no-token', `No GitHub token: set GH_TOKEN or GITHUB_TOKEN, or log in with \`gh auth login${enterprise ? ` --hostname ${host}` : ''}\`.`);
}

/** `owner/repo`, an https or ssh remote URL, or `git@host:owner/repo.git`. */
export function parseRepository(text: string | undefined): RepoRef | undefined {
	const s = text?.trim();
	if (!s) return undefined;
	const m = /^(?:(?:https?|ssh|git):\/\/(?:[^@/]+@)?[^/]+\/|[^@/\s]+@[^:/\s]+:)?([\w.-]+)\/([\w.-]+?)(?:\.git)?\/?$/.exec(s);
	return m ? {owner: m[1]!, repo: m[2]!} : undefined;
}

export async function resolveRepository(options: {env?: Env; frontMatter?: string; cwd?: string} = {}): Promise<RepoRef & {source: string}> {
	const env = options.env ?? process.env;
	const fromEnv = parseRepository(env.GITHUB_REPOSITORY);
	if (fromEnv) return {...fromEnv, source: 'GITHUB_REPOSITORY'};
	const fromFront = parseRepository(options.frontMatter);
	if (fromFront) return {...fromFront, source: 'front matter'};
	try {
		const {stdout} = await run('git', ['remote', 'get-url', 'origin'], {cwd: options.cwd, timeout: 5000});
		const fromGit = parseRepository(stdout);
		if (fromGit) return {...fromGit, source: 'git remote'};
	} catch {}
	throw new GitHubError('no-repository', 'No GitHub repository: set GITHUB_REPOSITORY=owner/repo, name it in the runbook\'s front matter, or run inside a clone with an `origin` remote.');
}

// ---------------------------------------------------------------------------------------------
// Errors

interface RequestErrorLike {
	status: number;
	message: string;
	response?: {headers: Record<string, string | undefined>; data?: unknown};
	request?: {method?: string; url?: string};
	cause?: unknown;
}

function isRequestError(error: unknown): error is RequestErrorLike {
	return typeof error === 'object' && error !== null && typeof (error as RequestErrorLike).status === 'number';
}

export function localTime(epochSeconds: number): string {
	const d = new Date(epochSeconds * 1000);
	return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
}

/** GitHub's message plus its `errors` details, without the docs URL. */
export function githubMessage(error: RequestErrorLike): string {
	const data = error.response?.data as {message?: string; errors?: unknown[]} | undefined;
	if (!data || typeof data !== 'object' || !data.message) return error.message.replace(/ - https:\/\/docs\.github\.com\S*$/, '');
	const details = (data.errors ?? []).map(e => (typeof e === 'string' ? e : (e as {message?: string}).message ?? JSON.stringify(e)));
	const text = data.message === 'Unprocessable Entity' && details.length ? details.join('; ') : [data.message, ...details].join(': ');
	return text.replace(/^Invalid request\.\s*/, '');
}

function networkCode(error: RequestErrorLike): string | undefined {
	let cause: unknown = error.cause;
	for (let i = 0; i < 4 && cause; i++) {
		const code = (cause as {code?: string}).code;
		if (code) return code;
		cause = (cause as {cause?: unknown}).cause;
	}
	return undefined;
}

export function explainError(error: unknown, ctx: {baseUrl: string; tokenSource: string; redact: (s: string) => string; what?: string}): GitHubError {
	if (error instanceof GitHubError) return error;
	const prefix = ctx.what ? `${ctx.what}: ` : '';
	const make = (kind: GitHubErrorKind, text: string, status?: number) => new GitHubError(kind, ctx.redact(prefix + text), status, {cause: error});
	if (!isRequestError(error)) return make('other', error instanceof Error ? error.message : String(error));
	const headers = error.response?.headers ?? {};
	const status = error.status;
	if (!error.response) {
		const code = networkCode(error);
		return make('network', `cannot reach GitHub at ${ctx.baseUrl} (${code ?? error.message})`);
	}
	const message = githubMessage(error);
	if (status === 401) {
		return make('bad-token', `GitHub rejected the token from ${ctx.tokenSource} (401 ${message}): it is wrong, expired or revoked`, status);
	}
	if ((status === 403 || status === 429) && /secondary rate limit/i.test(message)) {
		const after = headers['retry-after'];
		return make('secondary-limit', `GitHub's secondary rate limit: too many requests too fast${after ? `; retry after ${after} s` : ''}`, status);
	}
	if ((status === 403 || status === 429) && (headers['x-ratelimit-remaining'] === '0' || /rate limit exceeded/i.test(message))) {
		const reset = Number(headers['x-ratelimit-reset']);
		return make('rate-limit', `GitHub API rate limit used up (${headers['x-ratelimit-limit'] ?? '?'} requests/hour)${reset ? `; it resets at ${localTime(reset)}` : ''}`, status);
	}
	const accepted = (headers['x-accepted-oauth-scopes'] ?? '').split(',').map(s => s.trim()).filter(Boolean);
	const granted = headers['x-oauth-scopes'];
	if ((status === 403 || status === 404) && granted !== undefined && accepted.length && !accepted.some(s => granted.split(',').map(g => g.trim()).includes(s))) {
		return make('missing-scopes', `the token from ${ctx.tokenSource} lacks the scope ${accepted.join(' or ')} (it has: ${granted || 'none'})`, status);
	}
	if (status === 404) return make('not-found', `not found (${error.request?.method ?? 'GET'} ${(error.request?.url ?? '').replace(ctx.baseUrl, '')}) — check the repository name and the token's access`, status);
	if (status === 422 || status === 400) return make('invalid', `GitHub refused the request (${status}): ${message}`, status);
	if (status >= 500) return make('server', `GitHub answered ${status} (${message}) and kept failing after retries`, status);
	return make('refused', `GitHub refused the request (${status}): ${message}`, status);
}

// ---------------------------------------------------------------------------------------------
// Octokit

/** A limiter that never waits: stands in for the plugin's write/notification pacing groups. */
const unpaced = {key: () => ({schedule: (_options: unknown, fn: (...a: unknown[]) => unknown, ...args: unknown[]) => fn(...args)})};

function isLoopback(baseUrl: string): boolean {
	const host = new URL(baseUrl).hostname;
	return host === '127.0.0.1' || host === 'localhost' || host === '[::1]';
}

/** Every Octokit this process made: a session should make one per environment (tests count them). */
export const gitHubClientsMade = {count: 0};

export async function createGitHubClient(options: ClientOptions = {}): Promise<GitHubClient> {
	const env = options.env ?? process.env;
	const {baseUrl, host} = options.baseUrl ? {baseUrl: options.baseUrl.replace(/\/+$/, ''), host: new URL(options.baseUrl).host} : resolveBaseUrl(env);
	const {token, source} = options.token ? {token: options.token, source: 'the configured token'} : await resolveToken(env, host, options.ghAuthToken);
	const redact = (text: string) => (token.length >= 4 ? text.split(token).join('***') : text);
	const [{Octokit}, {retry}, {throttling}] = await Promise.all([
		import('@octokit/rest'), import('@octokit/plugin-retry'), import('@octokit/plugin-throttling'),
	]);
	const base = options.retryBaseMs ?? 1000;
	const maxSecondary = options.maxSecondaryWaitSeconds ?? 60;
	const maxPrimary = options.maxRateLimitWaitSeconds ?? 0;
	const pacing = options.pacing ?? !isLoopback(baseUrl);
	const stats = {attempts: 0};
	const notify = (reason: RetryNotice['reason'], retryAfter: number, req: {method: string; url: string}, count: number) =>
		options.onRetry?.({reason, retryAfterSeconds: retryAfter, attempt: count + 1, method: req.method, url: req.url});
	const Client = Octokit.plugin(retry, throttling);
	gitHubClientsMade.count++;
	const silent = () => {};
	const octokit = new Client({
		auth: token,
		baseUrl,
		userAgent: 'runbook',
		// Octokit's own warnings would land on the TUI's terminal.
		log: {debug: silent, info: silent, warn: silent, error: silent},
		request: {
			fetch: (url: string, init: RequestInit) => {
				stats.attempts++;
				return fetch(url, init);
			},
		},
		// 405 (a PR that cannot be merged yet) and 409 (a conflict) are answers, not hiccups: retrying them only makes
		// the operator wait ~14 s for the same answer.
		retry: {retries: options.retries ?? 3, retryAfterBaseValue: base, doNotRetry: [400, 401, 403, 404, 405, 409, 410, 422, 451]},
		throttle: {
			retryAfterBaseValue: base,
			onSecondaryRateLimit: (retryAfter: number, req: {method: string; url: string}, _o: unknown, count: number) => {
				if (count >= 3 || retryAfter > maxSecondary) return false;
				notify('secondary-limit', retryAfter, req, count);
				return true;
			},
			onRateLimit: (retryAfter: number, req: {method: string; url: string}, _o: unknown, count: number) => {
				if (count >= 1 || retryAfter > maxPrimary) return false;
				notify('rate-limit', retryAfter, req, count);
				return true;
			},
			...(pacing ? {} : {write: unpaced, notifications: unpaced, search: unpaced}),
		} as never,
	}) as unknown as Octokit;
	const client: GitHubClient = {
		octokit, baseUrl, host, tokenSource: source, stats, redact,
		explain: (error, what) => explainError(error, {baseUrl, tokenSource: source, redact, what}),
	};
	return client;
}

/** `GET /user`, checking the token's classic scopes (fine-grained and Actions tokens list none). */
export async function verifyAccess(client: GitHubClient, needed: string[] = NEEDED_SCOPES): Promise<{login: string; scopes: string[] | undefined}> {
	let response;
	try {
		response = await client.octokit.request('GET /user');
	} catch (error) {
		throw client.explain(error);
	}
	const header = response.headers['x-oauth-scopes'];
	const scopes = header === undefined ? undefined : header.split(',').map(s => s.trim()).filter(Boolean);
	if (scopes) {
		// `repo` implies its sub-scopes; `admin:org` implies `read:org`, and so on.
		const has = (s: string) => scopes.includes(s) || scopes.some(g => s.startsWith(`${g}:`) || (s.startsWith('read:') && g.endsWith(`:${s.slice(5)}`)));
		const missing = needed.filter(s => !has(s));
		if (missing.length) {
			throw new GitHubError('missing-scopes', `The token from ${client.tokenSource} lacks the scope${missing.length > 1 ? 's' : ''} ${missing.join(', ')} (it has: ${scopes.join(', ') || 'none'}); refresh it with \`gh auth refresh -s ${missing.join(',')}\`.`, 403);
		}
	}
	return {login: (response.data as {login: string}).login, scopes};
}

// ---------------------------------------------------------------------------------------------
// Conditional GETs

export interface CachedEntry {
	etag: string;
	data: unknown;
}

/** Remembered ETags and bodies, per route and parameters. */
export class EtagCache {
	private readonly entries = new Map<string, CachedEntry>();
	/** Requests answered 200 and 304. */
	readonly counts = {ok: 0, notModified: 0};

	get(key: string): CachedEntry | undefined {
		return this.entries.get(key);
	}

	set(key: string, entry: CachedEntry): void {
		this.entries.set(key, entry);
	}
}

/**
 * GET with `If-None-Match`: a 304 (which costs no rate limit) returns the remembered body with
 * `changed: false`. Octokit throws 304s; they are not failures here.
 */
export async function conditionalGet<T>(client: GitHubClient, cache: EtagCache, route: string, params: Record<string, unknown>): Promise<{data: T; changed: boolean}> {
	const key = `${route} ${JSON.stringify(params)}`;
	const hit = cache.get(key);
	try {
		const response = await client.octokit.request(route, {...params, headers: hit ? {'if-none-match': hit.etag} : {}});
		cache.counts.ok++;
		const etag = response.headers.etag;
		if (etag) cache.set(key, {etag, data: response.data});
		return {data: response.data as T, changed: true};
	} catch (error) {
		if (isRequestError(error) && error.status === 304 && hit) {
			cache.counts.notModified++;
			return {data: hit.data as T, changed: false};
		}
		throw client.explain(error);
	}
}
