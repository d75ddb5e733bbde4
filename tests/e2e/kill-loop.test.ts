// kill -9 of the real program in a terminal, at random moments, round after round: each round resumes the session,
// runs blocks and ticks boxes from the keyboard, and is killed mid-stride. What the screen last said was recorded
// (the footer's checks and steps) must be a state the record went through, the resumed screen must show exactly
// what is on disk, and every file must still read.
import {readdirSync, readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {afterEach, expect, it} from 'vitest';
import {parseRunbook, walkSteps} from '../../source/runbook/index.js';
import {loadSession} from '../../source/session/session-load.js';
import {applyEvent, emptySessionState, progressOf} from '../../source/session/session-state.js';
import {Terminal, sleep, tempDir} from '../helpers/tui.js';
import {seededRandom} from '../session/helpers.js';

const STEPS = 40; // more than the rounds can reach: every stride lands on a fresh step
const RUNBOOK = ['# Kill drill', '', ...Array.from({length: STEPS}, (_, i) => [`## Stage ${i + 1}`, '', '```bash', `echo "stage ${i + 1} ran"`, '```', '', `- [ ] Stage ${i + 1} looks right`, ''].join('\n'))].join('\n');

afterEach(() => Terminal.stopAll());

/** The footer's checks and steps done. */
function footerOf(screen: string, context: string) {
  const footer = /(\d+)\/40 checks · (\d+)\/40 steps/.exec(screen);
  expect(footer, `${context}: ${screen}`).not.toBeNull();
  return {checked: Number(footer![1]), steps: Number(footer![2])};
}

it('keeps what the screen showed as recorded across kill -9 at random moments of a keyboard-driven session', async () => {
  const stateDir = tempDir('kill-loop');
  const file = join(stateDir, 'kill-drill.md');
  writeFileSync(file, RUNBOOK);
  const steps = walkSteps(parseRunbook(RUNBOOK, {path: file}));
  const seed = Date.now();
  const rand = seededRandom(seed);
  let onDiskBefore: {checked: number; steps: number} | null = null;
  let ticks = 0;
  const trail: string[] = [];
  for (let round = 0; round < 6; round++) {
    const context = `seed ${seed}, round ${round}`;
    const t = new Terminal([file, '--state-dir', stateDir]);
    if (round === 0) await t.wait('Stage 1  1/');
    else {
      await t.wait('Resume session started');
      t.keys('Enter');
    }
    const resumed = footerOf(await t.wait('[0-9]+/40 checks'), context);
    // A resumed session shows the ticks the last one left on disk, exactly; steps may only gain (a run that finished
    // while runbook was down is recorded on resume).
    if (onDiskBefore) {
      expect(resumed.checked, context).toBe(onDiskBefore.checked);
      expect(resumed.steps, context).toBeGreaterThanOrEqual(onDiskBefore.steps);
    }
    if (round > 0) t.keys('n'); // the resumed step may be ticked already: start the stride on a fresh one
    // A stride of operator work: run the step's block, tick its box, go on; killed somewhere inside it.
    // Keys one at a time, a few ms apart, and the kill lands after a random one of them: mid-run, mid-tick, mid-move.
    const stride = Array.from({length: 3}, () => ['Enter', 'Down', 'Space', 'n']).flat();
    const killAfter = 1 + Math.floor(rand() * stride.length);
    for (const key of stride.slice(0, killAfter)) {
      t.keys(key);
      await sleep(Math.floor(rand() * 40));
    }
    await t.settled();
    const screen = t.screen();
    process.kill(t.appPid(), 'SIGKILL');
    await t.wait('runbook exited 137');
    const shown = footerOf(screen, context);

    const id = readdirSync(join(stateDir, 'sessions')).find(n => n.endsWith('.json'))!.replace(/\.json$/, '');
    const events = loadSession(stateDir, id).events; // throws on a damaged file
    for (const line of readFileSync(join(stateDir, 'sessions', `${id}.journal`), 'utf8').split('\n').slice(0, -1)) expect(() => JSON.parse(line), context).not.toThrow();
    // The screen may lag the disk (a tick, or an untick of a box ticked in an earlier round, recorded after the
    // screen was read), never lead it: what it showed is a state the record went through.
    const states = new Set<string>();
    let state = emptySessionState();
    for (const event of events) {
      state = applyEvent(state, event);
      const p = progressOf(state, steps);
      states.add(`${p.checked}/${p.stepsDone}`);
    }
    expect([...states], `${context}: the screen showed ${shown.checked}/${shown.steps}`).toContain(`${shown.checked}/${shown.steps}`);
    const onDisk = progressOf(state, steps);
    onDiskBefore = {checked: onDisk.checked, steps: onDisk.stepsDone};
    ticks = events.filter(e => e.type === 'check-toggled').length;
    trail.push(`${shown.checked}✓/${onDisk.checked} on disk`);
    await t.stop();
  }
  expect(ticks).toBeGreaterThan(1); // the rounds did get work done
  console.info(`kill -9 rounds (ticks shown / on disk): ${trail.join(', ')}`);
}, 120_000);
