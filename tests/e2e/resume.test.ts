// Nothing the operator recorded is lost: kill -9 the real program mid-session, relaunch, resume.
import {join} from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {ROOT} from '../helpers/paths.js';
import {Terminal, tempDir} from '../helpers/tui.js';

const DRILL = join(ROOT, 'tests/fixtures/drill.md');
afterEach(() => Terminal.stopAll());
const start = (args: string[]) => new Terminal(args);

describe('resume after a crash', () => {
  it('keeps every tick and run across kill -9 and resumes where the operator was', async () => {
    const stateDir = tempDir('resume');
    const first = start([DRILL, '--state-dir', stateDir]);
    await first.wait('Introduction');
    first.keys('n', 'Enter');
    await first.wait('✓ exit 0');
    first.keys('Down', 'Space');
    await first.wait('\\[x\\] Saw the greeting');
    first.keys('n', 'n');
    await first.wait('Use the export  4/');
    process.kill(first.appPid(), 'SIGKILL');
    await first.wait('runbook exited 137');

    const second = start([DRILL, '--state-dir', stateDir]);
    await second.wait('Resume session started [0-9:]+ — 1/1 done, last: Use the export');
    second.keys('Enter');
    const screen = await second.wait('Use the export  4/8');
    expect(screen).toMatch(/✓ Greet\s+1\/1/);
    second.keys('g', 'n');
    await second.wait('\\[x\\] Saw the greeting');
    await second.wait('✓ exit 0');
  });

  it('offers a read-only view of a session another process holds, and runbook resume reopens it', async () => {
    const stateDir = tempDir('resume');
    const writer = start([DRILL, '--state-dir', stateDir]);
    await writer.wait('Introduction');
    writer.keys('n', 'Down', 'Space');
    await writer.wait('\\[x\\] Saw the greeting');

    const viewer = start([DRILL, '--state-dir', stateDir]);
    await viewer.wait('In use by pid [0-9]+ on .* since');
    viewer.keys('r');
    await viewer.wait('READ-ONLY');
    viewer.keys('Enter');
    await viewer.wait('read-only view');
    viewer.keys('q');
    writer.keys('q');
    await writer.wait('saved; resume with');

    const resumed = start(['resume', '--state-dir', stateDir]);
    await resumed.wait('Greet  2/8');
    expect(resumed.screen()).toContain('[x] Saw the greeting');
  });
});

describe('a damaged session file', () => {
  it('is named, moved aside with its bytes, and the app still starts', async () => {
    const {mkdirSync, writeFileSync, readdirSync, readFileSync} = await import('node:fs');
    const stateDir = tempDir('corrupt');
    mkdirSync(join(stateDir, 'sessions'));
    const bytes = '{"version": 1, "id": "x", broken';
    writeFileSync(join(stateDir, 'sessions', '20261127-000000-abcdef.json'), bytes);
    const t = start([DRILL, '--state-dir', stateDir]);
    const screen = await t.wait('Introduction  1/8');
    expect(screen).toContain('20261127-000000-abcdef.json');
    const [aside] = readdirSync(join(stateDir, 'sessions', 'corrupt'));
    expect(readFileSync(join(stateDir, 'sessions', 'corrupt', aside!), 'utf8')).toBe(bytes);
  });
});
