// SIGKILL a real writer at random moments, many times: everything it reported as recorded must be there after.
import {spawn} from 'node:child_process';
import {readdirSync, readFileSync} from 'node:fs';
import {expect, it} from 'vitest';
import {openSession} from '../../source/session/durable-store.js';
import type {SessionEvent} from '../../source/session/events.js';
import {readLock} from '../../source/session/locks.js';
import {lockPath, sessionsDir, snapshotPath} from '../../source/session/session-files.js';
import {childProgram, seededRandom, tempStateDir} from './helpers.js';

const child = childProgram();

const seqOf = (e: SessionEvent) => {
  const tag = e.type === 'note' ? e.text.replace('seq ', '') : e.type === 'check-toggled' ? e.itemId.replace('seq-', '') : e.type === 'run-finished' ? e.runId.replace('seq-', '') : '';
  return Number(tag);
};

/** Runs the writer until `delay` ms after it is ready (or after spawn, when `early`), kills it, returns what it printed. */
function runAndKill(stateDir: string, delay: number, early: boolean): Promise<{printed: number[]; pid: number}> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [child(), 'append', stateDir, 'k', '40'], {stdio: ['ignore', 'pipe', 'pipe']});
    let out = '';
    let err = '';
    let timer: NodeJS.Timeout | undefined;
    const kill = () => proc.kill('SIGKILL');
    if (early) timer = setTimeout(kill, delay);
    proc.stdout.on('data', d => {
      out += d;
      if (!timer && out.includes('ready')) timer = setTimeout(kill, delay);
    });
    proc.stderr.on('data', d => (err += d));
    proc.on('error', reject);
    proc.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (signal !== 'SIGKILL') return reject(new Error(`writer ended by itself (${code}): ${err}`));
      // only whole lines: a number is printed after its append returned
      const whole = out.slice(0, out.lastIndexOf('\n') + 1).split('\n');
      resolve({printed: whole.filter(l => /^\d+$/.test(l)).map(Number), pid: proc.pid as number});
    });
  });
}

it('after SIGKILL at random moments, every event reported as recorded is on disk and every file parses', async () => {
  const state = tempStateDir();
  const seed = Date.now();
  const rand = seededRandom(seed);
  const printedAll = new Set<number>();
  let killedWithLock = 0;
  let leftTemps = 0;
  try {
    for (let i = 0; i < 30; i++) {
      const early = i % 5 === 4; // sometimes during start-up: open, takeover, compaction
      const delay = 20 + Math.floor(rand() * 180);
      const {printed, pid} = await runAndKill(state.dir, delay, early);
      for (const n of printed) printedAll.add(n);
      const context = `seed ${seed}, iteration ${i}, delay ${delay}${early ? ' from spawn' : ''}`;
      const dir = sessionsDir(state.dir);
      if (!readdirSync(dir).includes('k.json')) {
        expect(printed, context).toEqual([]); // killed before the session was even created
        continue;
      }
      // the snapshot is always whole JSON (it is only ever replaced by rename)
      expect(() => JSON.parse(readFileSync(snapshotPath(state.dir, 'k'), 'utf8')), context).not.toThrow();
      if (readLock(lockPath(state.dir, 'k'))?.pid === pid) killedWithLock++;
      leftTemps += readdirSync(dir).filter(n => n.endsWith('.tmp')).length;
      // reopen as the next writer would: takes over the dead writer's lock, compacts, cleans temp files
      const store = openSession(state.dir, 'k');
      const seqs = store.events().map(seqOf);
      store.close();
      expect(seqs, context).toEqual(seqs.map((_, k) => k)); // in order, no gaps, no duplicates
      const missing = [...printedAll].filter(n => n >= seqs.length);
      expect(missing, context).toEqual([]);
      expect(readdirSync(dir).filter(n => n.endsWith('.tmp') || n.includes('.lock')), context).toEqual([]);
    }
    expect(printedAll.size).toBeGreaterThan(30); // the writer did get work done between kills
    expect(killedWithLock).toBeGreaterThan(0); // and the takeover path was exercised
  } finally {
    state.remove();
  }
  // for the record in verbose runs
  console.info(`kill loop: ${printedAll.size} events acknowledged, ${killedWithLock} stale locks taken over, ${leftTemps} temp files left by kills`);
}, 180_000);
