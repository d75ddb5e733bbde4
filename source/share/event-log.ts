// The cluster copy of a session, writer side. A head ConfigMap (the runbook travels with it), log chunks whose data
// keys are global ordinals, and branches for events a writer could not put in the log after losing the wheel.
//
// Every write is a PUT with the resourceVersion last seen, so a concurrent writer costs a 409 and a re-read, never a
// lost event. Appends skip ids already in the log: a PUT that succeeded but whose answer was lost is retried harmlessly.
// A full chunk is sealed (by a conditional PUT) before the next one is created, so once chunk N+1 exists nobody can
// still append to N and ordinals stay one total order.

import {setTimeout as sleep} from 'node:timers/promises';
import type {KubeClient} from '../kube/client.js';
import {RESOURCE_PATHS} from '../kube/types.js';
import type {SessionEvent} from '../session/events.js';
import {ensureHead, getConfigMap} from './head.js';
import {
  CHUNK_LABEL,
  type ConfigMap,
  chunkNumber,
  dataBytes,
  entriesOf,
  foldSession,
  ordinalKey,
  parseBranch,
  partLabels,
  SEALED_ANNOTATION,
  type SessionSnapshot,
  sessionNames,
  sessionSelector,
} from './log-fold.js';
import {ANNOTATIONS, type Branch, type SessionHead} from './types.js';

export type {SessionSnapshot} from './log-fold.js';

/** Below the API server's 1,048,576 bytes, leaving room for a last event that lands on a nearly full chunk. */
export const CHUNK_LIMIT_BYTES = 900 * 1024;

export interface SharedEventLogOptions {
  client: Pick<KubeClient, 'request' | 'list'>;
  namespace: string;
  sessionId: string;
  chunkLimitBytes?: number;
  /** Conflicts one append survives before it gives up (each re-reads and waits a jittered moment). */
  maxConflicts?: number;
}

export interface AppendOptions {
  signal?: AbortSignal;
  /** Checked right before every write: a writer that lost the wheel must not write one more time. */
  guard?: () => boolean;
}

export class NotLeaderError extends Error {
  constructor() {
    super('not holding the wheel: the log is not written');
    this.name = 'NotLeaderError';
  }
}

const code = (error: unknown) => (error as {code?: number}).code;

export class SharedEventLog {
  readonly names: ReturnType<typeof sessionNames>;
  private readonly client: Pick<KubeClient, 'request' | 'list'>;
  private readonly limit: number;
  private readonly maxConflicts: number;
  /** id → ordinal of everything seen in the log, so dedupe is one lookup. */
  private readonly index = new Map<string, number>();
  private readonly ordinals = new Set<number>();
  private nextOrdinal = 1;
  private tail: ConfigMap | null = null;
  private loaded = false;
  private chain: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: SharedEventLogOptions) {
    this.client = options.client;
    this.names = sessionNames(options.sessionId);
    this.limit = options.chunkLimitBytes ?? CHUNK_LIMIT_BYTES;
    this.maxConflicts = options.maxConflicts ?? 40;
  }

  private path(name?: string): string {
    const base = RESOURCE_PATHS.configmaps(this.options.namespace);
    return name === undefined ? base : `${base}/${encodeURIComponent(name)}`;
  }

  /** Whether an event id is in the log as far as this writer has seen it. */
  has(id: string): boolean {
    return this.index.has(id);
  }

  get size(): number {
    return this.index.size;
  }

  /** Creates the head (and the namespace when missing), or returns the head already there. */
  ensureHead(head: SessionHead): Promise<SessionHead> {
    return ensureHead(this.client, this.options.namespace, this.options.sessionId, head);
  }

  /**
   * Appends the events not yet in the log, in order, and resolves once the server acknowledged them. Returns the ids
   * this call added (the others were there already).
   */
  append(events: SessionEvent[], options: AppendOptions = {}): Promise<string[]> {
    const run = this.chain.then(() => this.appendNow(events, options));
    this.chain = run.catch(() => undefined);
    return run;
  }

  private async appendNow(events: SessionEvent[], options: AppendOptions): Promise<string[]> {
    const added: string[] = [];
    for (let conflicts = 0; ; ) {
      options.signal?.throwIfAborted();
      if (!this.loaded) await this.load(options.signal);
      const fresh = this.unseen(events);
      if (fresh.length === 0) return added;
      if (options.guard && !options.guard()) throw new NotLeaderError();
      try {
        added.push(...(await this.step(fresh, options.signal)));
      } catch (error) {
        if (code(error) !== 409 || ++conflicts > this.maxConflicts) throw error;
        await this.refresh(options.signal);
        await sleep(Math.random() * Math.min(400, 10 * 2 ** Math.min(conflicts, 6)), undefined, {signal: options.signal});
      }
    }
  }

  /** One write towards appending `fresh`: into the tail, sealing a full tail, or creating the next chunk. */
  private async step(fresh: SessionEvent[], signal?: AbortSignal): Promise<string[]> {
    const tail = this.tail;
    if (!tail) return this.createChunk(1, this.fit(fresh, 0), signal);
    if (tail.metadata.annotations?.[SEALED_ANNOTATION]) {
      const next = await this.getMaybe(this.names.chunk(chunkNumber(tail) + 1), signal);
      if (next) {
        this.ingest(next);
        return [];
      }
      return this.createChunk(chunkNumber(tail) + 1, this.fit(fresh, 0), signal);
    }
    const portion = this.fit(fresh, dataBytes(tail));
    if (portion.length === 0) {
      const sealed = {...tail, metadata: {...tail.metadata, annotations: {...tail.metadata.annotations, [SEALED_ANNOTATION]: 'true'}}};
      this.ingest(await this.client.request<ConfigMap>('PUT', this.path(tail.metadata.name), sealed, {signal}));
      return [];
    }
    const data = {...tail.data};
    portion.forEach((e, i) => (data[ordinalKey(this.nextOrdinal + i)] = JSON.stringify(e)));
    this.ingest(await this.client.request<ConfigMap>('PUT', this.path(tail.metadata.name), {...tail, data}, {signal}));
    return portion.map(e => e.id ?? '');
  }

  /** As many of `events` as fit a chunk already holding `bytes`; an empty chunk takes at least one, whatever its size. */
  private fit(events: SessionEvent[], bytes: number): SessionEvent[] {
    const out: SessionEvent[] = [];
    for (const e of events) {
      const size = Buffer.byteLength(JSON.stringify(e));
      if (bytes + size > this.limit && (out.length > 0 || bytes > 0)) break;
      bytes += size;
      out.push(e);
    }
    return out;
  }

  private async createChunk(n: number, events: SessionEvent[], signal?: AbortSignal): Promise<string[]> {
    const data: Record<string, string> = {};
    events.forEach((e, i) => (data[ordinalKey(this.nextOrdinal + i)] = JSON.stringify(e)));
    const metadata = {name: this.names.chunk(n), labels: {...partLabels(this.options.sessionId, 'log'), [CHUNK_LABEL]: String(n)}};
    try {
      this.ingest(await this.client.request<ConfigMap>('POST', this.path(), {apiVersion: 'v1', kind: 'ConfigMap', metadata, data}, {signal}));
      return events.map(e => e.id ?? '');
    } catch (error) {
      if (code(error) !== 409) throw error;
      // Another writer made it first: its content is the tail now.
      const theirs = await this.getMaybe(metadata.name, signal);
      if (theirs) this.ingest(theirs);
      return [];
    }
  }

  /** Events not in the log and not repeated within the batch, in their order. */
  private unseen(events: SessionEvent[]): SessionEvent[] {
    const batch = new Set<string>();
    return events.filter(e => {
      if (e.id === undefined) return true;
      if (this.index.has(e.id) || batch.has(e.id)) return false;
      batch.add(e.id);
      return true;
    });
  }

  /** Every log chunk, once: the index must know all ids before the first append can dedupe. */
  private async load(signal?: AbortSignal): Promise<void> {
    const {items} = await this.client.list<ConfigMap>('configmaps', this.options.namespace, {labelSelector: sessionSelector(this.options.sessionId, 'log')}, signal);
    items.sort((a, b) => chunkNumber(a) - chunkNumber(b));
    for (const cm of items) this.ingest(cm);
    this.loaded = true;
  }

  /** After a conflict: the tail as it is now (a vanished tail means someone reset the log: read it all again). */
  private async refresh(signal?: AbortSignal): Promise<void> {
    if (!this.tail) return this.load(signal);
    const now = await this.getMaybe(this.tail.metadata.name, signal);
    if (now) this.ingest(now);
    else {
      this.tail = null;
      await this.load(signal);
    }
  }

  /** Learns a chunk's entries (new ordinals only) and keeps the highest-numbered chunk as the tail. */
  private ingest(cm: ConfigMap): void {
    for (const key of Object.keys(cm.data ?? {})) {
      const ordinal = Number(key);
      if (!Number.isSafeInteger(ordinal) || this.ordinals.has(ordinal)) continue;
      this.ordinals.add(ordinal);
      this.nextOrdinal = Math.max(this.nextOrdinal, ordinal + 1);
      try {
        const id = (JSON.parse(cm.data![key]!) as {id?: unknown}).id;
        if (typeof id === 'string' && !this.index.has(id)) this.index.set(id, ordinal);
      } catch {
        // not an event: it still takes its ordinal
      }
    }
    if (!this.tail || chunkNumber(cm) >= chunkNumber(this.tail)) this.tail = cm;
  }

  private getMaybe(name: string, signal?: AbortSignal): Promise<ConfigMap | null> {
    return getConfigMap(this.client, this.options.namespace, name, signal);
  }

  // ---- branches and reading ----------------------------------------------------------------------------------------

  /** Adds events to this writer's branch (created on first use); ids already in it are skipped. */
  async appendBranch(from: string, writerTag: string, events: SessionEvent[], signal?: AbortSignal): Promise<void> {
    const name = this.names.branch(writerTag);
    for (let conflicts = 0; ; conflicts++) {
      const current = await this.getMaybe(name, signal);
      const have = new Set(current ? entriesOf(current).map(e => e.event.id) : []);
      const data = {...current?.data};
      let n = Object.keys(data).length;
      for (const e of events) {
        if (e.id !== undefined && have.has(e.id)) continue;
        have.add(e.id);
        data[ordinalKey(++n)] = JSON.stringify(e);
      }
      const metadata = {name, labels: partLabels(this.options.sessionId, 'branch'), annotations: {[ANNOTATIONS.branchFrom]: from}};
      try {
        if (current) await this.client.request('PUT', this.path(name), {...current, data}, {signal});
        else await this.client.request('POST', this.path(), {apiVersion: 'v1', kind: 'ConfigMap', metadata, data}, {signal});
        return;
      } catch (error) {
        if (code(error) !== 409 || conflicts >= this.maxConflicts) throw error;
      }
    }
  }

  async branches(): Promise<Branch[]> {
    const {items} = await this.client.list<ConfigMap>('configmaps', this.options.namespace, {labelSelector: sessionSelector(this.options.sessionId, 'branch')});
    return items.map(parseBranch).sort((a, b) => (a.name < b.name ? -1 : 1));
  }

  /** Puts a branch's events into the log (those already there are skipped), then deletes the branch. */
  async acceptBranch(name: string, options: AppendOptions = {}): Promise<string[]> {
    for (;;) {
      const branch = await this.getMaybe(name, options.signal);
      if (!branch) return [];
      const added = await this.append(parseBranch(branch).events, options);
      // Deleted only as read: a writer adding to it meanwhile makes the delete fail (409), and we take those too.
      if (await this.deleteAt(name, branch.metadata.resourceVersion)) return added;
    }
  }

  async dropBranch(name: string): Promise<void> {
    await this.deleteAt(name);
  }

  /** True when deleted or already gone; false on a resourceVersion conflict. */
  private async deleteAt(name: string, resourceVersion?: string): Promise<boolean> {
    const body = resourceVersion ? {apiVersion: 'v1', kind: 'DeleteOptions', preconditions: {resourceVersion}} : undefined;
    try {
      await this.client.request('DELETE', this.path(name), body);
      return true;
    } catch (error) {
      if (code(error) === 404) return true;
      if (code(error) === 409) return false;
      throw error;
    }
  }

  /** The whole session as stored: head, events by ordinal (each id once), branches. */
  async readAll(): Promise<SessionSnapshot> {
    const {items} = await this.client.list<ConfigMap>('configmaps', this.options.namespace, {labelSelector: sessionSelector(this.options.sessionId)});
    return foldSession(items);
  }
}
