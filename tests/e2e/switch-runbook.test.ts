// A runbook library in a terminal: L opens another runbook of the folder without quitting. The session left behind
// is saved and closed as q would (its lock released, its ticks kept), and going back to it offers to resume it.
import {execFileSync} from 'node:child_process';
import {existsSync, mkdirSync, readdirSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {afterEach, expect, it} from 'vitest';
import {CLI} from '../helpers/paths.js';
import {Terminal, tempDir} from '../helpers/tui.js';

afterEach(() => Terminal.stopAll());

const ALPHA = `# Alpha release

## Prepare

- [ ] Told the team
- [ ] Froze merges

## Ship

\`\`\`bash
echo shipping alpha
\`\`\`
`;

const BETA = `# Beta rollback

## Decide

- [ ] Incident commander agrees

## Undo

\`\`\`bash
echo undoing beta
\`\`\`
`;

it('switches to another runbook with L, keeps the first session, and both are in status and list', async () => {
  // A runbook project of its own (runbooks/ here): state goes to ./state, as in this repository.
  const dir = tempDir('switch');
  mkdirSync(join(dir, 'runbooks'));
  writeFileSync(join(dir, 'runbooks', 'alpha.md'), ALPHA);
  writeFileSync(join(dir, 'runbooks', 'beta.md'), BETA);

  const t = new Terminal(['runbooks/alpha.md'], {size: '120x30', cwd: dir});
  await t.wait('Prepare  1/2');
  t.keys('Space');
  await t.wait('\\[x\\] Told the team');

  t.keys('L');
  const picker = await t.wait('runbooks/beta\\.md');
  expect(picker).toContain('Open another runbook');
  expect(picker).toMatch(/runbooks\/alpha\.md +Alpha release +open now/);
  expect(picker).toMatch(/runbooks\/beta\.md +Beta rollback +never opened/);
  t.keys('Down', 'Enter');
  await t.wait('Decide  1/2');
  expect(t.alive()).toBe(true);
  // The first session was closed as quitting closes it: its lock is gone while the process lives on.
  const sessions = join(dir, 'state', 'sessions');
  expect(readdirSync(sessions).filter(f => f.endsWith('.lock'))).toHaveLength(1);

  // Back to the first: its unfinished session is offered, and resumed with its tick.
  t.keys('L');
  await t.wait('runbooks/alpha\\.md +Alpha release +in progress 0/2 steps');
  t.keys('Up', 'Enter');
  await t.wait('Resume session started');
  t.keys('Enter');
  await t.wait('\\[x\\] Told the team');
  t.keys('q');
  const last = await t.wait('runbook exited 0');
  expect(last).toMatch(/Alpha release — 1\/2 checks.*saved; resume with/);
  expect(last).toMatch(/Beta rollback — 0\/1 checks.*saved; resume with/);
  expect(readdirSync(sessions).filter(f => f.endsWith('.lock'))).toEqual([]);

  const status = JSON.parse(execFileSync(process.execPath, [CLI, 'status', '--json'], {cwd: dir, encoding: 'utf8'})) as Array<{runbook: string; checked: number; finished: boolean}>;
  expect(status.map(s => s.runbook).sort()).toEqual(['Alpha release', 'Beta rollback']);
  expect(status.find(s => s.runbook === 'Alpha release')).toMatchObject({checked: 1, finished: false});
  expect(status.find(s => s.runbook === 'Beta rollback')).toMatchObject({checked: 0, finished: false});

  const list = execFileSync(process.execPath, [CLI, 'list'], {cwd: dir, encoding: 'utf8'});
  expect(list).toMatch(/^FILE +TITLE +STEPS +CHECKS +LAST SESSION +STATE$/m);
  expect(list).toMatch(/^runbooks\/alpha\.md +Alpha release +2 +2 +\S+ .* in progress 0\/2 steps$/m);
  expect(list).toMatch(/^runbooks\/beta\.md +Beta rollback +2 +1 +\S+ .* in progress 0\/2 steps$/m);
  expect(existsSync(join(dir, 'state', 'cache'))).toBe(true);
}, 60_000);
