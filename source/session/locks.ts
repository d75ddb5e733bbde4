// One writer per session. Two `runbook` processes appending to one session would interleave their journals and
// each believe its own view; so the writer holds sessions/<id>.lock, created with O_EXCL, and a second opener is
// told who holds it. A lock left by a process that died on this host is taken over; one from another host never is
// (we cannot see its processes), the operator gets the read-only view or a new session instead.

import {closeSync, fsyncSync, linkSync, openSync, readdirSync, readFileSync, renameSync, statSync, writeSync} from 'node:fs';
import {basename, dirname, join} from 'node:path';
import {hostname, uptime, userInfo} from 'node:os';
import type {Actor} from './events.js';
import {unlinkQuietly} from './session-files.js';

export interface LockInfo {
  pid: number;
  host: string;
  user: string;
  since: string;
}

export class SessionInUseError extends Error {
  readonly pid: number;
  readonly host: string;
  readonly user: string;
  readonly since: string;
  constructor(
    readonly sessionId: string,
    readonly lockFile: string,
    info: LockInfo,
  ) {
    super(`session ${sessionId} is in use by pid ${info.pid} on ${info.host} (${info.user}) since ${info.since}`);
    this.name = 'SessionInUseError';
    this.pid = info.pid;
    this.host = info.host;
    this.user = info.user;
    this.since = info.since;
  }
}

export interface HeldLock {
  readonly path: string;
  readonly info: LockInfo;
  release(): void;
}

/** A lock file being written right now looks empty for a moment; only an old empty one is garbage. */
const UNWRITTEN_GRACE_MS = 10_000;
const ATTEMPTS = 20;

const held = new Set<HeldLock>();
let exitHookInstalled = false;

// `exit` runs on process.exit() and a normal end. Signals and crashes skip it; their locks are found stale later.
function installExitHook() {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const lock of [...held]) lock.release();
  });
}

/** Who is at the keyboard: the lock's owner and the `by` of every event. */
export function currentActor(): Actor {
  let user = process.env.USER ?? 'unknown';
  try {
    user = userInfo().username;
  } catch {
    // no passwd entry (containers): keep $USER
  }
  return {user, host: hostname()};
}

/**
 * The lock's record, or null when it is not one this program writes (empty, cut short, hand-edited: a missing or
 * invalid `since`, a pid that is no pid). Such a lock names nobody who could be asked, so it is judged like an
 * unwritten one: in use for a moment, stale after UNWRITTEN_GRACE_MS.
 */
export function readLock(path: string): LockInfo | null {
  try {
    const raw = JSON.parse(readFileSync(path, 'utf8')) as Partial<Record<keyof LockInfo, unknown>> | null;
    if (!raw || typeof raw !== 'object') return null;
    const {pid, host, user, since} = raw;
    if (typeof pid !== 'number' || !Number.isInteger(pid) || pid <= 0 || typeof host !== 'string' || host === '') return null;
    if (typeof since !== 'string' || !Number.isFinite(Date.parse(since))) return null;
    return {pid, host, user: typeof user === 'string' ? user : 'unknown', since};
  } catch {
    return null;
  }
}

export function pidAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'; // exists, belongs to someone else
  }
}

interface Seen {
  info: LockInfo | null;
  /** Identity of this very file (inode, mtime, pid): a new lock at the same path is a different one. */
  tag: string;
  mtimeMs: number;
}

function inspect(path: string): Seen | null {
  let st;
  try {
    st = statSync(path);
  } catch {
    return null;
  }
  const info = readLock(path);
  return {info, tag: `${st.ino}-${Math.round(st.mtimeMs * 1000)}-${info?.pid ?? 0}`, mtimeMs: st.mtimeMs};
}

/** Dead: same host, and its pid is gone or it predates the last boot (pids restart after a reboot). */
function isStale(seen: Seen): boolean {
  if (!seen.info) return Date.now() - seen.mtimeMs > UNWRITTEN_GRACE_MS;
  if (seen.info.host !== hostname()) return false;
  const bootedAt = Date.now() - uptime() * 1000;
  const since = Date.parse(seen.info.since);
  if (Number.isFinite(since) && since < bootedAt - 60_000) return true;
  return !pidAlive(seen.info.pid);
}

/**
 * Creates the lock with its record already in it: the record is written to a file of our own, then hard-linked to
 * the lock's name, which fails if the lock exists (as O_EXCL would). A process killed at any moment therefore
 * leaves either no lock or a whole one naming its pid, never an empty lock nobody can judge.
 */
function tryCreate(path: string, text: string): boolean {
  const draft = join(dirname(path), `.${basename(path)}-${process.pid}.draft`);
  const fd = openSync(draft, 'w', 0o600);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } catch (error) {
    // A full disk takes the write, not the create: leave no empty draft behind.
    closeSync(fd);
    unlinkQuietly(draft);
    throw error;
  }
  closeSync(fd);
  try {
    linkSync(draft, path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    unlinkQuietly(draft);
  }
}

/** Drafts left by writers killed between writing and linking them: harmless, removed when their pid is gone. */
function sweepDrafts(path: string) {
  const prefix = `.${basename(path)}-`;
  try {
    for (const name of readdirSync(dirname(path))) {
      const pid = name.startsWith(prefix) && name.endsWith('.draft') ? Number(name.slice(prefix.length, -'.draft'.length)) : NaN;
      if (Number.isInteger(pid) && pid !== process.pid && !pidAlive(pid)) unlinkQuietly(join(dirname(path), name));
    }
  } catch {
    // an unreadable directory will fail the create itself, with a clearer error
  }
}

// Blocking on purpose: taking the lock is synchronous like every write of the store, so node:timers/promises won't do.
const pauseSync = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/**
 * Takes the lock or throws SessionInUseError. Synchronous, like every write of the store.
 *
 * Takeover of a stale lock must not let two racers both win, nor let a slow racer remove the lock a faster one
 * just created. So a racer first claims *this particular stale file* (its inode+mtime tag) with an O_EXCL claim
 * file; only the claim's owner renames the stale lock away, and everyone then competes on the O_EXCL create
 * again. A claim whose owner died is passed over by claiming the next level, which again only one racer gets.
 */
export function acquireLock(path: string, sessionId: string): HeldLock {
  const {user, host} = currentActor();
  const info: LockInfo = {pid: process.pid, host, user, since: new Date().toISOString()};
  const text = `${JSON.stringify(info)}\n`;
  let last: Seen | null = null;
  let waitsForContent = 0;
  sweepDrafts(path);
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    if (tryCreate(path, text)) return hold(path, info);
    const seen = inspect(path);
    if (!seen) continue; // released between our create and our look
    last = seen;
    if (!isStale(seen)) {
      // Just created by a racer that has not written its record yet: wait a moment so the refusal can say who.
      if (!seen.info && waitsForContent++ < 50) {
        attempt--;
        pauseSync(4); // at most 200 ms in all
        continue;
      }
      break;
    }
    if (!takeOver(path, seen, text)) pauseSync(5 + attempt * 5); // another process is taking over: see who wins
  }
  throw new SessionInUseError(sessionId, path, last?.info ?? (last ? unreadableHolder(last) : {pid: 0, host: 'unknown', user: 'unknown', since: new Date().toISOString()}));
}

function takeOver(path: string, seen: Seen, text: string): boolean {
  for (let level = 0; level < 10; level++) {
    const claim = `${path}.takeover-${seen.tag}-${level}`;
    if (!tryCreate(claim, text)) {
      const owner = inspect(claim);
      if (owner && !isStale(owner)) return false;
      continue; // its owner died mid-takeover: the next level decides among the living
    }
    try {
      const now = inspect(path);
      // Only a claimant of this tag moves this file, and we are that claimant: if it is still there, it is ours to move.
      if (now && now.tag === seen.tag) {
        const aside = `${path}.stale-${seen.tag}`;
        renameSync(path, aside);
        unlinkQuietly(aside);
      }
    } finally {
      for (let l = 0; l <= level; l++) unlinkQuietly(`${path}.takeover-${seen.tag}-${l}`);
    }
    return true;
  }
  return false;
}

function hold(path: string, info: LockInfo): HeldLock {
  installExitHook();
  const lock: HeldLock = {
    path,
    info,
    release() {
      if (!held.delete(lock)) return;
      // Remove it only if it is still ours: never someone else's lock after a (mistaken) takeover.
      const now = readLock(path);
      if (now && now.pid === info.pid && now.since === info.since && now.host === info.host) unlinkQuietly(path);
    },
  };
  held.add(lock);
  return lock;
}

/** Who holds a session now, if anyone alive does. */
export function liveHolder(path: string): LockInfo | null {
  const seen = inspect(path);
  if (!seen || isStale(seen)) return null;
  return seen.info ?? unreadableHolder(seen);
}

/** A lock that names no process: pid 0, and the time it was last written as its `since`. */
const unreadableHolder = (seen: Seen): LockInfo => ({pid: 0, host: 'unknown', user: 'unknown', since: new Date(seen.mtimeMs).toISOString()});
