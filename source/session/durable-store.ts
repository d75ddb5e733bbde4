// The session store on disk. `append` returns only once the event is on disk: the controller shows a tick as done
// after append returns, and a SIGKILL or power cut one instant later must not lose it.
//
// lowdb holds the snapshot (LowSync over an adapter of ours) but does not write it: steno renames a fixed temp
// name without fsync and writes asynchronously, so neither "on disk when append returns" nor "never a half file
// after a power cut" would hold. Our adapter writes temp → fsync → rename → fsync(dir); events between snapshots
// go to a journal, one line per event, written with a single write() and fdatasync'd before append returns.

import {closeSync, fdatasyncSync, fsyncSync, ftruncateSync, openSync, rmdirSync, statSync} from 'node:fs';
import {randomBytes} from 'node:crypto';
import {resolve} from 'node:path';
import {LowSync, type SyncAdapter} from 'lowdb';
import type {SessionEvent} from './events.js';
import {acquireLock, type HeldLock} from './locks.js';
import {eventSchema, describeIssue, SESSION_FILE_VERSION, SESSION_ID, type Migration, type OutlineStep, type SessionFile, type SessionKind} from './schema.js';
import {SecretGuard, secretsFromEnv} from './secret-guard.js';
import {
  defaultWrite, ensureDir, EntryTooLargeError, fsyncDir, journalPath, lockPath, MAX_ENTRY_BYTES, moveAside, readSnapshot, removeStaleTemps, runsDir,
  sessionsDir, SessionFileError, SessionWriteError, snapshotPath, unlinkQuietly, writeAll, writeFileDurable, type WriteFn,
} from './session-files.js';
import {describeDamage, emptyJournal, repairJournal, type JournalRead} from './journal.js';
import {loadSession, quarantine} from './session-load.js';
import type {SessionStore} from './store.js';
import {recordSummary} from './index-cache.js';
import {summarize, type Totals} from './summary.js';

export class ReadOnlySessionError extends Error {
  constructor(readonly sessionId: string) {
    super(`session ${sessionId} is open read-only: nothing can be recorded`);
    this.name = 'ReadOnlySessionError';
  }
}

interface IoOptions {
  /** Values to mask wherever they appear, besides those of secret-named variables in the environment. */
  secrets?: readonly string[];
  /** The write primitive (tests inject ENOSPC). */
  write?: WriteFn;
}

export interface CreateSessionOptions extends IoOptions {
  stateDir: string;
  runbook: {path: string; hash: string; title: string};
  kind: SessionKind;
  id?: string;
  /** Checklist and step totals of the runbook (see outlineOf), so `status` can print x/total without reparsing. */
  totals?: Totals;
  outline?: OutlineStep[];
  /** A rehearsal's scenario and speed, kept in the session's meta for its resumption. */
  rehearsal?: SessionFile['rehearsal'];
  now?: () => Date;
}

export interface OpenSessionOptions extends IoOptions {
  readOnly?: boolean;
  migrations?: Readonly<Record<number, Migration>>;
}

class SnapshotAdapter implements SyncAdapter<SessionFile> {
  constructor(
    private readonly path: string,
    private readonly write_: WriteFn,
    private readonly table?: Readonly<Record<number, Migration>>,
  ) {}
  read() {
    return readSnapshot(this.path, this.table);
  }
  write(data: SessionFile) {
    writeFileDurable(this.path, JSON.stringify(data), this.write_);
  }
}

export class DurableSessionStore implements SessionStore {
  readonly outputDir: string;
  readonly scratchDir: string;
  readonly file: string;
  readonly journalFile: string;
  private journalFd: number | null = null;
  private journalBytes = 0;
  /** Set when a failed write could not be rolled back: appending after it could bury a torn line mid-journal. */
  private broken: SessionWriteError | null = null;
  private closed = false;
  /** Said once on the first screen: what was wrong with the session's files when it was opened, and what was done. */
  notice: string | null = null;
  /** Why nothing can be recorded, when it is not that another process holds the session (a read-only state dir). */
  readOnlyReason: string | null = null;

  /** @internal use createSession / openSession */
  constructor(
    readonly stateDir: string,
    readonly id: string,
    private readonly db: LowSync<SessionFile>,
    readonly readOnly: boolean,
    private readonly lock: HeldLock | null,
    private readonly guard: SecretGuard,
    private readonly write: WriteFn,
  ) {
    this.outputDir = resolve(runsDir(stateDir, id)); // absolute: run records stay valid when resumed from another cwd
    this.scratchDir = resolve(stateDir, 'tmp');
    this.file = snapshotPath(stateDir, id);
    this.journalFile = journalPath(stateDir, id);
  }

  /** The session header: runbook, kind, times, totals, finished. */
  get meta(): Omit<SessionFile, 'events'> {
    const {events: _events, ...meta} = this.db.data;
    return meta;
  }

  events(): readonly SessionEvent[] {
    return this.db.data.events;
  }

  addSecrets(values: readonly string[]) {
    this.guard.add(values);
  }

  append(event: SessionEvent): void {
    const fd = this.writable();
    const clean = this.guard.clean(event);
    const checked = eventSchema.safeParse(clean);
    if (!checked.success) throw new Error(`refusing to record a malformed ${String(event.type)} event: ${describeIssue(checked.error)}`);
    const n = this.db.data.events.length;
    const line = Buffer.from(`${JSON.stringify({n, e: clean})}\n`);
    // Refused whole rather than written: a line this size would be damage to every later reader.
    if (line.length > MAX_ENTRY_BYTES) throw new EntryTooLargeError(this.journalFile, line.length, clean.type);
    try {
      writeAll(fd, line, this.write); // one line, one write: a crash leaves at most a torn last line
    } catch (error) {
      this.rollback(fd, error);
      throw new SessionWriteError(this.journalFile, error);
    }
    try {
      fdatasyncSync(fd);
    } catch (error) {
      // After a failed fsync the kernel may have dropped the dirty pages: nothing more can be trusted to land.
      this.rollback(fd, error);
      this.broken = new SessionWriteError(this.journalFile, error);
      throw this.broken;
    }
    this.journalBytes += line.length;
    this.db.data.events.push(clean);
    this.db.data.updatedAt = clean.at;
  }

  /** Read-only views: rereads the files, to follow a session another process is writing. */
  refresh(): void {
    if (!this.readOnly) return; // the writer's memory is the truth
    const loaded = loadSession(this.stateDir, this.id, {retries: 2});
    this.db.data = {...loaded.file, events: loaded.events};
  }

  /** Folds the journal into the snapshot. Done on open; callable for long sessions. */
  compact(force = false) {
    const fd = this.writable();
    if (this.journalBytes === 0 && !force) return;
    this.db.write();
    ftruncateSync(fd, 0);
    fsyncSync(fd);
    this.journalBytes = 0;
  }

  markFinished(finished = true, now = new Date()) {
    const before = {finished: this.db.data.finished, finishedAt: this.db.data.finishedAt};
    this.db.data.finished = finished;
    this.db.data.finishedAt = finished ? now.toISOString() : null;
    try {
      this.compact(true);
    } catch (error) {
      Object.assign(this.db.data, before);
      throw error;
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.journalFd !== null) {
      closeSync(this.journalFd);
      this.journalFd = null;
      // Still under the lock, so the files cannot change before their stamps are taken: the next listing finds this
      // session's summary fresh in the index instead of parsing it.
      try {
        recordSummary(this.stateDir, this.id, summarize(this.meta, this.events()));
      } catch {
        // only a cache
      }
    }
    this.lock?.release();
  }

  /** @internal opens the journal for appending and folds whatever it holds into the snapshot. */
  startWriting(journal: JournalRead, rewrite = false) {
    let existed = true;
    try {
      statSync(this.journalFile);
    } catch {
      existed = false;
    }
    this.journalFd = openSync(this.journalFile, 'a', 0o600);
    if (!existed) fsyncDir(sessionsDir(this.stateDir));
    this.journalBytes = journal.size;
    try {
      this.compact(rewrite);
    } catch (error) {
      // Disk full at open: the journal still holds everything; just make sure the next line starts on a line.
      this.repairTail(journal, error);
    }
  }

  private repairTail(journal: JournalRead, error: unknown) {
    if (journal.goodBytes === journal.size) return;
    const fd = this.journalFd as number;
    try {
      if (journal.tornKept) writeAll(fd, Buffer.from('\n'), this.write);
      else ftruncateSync(fd, journal.goodBytes);
      fsyncSync(fd);
      this.journalBytes = statSync(this.journalFile).size;
    } catch {
      this.broken = error instanceof SessionWriteError ? error : new SessionWriteError(this.journalFile, error);
    }
  }

  private rollback(fd: number, error: unknown) {
    try {
      ftruncateSync(fd, this.journalBytes);
    } catch {
      this.broken = new SessionWriteError(this.journalFile, error);
    }
  }

  private writable(): number {
    if (this.closed) throw new Error(`session ${this.id} is closed`);
    if (this.readOnly || this.journalFd === null) throw new ReadOnlySessionError(this.id);
    if (this.broken) throw this.broken;
    return this.journalFd;
  }
}

const stamp = (d: Date) => d.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
export const newSessionId = (now = new Date()) => `${stamp(now)}-${randomBytes(3).toString('hex')}`;

function checkId(id: string) {
  if (!SESSION_ID.test(id)) throw new Error(`invalid session id ${JSON.stringify(id)}: letters, digits, - and _ only`);
}

export function createSession(options: CreateSessionOptions): DurableSessionStore {
  const {stateDir, runbook, kind} = options;
  const now = options.now?.() ?? new Date();
  const id = options.id ?? newSessionId(now);
  checkId(id);
  ensureDir(sessionsDir(stateDir));
  const lock = acquireLock(lockPath(stateDir, id), id);
  let made = false;
  try {
    const file = snapshotPath(stateDir, id);
    if (exists(file)) throw new Error(`session ${id} already exists (${file})`);
    made = true;
    ensureDir(runsDir(stateDir, id));
    const write = options.write ?? defaultWrite;
    const at = now.toISOString();
    const data: SessionFile = {
      version: SESSION_FILE_VERSION,
      id,
      runbook: {path: runbook.path, hash: runbook.hash, title: runbook.title},
      kind,
      createdAt: at,
      updatedAt: at,
      finished: false,
      finishedAt: null,
      totals: options.totals ?? null,
      outline: options.outline ?? null,
      ...(options.rehearsal ? {rehearsal: options.rehearsal} : {}),
      events: [],
    };
    const db = new LowSync<SessionFile>(new SnapshotAdapter(file, write), structuredClone(data));
    // Any journal here is a leftover of a session whose snapshot was moved aside: never replay it into this one.
    const leftover = journalPath(stateDir, id);
    if (exists(leftover)) moveAside(stateDir, leftover);
    db.write();
    const store = new DurableSessionStore(stateDir, id, db, false, lock, guardFor(options), write);
    store.startWriting(emptyJournal());
    return store;
  } catch (error) {
    // A session that could not be made (a full disk) leaves nothing behind: no empty session to resume, no files.
    if (made) {
      unlinkQuietly(snapshotPath(stateDir, id));
      unlinkQuietly(journalPath(stateDir, id));
      try {
        rmdirSync(runsDir(stateDir, id));
      } catch {
        // not empty
      }
    }
    lock.release();
    throw error;
  }
}

const exists = (path: string) => {
  try {
    statSync(path);
    return true;
  } catch {
    return false;
  }
};

const guardFor = (options: IoOptions) => new SecretGuard([...secretsFromEnv(), ...(options.secrets ?? [])]);

export function openSession(stateDir: string, id: string, options: OpenSessionOptions = {}): DurableSessionStore {
  checkId(id);
  const readOnly = options.readOnly ?? false;
  const lock = readOnly ? null : acquireLock(lockPath(stateDir, id), id);
  try {
    if (lock) removeStaleTemps(stateDir, id);
    const loaded = loadSession(stateDir, id, {migrations: options.migrations, retries: lock ? 0 : 2});
    const write = options.write ?? defaultWrite;
    const damage = loaded.journal.damage;
    let journal = loaded.journal;
    let notice: string | null = null;
    // Set right before anything is appended: new entries after a damaged line would be numbered as if it were whole.
    if (damage.length && !readOnly) ({journal, notice} = repairJournal(stateDir, id, loaded, write));
    else if (damage.length) notice = `${describeDamage(id, journalPath(stateDir, id), damage)}; shown without ${damage.length > 1 ? 'them' : 'it'}`;
    const db = new LowSync<SessionFile>(new SnapshotAdapter(snapshotPath(stateDir, id), write), {...loaded.file, events: loaded.events});
    db.data.updatedAt = loaded.events.at(-1)?.at ?? db.data.updatedAt;
    const store = new DurableSessionStore(stateDir, id, db, readOnly, lock, guardFor(options), write);
    store.notice = notice;
    if (readOnly) return store;
    ensureDir(runsDir(stateDir, id));
    store.startWriting(journal, loaded.migrated);
    return store;
  } catch (error) {
    const reported = error instanceof SessionFileError ? quarantine(stateDir, id, error, lock !== null) : error;
    lock?.release();
    throw reported;
  }
}

/** Closes nothing it did not open: marks a session finished through a short-lived writer. */
export function markFinished(stateDir: string, id: string, finished = true) {
  const store = openSession(stateDir, id);
  try {
    store.markFinished(finished);
  } finally {
    store.close();
  }
}
