// The real binary in a real terminal, driven like an operator would.
import {join} from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {ROOT} from '../helpers/paths.js';
import {Terminal, tempDir} from '../helpers/tui.js';

const DRILL = join(ROOT, 'tests/fixtures/drill.md');
afterEach(() => Terminal.stopAll());

const open = async (size = '100x30', stateDir = tempDir('e2e'), env: Record<string, string> = {}) => {
  const term = new Terminal([DRILL, '--state-dir', stateDir], {size, env});
  await term.wait('Greet');
  return term;
};

describe('the guided session in a terminal', () => {
  it('draws every frame even when the shell exports CI', async () => {
    const t = await open(undefined, undefined, {CI: 'true', CONTINUOUS_INTEGRATION: '1'});
    t.keys('n');
    await t.wait('Greet  [0-9]+/[0-9]+ · not started');
    t.keys('Enter');
    await t.wait('✓ exit 0');
    t.keys('q');
    await t.wait('saved; resume with');
  });

  it('runs a block and shows its output, then quits with q', async () => {
    const t = await open();
    t.keys('n');
    await t.wait('Greet  [0-9]+/[0-9]+ · not started');
    t.keys('Enter');
    const screen = await t.wait('✓ exit 0');
    expect(screen).toContain('hello from the drill');
    t.keys('Down', 'Space');
    await t.wait('\\[x\\] Saw the greeting');
    t.keys('q');
    await t.wait('Drill — 1/1 checks, 2/8 steps \\(session [0-9a-f-]+ saved; resume with');
  });

  it('carries an exported variable and the working directory to the next block', async () => {
    const t = await open();
    t.keys('n', 'n');
    await t.wait('Export  [0-9]+/[0-9]+ · not started');
    t.keys('Enter');
    await t.wait('✓ exit 0');
    t.keys('n');
    await t.wait('Use the export');
    t.keys('Enter');
    await t.wait('DRILL is carried-over in /tmp');
  });

  it('asks for a variable the session does not have, and uses the answer', async () => {
    const t = await open();
    t.keys('G');
    t.keys('p', 'p', 'p');
    await t.wait('Ask for a variable  [0-9]+/');
    t.keys('Enter');
    await t.wait('Value for \\$REGION');
    t.type('eu-west-1');
    t.keys('Enter');
    await t.wait('region is eu-west-1');
  });

  it('cancels a long command with Ctrl-C and stays in the app', async () => {
    const t = await open();
    t.keys('G', 'p', 'p');
    await t.wait('Long running  [0-9]+/');
    t.keys('Enter');
    await t.wait('│long-command-started'); // the output pane, not the code line
    t.keys('C-c');
    const screen = await t.wait('cancelled');
    expect(screen).not.toContain('42 is never printed');
    expect(screen).toMatch(/Long running {2}\d+\/\d+ · in progress/);
    expect(t.alive()).toBe(true);
    t.keys('C-c');
    await t.wait('Drill — ');
  });

  it('hands the whole terminal to an interactive command and comes back intact', async () => {
    const t = await open();
    t.keys('G');
    await t.wait('Interactive  [0-9]+/[0-9]+ · not started');
    t.keys('Enter');
    await t.wait('Every 0.5s: echo drill-watch');
    t.keys('C-c');
    // watch draws on the alternate screen: its record keeps a line saying so, as a terminal's scrollback would.
    const screen = await t.wait('a full-screen display ran here');
    expect(screen).toMatch(/runbook · Drill/);
    expect(screen).toMatch(/✓ exit 0/);
    expect(t.alive()).toBe(true);
    t.keys('q');
    await t.wait('Drill — ');
  });

  it('refuses a dangerous block without the typed target', async () => {
    const t = await open();
    t.keys('G', 'p');
    await t.wait('DANGEROUS');
    t.keys('Enter');
    await t.wait('Type the namespace "drill-prod"');
    t.type('drill-pr');
    t.keys('Enter');
    const screen = await t.wait('Not run: typed "drill-pr" instead of "drill-prod"');
    expect(screen).not.toMatch(/exit \d/);
  });
});
