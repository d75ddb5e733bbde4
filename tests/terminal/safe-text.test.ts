// The one sanitiser every untrusted string passes on its way to the terminal, and the column helpers that measure
// what it returns.
import {randomBytes} from 'node:crypto';
import stringWidth from 'string-width';
import {describe, expect, it} from 'vitest';
import {displayLine} from '../../source/exec/display-line.js';
import {fitColumns, padEnd, truncate, width} from '../../source/terminal/columns.js';
import {pictureOf, safeJson, safeText} from '../../source/terminal/safe-text.js';
import {outputLine} from '../../source/ui/output-view.js';
import {wrapWords} from '../../source/ui/text.js';

/** Anything a terminal would act on. */
const LIVE = /[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/;
const ESC = '\x1b';

describe('safeText', () => {
  it('leaves plain text, UTF-8, wide characters and emoji exactly as they are', () => {
    for (const text of ['', 'kubectl get pods -n prod', 'Café crème — naïve', '漢字かな 한국어', '👍🏽 👩‍💻 🇩🇪 1️⃣ ❤️', 'e\u0301 a\u0308', '│ ◐ ✓ ✗ ⊘ █░', 'zero\u200bwidth\u200djoin']) {
      expect(safeText(text)).toBe(text);
      expect(safeText(text, {output: true, colours: true})).toBe(text);
    }
  });

  it('shows every C0 control and DEL as its Control Picture, except the ones the caller keeps', () => {
    for (let code = 0; code < 0x20; code++) {
      const char = String.fromCharCode(code);
      expect(safeText(`a${char}b`)).toBe(`a${String.fromCharCode(0x2400 + code)}b`);
    }
    expect(safeText('a\x7fb')).toBe('a␡b');
    expect(safeText('one\ntwo\tthree\r', {keep: '\n\t'})).toBe('one\ntwo\tthree␍');
    expect(safeText('one\ntwo', {keep: '\t'})).toBe('one␊two');
  });

  it('shows every C1 control as ␛ and the 7-bit character it stands for', () => {
    for (let code = 0x80; code <= 0x9f; code++) {
      const shown = safeText(`a${String.fromCharCode(code)}b`);
      expect(shown).toBe(`a␛${String.fromCharCode(code - 0x40)}b`);
      expect(shown).not.toMatch(LIVE);
    }
    expect(safeText('\u009b2J \u009d0;title\u009c')).toBe('␛[2J ␛]0;title␛\\');
  });

  it('shows escape sequences whole and inert: CSI, OSC 52, OSC 0, OSC 8, DCS, APC, PM, SOS, terminated or not', () => {
    const cases: Array<[string, string]> = [
      [`${ESC}[2J${ESC}[13;37H${ESC}[38;5;201m`, '␛[2J␛[13;37H␛[38;5;201m'],
      [`${ESC}]52;c;SGFja2Vk\x07`, '␛]52;c;SGFja2Vk␇'],
      [`${ESC}]0;PWN${ESC}\\`, '␛]0;PWN␛\\'],
      [`${ESC}]8;;https://evil.example${ESC}\\link${ESC}]8;;${ESC}\\`, '␛]8;;https://evil.example␛\\link␛]8;;␛\\'],
      [`${ESC}Pq#0;2;0;0;0${ESC}\\`, '␛Pq#0;2;0;0;0␛\\'],
      [`${ESC}_apc${ESC}\\ ${ESC}^pm${ESC}\\ ${ESC}Xsos${ESC}\\`, '␛_apc␛\\ ␛^pm␛\\ ␛Xsos␛\\'],
      [`${ESC}]52;c;unterminated`, '␛]52;c;unterminated'],
      [`${ESC}c${ESC}7${ESC}(0`, '␛c␛7␛(0'],
      [`tail ${ESC}`, 'tail ␛'],
    ];
    for (const [raw, shown] of cases) {
      expect(safeText(raw)).toBe(shown);
      expect(safeText(raw)).not.toMatch(LIVE);
    }
  });

  it('shows bidi overrides and isolates, so text cannot read differently from what runs', () => {
    for (const code of [0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069]) {
      const char = String.fromCharCode(code);
      expect(safeText(`rm -rf ${char}x`)).toBe(`rm -rf <U+${code.toString(16).toUpperCase()}>x`);
    }
    expect(pictureOf('\u202e')).toBe('<U+202E>');
  });

  it('is idempotent: what it returns needs nothing more', () => {
    const hostile = `# ${ESC}]52;c;SGk=\x07 \u009b31m ${ESC}[1m \u202e \x00\x7f\x85 done`;
    const once = safeText(hostile);
    expect(once).not.toMatch(LIVE);
    expect(safeText(once)).toBe(once);
    const output = safeText(hostile, {output: true, colours: true});
    expect(safeText(output, {output: true, colours: true})).toBe(output);
  });

  it('for command output drops sequences and stray controls, keeping colours when asked', () => {
    const line = `${ESC}[31mred${ESC}[0m ${ESC}[2K${ESC}[1Gplain${ESC}]0;title\x07 \u009b2J\u009d0;t\u009c\x85end\x07\x08 ${ESC}]8;;x${ESC}\\`;
    expect(safeText(line, {output: true, colours: true})).toBe(`${ESC}[31mred${ESC}[0m plain end `);
    expect(safeText(line, {output: true})).toBe('red plain end ');
    // Only SGR is a colour: a private or intermediate-carrying CSI ending in m is not.
    expect(safeText(`${ESC}[?1m${ESC}[1 ma`, {output: true, colours: true})).toBe('a');
    // An OSC with no end swallows the rest of the line, as a terminal would.
    expect(safeText(`before ${ESC}]52;c;SGk= never`, {output: true})).toBe('before ');
    expect(safeText('a\tb', {output: true, keep: '\t'})).toBe('a\tb');
  });
});

describe('safeJson', () => {
  it('parses back to the very same values, with no raw C1, DEL or bidi control in it', () => {
    const value = {title: `Hostile ${ESC}]52;c;SGk=\x07 \u009d0;x\u009c \u202eevil\x7f`, plain: 'Café 👩‍💻', n: 3, list: ['\u2028', '\u0085']};
    const json = safeJson(value);
    // Line breaks are the JSON's own layout; nothing else raw.
    expect(json).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029]/);
    expect(JSON.parse(json)).toEqual(value);
    expect(json).toContain('Café 👩‍💻');
  });
});

describe('columns', () => {
  it('measures what is shown: wide characters two, zero-width none, a hidden sequence as its pictures', () => {
    expect(width('漢字')).toBe(4);
    expect(width('👩‍💻')).toBe(2);
    expect(width('🇩🇪')).toBe(2);
    expect(width('e\u0301')).toBe(1);
    expect(width('a\u200bb')).toBe(2);
    expect(width(`${ESC}]0;PWN\x07`)).toBe('␛]0;PWN␇'.length);
  });

  it('cuts by columns and clusters, never inside an emoji or a sequence, and never wider than asked', () => {
    expect(truncate('漢字かな', 5)).toBe('漢字…');
    expect(truncate('ab👩‍💻cd', 4)).toBe('ab…');
    expect(truncate('ab👩‍💻cd', 5)).toBe('ab👩‍💻…');
    expect(fitColumns('e\u0301e\u0301e\u0301', 2)).toBe('e\u0301e\u0301');
    const hostile = `Deploy ${ESC}]52;c;SGFja2Vk\x07${ESC}]0;PWN\x07 now 漢字 👍🏽`;
    for (let max = 1; max < 60; max++) {
      const cut = truncate(hostile, max);
      expect(cut).not.toMatch(LIVE);
      expect(stringWidth(cut)).toBeLessThanOrEqual(max);
      expect(stringWidth(padEnd(hostile, max))).toBeGreaterThanOrEqual(Math.min(max, stringWidth(safeText(hostile))));
    }
  });

  it('wraps hostile and wide text into lines no wider than asked, and places a character wider than the line', () => {
    const text = `Paragraph ${ESC}]8;;https://evil.example${ESC}\\link${ESC}]8;;${ESC}\\ then 漢字かな漢字かな漢字かな 👩‍💻👩‍💻👩‍💻 a${'x'.repeat(50)}`;
    for (const max of [5, 10, 23, 40]) {
      const lines = wrapWords(text, max);
      for (const line of lines) {
        expect(line).not.toMatch(LIVE);
        expect(stringWidth(line), line).toBeLessThanOrEqual(max);
      }
      expect(lines.join('')).toContain('␛]8;;');
    }
    // Wider than the line: placed one per line (the helper used to loop forever here).
    expect(wrapWords('漢字', 1).filter(Boolean)).toEqual(['漢', '字']);
  });
});

describe('command output lines', () => {
  it('drop C1 controls from the tail the run records', () => {
    expect(displayLine('a\u0085b\u009b2Jc\u009d0;t\u009c', 80)).toBe('abc');
  });

  it('fit the pane by display width, tabs expanded, colours closed at a cut', () => {
    expect(outputLine('a\tb', 80)).toBe('a       b');
    expect(outputLine('漢字\tx', 80)).toBe('漢字    x');
    expect(outputLine(`${ESC}[32m${'g'.repeat(20)}${ESC}[0m`, 10)).toBe(`${ESC}[32m${'g'.repeat(9)}${ESC}[0m…`);
    expect(outputLine('漢字かな漢字', 7)).toBe('漢字か…');
    expect(outputLine(`x${ESC}]52;c;SGk=\x07y\u202ez`, 80)).toBe('xy<U+202E>z');
  });

  it('of random bytes are never wider than the pane and hold nothing a terminal acts on', () => {
    const bytes = Buffer.concat([randomBytes(200_000), Buffer.from('\t\x1b]52;c;SGk=\x07\u009b2J\u0085', 'utf8')]);
    for (const raw of bytes.toString('utf8').split('\n')) {
      for (const w of [10, 37, 80]) {
        const line = outputLine(displayLine(raw, 2000), w);
        expect(stringWidth(line)).toBeLessThanOrEqual(w);
        expect(line.replace(/\x1b\[[0-9;:]*m/g, '')).not.toMatch(LIVE);
      }
    }
  });
});
