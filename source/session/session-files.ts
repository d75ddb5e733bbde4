// Where a session lives on disk and how its bytes are written and read back.
//
//   <state>/sessions/<id>.json      snapshot: header + events, replaced atomically (temp, fsync, rename, fsync dir)
//   <state>/sessions/<id>.journal   events appended since the snapshot, one JSON line each, fdatasync'd per line
//   <state>/sessions/<id>.lock      the writer's pid/host/user/since (locks.ts)
//   <state>/sessions/corrupt/       unreadable files, moved here byte for byte; damaged journals, kept as they were
//   <state>/runs/<id>/<runId>.log   command output (written by the exec layer)
//   <state>/runs/<id>/<runId>.exit  how a run ended, noted by its shell and supervisor; removed once recorded (run-fate.ts)
//   <state>/tmp/shell-<pid>-*/     a running block's environment dump; removed when it ends, swept after a crash
//   <state>/index.json              cached summaries for `status`; a cache, rebuilt from the sessions at will
//
// Why a journal: rewriting the snapshot per event costs 5 ms (200 events) to 11 ms (2,000) median with p99 up to
// 50 ms on this disk, and rewrites the whole file for every tick; appending one fdatasync'd line costs ~0.4 ms
// at any size. The journal is folded into the snapshot when the writer opens the session (and on compact()).

import {closeSync, fsyncSync, mkdirSync, openSync, readFileSync, readdirSync, renameSync, statSync, unlinkSync, writeSync} from 'node:fs';
import {basename, dirname, join} from 'node:path';
import {decodeVersioned, SchemaError, type Migration, type SessionFile} from './schema.js';

export const sessionsDir = (stateDir: string) => join(stateDir, 'sessions');
export const corruptDir = (stateDir: string) => join(stateDir, 'sessions', 'corrupt');
export const snapshotPath = (stateDir: string, id: string) => join(stateDir, 'sessions', `${id}.json`);
export const journalPath = (stateDir: string, id: string) => join(stateDir, 'sessions', `${id}.journal`);
export const lockPath = (stateDir: string, id: string) => join(stateDir, 'sessions', `${id}.lock`);
export const runsDir = (stateDir: string, id: string) => join(stateDir, 'runs', id);
export const indexPath = (stateDir: string) => join(stateDir, 'index.json');

/** The one write primitive, injectable so tests can make the disk fill up (ENOSPC) at a chosen moment. */
export type WriteFn = (fd: number, buffer: Uint8Array, offset: number, length: number) => number;
export const defaultWrite: WriteFn = (fd, buffer, offset, length) => writeSync(fd, buffer, offset, length);

/** A session file that cannot be used. The message is one line and names the file. */
export class SessionFileError extends Error {
  constructor(
    readonly file: string,
    readonly reason: string,
    /** Where the bytes were moved, when they were. */
    readonly movedTo: string | null = null,
    /** Left in place on purpose (a newer program's file, or a session another process is writing). */
    readonly keptBecause: string | null = null,
  ) {
    const where = [movedTo ? `; moved to ${movedTo}` : '', keptBecause ? `; left in place (${keptBecause})` : ''].join('');
    super(`session file ${file} is unreadable: ${oneLine(reason)}${where}`);
    this.name = 'SessionFileError';
  }

  /** The same problem, after its files were moved aside (or deliberately not). */
  with(movedTo: string | null, keptBecause: string | null = null) {
    return new SessionFileError(this.file, this.reason, movedTo, keptBecause);
  }

  get newer() {
    return this.reason.startsWith('written by a newer runbook');
  }
}

/** A write that did not reach the disk. Nothing before it is affected. */
export class SessionWriteError extends Error {
  constructor(
    readonly file: string,
    override readonly cause: unknown,
  ) {
    const code = (cause as NodeJS.ErrnoException | undefined)?.code;
    const text = cause instanceof Error ? cause.message : String(cause);
    // Node's messages already start with the code ("ENOSPC: no space left on device, write"); others may not.
    const why = code && !text.includes(code) ? `${code}: ${text}` : text;
    super(`could not save to ${file}: ${oneLine(why)}; earlier entries are intact`);
    this.name = 'SessionWriteError';
  }
}

/** No journal line is ever written over this: a bigger event is refused. A bigger line read back is damage. */
export const MAX_ENTRY_BYTES = 16 * 1024 * 1024;

/** An event too large to record (a block that exported a huge variable): refused before anything is written. */
export class EntryTooLargeError extends Error {
  constructor(
    readonly file: string,
    readonly bytes: number,
    readonly eventType: string,
  ) {
    super(`the ${eventType} entry is ${(bytes / 1024 / 1024).toFixed(1)} MB, more than the ${MAX_ENTRY_BYTES / 1024 / 1024} MB a session records in one entry`);
    this.name = 'EntryTooLargeError';
  }
}

const oneLine = (s: string) => s.replace(/\s+/g, ' ').trim();

/** What the operator is told when an action could not be recorded: what failed and what to do, on one line. */
export function saveFailureLine(error: unknown): string {
  const kept = 'everything recorded before is kept';
  if (error instanceof SessionWriteError) {
    const code = (error.cause as NodeJS.ErrnoException | undefined)?.code;
    // The state directory, not the file: that is where space has to be found.
    const where = dirname(dirname(error.file));
    if (code === 'ENOSPC' || code === 'EDQUOT') return `not saved: the disk holding ${where} is full — free some space, then do it again (${kept})`;
    if (code === 'EROFS' || code === 'EACCES' || code === 'EPERM') return `not saved: ${where} is not writable (${code}) — fix that, then do it again (${kept})`;
  }
  if (error instanceof EntryTooLargeError)
    return `not saved: ${error.message}${error.eventType === 'shell-changed' ? ' (a variable the block set is that large: keep such data in a file)' : ''} (${kept})`;
  return `not saved: ${oneLine(error instanceof Error ? error.message : String(error))}`;
}

export function writeAll(fd: number, buffer: Uint8Array, write: WriteFn = defaultWrite) {
  let done = 0;
  while (done < buffer.length) done += write(fd, buffer, done, buffer.length - done);
}

/** The directory entry (a create or a rename) is only durable once the directory itself is fsync'd. */
export function fsyncDir(dir: string) {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

export function ensureDir(dir: string) {
  try {
    mkdirSync(dir, {recursive: true, mode: 0o700});
  } catch (error) {
    // Node's recursive mkdir says ENOENT where the parent is read-only or forbidden: one plain mkdir names the cause.
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    mkdirSync(dir, {mode: 0o700});
  }
}

/**
 * Replaces `path` with `text` so that a crash at any moment leaves either the old file or the new one, whole:
 * write to a uniquely named temp file in the same directory, fsync it, rename it over, fsync the directory.
 * steno (lowdb's writer) does the rename but neither fsync, so after a power cut it can leave an empty file.
 */
export function writeFileDurable(path: string, text: string, write: WriteFn = defaultWrite) {
  const dir = dirname(path);
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${Math.random().toString(36).slice(2, 8)}.tmp`);
  const fd = openSync(tmp, 'wx', 0o600);
  try {
    writeAll(fd, Buffer.from(text), write);
    fsyncSync(fd);
  } catch (error) {
    closeSync(fd);
    unlinkQuietly(tmp);
    throw new SessionWriteError(path, error);
  }
  closeSync(fd);
  renameSync(tmp, path);
  fsyncDir(dir);
}

/** Temp files a killed writer left behind for this session; only the lock holder may remove them. */
export function removeStaleTemps(stateDir: string, id: string) {
  const dir = sessionsDir(stateDir);
  for (const name of readdirSync(dir)) if (name.startsWith(`.${id}.json.`) && name.endsWith('.tmp')) unlinkQuietly(join(dir, name));
}

export function unlinkQuietly(path: string) {
  try {
    unlinkSync(path);
  } catch {
    // already gone
  }
}

/** Reads and validates a snapshot. Missing file: null. Anything else wrong: SessionFileError naming it. */
export function readSnapshot(path: string, table?: Readonly<Record<number, Migration>>): SessionFile | null {
  return readVersionedSnapshot(path, table)?.file ?? null;
}

export function readVersionedSnapshot(path: string, table?: Readonly<Record<number, Migration>>): {file: SessionFile; fromVersion: number} | null {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new SessionFileError(path, `cannot read it (${(error as Error).message})`);
  }
  if (text.trim() === '') throw new SessionFileError(path, 'the file is empty');
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new SessionFileError(path, `bad JSON (${(error as Error).message})`);
  }
  try {
    return decodeVersioned(raw, table);
  } catch (error) {
    if (error instanceof SchemaError) throw new SessionFileError(path, error.message);
    throw error;
  }
}

/** Moves a file to sessions/corrupt/<name>.<timestamp> by rename: same bytes, same inode. Returns the new path. */
export function moveAside(stateDir: string, file: string): string | null {
  const dir = corruptDir(stateDir);
  ensureDir(dir);
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  for (let i = 0; i < 100; i++) {
    const target = join(dir, `${basename(file)}.${stamp}${i ? `-${i}` : ''}`);
    try {
      statSync(target);
      continue; // taken (two moves in the same millisecond)
    } catch {
      // free
    }
    try {
      renameSync(file, target);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
    fsyncDir(dirname(file));
    return target;
  }
  return null;
}
