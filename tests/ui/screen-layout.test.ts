// The screen's layout at the sizes operators use, the header's line, and the first screen's hint: pure, no Ink.
import {describe, expect, it} from 'vitest';
import {introLine, runbookPurpose} from '../../source/ui/first-screen.js';
import {fitHeader, fitRepository} from '../../source/ui/header-fit.js';
import {dialogLayoutOf, layoutOf} from '../../source/ui/screen-layout.js';
import {statusKeys} from '../../source/ui/status-bar.js';
import {width} from '../../source/ui/text.js';
import {parseRunbook} from '../../source/runbook/index.js';

const SIZES = [[80, 24], [100, 30], [120, 40], [160, 45], [200, 50]] as const;
const auto = {outline: null, panes: null, configured: true};

describe('layoutOf', () => {
  it('the outline from 100 columns; the panes give way: beside, then folded under the step', () => {
    const shape = SIZES.map(([columns, rows]) => {
      const l = layoutOf({columns, rows}, auto);
      return [`${columns}x${rows}`, l.outlineWidth, l.paneWidth, l.panes.mode, l.panes.mode === 'side' ? l.panes.width : null];
    });
    expect(shape).toEqual([
      ['80x24', 0, 80, 'below', null],
      ['100x30', 24, 75, 'below', null],
      ['120x40', 26, 93, 'below', null],
      ['160x45', 35, 63, 'side', 60],
      ['200x50', 38, 100, 'side', 60],
    ]);
  });

  it('fills every column exactly, and every row between the header (and what is above the body) and the status bar', () => {
    for (const [columns, rows] of SIZES)
      for (const above of [0, 1, 6]) {
        const l = layoutOf({columns, rows}, {...auto, above});
        const used = (l.outlineWidth ? l.outlineWidth + 1 : 0) + l.paneWidth + (l.panes.mode === 'side' ? l.panes.width + 1 : 0);
        expect(used, `${columns}x${rows}`).toBe(columns);
        expect(l.bodyHeight).toBe(rows - 3 - above);
        if (l.panes.mode === 'below') expect(l.panes.height + l.panes.stepHeight).toBe(l.bodyHeight);
        const dialog = dialogLayoutOf(l, columns);
        expect(dialog.width + (l.panes.mode === 'side' ? l.panes.width + 1 : 0)).toBe(columns);
      }
  });

  it('o and c are the operator’s: the outline at 80 columns when asked, away at 160 when not; panes back under the step', () => {
    expect(layoutOf({columns: 80, rows: 24}, {...auto, outline: true}).outlineWidth).toBe(24);
    expect(layoutOf({columns: 160, rows: 45}, {...auto, outline: false}).outlineWidth).toBe(0);
    // A prompt open at 80x24: no room for the panes, unless asked for.
    expect(layoutOf({columns: 80, rows: 24}, {...auto, above: 6}).panes).toEqual({mode: 'hidden', reason: 'small'});
    expect(layoutOf({columns: 80, rows: 24}, {...auto, above: 6, panes: true}).panes.mode).toBe('below');
  });
});

describe('the header', () => {
  const title = 'Production Deployment Guide';
  const parts = {mode: 'REHEARSAL · sandbox (default)', context: 'ctx sandbox', namespace: 'ns overlord-production', repository: 'legion14041981-ui/overlord-trading-system-v8'};
  const shown = (columns: number) => {
    const l = fitHeader(title, parts, columns);
    return `${l.left}${' '.repeat(l.gap)}${l.right}`;
  };

  it('at 120 columns: the whole title, the namespace, and the repository cut to exactly the room left', () => {
    expect(shown(120)).toBe(' runbook · Production Deployment Guide  REHEARSAL · ctx sandbox · ns overlord-production · …/overlord-trading-system-v8');
    expect(width(shown(120))).toBe(119);
  });

  it('everything when it fits; the title whole at every size down to 80', () => {
    expect(shown(160)).toMatch(/^ runbook · Production Deployment Guide +REHEARSAL · sandbox \(default\) · ctx sandbox · ns overlord-production · legion14041981-ui\/overlord-trading-system-v8$/);
    for (const [columns] of SIZES) {
      expect(shown(columns)).toContain(title);
      expect(shown(columns)).toContain('ns overlord-production');
    }
  });

  it('never cuts a name while blank columns remain, and is never wider than the terminal (less its last column)', () => {
    for (let columns = 20; columns <= 240; columns++) {
      const l = fitHeader(title, parts, columns);
      const line = shown(columns);
      expect(width(line), `${columns}`).toBeLessThanOrEqual(columns - 1);
      // Cut: to exactly the room. Left out (a repository in fewer than 12 columns says nothing): less room than that.
      if (line.includes('…')) expect(l.gap, `${columns}: ${line}`).toBeLessThanOrEqual(2);
      else if (!line.includes(parts.repository)) expect(l.gap, `${columns}: ${line}`).toBeLessThan(2 + 3 + 12);
    }
  });

  it('a repository gives way by its owner first', () => {
    expect(fitRepository('legion14041981-ui/overlord-trading-system-v8', 34)).toBe('legion…/overlord-trading-system-v8');
    expect(fitRepository('acme/payments', 13)).toBe('acme/payments');
    expect(fitRepository('acme/payments', 8)).toBe('…ayments');
  });
});

describe('the first screen', () => {
  it('says what the runbook is for (front matter, else its first paragraph), how many steps, and → to begin', () => {
    const guide = parseRunbook('# Deploy\n\n## Overview\n\nShips the *payments* API to production.\n\n## Go\n\n```sh\necho hi\n```\n', {path: 'g.md'});
    expect(runbookPurpose(guide)).toBe('Ships the payments API to production.');
    const described = parseRunbook('---\ndescription: Roll the payments API back\n---\n# Back\n\n## Go\n\nFirst.\n', {path: 'b.md'});
    expect(runbookPurpose(described)).toBe('Roll the payments API back');
    const text = (w: number) => introLine(runbookPurpose(guide), 51, w).map(s => s.text).join('');
    expect(text(120)).toBe(' Ships the payments API to production. · 51 steps · → to begin');
    // Narrow: the purpose is cut, the count and where to start never.
    expect(text(40)).toMatch(/^ Ships the…? .*· 51 steps · → to begin$/);
    expect(width(text(40))).toBeLessThanOrEqual(39);
    expect(text(20)).toBe(' 51 steps · → to begin');
  });
});

describe('the status bar’s keys', () => {
  it('whole keys only, the least needed giving way first; `c panes` while the panes are hidden', () => {
    const all = statusKeys(200, {running: false, panesHidden: false});
    expect(all).toBe('←→ step  ↑↓ item  ⏎ run/tick  ␣ tick  s skip  d done  ? help  q quit');
    expect(statusKeys(51, {running: false, panesHidden: true})).toBe('←→ step  ⏎ run/tick  c panes  ? help  q quit');
    for (let room = 0; room < 80; room++) {
      const keys = statusKeys(room, {running: false, panesHidden: true});
      expect(width(keys)).toBeLessThanOrEqual(room);
      expect(keys).not.toContain('…');
    }
    expect(statusKeys(30, {running: true, panesHidden: false})).toBe('Ctrl-C cancel  ? help');
  });

  it('a read-only view names only what it can do; a shared session names what T does now', () => {
    expect(statusKeys(200, {running: false, panesHidden: false, readOnly: true})).toBe('←→ step  ↑↓ item  ? help  q quit');
    expect(statusKeys(200, {running: false, panesHidden: false, readOnly: true, wheel: 'T ask for the wheel'})).toBe('←→ step  ↑↓ item  T ask for the wheel  ? help  q quit');
    expect(statusKeys(200, {running: false, panesHidden: false, wheel: 'T hand over'})).toBe('←→ step  ↑↓ item  ⏎ run/tick  ␣ tick  s skip  d done  T hand over  ? help  q quit');
    // It gives way after the step keys, before help: the operator must see it when someone asks.
    expect(statusKeys(36, {running: false, panesHidden: false, wheel: 'T hand over'})).toBe('←→ step  ⏎ run/tick  T hand over');
  });
});
