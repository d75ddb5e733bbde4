// A full disk in the middle of a session, on a real (tiny) filesystem: the operator is told on screen what failed and
// what to do, nothing unrecorded is shown as done, no run starts unrecorded, and everything recorded before stays.
import {execFileSync} from 'node:child_process';
import {closeSync, mkdtempSync, openSync, readdirSync, rmSync, unlinkSync, writeSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, beforeAll, expect, it} from 'vitest';
import {loadSession} from '../../source/session/session-load.js';
import {applyEvent, emptySessionState} from '../../source/session/session-state.js';
import {ROOT} from '../helpers/paths.js';
import {describeNeeds} from '../helpers/requirements.js';
import {sleep, Terminal} from '../helpers/tui.js';

const DRILL = join(ROOT, 'tests/fixtures/drill.md');
let stateDir: string;
/** Takes every free byte of the filesystem, as a runaway log would. */
function fillDisk(dir: string): string {
  const filler = join(dir, 'filler');
  const fd = openSync(filler, 'w');
  try {
    for (const size of [256 * 1024, 4096, 1]) {
      const chunk = Buffer.alloc(size, 0x61);
      try {
        for (;;) writeSync(fd, chunk);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
      }
    }
  } finally {
    closeSync(fd);
  }
  return filler;
}

/** The step pane's text, its wrapped lines joined, so a long message reads as one line. */
const stepPane = (screen: string) =>
  screen
    .split('\n')
    .map(line => line.split('│')[1] ?? '')
    .join(' ')
    .replace(/\s+/g, ' ');

const recordedCheck = () => {
  const id = readdirSync(join(stateDir, 'sessions')).find(n => n.endsWith('.json'))!.replace(/\.json$/, '');
  const state = loadSession(stateDir, id).events.reduce(applyEvent, emptySessionState());
  return Object.values(state.checks)[0] ?? false;
};

// It mounts a 1 MB tmpfs, which needs root (CI runs as root).
describeNeeds(['root'])('a full disk', () => {
  beforeAll(() => {
    stateDir = mkdtempSync(join(tmpdir(), 'runbook-full-'));
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m,mode=0700', 'tmpfs', stateDir]);
  });
  afterAll(async () => {
    await Terminal.stopAll();
    if (!stateDir) return;
    execFileSync('umount', ['-l', stateDir]);
    rmSync(stateDir, {recursive: true, force: true});
  });

  it('tells the operator, keeps what was recorded, and carries on once there is space again', async () => {
    const t = new Terminal([DRILL, '--state-dir', stateDir]);
    await t.wait('Introduction');
    t.keys('n', 'Down', 'Space');
    await t.wait('\\[x\\] Saw the greeting');
    const filler = fillDisk(stateDir);

    // The journal's last page may still have room for a few entries: tick on until a save fails.
    let checked = true;
    let screen = '';
    for (let i = 0; i < 60 && !screen.includes('not saved'); i++) {
      t.keys('Space');
      screen = await t.wait(`not saved|\\[${checked ? ' ' : 'x'}\\] Saw the greeting`);
      if (!screen.includes('not saved')) checked = !checked;
    }
    expect(stepPane(screen)).toContain(`not saved: the disk holding ${stateDir} is full — free some space, then do it again (everything recorded before is kept)`);
    // the box shows what is on disk, not what was asked for
    expect(screen).toContain(`[${checked ? 'x' : ' '}] Saw the greeting`);
    expect(recordedCheck()).toBe(checked);

    // A run that cannot be recorded does not start.
    t.keys('Up', 'Enter');
    await sleep(1000); // a started run would show within this
    screen = await t.wait('not saved');
    expect(screen).toContain('▶ $ bash   ⏎ run'); // the block as it was: never run
    expect(screen).not.toMatch(/exit \d|[✓✗] bash/);

    // Quitting on a failed save says so, and what was recorded is still there.
    t.keys('q');
    screen = await t.wait('runbook exited 0');
    expect(screen.replace(/\n/g, '')).toContain('the last change was not saved: the disk holding');
    expect(recordedCheck()).toBe(checked);

    // Space comes back: the session resumes as recorded and saves again.
    unlinkSync(filler);
    const again = new Terminal([DRILL, '--state-dir', stateDir]);
    await again.wait('Resume session started');
    again.keys('Enter');
    await again.wait(`\\[${checked ? 'x' : ' '}\\] Saw the greeting`);
    again.keys('Down', 'Space');
    screen = await again.wait(`\\[${checked ? ' ' : 'x'}\\] Saw the greeting`);
    expect(screen).not.toContain('not saved');
    again.keys('q');
    await again.wait('runbook exited 0');
    expect(recordedCheck()).toBe(!checked);
  });
});
