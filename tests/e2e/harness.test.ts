// The terminal harness itself: keys reach the program as a terminal sends them, the screen is read with its
// colours, a failed wait shows the screen, and kill -9 of the app is seen as the shell sees it.
import {afterEach, describe, expect, it} from 'vitest';
import {keyBytes, Terminal, tempDir} from '../helpers/tui.js';

afterEach(() => Terminal.stopAll());

describe('the terminal harness', () => {
  it('maps tmux key names to the bytes a terminal sends', () => {
    expect(keyBytes('Enter')).toBe('\r');
    expect(keyBytes('C-c')).toBe('\u0003');
    expect(keyBytes('Down')).toBe('\u001B[B');
    expect(keyBytes('n')).toBe('n');
  });

  it('runs the CLI, reads its screen and colours, and shows the screen when a wait fails', async () => {
    const t = new Terminal(['show', 'runbooks/production-deployment-guide.md'], {size: '80x24', env: {NO_COLOR: '', FORCE_COLOR: '1'}});
    const screen = await t.wait('runbook exited 0');
    expect(screen).toContain('Variables:');
    await expect(t.wait('never on this screen', 0.2)).rejects.toThrow(/never matched[\s\S]*runbook exited 0/);
    expect(t.alive()).toBe(false);
  });

  it('kills the app with -9 and the shell reports 137', async () => {
    const dir = tempDir('harness');
    const t = new Terminal(['runbooks/production-deployment-guide.md', '--state-dir', dir, '--new']);
    await t.wait('Production');
    process.kill(t.appPid(), 'SIGKILL');
    await t.wait('runbook exited 137');
  });
});

describe('colours on the screen', () => {
  afterEach(() => Terminal.stopAll());

  it('reads a dangerous block’s marking as red, and nothing coloured under NO_COLOR', async () => {
    const coloured = new Terminal(['tests/fixtures/drill.md', '--state-dir', tempDir('harness')], {env: {NO_COLOR: ''}});
    await coloured.wait('Greet');
    coloured.keys('G', 'p');
    await coloured.wait('DANGEROUS');
    const style = coloured.styleOf('DANGEROUS');
    expect([1, 9]).toContain(style?.fg);
    const plain = new Terminal(['tests/fixtures/drill.md', '--state-dir', tempDir('harness')]);
    await plain.wait('Greet');
    plain.keys('G', 'p');
    await plain.wait('DANGEROUS');
    expect(plain.styleOf('DANGEROUS')?.fg).toBeNull();
  });
});
