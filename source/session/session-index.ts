// Listing sessions for `runbook status` and resume. Parsing and validating 1,000 session files takes most of a
// second, so each session's summary is cached in <state>/index.json keyed by the stat of its files (inode, size,
// mtime): a listing reads one small file and stats the rest, and reparses only what changed. The index is only a
// cache: deleting it, or a bad one, just means the next listing rebuilds it from the session files.

import {closeSync, openSync, readdirSync, readFileSync, renameSync, statSync, type Dirent} from 'node:fs';
import {resolve} from 'node:path';
import {z} from 'zod';
import {loadSession, quarantine, SessionNotFoundError} from './durable-store.js';
import {liveHolder} from './locks.js';
import {SESSION_ID, sessionKinds, type Migration} from './schema.js';
import {indexPath, journalPath, lockPath, sessionsDir, SessionFileError, snapshotPath, unlinkQuietly, writeAll} from './session-files.js';
import {summarize, type SessionSummary} from './summary.js';

const INDEX_VERSION = 1;

/** [inode, size, mtimeMs] of a file; null when it does not exist. */
type Stamp = [number, number, number] | null;

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
type Index = z.infer<typeof indexSchema>;

export interface Listing {
  sessions: SessionSummary[];
  /** One line per session that could not be read: which file, why, and where it was moved. */
  problems: string[];
}

function stampOf(path: string): Stamp {
  try {
    const st = statSync(path);
    return [st.ino, st.size, st.mtimeMs];
  } catch {
    return null;
  }
}

const sameStamp = (a: Stamp, b: Stamp) => (a === null ? b === null : b !== null && a[0] === b[0] && a[1] === b[1] && a[2] === b[2]);

function readIndex(stateDir: string): Index {
  try {
    const parsed = indexSchema.safeParse(JSON.parse(readFileSync(indexPath(stateDir), 'utf8')));
    if (parsed.success) return parsed.data;
  } catch {
    // missing or damaged: a cache, rebuilt below
  }
  return {version: INDEX_VERSION, sessions: {}};
}

/** Atomic (a reader never sees half an index) but not fsync'd: losing it costs one slow listing, nothing else. */
function writeIndex(stateDir: string, index: Index) {
  const target = indexPath(stateDir);
  const tmp = `${target}.${process.pid}.${Math.random().toString(36).slice(2, 8)}.tmp`;
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

export function listSessions(stateDir: string, options: {migrations?: Readonly<Record<number, Migration>>} = {}): Listing {
  let entries: Dirent[];
  try {
    entries = readdirSync(sessionsDir(stateDir), {withFileTypes: true});
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {sessions: [], problems: []};
    throw error;
  }
  const ids = new Set<string>();
  const locked = new Set<string>();
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const match = /^(.+)\.(json|journal|lock)$/.exec(entry.name);
    if (!match || !SESSION_ID.test(match[1] as string)) continue; // temp files, takeover claims, notes
    if (match[2] === 'lock') locked.add(match[1] as string);
    else ids.add(match[1] as string);
  }

  const old = readIndex(stateDir);
  const index: Index = {version: INDEX_VERSION, sessions: {}};
  let changed = false;
  const sessions: SessionSummary[] = [];
  const problems: string[] = [];
  for (const id of ids) {
    // Stamps first, then the read: a write in between makes the stamp stale, so it is reread next time (never the
    // other way round, which would cache an old summary under a new stamp).
    const journal = stampOf(journalPath(stateDir, id));
    const snapshot = stampOf(snapshotPath(stateDir, id));
    const cached = old.sessions[id];
    let summary: SessionSummary;
    if (cached && sameStamp(cached.snapshot, snapshot) && sameStamp(cached.journal, journal)) {
      summary = {...cached.summary};
      index.sessions[id] = cached;
    } else {
      changed = true;
      try {
        const loaded = loadSession(stateDir, id, {migrations: options.migrations, retries: 2});
        summary = summarize(loaded.file, loaded.events);
      } catch (error) {
        if (error instanceof SessionNotFoundError) continue; // removed while we looked
        if (!(error instanceof SessionFileError)) throw error;
        problems.push(quarantine(stateDir, id, error, false).message);
        continue;
      }
      index.sessions[id] = {snapshot, journal, summary: {...summary}};
    }
    if (locked.has(id)) {
      const holder = liveHolder(lockPath(stateDir, id));
      if (holder) summary.inUse = holder;
    }
    sessions.push(summary);
  }
  if (Object.keys(old.sessions).length !== Object.keys(index.sessions).length) changed = true;
  if (changed) writeIndex(stateDir, index);
  sessions.sort((a, b) => (a.updatedAt < b.updatedAt ? 1 : a.updatedAt > b.updatedAt ? -1 : a.id < b.id ? 1 : -1));
  return {sessions, problems};
}

/** The most recently updated unfinished session, of one runbook if a path is given. */
export function latestUnfinished(stateDir: string, runbookPath?: string): SessionSummary | null {
  const wanted = runbookPath === undefined ? null : resolve(runbookPath);
  const {sessions} = listSessions(stateDir);
  return sessions.find(s => !s.finished && (wanted === null || s.runbook.path === runbookPath || resolve(s.runbook.path) === wanted)) ?? null;
}
