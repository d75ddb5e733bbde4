// The real binary in a real terminal (tmux), driven like an operator would.
import {mkdtempSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {ROOT} from '../helpers/paths.js';
import {Terminal} from '../helpers/tui.js';

const DRILL = join(ROOT, 'tests/fixtures/drill.md');
let term: Terminal | null = null;
afterEach(() => {
  term?.stop();
  term = null;
});

const open = (size = '100x30', stateDir = mkdtempSync(join(tmpdir(), 'runbook-e2e-')), env: Record<string, string> = {}) => {
  term = new Terminal([DRILL, '--state-dir', stateDir], {size, env});
  term.wait('Greet');
  return term;
};

describe('the guided session in a terminal', () => {
  it('draws every frame even when the shell exports CI', () => {
    const t = open(undefined, undefined, {CI: 'true', CONTINUOUS_INTEGRATION: '1'});
    t.keys('n');
    t.wait('Greet  [0-9]+/[0-9]+ · not started');
    t.keys('Enter');
    t.wait('✓ exit 0');
    t.keys('q');
    t.wait('saved; resume with');
  });

  it('runs a block and shows its output, then quits with q', () => {
    const t = open();
    t.keys('n');
    t.wait('Greet  [0-9]+/[0-9]+ · not started');
    t.keys('Enter');
    const screen = t.wait('✓ exit 0');
    expect(screen).toContain('hello from the drill');
    t.keys('Down', 'Space');
    t.wait('\\[x\\] Saw the greeting');
    t.keys('q');
    t.wait('Drill — 1/1 checks, 2/8 steps \\(session [0-9a-f-]+ saved; resume with');
  });

  it('carries an exported variable and the working directory to the next block', () => {
    const t = open();
    t.keys('n', 'n');
    t.wait('Export  [0-9]+/[0-9]+ · not started');
    t.keys('Enter');
    t.wait('✓ exit 0');
    t.keys('n');
    t.wait('Use the export');
    t.keys('Enter');
    t.wait('DRILL is carried-over in /tmp');
  });

  it('asks for a variable the session does not have, and uses the answer', () => {
    const t = open();
    t.keys('G');
    t.keys('p', 'p', 'p');
    t.wait('Ask for a variable  [0-9]+/');
    t.keys('Enter');
    t.wait('Value for \\$REGION');
    t.type('eu-west-1');
    t.keys('Enter');
    t.wait('region is eu-west-1');
  });

  it('cancels a long command with Ctrl-C and stays in the app', () => {
    const t = open();
    t.keys('G', 'p', 'p');
    t.wait('Long running  [0-9]+/');
    t.keys('Enter');
    t.wait('│long-command-started'); // the output pane, not the code line
    t.keys('C-c');
    const screen = t.wait('cancelled');
    expect(screen).not.toContain('42 is never printed');
    expect(screen).toMatch(/Long running  \d+\/\d+ · in progress/);
    expect(t.alive()).toBe(true);
    t.keys('C-c');
    t.wait('Drill — ');
  });

  it('hands the whole terminal to an interactive command and comes back intact', () => {
    const t = open();
    t.keys('G');
    t.wait('Interactive  [0-9]+/[0-9]+ · not started');
    t.keys('Enter');
    t.wait('Every 0.5s: echo drill-watch');
    t.keys('C-c');
    const screen = t.wait('ran on the terminal');
    expect(screen).toMatch(/runbook · Drill/);
    expect(screen).toMatch(/ran on the terminal/);
    expect(t.alive()).toBe(true);
    t.keys('q');
    t.wait('Drill — ');
  });

  it('refuses a dangerous block without the typed target', () => {
    const t = open();
    t.keys('G', 'p');
    t.wait('DANGEROUS');
    t.keys('Enter');
    t.wait('Type the namespace "drill-prod"');
    t.type('drill-pr');
    t.keys('Enter');
    const screen = t.wait('Not run: typed "drill-pr" instead of "drill-prod"');
    expect(screen).not.toMatch(/exit \d/);
  });
});
