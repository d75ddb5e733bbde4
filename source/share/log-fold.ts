// Reading a shared session back from its ConfigMaps: the names and labels every part carries, and the fold of head,
// log chunks and branches into one ordered, deduplicated event list. The writer, the follower and `status --cluster`
// all read through here, so they cannot disagree about what the session holds.

import type {KubeObject} from '../kube/types.js';
import type {SessionEvent} from '../session/events.js';
import {eventSchema} from '../session/schema.js';
import {sessionLabelValue, sessionObjectName} from './identity.js';
import {ANNOTATIONS, type Branch, LABELS, type SessionHead} from './types.js';

export interface ConfigMap extends KubeObject {
  data?: Record<string, string>;
  binaryData?: Record<string, string>;
}

/** The chunk number of a log ConfigMap. */
export const CHUNK_LABEL = 'runbook.dev/chunk';
/** On a full log chunk: nothing more is appended to it, the next chunk continues its ordinals. */
export const SEALED_ANNOTATION = 'runbook.dev/sealed';

export type SessionPart = 'head' | 'log' | 'branch';

export function sessionNames(sessionId: string) {
  const base = sessionObjectName(sessionId);
  return {
    head: base,
    chunk: (n: number) => `${base}-log-${String(n).padStart(5, '0')}`,
    branch: (writerTag: string) => `${base}-branch-${writerTag.toLowerCase().replace(/[^a-z0-9-]/g, '-')}`,
  };
}

/** `runbook.dev/session=<id>`, optionally narrowed to one part. */
export function sessionSelector(sessionId: string, part?: SessionPart): string {
  return `${LABELS.session}=${sessionLabelValue(sessionId)}${part ? `,${LABELS.part}=${part}` : ''}`;
}

export function partLabels(sessionId: string, part: SessionPart): Record<string, string> {
  return {[LABELS.managedBy]: 'runbook', [LABELS.session]: sessionLabelValue(sessionId), [LABELS.part]: part};
}

/** Data keys of the log: zero-padded global ordinals, so `kubectl get -o yaml` lists them in order too. */
export function ordinalKey(ordinal: number): string {
  return String(ordinal).padStart(9, '0');
}

/** What the API server counts against the 1 MiB limit: the bytes of every value, keys not included. */
export function dataBytes(cm: Pick<ConfigMap, 'data' | 'binaryData'>): number {
  let total = 0;
  for (const v of Object.values(cm.data ?? {})) total += Buffer.byteLength(v);
  for (const v of Object.values(cm.binaryData ?? {})) total += Buffer.byteLength(v);
  return total;
}

export function partOf(cm: ConfigMap): SessionPart | undefined {
  return cm.metadata.labels?.[LABELS.part] as SessionPart | undefined;
}

export function chunkNumber(cm: ConfigMap): number {
  return Number(cm.metadata.labels?.[CHUNK_LABEL] ?? /-log-(\d+)$/.exec(cm.metadata.name)?.[1] ?? 0);
}

export function parseHead(cm: ConfigMap): SessionHead | null {
  try {
    const head = JSON.parse(cm.data?.['head.json'] ?? '') as Omit<SessionHead, 'runbookText'>;
    const r = head?.runbook;
    if (typeof head?.id !== 'string' || typeof r?.path !== 'string' || typeof r.title !== 'string' || typeof r.hash !== 'string') return null;
    return {...head, sharedBy: String(head.sharedBy ?? ''), startedAt: String(head.startedAt ?? ''), runbookText: cm.data?.['runbook.md'] ?? ''};
  } catch {
    return null;
  }
}

/** A chunk's or branch's entries in key order; a value that is not an event (hand-edited) is skipped, not fatal. */
export function entriesOf(cm: ConfigMap): Array<{key: string; event: SessionEvent}> {
  const out: Array<{key: string; event: SessionEvent}> = [];
  for (const key of Object.keys(cm.data ?? {}).sort()) {
    try {
      // Anyone with write access to the namespace can put anything here: only what a session could record gets in.
      const parsed = eventSchema.safeParse(JSON.parse(cm.data![key]!));
      if (parsed.success) out.push({key, event: parsed.data as SessionEvent});
    } catch {
      // not an event
    }
  }
  return out;
}

export function parseBranch(cm: ConfigMap): Branch {
  return {name: cm.metadata.name, from: cm.metadata.annotations?.[ANNOTATIONS.branchFrom] ?? '', events: entriesOf(cm).map(e => e.event)};
}

export interface SessionSnapshot {
  head: SessionHead | null;
  /** By ordinal, each id once (the first occurrence wins: a retried write that had landed adds nothing). */
  events: SessionEvent[];
  branches: Branch[];
  chunks: number;
}

/**
 * Parsed entries by ConfigMap name and resourceVersion: a follower refolds on every change, and re-parsing a 900 KiB
 * chunk each time a small one changes would cost it the 1 s it has.
 */
export type FoldCache = Map<string, {resourceVersion: string; entries: Array<{key: string; event: SessionEvent}>}>;

export function foldSession(items: Iterable<ConfigMap>, cache?: FoldCache): SessionSnapshot {
  let head: SessionHead | null = null;
  const logs: Array<{n: number; entries: Array<{key: string; event: SessionEvent}>}> = [];
  const branches: Branch[] = [];
  const seen = new Set<string>();
  for (const cm of items) {
    const part = partOf(cm);
    seen.add(cm.metadata.name);
    if (part === 'head') head = parseHead(cm);
    else if (part === 'branch') branches.push(parseBranch(cm));
    else if (part === 'log') logs.push({n: chunkNumber(cm), entries: cachedEntries(cm, cache)});
  }
  if (cache) for (const name of cache.keys()) if (!seen.has(name)) cache.delete(name);
  const all = logs.flatMap(l => l.entries.map(e => ({n: l.n, ...e})));
  all.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.n - b.n));
  const ids = new Set<string>();
  const events: SessionEvent[] = [];
  for (const {event} of all) {
    if (event.id !== undefined) {
      if (ids.has(event.id)) continue;
      ids.add(event.id);
    }
    events.push(event);
  }
  branches.sort((a, b) => (a.name < b.name ? -1 : 1));
  return {head, events, branches, chunks: logs.length};
}

function cachedEntries(cm: ConfigMap, cache?: FoldCache): Array<{key: string; event: SessionEvent}> {
  const rv = cm.metadata.resourceVersion ?? '';
  const hit = cache?.get(cm.metadata.name);
  if (hit && rv !== '' && hit.resourceVersion === rv) return hit.entries;
  const entries = entriesOf(cm);
  cache?.set(cm.metadata.name, {resourceVersion: rv, entries});
  return entries;
}
