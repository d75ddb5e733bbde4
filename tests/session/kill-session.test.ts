// kill -9 at random moments across many rounds of a scripted session: the app's controller, store and runner in a
// real process, resumed after every kill. Every tick, run and variable it showed as recorded must be there, in
// place, with the run's output on disk; no file may be corrupt.
import {spawn} from 'node:child_process';
import {existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {expect, it} from 'vitest';
import type {SessionEvent} from '../../source/session/events.js';
import {openSession} from '../../source/session/persistence.js';
import {applyEvent, emptySessionState} from '../../source/session/session-state.js';
import {journalPath, sessionsDir, snapshotPath} from '../../source/session/session-files.js';
import {childProgram, seededRandom, tempStateDir} from './helpers.js';

const RUNBOOK = `# Scripted deploy

## Prepare

\`\`\`bash
echo "preparing $REGION"
export STAGE=prepared
\`\`\`

- [ ] The change window is open
- [ ] Dashboards are up

## Deploy

\`\`\`bash
echo "deploying to $REGION after $STAGE"
seq 1 300
\`\`\`

- [ ] Rollout is healthy

## Verify

\`\`\`bash
echo "verified $REGION"
\`\`\`

- [ ] Smoke tests pass
`;

const child = childProgram('scripted-session.ts');

interface Acknowledged {
  at: number;
  event: SessionEvent;
}

/** Runs the scripted session until `delay` ms after it is ready, SIGKILLs it, returns what it acknowledged. */
function runAndKill(stateDir: string, file: string, delay: number): Promise<Acknowledged[]> {
  return new Promise((resolve, reject) => {
    // The runner keeps each block's shell state in a temp dir it removes when the block ends; a kill -9 mid-block
    // leaves it, so the session's temp dirs go under the state dir, which the test removes.
    const tmp = join(stateDir, 'tmp');
    mkdirSync(tmp, {recursive: true});
    const proc = spawn(process.execPath, [child(), stateDir, file, 'drill'], {stdio: ['ignore', 'pipe', 'pipe'], env: {...process.env, TMPDIR: tmp}});
    let out = '';
    let err = '';
    let timer: NodeJS.Timeout | undefined;
    proc.stdout.on('data', d => {
      out += d;
      if (!timer && out.includes('ready\n')) timer = setTimeout(() => proc.kill('SIGKILL'), delay);
    });
    proc.stderr.on('data', d => (err += d));
    proc.on('error', reject);
    proc.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (signal !== 'SIGKILL') return reject(new Error(`the session ended by itself (${code}): ${err}`));
      const whole = out.slice(0, out.lastIndexOf('\n') + 1).split('\n');
      resolve(whole.filter(l => l.startsWith('{')).map(l => JSON.parse(l) as Acknowledged));
    });
  });
}

it('keeps every acknowledged tick, run and variable across kill -9 at random moments, and no file is corrupt', async () => {
  const state = tempStateDir();
  const file = join(state.dir, 'deploy.md');
  writeFileSync(file, RUNBOOK);
  const seed = Date.now();
  const rand = seededRandom(seed);
  const acknowledged = new Map<number, SessionEvent>();
  let killedMidRun = 0;
  try {
    for (let i = 0; i < 25; i++) {
      const delay = 10 + Math.floor(rand() * 300);
      const context = `seed ${seed}, round ${i}, killed ${delay} ms after ready`;
      for (const {at, event} of await runAndKill(state.dir, file, delay)) acknowledged.set(at, event);

      // every file a kill can leave behind parses: the snapshot whole, the journal's complete lines
      expect(() => JSON.parse(readFileSync(snapshotPath(state.dir, 'drill'), 'utf8')), context).not.toThrow();
      const journal = readFileSync(journalPath(state.dir, 'drill'), 'utf8');
      for (const line of journal.split('\n').slice(0, -1)) expect(() => JSON.parse(line), context).not.toThrow();

      // reopened as the next run of the app would: every acknowledged event is there, at its place
      const store = openSession(state.dir, 'drill', {readOnly: true});
      const events = store.events();
      store.close();
      for (const [at, event] of acknowledged) expect(events[at], `${context}: event ${at}`).toEqual(event);
      const session = events.reduce(applyEvent, emptySessionState());
      const runs = [...acknowledged.values()].filter(e => e.type === 'run-finished');
      for (const run of runs) {
        const recorded = session.runs.find(r => r.runId === run.runId)!;
        expect(recorded.finished?.exitCode, `${context}: ${recorded.command} → ${recorded.finished?.tail.join(" | ")}`).toBe(0);
        // the output the operator saw is on disk, in full
        const output = readFileSync(recorded.outputFile!, 'utf8');
        expect(output, context).toMatch(/preparing eu-\d+|deploying to eu-\d+ after prepared|verified eu-\d+/);
        if (recorded.command.includes('seq 1 300')) expect(output.trimEnd().split('\n').at(-1), context).toBe('300');
      }
      if (session.runs.at(-1)?.finished === null) killedMidRun++;
      const lastRegion = [...acknowledged.values()].filter(e => e.type === 'variable-set').at(-1);
      if (lastRegion?.type === 'variable-set') expect(Number(session.variables.REGION?.slice(3)), context).toBeGreaterThanOrEqual(Number(lastRegion.value!.slice(3)));
    }
    const kinds = new Set([...acknowledged.values()].map(e => e.type));
    expect([...kinds].sort()).toEqual(['check-toggled', 'note', 'run-finished', 'run-started', 'session-started', 'shell-changed', 'step-entered', 'variable-set']);
    expect(acknowledged.size).toBeGreaterThan(100); // the session got real work done between kills
    // the next writer tidies what the kills left: no temp files, no stale lock
    openSession(state.dir, 'drill').close();
    expect(readdirSync(sessionsDir(state.dir)).filter(n => n.endsWith('.tmp') || n.includes('.lock'))).toEqual([]);
    expect(existsSync(snapshotPath(state.dir, 'drill'))).toBe(true);
    console.info(`kill -9 session loop: ${acknowledged.size} events acknowledged over 25 kills, ${killedMidRun} kills landed with a run in flight`);
  } finally {
    state.remove();
  }
}, 120_000);
