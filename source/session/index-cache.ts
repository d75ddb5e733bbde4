// The listing cache, <state>/index.json: each session's summary keyed by the stat of its files (inode, size,
// mtime). Only a cache: deleting it, or a bad one, means the next listing rebuilds it from the session files. The
// writer refreshes its own entry on close, from memory, so a listing after a session ends parses nothing.

import {closeSync, openSync, readFileSync, renameSync, statSync} from 'node:fs';
import {dirname, join} from 'node:path';
import {z} from 'zod';
import {sessionKinds} from './schema.js';
import {indexPath, journalPath, snapshotPath, unlinkQuietly, writeAll} from './session-files.js';
import type {SessionSummary} from './summary.js';

export const INDEX_VERSION = 1;

/** [inode, size, mtimeMs] of a file; null when it does not exist. */
export type Stamp = [number, number, number] | null;

const stampSchema = z.tuple([z.number(), z.number(), z.number()]).nullable();
const summarySchema = z.object({
  id: z.string(),
  runbook: z.object({path: z.string(), hash: z.string(), title: z.string()}),
  kind: z.enum(sessionKinds),
  createdAt: z.string(),
  updatedAt: z.string(),
  finished: z.boolean(),
  checked: z.number(),
  total: z.number().optional(),
  steps: z.number().optional(),
  stepsDone: z.number(),
  failed: z.number(),
  skipped: z.number(),
  lastStepId: z.string().nullable(),
  eventCount: z.number(),
});
const indexSchema = z.object({
  version: z.literal(INDEX_VERSION),
  sessions: z.record(z.object({snapshot: stampSchema, journal: stampSchema, summary: summarySchema})),
});
export type Index = z.infer<typeof indexSchema>;

export function stampOf(path: string): Stamp {
  try {
    const st = statSync(path);
    return [st.ino, st.size, st.mtimeMs];
  } catch {
    return null;
  }
}

export const sameStamp = (a: Stamp, b: Stamp) => (a === null ? b === null : b !== null && a[0] === b[0] && a[1] === b[1] && a[2] === b[2]);

export function readIndex(stateDir: string): Index {
  try {
    const parsed = indexSchema.safeParse(JSON.parse(readFileSync(indexPath(stateDir), 'utf8')));
    if (parsed.success) return parsed.data;
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

/** Stamps of a session's files, journal first (see listSessions for why the order matters). */
export function stampsOf(stateDir: string, id: string): {journal: Stamp; snapshot: Stamp} {
  const journal = stampOf(journalPath(stateDir, id));
  return {journal, snapshot: stampOf(snapshotPath(stateDir, id))};
}

/** Puts one session's summary in the index, as its files are now. Best effort: failure only costs a reparse. */
export function recordSummary(stateDir: string, id: string, summary: SessionSummary) {
  const index = readIndex(stateDir);
  const {inUse: _inUse, ...cached} = summary;
  index.sessions[id] = {...stampsOf(stateDir, id), summary: cached};
  writeIndex(stateDir, index);
}
