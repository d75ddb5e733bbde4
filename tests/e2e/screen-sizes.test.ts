// The guide in a rehearsal at the sizes operators use: the title whole, the outline from 100 columns, the first
// screen's hint, every key of the help and a failed step's hint whole (wrapped, never cut), a prompt's question
// whole, and never a row wider than the terminal (the terminal would wrap it: the frame would no longer line up).
import {mkdirSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {KEYS} from '../../source/ui/help.js';
import {Terminal, tempDir} from '../helpers/tui.js';

afterEach(() => Terminal.stopAll());

const TITLE = 'Production Deployment Guide';
const HINT = '✗ Failed — Enter retry · s skip · R rollback procedures · I declare an incident';
const squeeze = (text: string) => text.replace(/\s+/g, '');

/** Nothing wrapped by the terminal, the header on the first row and the status bar on the last but one. */
function fits(t: Terminal, rows: number, where: string) {
  expect(t.wrappedRows(), `${where}: rows the terminal wrapped\n${t.screen()}`).toEqual([]);
  const screen = t.screen().split('\n');
  expect(screen[0], `${where}: the header`).toContain(TITLE);
  expect(screen[rows - 2], `${where}: the status bar`).toMatch(/^ \d+\/\d+ checks · \d+\/\d+ steps/);
}

/** The text of the rows from the one holding `start`, in its column (up to the next rule), joined: as it is read. */
function readFrom(screen: string, start: string, count = 4): string {
  const rows = screen.split('\n');
  const first = rows.findIndex(r => r.includes(start));
  if (first < 0) return '';
  const column = rows[first]!.indexOf(start);
  return rows
    .slice(first, first + count)
    .map(r => r.slice(column).split('│')[0]!.trim())
    .join(' ');
}

/** The help's text, every page of it. */
async function helpText(t: Terminal): Promise<string> {
  let text = '';
  for (let page = 0; page < 10; page++) {
    const screen = await t.wait('Keys · \\? or Esc closes');
    text += screen.split('\n').filter(r => r.startsWith('│')).map(r => r.slice(1, -1)).join(' ');
    const scroll = /\((\d+)–(\d+) of (\d+)\)/.exec(screen);
    if (!scroll || scroll[2] === scroll[3]) return text;
    t.keys('PageDown');
    await t.wait(`\\(\\d+–\\d+ of ${scroll[3]}\\)`);
    await t.gone(`\\(${scroll[1]}–${scroll[2]} of`);
  }
  return text;
}

describe('the guide at every size', () => {
  for (const size of ['80x24', '100x30', '120x40', '160x45', '200x50']) {
    const [cols, rows] = size.split('x').map(Number) as [number, number];
    it(`${size}: title, outline, first screen, help, prompt and failure hint whole, nothing wider than the screen`, async () => {
      const home = tempDir('sizes');
      // A `make` that fails, so that the Code Quality Gates step fails (the sandbox's repository has a Makefile).
      const bin = join(home, 'bin');
      mkdirSync(bin);
      writeFileSync(join(bin, 'make'), '#!/bin/sh\necho "make: *** [Makefile:3: lint] Error 1" >&2\nexit 2\n', {mode: 0o755});
      const t = new Terminal(['--state-dir', join(home, 'state')], {
        size,
        env: {HOME: home, PATH: `${bin}:${process.env.PATH}`},
        unset: ['KUBECONFIG', 'GH_TOKEN', 'GITHUB_TOKEN', 'GH_ENTERPRISE_TOKEN', 'GITHUB_REPOSITORY', 'GITHUB_API_URL'],
      });
      // The first screen: where to start, under the title.
      let screen = await t.wait('51 steps · → to begin', 30);
      await t.wait('PODS overlord-production', 30);
      expect(screen.split('\n')[1]).toMatch(/^ This guide outlines the complete procedure .*· 51 steps · → to begin$/);
      fits(t, rows, 'first screen');
      screen = t.screen();
      if (cols >= 100) {
        expect(screen).toMatch(/^▸○ Overview +│/m);
        for (const section of ['Deployment Procedure', 'Approval Workflow']) expect(screen).toContain(` ○ ${section}`);
      } else expect(screen).not.toMatch(/^▸○ Overview/m);

      // Every key, every word of it.
      t.keys('?');
      const help = squeeze(await helpText(t));
      for (const [keys, what] of KEYS) expect(help, `${keys}: ${what}`).toContain(squeeze(`${keys}${what}`));
      fits(t, rows, 'help');
      t.keys('Escape');
      await t.gone('Keys · ');
      expect(t.screen()).not.toContain('→ to begin');

      // A failed step: its hint whole.
      t.keys('/');
      t.type('Code Quality');
      t.keys('Enter');
      await t.wait('Code Quality Gates  3/51');
      t.keys('Enter');
      screen = await t.wait('✗ Failed — Enter retry', 30);
      expect(readFrom(screen, '✗ Failed —')).toContain(HINT);
      fits(t, rows, 'failed step');

      // A prompt: its question whole, over the whole width.
      t.keys('n');
      await t.wait('Staging Verification  4/51');
      t.keys('Enter');
      screen = await t.wait('Enter confirm · Esc cancel');
      expect(squeeze(screen.split('\n').filter(r => r.startsWith('│')).map(r => r.slice(1, -1)).join(''))).toContain(squeeze('$KUBECONFIG: the runbook says /path/to/kubeconfig-staging.yaml — what is it here?'));
      expect(screen.split('\n')[1]).toMatch(new RegExp(`^╭─{${cols - 2}}╮$`));
      fits(t, rows, 'prompt');
      t.keys('Escape');
      await t.gone('Enter confirm · Esc cancel');
    }, 90_000);
  }
});
