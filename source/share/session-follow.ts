// The follower's side of a shared session: one list+watch of the session's ConfigMaps (ResourceWatch reconnects on a
// dropped stream, relists on 410 and restarts a silent one), folded into head, ordered events and branches. Listener
// calls are batched briefly, not the 100 ms the panes use: a follower must show the driver's tick within a second.

import type {KubeClient} from '../kube/client.js';
import {ResourceWatch, type WatchState, type WatchStatus} from '../kube/resource-watch.js';
import type {SessionEvent} from '../session/events.js';
import {type ConfigMap, type FoldCache, foldSession, type SessionSnapshot, sessionSelector} from './log-fold.js';
import type {Branch, SessionHead} from './types.js';

export interface SessionFollowOptions {
  client: Pick<KubeClient, 'list' | 'watch'>;
  namespace: string;
  sessionId: string;
  /** Listener calls at most once per this many ms (default 20). */
  batchMs?: number;
  watchdogMs?: number;
}

export interface FollowState extends SessionSnapshot {
  status: WatchStatus;
  lastError: string | null;
  /** When the server last proved the copy current (ms epoch). */
  lastEventAt: number | null;
}

const EMPTY: SessionSnapshot = {head: null, events: [], branches: [], chunks: 0};

export class SessionFollow {
  private readonly watch: ResourceWatch<ConfigMap>;
  private readonly cache: FoldCache = new Map();
  private snapshot: SessionSnapshot = EMPTY;
  private foldedVersion = -1;
  private watchState: WatchState<ConfigMap> | null = null;
  private readonly listeners = new Set<(state: FollowState) => void>();
  private unsubscribe: (() => void) | null = null;

  constructor(options: SessionFollowOptions) {
    this.watch = new ResourceWatch<ConfigMap>({
      client: options.client,
      kind: 'configmaps',
      namespace: options.namespace,
      labelSelector: sessionSelector(options.sessionId),
      batchMs: options.batchMs ?? 20,
      ...(options.watchdogMs !== undefined ? {watchdogMs: options.watchdogMs} : {}),
    });
  }

  start(): this {
    this.unsubscribe ??= this.watch.subscribe(state => this.changed(state));
    this.watch.start();
    return this;
  }

  stop(): void {
    this.unsubscribe?.();
    this.unsubscribe = null;
    this.watch.stop();
  }

  onChange(listener: (state: FollowState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get state(): FollowState {
    const w = this.watchState ?? this.watch.state;
    return {...this.snapshot, status: w.status, lastError: w.lastError, lastEventAt: w.lastEventAt};
  }

  head(): SessionHead | null {
    return this.snapshot.head;
  }

  events(): readonly SessionEvent[] {
    return this.snapshot.events;
  }

  branches(): readonly Branch[] {
    return this.snapshot.branches;
  }

  status(): WatchStatus {
    return (this.watchState ?? this.watch.state).status;
  }

  private changed(state: WatchState<ConfigMap>): void {
    this.watchState = state;
    // The items map is updated in place: the version says whether anything changed since the last fold.
    if (state.version !== this.foldedVersion) {
      this.foldedVersion = state.version;
      this.snapshot = foldSession(state.items.values(), this.cache);
    }
    const out = this.state;
    for (const listener of this.listeners) listener(out);
  }
}
