// The width helpers every line of the screen is cut and wrapped with (Ink's own cli-truncate, wrap-ansi and
// string-width underneath): never wider than asked, never inside a cluster, and always finished.
import stringWidth from 'string-width';
import {describe, expect, it} from 'vitest';
import {fitColumns, graphemes, truncate, truncateStart, width, wrapColumns} from '../../source/terminal/columns.js';
import {wrapWords} from '../../source/ui/text.js';

const WIDE = ['⚠️ DANGEROUS…', '⚠️ DANGEROUS: force-pushes main', '⚠️⚠️⚠️⚠️', '漢字かな漢字かな', '👩‍💻👩‍💻👩‍💻👩‍💻', '🇩🇪🇩🇪🇩🇪', 'a👍🏽b👍🏽c👍🏽d', '1️⃣2️⃣3️⃣4️⃣', 'e\u0301e\u0301e\u0301e\u0301', 'ｶﾞｶﾞｶﾞ', 'plain ascii words'];

/** Every cut is made of whole clusters of the text it came from. */
const wholeClusters = (cut: string, text: string) => graphemes(cut.replace(/…/g, '')).every(c => graphemes(text).includes(c));

describe('truncate', () => {
  it('cuts ⚠️ DANGEROUS… to 6 columns, not 7', () => {
    expect(truncate('⚠️ DANGEROUS…', 6)).toBe('⚠️ DA…');
    expect(stringWidth(truncate('⚠️ DANGEROUS…', 6))).toBe(6);
    // Where cli-truncate alone keeps the wide character at the cut and overshoots by one.
    expect(truncate('⚠️⚠️⚠️⚠️', 6)).toBe('⚠️⚠️…');
    expect(truncate('漢字かな漢字かな', 4)).toBe('漢…');
  });

  it('is never wider than asked, from either end, and never cuts a cluster', () => {
    for (const text of WIDE)
      for (let max = 0; max <= 16; max++)
        for (const f of [truncate, truncateStart, fitColumns]) {
          const cut = f(text, max);
          expect(width(cut), `${f.name}(${text}, ${max}) = ${cut}`).toBeLessThanOrEqual(max);
          expect(wholeClusters(cut, text), `${f.name}(${text}, ${max}) = ${cut}`).toBe(true);
          if (width(text) <= max) expect(cut).toBe(text);
        }
  });

  it('keeps the end for paths, and the start as the longest prefix that fits', () => {
    expect(truncateStart('runbooks/teams/payments/rollback.md', 13)).toBe('…/rollback.md');
    expect(truncateStart('漢字かな/x.md', 8)).toBe('…な/x.md');
    expect(fitColumns('ab漢字', 3)).toBe('ab');
    expect(fitColumns('ab漢字', 4)).toBe('ab漢');
  });
});

describe('wrapWords', () => {
  it('always returns, whatever the width (0, negative, NaN)', () => {
    expect(wrapWords('abc def', 0)).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
    expect(wrapWords('ab', -3)).toEqual(['a', 'b']);
    expect(wrapWords('ab', Number.NaN)).toEqual(['a', 'b']);
    expect(wrapWords('', 0)).toEqual(['']);
  });

  it('wraps at spaces into lines no wider than asked, keeping every word, the paragraphs and their indentation', () => {
    const text = 'Squash merge to main (preserves clean history) — ⚠️ then watch 漢字かな漢字 👩‍💻 rollout';
    for (const max of [1, 2, 3, 5, 8, 13, 21, 40, 200]) {
      const lines = wrapWords(text, max);
      for (const line of lines) expect(width(line), `${max}: ${line}`).toBeLessThanOrEqual(Math.max(max, 2));
      expect(lines.join('').replace(/ /g, '')).toBe(text.replace(/ /g, ''));
    }
    expect(wrapWords('one two three', 7)).toEqual(['one two', 'three']);
    expect(wrapWords('a\n\n  indented', 20)).toEqual(['a', '', '  indented']);
    expect(wrapColumns(`R rollback procedures · I declare an incident`, 24)).toEqual(['R rollback procedures ·', 'I declare an incident']);
  });

  it('cuts a word wider than the line between clusters, never inside an emoji sequence', () => {
    expect(wrapWords('👩‍💻👩‍💻👩‍💻', 4)).toEqual(['👩‍💻👩‍💻', '👩‍💻']);
    expect(wrapWords('1️⃣2️⃣3️⃣', 3)).toEqual(['1️⃣', '2️⃣', '3️⃣']);
    expect(wrapWords(`x${'y'.repeat(12)}`, 5)).toEqual(['xyyyy', 'yyyyy', 'yyy']);
  });
});
