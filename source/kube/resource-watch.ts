// A list+watch cache (an informer) for one namespaced kind, written out instead of using
// client-node's makeInformer because that one stops for good on ECONNRESET, 5xx and refused
// connections, and cannot notice a silently dead stream (client-node #364, #596, #958).
//
// LIST, then WATCH from the list's resourceVersion with bookmarks; a clean close re-watches from
// the last resourceVersion seen; 410 Expired relists; errors retry with jittered exponential
// backoff; a watchdog restarts a watch that has been silent (not even a bookmark) too long.
// Listeners are called at most once per `batchMs`, so a burst of events costs one redraw.
// The items are kept through outages, and `status` says whether they are current.
import type {WatchEventType} from './client.js';
import {describeError} from './client.js';
import type {KubeObject} from './types.js';
import type {ResourceWatchOptions, WatchListener, WatchState, WatchStatus} from './watch-state.js';

export {isFresh} from './watch-state.js';
export type {ResourceWatchOptions, WatchListener, WatchState, WatchStatus} from './watch-state.js';

export class ResourceWatch<T extends KubeObject = KubeObject> {
	private readonly items = new Map<string, T>();
	private resourceVersion = '';
	private status: WatchStatus = 'connecting';
	private lastEventAt: number | null = null;
	private lastError: string | null = null;
	private syncedAt: number | null = null;
	private version = 0;
	private membershipVersion = 0;

	private readonly listeners = new Set<WatchListener<T>>();
	/** Every list/watch attempt takes a new generation; callbacks of older ones are ignored. */
	private generation = 0;
	private watchController: AbortController | null = null;
	private listController: AbortController | null = null;
	/** What is in flight: the watchdog judges silence against `activityAt`. */
	private phase: 'idle' | 'listing' | 'opening' | 'watching' | 'waiting' = 'idle';
	private activityAt = 0;
	private failures = 0;
	/** When the items stopped being known current (the live watch ended or went silent). */
	private interruptedAt = 0;
	private stopped = false;
	private started = false;
	private flushTimer: NodeJS.Timeout | null = null;
	private retryTimer: NodeJS.Timeout | null = null;
	private watchdogTimer: NodeJS.Timeout | null = null;

	private readonly batchMs: number;
	private readonly watchdogMs: number;
	private readonly backoffInitialMs: number;
	private readonly backoffMaxMs: number;
	private readonly staleAfterMs: number;
	private readonly listTimeoutMs: number;
	private readonly now: () => number;

	constructor(private readonly options: ResourceWatchOptions<T>) {
		this.batchMs = options.batchMs ?? 100;
		this.watchdogMs = options.watchdogMs ?? 30_000;
		this.backoffInitialMs = options.backoffInitialMs ?? 500;
		// Short enough that an API server back from a restart (a sandbox restarted on its state directory) is seen within seconds.
		this.backoffMaxMs = options.backoffMaxMs ?? 4000;
		this.staleAfterMs = options.staleAfterMs ?? 10_000;
		this.listTimeoutMs = options.listTimeoutMs ?? 30_000;
		this.now = options.now ?? Date.now;
	}

	get state(): WatchState<T> {
		return {
			items: this.items,
			resourceVersion: this.resourceVersion,
			status: this.status,
			lastEventAt: this.lastEventAt,
			lastError: this.lastError,
			syncedAt: this.syncedAt,
			version: this.version,
			membershipVersion: this.membershipVersion,
		};
	}

	subscribe(listener: WatchListener<T>): () => void {
		this.listeners.add(listener);
		return () => this.listeners.delete(listener);
	}

	start(): this {
		if (this.started || this.stopped) return this;
		this.started = true;
		const tick = Math.max(50, Math.min(1000, this.watchdogMs / 4));
		this.watchdogTimer = setInterval(() => this.checkHealth(), tick);
		this.watchdogTimer.unref();
		void this.relist();
		return this;
	}

	stop(): void {
		this.stopped = true;
		this.generation++;
		this.watchController?.abort();
		this.listController?.abort();
		this.watchController = this.listController = null;
		for (const t of [this.flushTimer, this.retryTimer]) if (t) clearTimeout(t);
		if (this.watchdogTimer) clearInterval(this.watchdogTimer);
		this.flushTimer = this.retryTimer = this.watchdogTimer = null;
		this.phase = 'idle';
	}

	private selectors(): Record<string, string | undefined> {
		return {labelSelector: this.options.labelSelector, fieldSelector: this.options.fieldSelector};
	}

	private async relist(): Promise<void> {
		const gen = ++this.generation;
		this.abortWatch();
		const controller = new AbortController();
		this.listController = controller;
		this.phase = 'listing';
		this.activityAt = this.now();
		let result: {items: T[]; resourceVersion: string};
		try {
			const signal = AbortSignal.any([controller.signal, AbortSignal.timeout(this.listTimeoutMs)]);
			result = await this.options.client.list<T>(this.options.kind, this.options.namespace, this.selectors(), signal);
		} catch (error) {
			if (gen === this.generation && !this.stopped) this.fail(error, 'list');
			return;
		}
		if (gen !== this.generation || this.stopped) return;
		this.listController = null;
		this.replaceAll(result.items);
		this.resourceVersion = result.resourceVersion;
		this.syncedAt = this.lastEventAt = this.now();
		this.lastError = null;
		this.changed();
		void this.startWatch();
	}

	/** A relist's result replaces the cache; differences go to onEvent like watch events would. */
	private replaceAll(list: T[]): void {
		const onEvent = this.options.onEvent;
		const next = new Map<string, T>();
		for (const item of list) next.set(item.metadata.name, item);
		if (onEvent) {
			for (const [name, old] of this.items) if (!next.has(name)) onEvent('DELETED', old);
		}
		const old = onEvent ? new Map(this.items) : null;
		this.items.clear();
		for (const [name, item] of next) {
			this.items.set(name, item);
			if (old && onEvent) {
				const before = old.get(name);
				if (!before) onEvent('ADDED', item);
				else if (before.metadata.resourceVersion !== item.metadata.resourceVersion) onEvent('MODIFIED', item);
			}
		}
		this.membershipVersion++;
	}

	private async startWatch(): Promise<void> {
		const gen = ++this.generation;
		this.phase = 'opening';
		const openedAt = (this.activityAt = this.now());
		let received = false;
		let expired = false;
		let streamError: string | null = null;
		let ended = false;
		// client-go's reflector also asks for a 5-10 min server timeout, so no stream lives forever behind a proxy.
		const timeoutSeconds = 300 + Math.floor(Math.random() * 300);
		const onEvent = (type: WatchEventType, object: unknown) => {
			if (gen !== this.generation) return;
			received = true;
			this.activityAt = this.lastEventAt = this.now();
			if (type === 'ERROR') {
				const status = (object ?? {}) as {code?: number; message?: string};
				if (status.code === 410) expired = true;
				else streamError = status.message ?? `watch error ${status.code ?? ''}`.trim();
				return;
			}
			this.apply(type, object as T);
		};
		const onDone = (error: unknown) => {
			ended = true;
			if (gen !== this.generation || this.stopped) return;
			this.watchEnded(error, {expired, streamError, received, openedAt});
		};
		let controller: AbortController;
		try {
			controller = await this.options.client.watch(
				this.options.kind,
				this.options.namespace,
				{...this.selectors(), resourceVersion: this.resourceVersion, allowWatchBookmarks: true, timeoutSeconds},
				onEvent,
				onDone,
			);
		} catch (error) {
			if (!ended) onDone(error);
			return;
		}
		if (gen !== this.generation || this.stopped) {
			controller.abort();
			return;
		}
		if (ended) return;
		this.watchController = controller;
		this.phase = 'watching';
		// The server accepted our resourceVersion: anything newer would be streamed, so the items are current.
		this.failures = 0;
		this.lastError = null;
		this.activityAt = this.lastEventAt = this.now();
		this.setStatus('live');
	}

	/** A watch stream ended: relist if its resourceVersion expired, fail if it broke, else watch again. */
	private watchEnded(error: unknown, stream: {expired: boolean; streamError: string | null; received: boolean; openedAt: number}): void {
		this.watchController = null;
		this.phase = 'idle';
		if (stream.expired || describeError(error).code === 410) {
			// Our resourceVersion fell out of the server's history: only a fresh LIST is consistent again.
			this.lastError = 'watch expired (410); relisting';
			this.markInterrupted();
			void this.relist();
		} else if (error) {
			this.fail(error, 'watch');
		} else if (stream.streamError) {
			this.fail(new Error(stream.streamError), 'watch');
		} else if (!stream.received && this.now() - stream.openedAt < 1000) {
			// Closing at once with nothing sent, again and again, must not become a hot loop.
			this.fail(new Error('watch closed immediately'), 'watch');
		} else {
			this.markInterrupted();
			void this.startWatch();
		}
	}

	private apply(type: WatchEventType, object: T): void {
		const rv = object?.metadata?.resourceVersion;
		if (rv) this.resourceVersion = rv;
		if (type === 'BOOKMARK') return;
		const name = object.metadata.name;
		if (type === 'DELETED') {
			if (this.items.delete(name)) this.membershipVersion++;
		} else {
			if (!this.items.has(name)) this.membershipVersion++;
			this.items.set(name, object);
		}
		this.options.onEvent?.(type as 'ADDED' | 'MODIFIED' | 'DELETED', object);
		this.changed();
	}

	private abortWatch(): void {
		this.watchController?.abort();
		this.watchController = null;
	}

	/**
	 * The stream ended or went silent (`since`: when it last spoke); the items stay, no longer known
	 * to be current, and turn `stale` once that has lasted `staleAfterMs`.
	 */
	private markInterrupted(since = this.now()): void {
		if (this.syncedAt === null) return;
		if (this.status === 'live' || this.status === 'connecting') this.interruptedAt = since;
		this.setStatus(this.now() - this.interruptedAt >= this.staleAfterMs ? 'stale' : 'reconnecting');
	}

	private fail(error: unknown, during: 'list' | 'watch'): void {
		const info = describeError(error);
		this.lastError = `${during}: ${info.message}`;
		this.failures++;
		this.phase = 'waiting';
		if (this.syncedAt === null || !info.transient) this.setStatus('error');
		else this.markInterrupted();
		this.changed();
		const base = Math.min(this.backoffMaxMs, this.backoffInitialMs * 2 ** (this.failures - 1));
		const delay = base * (0.75 + Math.random() * 0.5);
		const again = during === 'list' || this.resourceVersion === '' ? () => this.relist() : () => this.startWatch();
		this.retryTimer = setTimeout(() => {
			this.retryTimer = null;
			if (!this.stopped) void again();
		}, delay);
		this.retryTimer.unref();
	}

	private checkHealth(): void {
		if (this.stopped) return;
		const now = this.now();
		if ((this.phase === 'watching' || this.phase === 'opening') && now - this.activityAt > this.watchdogMs) {
			// A half-dead connection looks exactly like a quiet namespace, except that even bookmarks stop.
			this.lastError = `watch silent for ${Math.round((now - this.activityAt) / 1000)}s; restarting it`;
			this.generation++;
			this.abortWatch();
			this.markInterrupted(this.activityAt);
			this.changed();
			void this.startWatch();
			return;
		}
		if (this.status === 'reconnecting' && now - this.interruptedAt >= this.staleAfterMs) {
			this.setStatus('stale');
		}
	}

	private setStatus(status: WatchStatus): void {
		if (this.status === status) return;
		this.status = status;
		this.changed();
	}

	/** Trailing-edge batching: the first change arms one timer; everything until it fires rides along. */
	private changed(): void {
		this.version++;
		if (this.flushTimer || this.stopped) return;
		this.flushTimer = setTimeout(() => this.flush(), this.batchMs);
	}

	private flush(): void {
		this.flushTimer = null;
		if (this.stopped) return;
		const state = this.state;
		for (const listener of this.listeners) {
			try {
				listener(state);
			} catch (error) {
				process.emitWarning(`resource watch listener failed: ${String(error)}`);
			}
		}
	}
}
