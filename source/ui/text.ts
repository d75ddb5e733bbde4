// Width-aware text helpers for the terminal: emoji and CJK take two columns, and a line must never wrap
// behind Ink's back (a wrapped line pushes the frame taller than the screen and makes it flicker). Everything they
// return is safe to print (see source/terminal): a runbook's escape sequences come out visible and inert.

import {fitColumns, graphemes, padEnd, truncate, width} from '../terminal/columns.js';
import {safeText} from '../terminal/safe-text.js';

export {padEnd, truncate, width};
export {formatDuration} from '../terminal/duration.js';

/** Splits text into words and the spaces between them, keeping explicit line breaks. */
export function wrapWords(text: string, max: number): string[] {
  const lines: string[] = [];
  for (const paragraph of safeText(text.replace(/\t/g, '  '), {keep: '\n'}).split('\n')) {
    let line = '';
    for (const word of paragraph.split(/(\s+)/)) {
      if (!word) continue;
      const candidate = line + word;
      if (width(candidate) <= max) {
        line = candidate;
        continue;
      }
      if (line.trim()) lines.push(line.trimEnd());
      line = /^\s+$/.test(word) ? '' : word;
      while (width(line) > max) {
        // At least one cluster per line, or a character wider than the line would never be placed.
        const head = fitColumns(line, max) || graphemes(line)[0]!;
        lines.push(head);
        line = line.slice(head.length);
      }
    }
    lines.push(line.trimEnd());
  }
  return lines;
}

