// Styled segments laid out in a width: greedy word wrap, and tables that shrink their widest column to fit. Widths
// and cuts are string-width's and cli-truncate's (source/terminal/columns.ts); the wrap itself is here because it
// carries each segment's style, a first-line prefix and a hanging indent, which wrap-ansi does not.

import {fitColumns, graphemes} from '../terminal/columns.js';
import {safeText} from '../terminal/safe-text.js';
import type {Line, Segment} from './step-lines.js';
import {truncate, width} from './text.js';

/**
 * Greedy word wrap over styled segments: the first line starts with `prefix`, the others with `hanging` spaces,
 * and no line is wider than `max` columns. A word wider than a line is cut.
 */
export function wrapSegments(segments: Segment[], max: number, prefix: Segment[] = [], hanging = 0): Line[] {
  const out: Line[] = [];
  let line: Line = [...prefix];
  let used = width(prefix.map(p => p.text).join(''));
  let atStart = true;
  const newline = () => {
    out.push(line);
    line = hanging ? [{text: ' '.repeat(hanging)}] : [];
    used = hanging;
    atStart = true;
  };
  const append = (token: Segment) => {
    const last = line[line.length - 1];
    if (last && last !== prefix[prefix.length - 1] && sameStyle(last, token)) last.text += token.text;
    else line.push({...token});
    used += width(token.text);
  };
  for (const segment of segments) {
    for (const part of safeText(segment.text, {keep: '\n\t'}).split(/(\n|[ \t]+)/)) {
      if (!part) continue;
      if (part === '\n') {
        newline();
        continue;
      }
      const w = width(part);
      if (/^\s+$/.test(part)) {
        if (!atStart && used + w < max) append({...segment, text: ' '});
        continue;
      }
      if (used + w > max && !atStart) {
        const last = line[line.length - 1];
        if (last && last.text.endsWith(' ')) last.text = last.text.trimEnd();
        newline();
      }
      let word = part;
      // At least one column per line, however narrow the room: an empty word must end the loop.
      while (width(word) > Math.max(1, max - hanging)) {
        const head = fitColumns(word, max - used) || graphemes(word)[0]!;
        append({...segment, text: head});
        word = word.slice(head.length);
        newline();
      }
      // A word cut to the end of a line leaves nothing to place: the next line stays empty for what follows.
      if (!word) continue;
      append({...segment, text: word});
      atStart = false;
    }
  }
  out.push(line);
  return out;
}

const sameStyle = (a: Omit<Segment, 'text'>, b: Omit<Segment, 'text'>) =>
  a.tone === b.tone && a.bold === b.bold && a.italic === b.italic && a.underline === b.underline && a.dim === b.dim && a.inverse === b.inverse;

export function tableLines(header: string[], rows: string[][], max: number): Line[] {
  const cols = header.length;
  const widths = header.map((h, i) => Math.max(width(h), ...rows.map(r => width(r[i] ?? ''))));
  const sep = 3;
  let total = widths.reduce((a, b) => a + b, 0) + sep * (cols - 1);
  // Shrink the widest column first until the table fits.
  while (total > max && Math.max(...widths) > 4) {
    const i = widths.indexOf(Math.max(...widths));
    widths[i]!--;
    total--;
  }
  const cell = (text: string, i: number) => {
    const t = truncate(text, widths[i]!);
    return t + ' '.repeat(Math.max(0, widths[i]! - width(t)));
  };
  const out: Line[] = [[{text: header.map(cell).join(' │ '), bold: true}], [{text: widths.map(w => '─'.repeat(w)).join('─┼─'), tone: 'muted'}]];
  for (const row of rows) out.push([{text: header.map((_, i) => cell(row[i] ?? '', i)).join(' │ ')}]);
  return out;
}
