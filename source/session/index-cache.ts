// The listing cache, <state>/index.json: each session's summary keyed by the stat of its files (inode, size,
// mtime). Only a cache: deleting it, or a bad one, means the next listing rebuilds it from the session files. The
// writer refreshes its own entry on close, from memory, so a listing after a session ends parses nothing.

import {closeSync, openSync, readFileSync, renameSync, statSync} from 'node:fs';
import {dirname, join} from 'node:path';
import {sessionKinds} from './schema.js';
import {indexPath, journalPath, snapshotPath, unlinkQuietly, writeAll} from './session-files.js';
import type {SessionSummary} from './summary.js';

// 2: summaries carry the session's story (incident, last failure, rollback).
export const INDEX_VERSION = 2;

/** [inode, size, mtimeMs] of a file; null when it does not exist. */
export type Stamp = [number, number, number] | null;

export interface IndexEntry {
  snapshot: Stamp;
  journal: Stamp;
  summary: Omit<SessionSummary, 'inUse'>;
}

export interface Index {
  version: typeof INDEX_VERSION;
  sessions: Record<string, IndexEntry>;
}

// Checked by hand, not with zod: in a fresh `runbook status` process (code not yet optimised) zod took ~110 ms over
// 1,000 entries, more than everything else the listing does. An entry that fails is simply recomputed.
const isStamp = (v: unknown): v is Stamp => v === null || (Array.isArray(v) && v.length === 3 && v.every(n => typeof n === 'number'));
const isString = (v: unknown) => typeof v === 'string';
const isNumber = (v: unknown) => typeof v === 'number';
const isOptionalNumber = (v: unknown) => v === undefined || typeof v === 'number';

export function isIndexEntry(v: unknown): v is IndexEntry {
  if (!v || typeof v !== 'object') return false;
  const {snapshot, journal, summary: s} = v as Record<string, unknown>;
  if (!isStamp(snapshot) || !isStamp(journal) || !s || typeof s !== 'object') return false;
  const m = s as Record<string, unknown>;
  const rb = m.runbook as Record<string, unknown> | null;
  return (
    isString(m.id) && !!rb && typeof rb === 'object' && isString(rb.path) && isString(rb.hash) && isString(rb.title) &&
    (sessionKinds as readonly unknown[]).includes(m.kind) && isString(m.createdAt) && isString(m.updatedAt) &&
    typeof m.finished === 'boolean' && isNumber(m.checked) && isOptionalNumber(m.total) && isOptionalNumber(m.steps) &&
    isNumber(m.stepsDone) && isNumber(m.failed) && isNumber(m.skipped) && (m.lastStepId === null || isString(m.lastStepId)) &&
    isNumber(m.eventCount)
  );
}

export function stampOf(path: string): Stamp {
  // No exception for a missing file: building 1,000 ENOENT errors (with stacks) doubled the cost of a listing.
  const st = statSync(path, {throwIfNoEntry: false});
  return st ? [st.ino, st.size, st.mtimeMs] : null;
}

export const sameStamp = (a: Stamp, b: Stamp) => (a === null ? b === null : b !== null && a[0] === b[0] && a[1] === b[1] && a[2] === b[2]);

export function readIndex(stateDir: string): Index {
  try {
    const raw = JSON.parse(readFileSync(indexPath(stateDir), 'utf8')) as Partial<Index> | null;
    if (raw?.version === INDEX_VERSION && raw.sessions && typeof raw.sessions === 'object') return {version: INDEX_VERSION, sessions: raw.sessions};
  } catch {
    // missing or damaged: a cache, rebuilt below
  }
  return {version: INDEX_VERSION, sessions: {}};
}

/** Atomic (a reader never sees half an index) but not fsync'd: losing it costs one slow listing, nothing else. */
export function writeIndex(stateDir: string, index: Index) {
  const target = indexPath(stateDir);
  const tmp = join(dirname(target), `.index.json.${process.pid}.${Math.random().toString(36).slice(2, 8)}.tmp`);
  try {
    const fd = openSync(tmp, 'wx', 0o600);
    try {
      writeAll(fd, Buffer.from(JSON.stringify(index)));
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, target);
  } catch {
    unlinkQuietly(tmp); // a read-only or full state dir still lists; it just stays slow
  }
}

/**
 * Stamps of a session's files, journal first (see listSessions for why the order matters). `hasJournal: false`
 * (readdir saw none) skips a stat; if one appears meanwhile, the stamp mismatches next time and is recomputed.
 */
export function stampsOf(stateDir: string, id: string, hasJournal = true): {journal: Stamp; snapshot: Stamp} {
  const journal = hasJournal ? stampOf(journalPath(stateDir, id)) : null;
  return {journal, snapshot: stampOf(snapshotPath(stateDir, id))};
}

/** Puts one session's summary in the index, as its files are now. Best effort: failure only costs a reparse. */
export function recordSummary(stateDir: string, id: string, summary: SessionSummary) {
  const index = readIndex(stateDir);
  const {inUse: _inUse, ...cached} = summary;
  index.sessions[id] = {...stampsOf(stateDir, id), summary: cached};
  writeIndex(stateDir, index);
}
