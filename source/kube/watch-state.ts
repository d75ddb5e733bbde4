// The public face of a ResourceWatch: its state, options and listener, kept apart from the
// reconnection machinery so the panes can import the types without it.
import type {KubeClient} from './client.js';
import type {KubeObject, ResourceKind} from './types.js';

export type WatchStatus = 'connecting' | 'live' | 'reconnecting' | 'stale' | 'error';

export interface WatchState<T extends KubeObject = KubeObject> {
	/** By metadata.name. The same Map is updated in place: read it, never mutate it. */
	items: ReadonlyMap<string, T>;
	resourceVersion: string;
	status: WatchStatus;
	/** When the server last proved the items current (list, watch opened, event, bookmark); ms epoch. */
	lastEventAt: number | null;
	lastError: string | null;
	/** When the last complete LIST arrived. */
	syncedAt: number | null;
	/** Bumped on every change to the items or the status. */
	version: number;
	/** Bumped only when names come or go (or on relist), so name-sorted views re-sort only then. */
	membershipVersion: number;
}

export interface ResourceWatchOptions<T extends KubeObject> {
	client: Pick<KubeClient, 'list' | 'watch'>;
	kind: ResourceKind;
	namespace: string;
	labelSelector?: string;
	fieldSelector?: string;
	/** Listener calls are coalesced to at most one per this many ms (default 100). */
	batchMs?: number;
	/** A watch silent for this long is restarted (default 30 s; the sandbox bookmarks every 15 s / speed). */
	watchdogMs?: number;
	backoffInitialMs?: number;
	backoffMaxMs?: number;
	/** Reconnecting for this long since the last contact turns the status to `stale` (default 10 s). */
	staleAfterMs?: number;
	/** A LIST that has not answered after this long is abandoned and retried (default 30 s). */
	listTimeoutMs?: number;
	/** Called synchronously for each change applied to the cache (a relist reports its differences). */
	onEvent?: (type: 'ADDED' | 'MODIFIED' | 'DELETED', object: T) => void;
	now?: () => number;
}

export type WatchListener<T extends KubeObject> = (state: WatchState<T>) => void;

/** True only for data the server has vouched for on a live watch: the panes never show anything else as fresh. */
export function isFresh(state: Pick<WatchState, 'status'>): boolean {
	return state.status === 'live';
}
