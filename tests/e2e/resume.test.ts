// Nothing the operator recorded is lost: kill -9 the real program mid-session, relaunch, resume.
import {execFileSync} from 'node:child_process';
import {mkdtempSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {ROOT} from '../helpers/paths.js';
import {appPid, Terminal} from '../helpers/tui.js';

const DRILL = join(ROOT, 'tests/fixtures/drill.md');
const terms: Terminal[] = [];
afterEach(() => {
  for (const t of terms.splice(0)) t.stop();
});
const start = (args: string[]) => {
  const t = new Terminal(args);
  terms.push(t);
  return t;
};

describe('resume after a crash', () => {
  it('keeps every tick and run across kill -9 and resumes where the operator was', () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'runbook-resume-'));
    const first = start([DRILL, '--state-dir', stateDir]);
    first.wait('Introduction');
    first.keys('n', 'Enter');
    first.wait('✓ exit 0');
    first.keys('Down', 'Space');
    first.wait('\\[x\\] Saw the greeting');
    first.keys('n', 'n');
    first.wait('Use the export  4/');
    execFileSync('kill', ['-9', appPid(stateDir)]);
    first.wait('runbook exited 137');

    const second = start([DRILL, '--state-dir', stateDir]);
    second.wait('Resume session started [0-9:]+ — 1/1 done, last: Use the export');
    second.keys('Enter');
    const screen = second.wait('Use the export  4/8');
    expect(screen).toMatch(/✓ Greet\s+1\/1/);
    second.keys('g', 'n');
    second.wait('\\[x\\] Saw the greeting');
    second.wait('✓ exit 0');
  });

  it('offers a read-only view of a session another process holds, and runbook resume reopens it', () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'runbook-resume-'));
    const writer = start([DRILL, '--state-dir', stateDir]);
    writer.wait('Introduction');
    writer.keys('n', 'Down', 'Space');
    writer.wait('\\[x\\] Saw the greeting');

    const viewer = start([DRILL, '--state-dir', stateDir]);
    viewer.wait('In use by pid [0-9]+ on .* since');
    viewer.keys('r');
    viewer.wait('READ-ONLY');
    viewer.keys('Enter');
    viewer.wait('read-only view');
    viewer.keys('q');
    writer.keys('q');
    writer.wait('saved; resume with');

    const resumed = start(['resume', '--state-dir', stateDir]);
    resumed.wait('Greet  2/8');
    expect(resumed.screen()).toContain('[x] Saw the greeting');
  });
});

describe('a damaged session file', () => {
  it('is named, moved aside with its bytes, and the app still starts', async () => {
    const {mkdirSync, writeFileSync, readdirSync, readFileSync} = await import('node:fs');
    const stateDir = mkdtempSync(join(tmpdir(), 'runbook-corrupt-'));
    mkdirSync(join(stateDir, 'sessions'));
    const bytes = '{"version": 1, "id": "x", broken';
    writeFileSync(join(stateDir, 'sessions', '20261127-000000-abcdef.json'), bytes);
    const t = start([DRILL, '--state-dir', stateDir]);
    const screen = t.wait('Introduction  1/8');
    expect(screen).toContain('20261127-000000-abcdef.json');
    const [aside] = readdirSync(join(stateDir, 'sessions', 'corrupt'));
    expect(readFileSync(join(stateDir, 'sessions', 'corrupt', aside!), 'utf8')).toBe(bytes);
  });
});
