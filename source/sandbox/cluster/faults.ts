// Fault injection, so the TUI's watch recovery (reconnect, relist on 410, watchdog for silent
// stalls, backing off on 5xx) can be exercised against misbehaviour real clusters show.
import {type DenyRule, denyRule, type RequestAttributes, ruleDenies} from './authorization.js';
import type {ObjectStore} from './store.js';
import {ApiError} from './types.js';
import type {WatchHub} from './watch.js';

export type FaultRequest =
	| {fault: 'drop-watches'; mode?: 'reset' | 'close'}
	| {fault: 'fail-500'; seconds: number}
	| {fault: 'stall-watches'; seconds?: number}
	| {fault: 'expire-history'}
	| {fault: 'deny'; resource: string; verbs: string[]; namespace?: string; group?: string}
	| {fault: 'clear'};

export interface FaultState {
	failingUntil: number | null;
	openWatches: number;
	/** The deny rules in force: requests they match answer 403 as RBAC would. */
	denials: DenyRule[];
}

export class Faults {
	private failUntil = 0;
	private readonly denials: DenyRule[] = [];

	constructor(
		private readonly watches: WatchHub,
		private readonly store: ObjectStore,
	) {}

	/** Closes every open watch now; returns how many there were. */
	dropWatches(mode: 'reset' | 'close' = 'reset'): number {
		return this.watches.dropAll(mode);
	}

	/** Every API request answers 500 InternalError for the next `seconds`. */
	fail500(seconds: number): void {
		this.failUntil = Date.now() + seconds * 1000;
	}

	/**
	 * Open watches go silent for good (a half-dead connection never recovers), and watches opened
	 * during the next `seconds` (default: none) are born silent.
	 */
	stallWatches(seconds = 0): number {
		return this.watches.stall(seconds * 1000);
	}

	/** Forgets the watch history: resuming from any resourceVersion seen so far gets 410 Gone. */
	expireHistory(): void {
		this.store.expireHistory();
	}

	/** From now on, requests matching the rule (resource, verbs, optionally namespace) are refused with 403 Forbidden. */
	deny(rule: {resource: string; verbs: string[]; namespace?: string; group?: string}): DenyRule {
		const parsed = denyRule(rule);
		this.denials.push(parsed);
		return parsed;
	}

	/** Whether a request with these attributes is refused. */
	denies(attributes: RequestAttributes): boolean {
		return this.denials.some(rule => ruleDenies(rule, attributes));
	}

	get denyRules(): readonly DenyRule[] {
		return this.denials;
	}

	clear(): void {
		this.failUntil = 0;
		this.denials.length = 0;
		this.watches.clearStall();
	}

	isFailing(now = Date.now()): boolean {
		return now < this.failUntil;
	}

	state(): FaultState {
		return {failingUntil: this.isFailing() ? this.failUntil : null, openWatches: this.watches.openCount, denials: [...this.denials]};
	}

	/** The body of `POST /sandbox/faults`. */
	apply(request: unknown): FaultState & {affected?: number} {
		const r = (request ?? {}) as Partial<FaultRequest> & {seconds?: unknown; mode?: unknown};
		const seconds = Number(r.seconds ?? 0);
		switch (r.fault) {
			case 'drop-watches':
				return {...this.state(), affected: this.dropWatches(r.mode === 'close' ? 'close' : 'reset')};
			case 'fail-500':
				if (!(seconds > 0)) throw new ApiError(400, 'BadRequest', 'fail-500 needs seconds > 0');
				this.fail500(seconds);
				return this.state();
			case 'stall-watches':
				return {...this.state(), affected: this.stallWatches(Number.isFinite(seconds) ? seconds : 0)};
			case 'expire-history':
				this.expireHistory();
				return this.state();
			case 'deny':
				this.deny(r as {resource: string; verbs: string[]});
				return this.state();
			case 'clear':
				this.clear();
				return this.state();
			default:
				throw new ApiError(400, 'BadRequest', 'fault must be one of drop-watches, fail-500, stall-watches, expire-history, deny, clear');
		}
	}
}
