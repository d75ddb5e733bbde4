// Width-aware text helpers for the terminal: emoji and CJK take two columns, and a line must never wrap
// behind Ink's back (a wrapped line pushes the frame taller than the screen and makes it flicker). Everything they
// return is safe to print (see source/terminal): a runbook's escape sequences come out visible and inert.

import {fitColumns, graphemes, padEnd, truncate, width} from '../terminal/columns.js';
import {safeText} from '../terminal/safe-text.js';

export {padEnd, truncate, width};

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

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(Math.floor(s % 60)).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}
