// Watches that start, stop and notify together (the namespace's pods and events; a workload and its history),
// with one version for useSyncExternalStore: the screen subscribes to a group, never holds watch state itself.
import type {ResourceWatch} from './resource-watch.js';
import type {KubeObject} from './types.js';

export class WatchGroup {
	private version = 0;
	private readonly listeners = new Set<() => void>();
	private unsubscribe: Array<() => void> = [];
	private stopped = false;

	/** `key` says what the group watches: a screen shows a group's state only under the same key. */
	constructor(
		readonly key: string,
		private readonly watches: Array<ResourceWatch<KubeObject>>,
	) {}

	start(): this {
		if (this.stopped || this.unsubscribe.length) return this;
		this.unsubscribe = this.watches.map(w =>
			w.subscribe(() => {
				this.version++;
				for (const listener of this.listeners) listener();
			}),
		);
		for (const w of this.watches) w.start();
		return this;
	}

	stop(): void {
		this.stopped = true;
		for (const u of this.unsubscribe) u();
		this.unsubscribe = [];
		for (const w of this.watches) w.stop();
		this.listeners.clear();
	}

	/** Moves whenever any watch of the group has news (already batched by each watch). */
	snapshot = (): number => this.version;

	subscribe = (listener: () => void): (() => void) => {
		this.listeners.add(listener);
		return () => this.listeners.delete(listener);
	};
}
