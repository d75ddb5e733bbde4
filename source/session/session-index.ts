// Listing sessions for `runbook status` and resume. Parsing and validating 1,000 session files of 200 events takes
// about two seconds, so each session's summary is cached in the index (index-cache.ts): a listing reads one small
// file, stats the rest, and reparses only what changed.

import {readdirSync, type Dirent} from 'node:fs';
import {resolve} from 'node:path';
import {INDEX_VERSION, isIndexEntry, readIndex, sameStamp, stampsOf, writeIndex, type Index} from './index-cache.js';
import type {JournalDamage} from './journal.js';
import {loadSession, quarantine, SessionNotFoundError, setJournalRight} from './session-load.js';
import {liveHolder} from './locks.js';
import {SESSION_ID, type Migration} from './schema.js';
import {lockPath, sessionsDir, SessionFileError} from './session-files.js';
import {summarize, type SessionSummary} from './summary.js';

export interface Listing {
  sessions: SessionSummary[];
  /** One line per session that could not be read: which file, why, and where it was moved. */
  problems: string[];
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
  const journals = new Set<string>();
  const locked = new Set<string>();
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const match = /^(.+)\.(json|journal|lock)$/.exec(entry.name);
    if (!match || !SESSION_ID.test(match[1] as string)) continue; // temp files, takeover claims, notes
    if (match[2] === 'lock') locked.add(match[1] as string);
    else ids.add(match[1] as string);
    if (match[2] === 'journal') journals.add(match[1] as string);
  }

  const old = readIndex(stateDir);
  const index: Index = {version: INDEX_VERSION, sessions: {}};
  let changed = false;
  const sessions: SessionSummary[] = [];
  const problems: string[] = [];
  for (const id of ids) {
    // Stamps first, then the read: a write in between makes the stamp stale, so it is reread next time (never the
    // other way round, which would cache an old summary under a new stamp).
    const {journal, snapshot} = stampsOf(stateDir, id, journals.has(id));
    const cached = old.sessions[id];
    let summary: SessionSummary;
    let damaged: readonly JournalDamage[] = [];
    if (isIndexEntry(cached) && sameStamp(cached.snapshot, snapshot) && sameStamp(cached.journal, journal)) {
      summary = {...cached.summary};
      index.sessions[id] = cached;
    } else {
      changed = true;
      try {
        const loaded = loadSession(stateDir, id, {migrations: options.migrations, retries: 2});
        summary = summarize(loaded.file, loaded.events);
        // Its good entries are listed; its damaged lines are set aside (or named again next time, uncached, if not).
        damaged = loaded.journal.damage;
      } catch (error) {
        if (error instanceof SessionNotFoundError) continue; // removed while we looked
        if (!(error instanceof SessionFileError)) throw error;
        problems.push(quarantine(stateDir, id, error, false).message);
        continue;
      }
      if (damaged.length) {
        const said = setJournalRight(stateDir, id, damaged, options.migrations);
        if (said) problems.push(said);
      } else index.sessions[id] = {snapshot, journal, summary: {...summary}};
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
