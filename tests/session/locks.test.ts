import {spawn, spawnSync, type ChildProcess} from 'node:child_process';
import {existsSync, readdirSync, statSync, utimesSync, writeFileSync} from 'node:fs';
import {hostname} from 'node:os';
import {join} from 'node:path';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {createSession, openSession} from '../../source/session/durable-store.js';
import {acquireLock, readLock, SessionInUseError} from '../../source/session/locks.js';
import {lockPath} from '../../source/session/session-files.js';
import {childProgram, note, RUNBOOK, tempStateDir} from './helpers.js';

let state: ReturnType<typeof tempStateDir>;
beforeEach(() => (state = tempStateDir()));
afterEach(() => state.remove());

const child = childProgram();

/** A pid that certainly belonged to a process that has exited (and been reaped). */
const deadPid = () => spawnSync(process.execPath, ['-e', '0']).pid as number;

function writeStaleLock(id: string, pid = deadPid()) {
  writeFileSync(lockPath(state.dir, id), JSON.stringify({pid, host: hostname(), user: 'ghost', since: new Date().toISOString()}));
}

function lines(proc: ChildProcess): Promise<string[]> {
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    proc.stdout?.on('data', d => (out += d));
    proc.stderr?.on('data', d => (err += d));
    proc.on('error', reject);
    proc.on('exit', code => (code === 0 ? resolve(out.split('\n').filter(Boolean)) : reject(new Error(`child exited ${code}: ${err}`))));
  });
}

function firstLine(proc: ChildProcess): Promise<string> {
  return new Promise(resolve => {
    let out = '';
    proc.stdout?.on('data', d => {
      out += d;
      if (out.includes('\n')) resolve(out.split('\n')[0] as string);
    });
  });
}

describe('the session lock', () => {
  it('refuses a second writer with the holder pid, host and since; read-only still opens', () => {
    const first = createSession({stateDir: state.dir, runbook: RUNBOOK, kind: 'deploy', id: 'held'});
    first.append(note('mine'));
    let error: unknown;
    try {
      openSession(state.dir, 'held');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SessionInUseError);
    const inUse = error as SessionInUseError;
    expect(inUse).toMatchObject({pid: process.pid, host: hostname(), sessionId: 'held'});
    expect(Date.parse(inUse.since)).toBeGreaterThan(Date.now() - 60_000);
    expect(inUse.message).toMatch(new RegExp(`^session held is in use by pid ${process.pid} on ${hostname()}`));
    const viewer = openSession(state.dir, 'held', {readOnly: true});
    expect(viewer.events()).toHaveLength(1);
    expect(() => viewer.append(note('nope'))).toThrow(/read-only/);
    first.close();
    expect(existsSync(lockPath(state.dir, 'held'))).toBe(false);
    openSession(state.dir, 'held').close(); // free again once closed
  });

  it('takes over a lock whose process is dead', () => {
    createSession({stateDir: state.dir, runbook: RUNBOOK, kind: 'deploy', id: 'stale'}).close();
    const dead = deadPid();
    writeStaleLock('stale', dead);
    const store = openSession(state.dir, 'stale');
    expect(readLock(lockPath(state.dir, 'stale'))).toMatchObject({pid: process.pid});
    store.append(note('after takeover'));
    store.close();
  });

  it('takes over a lock from before the last boot even if its pid is alive now (pids restart)', () => {
    createSession({stateDir: state.dir, runbook: RUNBOOK, kind: 'deploy', id: 'preboot'}).close();
    writeFileSync(lockPath(state.dir, 'preboot'), JSON.stringify({pid: 1, host: hostname(), user: 'x', since: '2001-01-01T00:00:00Z'}));
    openSession(state.dir, 'preboot').close();
  });

  it('never takes over a lock from another host', () => {
    createSession({stateDir: state.dir, runbook: RUNBOOK, kind: 'deploy', id: 'remote'}).close();
    writeFileSync(lockPath(state.dir, 'remote'), JSON.stringify({pid: deadPid(), host: 'other-laptop', user: 'ann', since: new Date().toISOString()}));
    expect(() => openSession(state.dir, 'remote')).toThrow(/in use by pid \d+ on other-laptop \(ann\)/);
  });

  it('passes over a takeover claim left by a process that died mid-takeover', () => {
    createSession({stateDir: state.dir, runbook: RUNBOOK, kind: 'deploy', id: 'claimed'}).close();
    writeStaleLock('claimed');
    // the claim name embeds the stale file's identity; a dead claimant's leftover claim on it:
    const path = lockPath(state.dir, 'claimed');
    const {ino, mtimeMs} = statSync(path);
    const tag = `${ino}-${Math.round(mtimeMs * 1000)}-${readLock(path)?.pid}`;
    writeFileSync(`${path}.takeover-${tag}-0`, JSON.stringify({pid: deadPid(), host: hostname(), user: 'x', since: new Date().toISOString()}));
    openSession(state.dir, 'claimed').close();
    expect(readdirSync(join(state.dir, 'sessions')).filter(n => n.includes('takeover'))).toEqual([]);
  });

  it('an empty lock file (a writer killed between create and write) is stale only once it is old', () => {
    createSession({stateDir: state.dir, runbook: RUNBOOK, kind: 'deploy', id: 'empty'}).close();
    writeFileSync(lockPath(state.dir, 'empty'), '');
    expect(() => openSession(state.dir, 'empty')).toThrow(SessionInUseError);
    const old = new Date(Date.now() - 60_000);
    utimesSync(lockPath(state.dir, 'empty'), old, old);
    openSession(state.dir, 'empty').close();
  });

  it('two processes taking over one stale lock at the same instant: exactly one wins', async () => {
    let tightRounds = 0;
    for (let round = 0; round < 4; round++) {
      const id = `race-${round}`;
      createSession({stateDir: state.dir, runbook: RUNBOOK, kind: 'deploy', id}).close();
      writeStaleLock(id);
      const startAt = String(Date.now() + 1500);
      const racers = [0, 1].map(() => spawn(process.execPath, [child(), 'take', state.dir, id, startAt], {stdio: ['pipe', 'pipe', 'pipe']}));
      const reports = await Promise.all(racers.map(firstLine));
      if (reports.every(r => r.endsWith(' on-time'))) tightRounds++;
      const firsts = reports.map(r => r.replace(/ (on-time|late)$/, ''));
      const done = racers.map(lines);
      for (const r of racers) r.stdin?.end();
      await Promise.all(done);
      expect(firsts.filter(l => l === 'won')).toHaveLength(1);
      const loser = firsts.find(l => l !== 'won') as string;
      const winner = racers[firsts.indexOf('won')] as ChildProcess;
      expect(loser).toBe(`in-use ${winner.pid}`);
      // the winner's exit hook released its lock
      expect(existsSync(lockPath(state.dir, id))).toBe(false);
    }
    expect(tightRounds).toBeGreaterThan(0); // both were spinning at the line at least once: a real race
  });

  it('is released on process exit even without close()', async () => {
    createSession({stateDir: state.dir, runbook: RUNBOOK, kind: 'deploy', id: 'exit'}).close();
    const out = await lines(spawn(process.execPath, [child(), 'hold', state.dir, 'exit']));
    expect(out).toEqual(['held']);
    expect(existsSync(lockPath(state.dir, 'exit'))).toBe(false);
  });

  it('release never removes a lock that is no longer ours', () => {
    createSession({stateDir: state.dir, runbook: RUNBOOK, kind: 'deploy', id: 'mine'}).close();
    const lock = acquireLock(lockPath(state.dir, 'mine'), 'mine');
    writeFileSync(lockPath(state.dir, 'mine'), JSON.stringify({pid: 999_999, host: 'elsewhere', user: 'x', since: new Date().toISOString()}));
    lock.release();
    expect(readLock(lockPath(state.dir, 'mine'))).toMatchObject({host: 'elsewhere'});
  });
});
