// A state directory that cannot take a write, on real filesystems: a read-only mount shows what it holds, read-only,
// with one line saying why; a full disk at open says so in one line and leaves nothing behind (no empty lock draft).
// Root ignores file permissions, so the read-only case is a read-only tmpfs mount, as the full disk is a tiny one.
import {execFileSync} from 'node:child_process';
import {closeSync, mkdtempSync, openSync, readdirSync, rmSync, statSync, writeSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterEach, expect, it} from 'vitest';
import {DRILL, drillSessionWithATick} from '../helpers/drill.js';
import {describeNeeds} from '../helpers/requirements.js';
import {Terminal} from '../helpers/tui.js';

const mounts: string[] = [];

/** A fresh tmpfs of `size`, unmounted and removed after the test. */
function mountTmpfs(size: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'runbook-state-mount-'));
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size},mode=0700`, 'tmpfs', dir]);
  mounts.push(dir);
  return dir;
}

afterEach(async () => {
  await Terminal.stopAll();
  for (const dir of mounts.splice(0)) {
    execFileSync('umount', ['-l', dir]);
    rmSync(dir, {recursive: true, force: true});
  }
});

/** The screen's lines joined: a message wrapped at the terminal's width reads whole. */
const flat = (screen: string) => screen.replace(/\n/g, '');
/** The step pane's text, its wrapped lines joined, so a long message reads as one line. */
const stepPane = (screen: string) =>
  screen
    .split('\n')
    .map(line => line.split('│')[1] ?? '')
    .join(' ')
    .replace(/\s+/g, ' ');

/** Every file (not directory) under dir, with its size. */
function filesIn(dir: string): Array<[string, number]> {
  const out: Array<[string, number]> = [];
  for (const entry of readdirSync(dir, {withFileTypes: true, recursive: true})) {
    const path = join(entry.parentPath, entry.name);
    if (entry.isFile()) out.push([path.slice(dir.length + 1), statSync(path).size]);
  }
  return out.sort();
}

/** Takes every free byte of the filesystem, as a runaway log would. */
function fillDisk(dir: string) {
  const fd = openSync(join(dir, 'filler'), 'w');
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
}


describeNeeds(['root'])('a state directory that cannot be written', () => {
  it('read-only: the session is shown read-only with one line saying why; a new one is refused in one line, exit 2', async () => {
    const stateDir = mountTmpfs('4m');
    await drillSessionWithATick(stateDir);
    execFileSync('mount', ['-o', 'remount,ro', stateDir]);
    const before = filesIn(stateDir);

    const t = new Terminal([DRILL, '--state-dir', stateDir]);
    await t.wait('Enter resume');
    t.keys('Enter');
    let screen = await t.wait('READ-ONLY');
    expect(stepPane(screen)).toContain(`read-only: ${stateDir} is on a read-only filesystem — nothing can be recorded; remount it read-write, then open it again`);
    // It opens where the operator left the session (Greet), with what was recorded there.
    screen = await t.wait('\\[x\\] Saw the greeting');
    t.keys('Down', 'Space');
    screen = await t.wait('nothing can be recorded');
    expect(screen).toContain('[x] Saw the greeting');
    t.keys('q');
    screen = await t.wait('runbook exited 0');
    expect(t.raw()).not.toMatch(/EROFS:|EACCES:|ENOENT:/);

    const status = new Terminal(['status', '--state-dir', stateDir]);
    expect(flat(await status.wait('runbook exited 0'))).toMatch(/Drill .* unfinished/);

    const fresh = new Terminal([DRILL, '--state-dir', stateDir, '--new']);
    screen = flat(await fresh.wait('runbook exited 2'));
    expect(screen).toContain(`runbook: cannot start a session: ${stateDir} is on a read-only filesystem — remount it read-write, or give another directory with --state-dir[runbook exited 2]`);
    expect(filesIn(stateDir)).toEqual(before);
  });

  it('an empty read-only state directory: one line, exit 2', async () => {
    const stateDir = mountTmpfs('1m');
    execFileSync('mount', ['-o', 'remount,ro', stateDir]);
    const t = new Terminal([DRILL, '--state-dir', stateDir]);
    const screen = flat(await t.wait('runbook exited 2'));
    expect(screen).toContain(`runbook: cannot start a session: ${stateDir} is on a read-only filesystem — remount it read-write, or give another directory with --state-dir[runbook exited 2]`);
  });

  it('full at open: one line, exit 2, and nothing left behind', async () => {
    const stateDir = mountTmpfs('1m');
    fillDisk(stateDir);
    const t = new Terminal([DRILL, '--state-dir', stateDir]);
    const screen = flat(await t.wait('runbook exited 2'));
    expect(screen).toContain(`runbook: cannot start a session: the disk holding ${stateDir} is full — free some space, or give another directory with --state-dir[runbook exited 2]`);
    expect(filesIn(stateDir)).toEqual([['filler', expect.any(Number)]]); // no empty .draft, no half-written cache
  });

  it('full when resuming: the session is shown read-only, with one line saying why', async () => {
    const stateDir = mountTmpfs('1m');
    await drillSessionWithATick(stateDir);
    fillDisk(stateDir);
    const before = filesIn(stateDir);
    const t = new Terminal([DRILL, '--state-dir', stateDir]);
    await t.wait('Enter resume');
    t.keys('Enter');
    const screen = await t.wait('READ-ONLY');
    expect(stepPane(screen)).toContain(`read-only: the disk holding ${stateDir} is full — nothing can be recorded; free some space, then open it again`);
    t.keys('q');
    await t.wait('runbook exited 0');
    expect(filesIn(stateDir).filter(([name]) => !name.startsWith('index.json'))).toEqual(before.filter(([name]) => !name.startsWith('index.json')));
  });
});
