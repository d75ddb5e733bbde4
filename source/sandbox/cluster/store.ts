// In-memory object store: one global resourceVersion counter (like etcd's revision) and a bounded
// history of writes so watches can resume from a resourceVersion until it falls out of the window.
import {randomUUID} from 'node:crypto';
import {ApiError, clone, isoSeconds, type KubeObject, type StoreEvent, type WatchEventType} from './types.js';

interface Bucket {
	objects: Map<string, KubeObject>;
	sorted: string[] | null;
}

export type StoreListener = (event: StoreEvent) => void;

export class ObjectStore {
	private rv = 0;
	private readonly data = new Map<string, Map<string, Bucket>>();
	private history: StoreEvent[] = [];
	/** A watch from resourceVersion N can resume only if N >= this (every later write is retained). */
	private oldestResumable = 0;
	private readonly listeners = new Set<StoreListener>();
	private readonly pending: StoreEvent[] = [];
	private dispatching = false;

	constructor(private readonly historyLimit = 20_000) {}

	currentRv(): number {
		return this.rv;
	}

	get(resource: string, namespace: string | undefined, name: string): KubeObject | undefined {
		return this.data.get(resource)?.get(namespace ?? '')?.objects.get(name);
	}

	/** Objects in API order (namespace, then name). Returned objects are shared: never mutate them. */
	list(resource: string, namespace?: string): KubeObject[] {
		const byNs = this.data.get(resource);
		if (!byNs) return [];
		const namespaces = namespace !== undefined ? [namespace] : [...byNs.keys()].sort();
		const out: KubeObject[] = [];
		for (const ns of namespaces) {
			const bucket = byNs.get(ns);
			if (!bucket) continue;
			bucket.sorted ??= [...bucket.objects.keys()].sort();
			for (const name of bucket.sorted) out.push(bucket.objects.get(name)!);
		}
		return out;
	}

	count(resource: string): number {
		let n = 0;
		for (const bucket of this.data.get(resource)?.values() ?? []) n += bucket.objects.size;
		return n;
	}

	/** Stores a new object, filling uid, creationTimestamp and resourceVersion as the server would. */
	create(resource: string, input: KubeObject, kind = 'object'): KubeObject {
		const obj = clone(input);
		const ns = obj.metadata.namespace ?? '';
		if (this.get(resource, ns, obj.metadata.name)) {
			throw new ApiError(409, 'AlreadyExists', `${kind} "${obj.metadata.name}" already exists`, {name: obj.metadata.name, kind});
		}
		obj.metadata.uid ??= randomUUID();
		obj.metadata.creationTimestamp ??= isoSeconds(Date.now());
		this.write(resource, obj, 'ADDED');
		return obj;
	}

	/** Replaces an existing object wholesale; callers own the object they pass in. */
	replace(resource: string, obj: KubeObject): KubeObject {
		if (!this.get(resource, obj.metadata.namespace, obj.metadata.name)) {
			throw new ApiError(404, 'NotFound', `"${obj.metadata.name}" not found`);
		}
		this.write(resource, obj, 'MODIFIED');
		return obj;
	}

	/**
	 * Clone, let `fn` edit the copy, and write it only if something changed, so controllers can
	 * reconcile every tick without bumping resourceVersions for nothing.
	 */
	mutate(resource: string, namespace: string | undefined, name: string, fn: (draft: KubeObject) => void): KubeObject | undefined {
		const current = this.get(resource, namespace, name);
		if (!current) return undefined;
		const draft = clone(current);
		fn(draft);
		draft.metadata.resourceVersion = current.metadata.resourceVersion;
		if (JSON.stringify(draft) === JSON.stringify(current)) return current;
		this.write(resource, draft, 'MODIFIED');
		return draft;
	}

	remove(resource: string, namespace: string | undefined, name: string): KubeObject | undefined {
		const current = this.get(resource, namespace, name);
		if (!current) return undefined;
		const bucket = this.data.get(resource)!.get(namespace ?? '')!;
		bucket.objects.delete(name);
		bucket.sorted = null;
		const gone = {...current, metadata: {...current.metadata, resourceVersion: String(++this.rv)}};
		this.record({type: 'DELETED', resource, rv: this.rv, object: gone});
		return gone;
	}

	subscribe(listener: StoreListener): () => void {
		this.listeners.add(listener);
		return () => this.listeners.delete(listener);
	}

	/** Writes after `rv`, or 'expired' when some of them already fell out of the window (or were never seen here). */
	eventsSince(rv: number): StoreEvent[] | 'expired' {
		// A resourceVersion ahead of ours was handed out by an earlier run whose last writes were not saved.
		if (rv < this.oldestResumable || rv > this.rv) return 'expired';
		let lo = 0;
		let hi = this.history.length;
		while (lo < hi) {
			const mid = (lo + hi) >> 1;
			if (this.history[mid]!.rv <= rv) lo = mid + 1;
			else hi = mid;
		}
		return this.history.slice(lo);
	}

	/** Every object by resource, and the counter: what a restart needs to bring the same world back. */
	dump(): {rv: number; objects: Record<string, KubeObject[]>} {
		const objects: Record<string, KubeObject[]> = {};
		for (const resource of this.data.keys()) objects[resource] = this.list(resource);
		return {rv: this.rv, objects};
	}

	/**
	 * Puts a dumped world back, silently (no listener hears it: controllers read it on their next tick). Watches from
	 * before the restart cannot resume across it: their history is gone, so they get 410 and relist, as after an etcd restore.
	 */
	load(saved: {rv: number; objects: Record<string, KubeObject[]>}): void {
		this.data.clear();
		for (const [resource, list] of Object.entries(saved.objects)) {
			const byNs = new Map<string, Bucket>();
			for (const obj of list) {
				const ns = obj.metadata.namespace ?? '';
				let bucket = byNs.get(ns);
				if (!bucket) byNs.set(ns, (bucket = {objects: new Map(), sorted: null}));
				bucket.objects.set(obj.metadata.name, obj);
			}
			this.data.set(resource, byNs);
		}
		this.rv = saved.rv;
		this.history = [];
		this.oldestResumable = saved.rv;
	}

	/** Forget the history so any watch resuming from an older resourceVersion gets 410 Gone. */
	expireHistory(): void {
		this.history = [];
		this.oldestResumable = this.rv;
	}

	private write(resource: string, obj: KubeObject, type: WatchEventType): void {
		const ns = obj.metadata.namespace ?? '';
		let byNs = this.data.get(resource);
		if (!byNs) this.data.set(resource, (byNs = new Map()));
		let bucket = byNs.get(ns);
		if (!bucket) byNs.set(ns, (bucket = {objects: new Map(), sorted: null}));
		const prev = bucket.objects.get(obj.metadata.name);
		if (!prev) bucket.sorted = null;
		obj.metadata.resourceVersion = String(++this.rv);
		bucket.objects.set(obj.metadata.name, obj);
		this.record({type, resource, rv: this.rv, object: obj, ...(prev ? {prev} : {})});
	}

	private record(event: StoreEvent): void {
		this.history.push(event);
		// Trim in batches so the ring stays amortised O(1) per write.
		if (this.history.length > this.historyLimit * 1.25) {
			const drop = this.history.length - this.historyLimit;
			this.oldestResumable = this.history[drop - 1]!.rv;
			this.history = this.history.slice(drop);
		}
		this.pending.push(event);
		if (this.dispatching) return;
		// Listeners (controllers) may write again; queue those so every listener sees events in order.
		this.dispatching = true;
		try {
			while (this.pending.length > 0) {
				const next = this.pending.shift()!;
				for (const listener of this.listeners) {
					try {
						listener(next);
					} catch (error) {
						process.emitWarning(`sandbox store listener failed: ${String(error)}`);
					}
				}
			}
		} finally {
			this.dispatching = false;
		}
	}
}
