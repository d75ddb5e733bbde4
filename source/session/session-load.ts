// Reading a session back without writing it (listing, read-only views, the writer's own open), and what to do
// with one that cannot be read.

import {acquireLock, liveHolder, SessionInUseError, type HeldLock} from './locks.js';
import type {SessionEvent} from './events.js';
import {SESSION_FILE_VERSION, type Migration, type SessionFile} from './schema.js';
import {describeDamage, mergeJournal, readJournal, repairJournal, type JournalDamage, type JournalRead} from './journal.js';
import {journalPath, lockPath, moveAside, readVersionedSnapshot, SessionFileError, snapshotPath} from './session-files.js';

export class SessionNotFoundError extends Error {
  constructor(readonly sessionId: string, readonly file: string) {
    super(`no session ${sessionId} (${file} does not exist)`);
    this.name = 'SessionNotFoundError';
  }
}

export interface LoadedSession {
  file: SessionFile;
  events: SessionEvent[];
  journal: JournalRead;
  /** The snapshot was in an older format: the writer rewrites it in the current one. */
  migrated: boolean;
}

/**
 * Reads a session: the journal first, then the snapshot. A writer compacts by replacing the snapshot and then
 * truncating the journal, so in this order a reader never sees the truncated journal with the old snapshot. A
 * reader without the lock may still catch a moment that does not add up; it retries before calling it corrupt.
 */
export function loadSession(
  stateDir: string,
  id: string,
  options: {migrations?: Readonly<Record<number, Migration>>; retries?: number} = {},
): LoadedSession {
  const file = snapshotPath(stateDir, id);
  const jfile = journalPath(stateDir, id);
  for (let attempt = 0; ; attempt++) {
    try {
      const journal = readJournal(jfile);
      const versioned = readVersionedSnapshot(file, options.migrations);
      if (!versioned) {
        if (journal.size > 0) throw new SessionFileError(jfile, 'journal without its snapshot');
        throw new SessionNotFoundError(id, file);
      }
      const snapshot = versioned.file;
      return {file: snapshot, events: mergeJournal(snapshot, journal, jfile), journal, migrated: versioned.fromVersion !== SESSION_FILE_VERSION};
    } catch (error) {
      if (!(error instanceof SessionFileError) || attempt >= (options.retries ?? 0)) throw error;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
    }
  }
}

/**
 * Moves a bad session's files to sessions/corrupt/ (bytes intact) so everything else keeps working, unless the file
 * is merely from a newer program, or a live process holds the session (it may be mid-write, and its own view is
 * intact). Returns the error to report, saying what was done.
 */
export function quarantine(stateDir: string, id: string, error: SessionFileError, weHoldLock: boolean): SessionFileError {
  if (error.newer) return error.with(null, 'not damaged; open it with the newer runbook');
  if (!weHoldLock) {
    const holder = liveHolder(lockPath(stateDir, id));
    if (holder) return error.with(null, `in use by pid ${holder.pid} on ${holder.host}`);
  }
  const moved: string[] = [];
  try {
    const first = moveAside(stateDir, error.file);
    if (first) moved.push(first);
    for (const other of [snapshotPath(stateDir, id), journalPath(stateDir, id)]) {
      if (other === error.file) continue;
      const to = moveAside(stateDir, other);
      if (to) moved.push(to);
    }
  } catch (moveError) {
    // A read-only state dir (someone else's, mounted for a look): report, and let the rest of the listing go on.
    const code = (moveError as NodeJS.ErrnoException).code ?? (moveError as Error).message;
    return error.with(moved.length ? moved.join(' and ') : null, `could not move it aside: ${code}`);
  }
  return error.with(moved.length ? moved.join(' and ') : null, moved.length ? null : 'it vanished');
}

/**
 * A session whose journal has damaged lines, met by a listing: set right at once when no live process holds it (the
 * journal as it was kept in corrupt/, every recorded entry kept), else only reported; it stays listed either way.
 * Returns the line to show, or null when someone else set it right meanwhile.
 */
export function setJournalRight(stateDir: string, id: string, damage: readonly JournalDamage[], migrations?: Readonly<Record<number, Migration>>): string | null {
  const said = describeDamage(id, journalPath(stateDir, id), damage);
  let lock: HeldLock;
  try {
    lock = acquireLock(lockPath(stateDir, id), id);
  } catch (error) {
    if (error instanceof SessionInUseError) return `${said}; left in place (in use by pid ${error.pid} on ${error.host})`;
    return `${said}; left in place (${codeOf(error)})`;
  }
  try {
    const loaded = loadSession(stateDir, id, {migrations});
    if (!loaded.journal.damage.length) return null;
    return repairJournal(stateDir, id, loaded).notice;
  } catch (error) {
    return `${said}; left in place (could not set it aside: ${codeOf(error)})`;
  } finally {
    lock.release();
  }
}

const codeOf = (error: unknown) => (error as NodeJS.ErrnoException).code ?? (error as Error).message;
