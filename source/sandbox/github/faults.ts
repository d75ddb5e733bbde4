// Failures on demand: GitHub's secondary rate limit (403 + retry-after), 5xx answers, and an
// exhausted primary rate limit. Queued faults hit the next matching requests, then go away.
import type {World} from './world.js';

export type FaultKind = 'secondary-rate-limit' | 'server-error';

export interface QueuedFault {
	kind: FaultKind;
	/** How many matching requests fail. */
	remaining: number;
	retryAfter: number;
	status: number;
	/** Only requests whose path contains this (after /api/v3 is stripped). */
	path?: string;
	method?: string;
}

export interface FaultRequest {
	fault: FaultKind | 'rate-limit-exhausted' | 'clear';
	count?: number;
	retryAfter?: number;
	status?: number;
	path?: string;
	method?: string;
	/** For rate-limit-exhausted: seconds until the window resets (default 3600). */
	resetIn?: number;
	login?: string;
}

export class GitHubFaults {
	private queue: QueuedFault[] = [];

	constructor(private readonly world: World) {}

	/** The next `count` matching requests get 403 "You have exceeded a secondary rate limit" with `retry-after`. */
	secondaryRateLimit(options: {count?: number; retryAfter?: number; path?: string; method?: string} = {}): void {
		this.queue.push({kind: 'secondary-rate-limit', remaining: options.count ?? 1, retryAfter: options.retryAfter ?? 1, status: 403, path: options.path, method: options.method});
	}

	/** The next `count` matching requests get a 5xx (502 by default). */
	serverError(options: {count?: number; status?: number; path?: string; method?: string} = {}): void {
		this.queue.push({kind: 'server-error', remaining: options.count ?? 1, retryAfter: 0, status: options.status ?? 502, path: options.path, method: options.method});
	}

	/** Spends `login`'s primary rate limit (every token of it); the window resets in `resetIn` seconds. */
	exhaustRateLimit(options: {login?: string; resetIn?: number} = {}): void {
		for (const user of this.world.tokens.values()) {
			if (options.login && user.login !== options.login) continue;
			user.rate.used += user.rate.remaining;
			user.rate.remaining = 0;
			user.rate.reset = Math.floor(Date.now() / 1000) + (options.resetIn ?? 3600);
		}
	}

	clear(): void {
		this.queue = [];
		for (const user of this.world.tokens.values()) user.rate = {...user.rate, remaining: user.rate.limit, used: 0};
	}

	apply(request: FaultRequest): void {
		switch (request.fault) {
			case 'secondary-rate-limit': return this.secondaryRateLimit(request);
			case 'server-error': return this.serverError(request);
			case 'rate-limit-exhausted': return this.exhaustRateLimit(request);
			case 'clear': return this.clear();
			default: throw new Error(`unknown fault ${String((request as {fault?: unknown}).fault)}`);
		}
	}

	/** The fault this request runs into, if any (consumed). */
	take(method: string, path: string): QueuedFault | undefined {
		const fault = this.queue.find(f => (!f.path || path.includes(f.path)) && (!f.method || f.method.toUpperCase() === method));
		if (!fault) return undefined;
		fault.remaining--;
		if (fault.remaining <= 0) this.queue = this.queue.filter(f => f !== fault);
		return {...fault};
	}
}
