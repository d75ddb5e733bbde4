// Reading a session's journal back, and setting right one that was damaged after it was written.
//
// A journal line is one event, fdatasync'd before the operator saw it. So a bad line (a disk that lost a sector, an
// editor, a copy cut short) must cost that line and nothing else: the events before it were recorded, and so were the
// events after it. Those after it are kept when they parse and their entry numbers still climb: each event is
// self-contained (a tick carries its new state, a run's end names its run), so one lost event loses its own effect
// only, while a number that goes back or skips without damage in between means lines from somewhere else, which are
// set aside with the bad ones. Dropping everything after the first bad line would discard work the operator was told
// was saved.

import {closeSync, fstatSync, fsyncSync, ftruncateSync, linkSync, openSync, readSync, statSync} from 'node:fs';
import {basename, join} from 'node:path';
import type {SessionEvent} from './events.js';
import {describeIssue, journalLineSchema, type SessionFile} from './schema.js';
import {corruptDir, ensureDir, fsyncDir, journalPath, MAX_ENTRY_BYTES, SessionFileError, unlinkQuietly, writeAll, writeFileDurable, type WriteFn} from './session-files.js';

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

export interface JournalDamage {
  /** 1-based, in the journal as it was read. */
  line: number;
  offset: number;
  length: number;
  reason: string;
  /** The last line, without its newline: a write cut short (a crash, a full disk), never shown to the operator as saved. */
  torn: boolean;
}

export interface JournalRead {
  events: SessionEvent[];
  /** The entry number (n) each event was written with. */
  numbers: number[];
  /** Entry number of the first event, or null when none. */
  first: number | null;
  /** Damaged lines came before the first good one, so the first number may leave a gap after the snapshot. */
  gapBeforeFirst: boolean;
  /** Bytes of whole lines: where the next append goes once a torn last line is cut off. */
  goodBytes: number;
  size: number;
  /** The last line had no newline but was whole JSON, and was kept. */
  tornKept: boolean;
  damage: JournalDamage[];
}

export const emptyJournal = (): JournalRead => ({events: [], numbers: [], first: null, gapBeforeFirst: false, goodBytes: 0, size: 0, tornKept: false, damage: []});

const READ_CHUNK = 1024 * 1024;

/**
 * Calls `onLine` for each line, with its bytes, or null when the line is longer than `max` (its bytes are never held:
 * a journal with a 600 MB line must not take the program, or `status`, down with it).
 */
function eachLine(fd: number, size: number, max: number, onLine: (bytes: Buffer | null, offset: number, length: number, complete: boolean) => void) {
  const chunk = Buffer.alloc(Math.min(READ_CHUNK, Math.max(1, size)));
  let parts: Buffer[] = [];
  let held = 0;
  let lineStart = 0;
  let tooLong = false;
  let position = 0;
  while (position < size) {
    const read = readSync(fd, chunk, 0, Math.min(chunk.length, size - position), position);
    if (read <= 0) break;
    let from = 0;
    while (from < read) {
      const nl = chunk.indexOf(10, from);
      const end = nl === -1 || nl >= read ? read : nl;
      const length = position + end - lineStart;
      if (!tooLong && length > max) {
        tooLong = true;
        parts = [];
        held = 0;
      }
      if (!tooLong && end > from) {
        parts.push(Buffer.from(chunk.subarray(from, end)));
        held += end - from;
      }
      if (end === read) break;
      onLine(tooLong ? null : Buffer.concat(parts, held), lineStart, length, true);
      lineStart = position + end + 1;
      parts = [];
      held = 0;
      tooLong = false;
      from = end + 1;
    }
    position += read;
  }
  if (lineStart < size) onLine(tooLong ? null : Buffer.concat(parts, held), lineStart, size - lineStart, false);
}

/**
 * Reads the journal. Missing: empty. Unreadable: SessionFileError. A bad line anywhere is reported in `damage`, with
 * where its bytes are, and reading goes on (see the top of this file). A last line without its newline that is whole
 * JSON is kept (the write reached the disk; only the newline did not).
 */
export function readJournal(path: string): JournalRead {
  const out = emptyJournal();
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return out;
    throw new SessionFileError(path, `cannot read it (${(error as Error).message})`);
  }
  try {
    out.size = fstatSync(fd).size;
    let lineNo = 0;
    let last: number | null = null;
    let damagedSinceLast = false;
    eachLine(fd, out.size, MAX_ENTRY_BYTES, (bytes, offset, length, complete) => {
      lineNo++;
      const damaged = (reason: string) => {
        out.damage.push({line: lineNo, offset, length, reason: complete ? reason : `cut short (${reason})`, torn: !complete});
        damagedSinceLast = true;
      };
      if (!bytes) return damaged(`${mb(length)}, longer than the ${mb(MAX_ENTRY_BYTES)} an entry may hold`);
      const entry = parseJournalLine(bytes.toString('utf8'));
      if (typeof entry === 'string') return damaged(entry);
      if (last !== null && !(entry.n === last + 1 || (entry.n > last && damagedSinceLast)))
        return damaged(`entry ${entry.n} out of sequence after entry ${last}`);
      if (out.first === null) {
        out.first = entry.n;
        out.gapBeforeFirst = damagedSinceLast;
      }
      last = entry.n;
      damagedSinceLast = false;
      out.events.push(entry.e as SessionEvent);
      out.numbers.push(entry.n);
      if (complete) out.goodBytes = offset + length + 1;
      else out.tornKept = true;
    });
  } catch (error) {
    throw new SessionFileError(path, `cannot read it (${(error as Error).message})`);
  } finally {
    closeSync(fd);
  }
  return out;
}

function parseJournalLine(line: string): {n: number; e: unknown} | string {
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch (error) {
    return `bad JSON (${(error as Error).message})`;
  }
  const parsed = journalLineSchema.safeParse(raw);
  return parsed.success ? parsed.data : describeIssue(parsed.error);
}

/** Journal entries the snapshot already holds (a crash between compaction's rename and its truncate) are skipped. */
export function mergeJournal(snapshot: SessionFile, journal: JournalRead, file: string): SessionEvent[] {
  if (journal.first === null) return snapshot.events;
  const have = snapshot.events.length;
  if (journal.first > have && !journal.gapBeforeFirst) throw new SessionFileError(file, `journal starts at entry ${journal.first} but the snapshot has ${have}`);
  const out = [...snapshot.events];
  journal.events.forEach((event, i) => {
    if ((journal.numbers[i] as number) >= have) out.push(event);
  });
  return out;
}

/** One line for the operator: which lines of which journal, and why. */
export function describeDamage(id: string, file: string, damage: readonly JournalDamage[]): string {
  const torn = damage.find(d => d.torn);
  const bad = damage.filter(d => !d.torn);
  const parts: string[] = [];
  if (bad.length) {
    const lines = bad.length > 5 ? `${bad.slice(0, 5).map(d => d.line).join(', ')} and ${bad.length - 5} more` : bad.map(d => d.line).join(', ');
    parts.push(`line${bad.length > 1 ? 's' : ''} ${lines} of ${file} ${bad.length > 1 ? 'were' : 'was'} damaged (${bad[0]!.reason})`);
  }
  if (torn) parts.push(`its last line (${torn.line}) was cut short by a crash or a full disk and was never shown as saved`);
  return `session ${id}: ${parts.join('; ')}`;
}

/**
 * Sets a damaged journal right (the caller holds the lock): the journal as it was is kept in corrupt/ with every byte
 * (a hard link: no copy, however large), then a clean journal holding the events the snapshot lacks, numbered on from
 * it, replaces it atomically. A crash in between leaves the damaged journal in place, read the same way next time.
 * A torn last line alone needs no new journal: it is cut off, which a full disk allows (its bytes were never shown as
 * saved, so if even the link cannot be made they are named, not kept). Returns the journal as it now is, and the line
 * telling the operator what was done.
 */
export function repairJournal(
  stateDir: string,
  id: string,
  loaded: {file: SessionFile; events: SessionEvent[]; journal: JournalRead},
  write?: WriteFn,
): {journal: JournalRead; notice: string} {
  const file = journalPath(stateDir, id);
  const {damage} = loaded.journal;
  const count = loaded.events.length;
  const entries = `${count} recorded entr${count === 1 ? 'y is' : 'ies are'} kept`;
  const said = describeDamage(id, basename(file), damage);
  if (damage.every(d => d.torn)) {
    let kept: string;
    try {
      kept = `its bytes are kept in ${keepAside(stateDir, file, loaded.journal.goodBytes, '.torn')}`;
    } catch (error) {
      kept = `its bytes could not be kept (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`;
    }
    const fd = openSync(file, 'r+');
    try {
      ftruncateSync(fd, loaded.journal.goodBytes);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    return {journal: {...loaded.journal, damage: [], size: loaded.journal.goodBytes, tornKept: false}, notice: `${said}; ${kept}; ${entries}`};
  }
  const kept = keepAside(stateDir, file);
  const have = loaded.file.events.length;
  const tail = loaded.events.slice(have);
  const text = tail.map((e, i) => `${JSON.stringify({n: have + i, e})}\n`).join('');
  writeFileDurable(file, text, write);
  const size = Buffer.byteLength(text);
  const journal: JournalRead = {
    ...emptyJournal(),
    events: tail,
    numbers: tail.map((_, i) => have + i),
    first: tail.length ? have : null,
    goodBytes: size,
    size,
  };
  const lost = damage.filter(d => !d.torn).length;
  return {journal, notice: `${said}; the journal as it was is kept in ${kept}; ${entries}, ${lost} lost`};
}

/**
 * A copy of `file` in corrupt/ under a new name: a hard link when the filesystem allows it, else a byte copy. With
 * `from`, a copy of its bytes from there on (a torn last line: the file itself is about to be cut).
 */
function keepAside(stateDir: string, file: string, from?: number, suffix = ''): string {
  const dir = corruptDir(stateDir);
  ensureDir(dir);
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  for (let i = 0; i < 100; i++) {
    const target = join(dir, `${basename(file)}.${stamp}${i ? `-${i}` : ''}${suffix}`);
    if (statSync(target, {throwIfNoEntry: false})) continue;
    try {
      if (from !== undefined) copyFile(file, target, from);
      else linkSync(file, target);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') continue;
      if (from !== undefined || (code !== 'EPERM' && code !== 'EXDEV' && code !== 'ENOTSUP' && code !== 'EMLINK')) throw error;
      copyFile(file, target);
    }
    fsyncDir(dir);
    return target;
  }
  throw new Error(`no free name for ${basename(file)} in ${dir}`);
}

function copyFile(from: string, to: string, start = 0) {
  const src = openSync(from, 'r');
  const dst = openSync(to, 'wx', 0o600);
  try {
    const chunk = Buffer.alloc(READ_CHUNK);
    for (let position = start; ; ) {
      const read = readSync(src, chunk, 0, chunk.length, position);
      if (read <= 0) break;
      writeAll(dst, chunk.subarray(0, read));
      position += read;
    }
    fsyncSync(dst);
  } catch (error) {
    unlinkQuietly(to); // a full disk leaves no half copy behind
    throw error;
  } finally {
    closeSync(src);
    closeSync(dst);
  }
}
