// Bad input of every kind, through the real program in a real terminal: a malformed lock, a runbook nested 10,000
// deep, a block that cannot start, a runbook with nothing to walk. Each gives a sane screen or one line, never a crash.
import {existsSync, mkdirSync, readdirSync, readFileSync, utimesSync, writeFileSync} from 'node:fs';
import {hostname} from 'node:os';
import {join} from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {loadSession} from '../../source/session/session-load.js';
import {DRILL, drillSessionWithATick} from '../helpers/drill.js';
import {Terminal, tempDir} from '../helpers/tui.js';

/** The screen as one line: boxes and wrapping removed, so a message reads whole. */
const flat = (screen: string) => screen.replace(/[│╭╮╰╯─\n]/g, ' ').replace(/\s+/g, ' ');
afterEach(() => Terminal.stopAll());


describe('a malformed lock', () => {
  it('is shown sanely while fresh, and taken over once it is old; never a crash', async () => {
    const stateDir = tempDir('bad-lock');
    const id = await drillSessionWithATick(stateDir);
    const lock = join(stateDir, 'sessions', `${id}.lock`);
    // A live pid on this host, but no `since`: a hand-edited or foreign lock.
    writeFileSync(lock, JSON.stringify({pid: process.pid, host: hostname(), user: 'op'}));

    const fresh = new Terminal([DRILL, '--state-dir', stateDir]);
    const screen = flat(await fresh.wait('Locked since'));
    expect(screen).toMatch(/Locked since \d\d:\d\d by a lock file that names no process \(open it again in 10 s to take it over\): r read-only view · n new session · q quit/);
    expect(fresh.raw()).not.toMatch(/RangeError|Invalid time value|at .*\.js:\d+/);
    fresh.keys('q');
    await fresh.wait('runbook exited 0');

    for (const bad of [JSON.stringify({pid: process.pid, host: hostname(), user: 'op', since: 'yesterday'}), 'not json', '{"pid":"12"}']) {
      writeFileSync(lock, bad);
      const old = (Date.now() - 60_000) / 1000;
      utimesSync(lock, old, old);
      const t = new Terminal([DRILL, '--state-dir', stateDir]);
      await t.wait('Enter resume · n new session · q quit');
      t.keys('Enter');
      await t.wait('\\[x\\] Saw the greeting');
      t.keys('q');
      await t.wait('runbook exited 0');
      expect(t.raw()).not.toMatch(/RangeError|Invalid time value/);
    }
  });
});

describe('a damaged journal line', () => {
  it('is named on the first screen, its bytes kept, and the session resumes with its other entries and stays listed', async () => {
    const stateDir = tempDir('bad-journal');
    const id = await drillSessionWithATick(stateDir);
    const journal = join(stateDir, 'sessions', `${id}.journal`);
    const lines = readFileSync(journal, 'utf8').split('\n');
    expect(lines.length).toBeGreaterThan(3);
    lines[1] = '{"n":1,"e":{"type":"step-ent\u0000\u0000';
    writeFileSync(journal, lines.join('\n'));

    const t = new Terminal([DRILL, '--state-dir', stateDir], {size: '200x30'});
    await t.wait('Enter resume');
    t.keys('Enter');
    const screen = await t.wait('\\[x\\] Saw the greeting'); // the tick, recorded after the damaged line, is kept
    expect(flat(screen)).toMatch(new RegExp(`session ${id}: line 2 of ${id}\\.journal was damaged \\(bad JSON.*the journal as it was is kept in .*corrupt/${id}\\.journal\\.`));
    t.keys('q');
    await t.wait('runbook exited 0');
    const aside = readdirSync(join(stateDir, 'sessions', 'corrupt'));
    expect(readFileSync(join(stateDir, 'sessions', 'corrupt', aside[0]!), 'utf8')).toContain('step-ent\u0000\u0000');

    const status = new Terminal(['status', '--state-dir', stateDir]);
    const listed = (await status.wait('runbook exited 0')).replace(/\n/g, '');
    expect(listed).toContain(id);
    expect(listed).toMatch(/unfinished/);
  });
});

describe('a runbook nested 10,000 deep', () => {
  it('opens at once with the nesting flattened and said on the first screen', async () => {
    const dir = tempDir('deep');
    const file = join(dir, 'deep.md');
    writeFileSync(file, `# Deep\n\n## Lists\n\n${'- '.repeat(10_000)}bottom of the list\n\n## Quotes\n\n${'>'.repeat(10_000)} bottom of the quote\n`);
    const t = new Terminal([file, '--state-dir', join(dir, 'state')], {size: '200x40'});
    const screen = await t.wait('bottom of the list');
    expect(screen).toContain('lists or quotes nested deeper than 32 levels at line 5 and 1 more: flattened to 32');
    t.keys('n');
    await t.wait('bottom of the quote');
    t.keys('q');
    await t.wait('runbook exited 0');
    expect(t.raw()).not.toContain('Maximum call stack');
  });
});

describe('a block that cannot start', () => {
  it('fails as a run with the reason on screen and in the record, and the session carries on', async () => {
    const dir = tempDir('no-tmp');
    const notADir = join(dir, 'tmp-is-a-file');
    writeFileSync(notADir, 'not a directory');
    const stateDir = join(dir, 'state');
    // Nowhere to put the block's shell state: neither the temporary directory nor the state directory's tmp/.
    mkdirSync(stateDir);
    writeFileSync(join(stateDir, 'tmp'), 'not a directory either');
    const t = new Terminal([DRILL, '--state-dir', stateDir], {env: {TMPDIR: notADir}});
    await t.wait('Introduction');
    t.keys('n');
    await t.wait('Greet  [0-9]+/[0-9]+');
    t.keys('Enter');
    // Failed, with the reason under the output, in the app's words.
    const screen = await t.wait(/^.*│runbook: .*could not/m);
    expect(screen).toMatch(/✗ exit null/);
    expect(t.alive()).toBe(true);
    t.keys('Down', 'Space');
    await t.wait('\\[x\\] Saw the greeting');
    t.keys('q');
    await t.wait('runbook exited 0');
    const id = readdirSync(join(stateDir, 'sessions')).find(n => n.endsWith('.json'))!.replace(/\.json$/, '');
    const finished = loadSession(stateDir, id).events.filter(e => e.type === 'run-finished');
    expect(finished).toHaveLength(1);
    expect(finished[0]).toMatchObject({exitCode: null, error: expect.stringMatching(/could not/)});
  });
});

describe('a runbook with nothing to walk', () => {
  it('front matter only: one line saying so, exit 2', async () => {
    const dir = tempDir('empty-rb');
    const file = join(dir, '_index.md');
    writeFileSync(file, '---\ntitle: "Runbooks"\nweight: 10\n---\n');
    const t = new Terminal([file, '--state-dir', join(dir, 'state')]);
    const screen = (await t.wait('runbook exited 2')).replace(/\n/g, '');
    expect(screen).toContain(`runbook: ${file}: nothing to walk through — no heading has text, commands or a checklist under it[runbook exited 2]`);
    expect(screen).not.toMatch(/Cannot read properties|--debug/);
    expect(existsSync(join(dir, 'state', 'sessions'))).toBe(false); // no session was made for it
  });
});
