// Text measured and cut in terminal columns, as it will be shown: after safeText, by grapheme cluster (an emoji with
// its modifiers or joiners, a letter with its combining marks), emoji and East Asian wide characters two columns,
// zero-width ones none. A line measured here never wraps behind the layout's back.
//
// The measuring and cutting are Ink's own helpers (string-width, cli-truncate, wrap-ansi: one copy each in the
// bundle, and what Ink itself measures with). One thing is added: cli-truncate keeps a wide character that straddles
// the cut (`truncate('漢字かな', 4)` would give `漢字…`, 5 columns), so a cut that came out too wide is made again
// a column shorter until it fits.

import cliTruncate from 'cli-truncate';
import stringWidth from 'string-width';
import wrapAnsi from 'wrap-ansi';
import {safeText} from './safe-text.js';

// Made on first need: constructing one loads ICU's break data, some 15 ms that start-up should not pay.
let segmenter: Intl.Segmenter | undefined;

/** Printable ASCII: one column per character, nothing to measure. */
const PLAIN = /^[\x20-\x7e]*$/;

/** Columns `text` takes once shown. */
export const width = (text: string) => stringWidth(safeText(text));

/** The grapheme clusters of `text`, each drawn as one unit. */
export function graphemes(text: string): string[] {
  // ASCII has one cluster per character (but CR LF): no need for the segmenter.
  if (PLAIN.test(text)) return text.split('');
  segmenter ??= new Intl.Segmenter();
  return Array.from(segmenter.segment(text), s => s.segment);
}

/** cli-truncate at most `max` columns wide: asked again for less while a wide character at the cut overshoots. */
function cut(text: string, max: number, options: {position: 'start' | 'end'; truncationCharacter: string}): string {
  if (max <= 0) return '';
  if (PLAIN.test(text)) {
    if (text.length <= max) return text;
    const keep = Math.max(0, max - options.truncationCharacter.length);
    return options.position === 'end' ? text.slice(0, keep) + options.truncationCharacter : options.truncationCharacter + text.slice(text.length - keep);
  }
  for (let room = max; ; ) {
    const out = cliTruncate(text, room, options);
    const over = stringWidth(out) - max;
    // room 1 gives the truncation character alone (or nothing): the loop always ends.
    if (over <= 0 || room <= 1) return over <= 0 ? out : '';
    room -= over;
  }
}

/** The longest start of `text` (already safe) that fits in `max` columns, never cutting a cluster. */
export function fitColumns(text: string, max: number): string {
  return cut(text, max, {position: 'end', truncationCharacter: ''});
}

/** `text` shown safely in at most `max` columns, ending with … when cut. */
export function truncate(text: string, max: number): string {
  return cut(safeText(text), max, {position: 'end', truncationCharacter: '…'});
}

/** `text` shown safely, padded with spaces to `columns`. */
export function padEnd(text: string, columns: number): string {
  const safe = safeText(text);
  const w = stringWidth(safe);
  return w >= columns ? safe : safe + ' '.repeat(columns - w);
}

/** `text` shown safely in at most `max` columns, starting with … when cut: for paths, whose end says the most. */
export function truncateStart(text: string, max: number): string {
  return cut(safeText(text), max, {position: 'start', truncationCharacter: '…'});
}

/**
 * `text` shown safely as lines of at most `max` columns (at least one): words wrapped at spaces (wrap-ansi), a word
 * wider than a line cut into pieces that fit, never inside a cluster, and explicit line breaks kept. Leading spaces
 * of a paragraph stay; those of a wrapped line go.
 */
export function wrapColumns(text: string, max: number): string[] {
  const room = Number.isFinite(max) ? Math.max(1, Math.floor(max)) : 1;
  const lines: string[] = [];
  for (const paragraph of safeText(text.replace(/\t/g, '  '), {keep: '\n'}).split('\n')) {
    if (stringWidth(paragraph) <= room) {
      lines.push(paragraph.trimEnd());
      continue;
    }
    const before = lines.length;
    wrapAnsi(paragraph, room, {hard: false, trim: false}).split('\n').forEach((line, i) => {
      let rest = i === 0 ? line.trimEnd() : line.trim();
      // A line of spaces only (an indentation the first word did not fit after) is not a line.
      if (!rest.trim()) return;
      // wrap-ansi leaves a word wider than the line whole (its hard mode would split emoji sequences apart).
      while (stringWidth(rest) > room) {
        const head = fitColumns(rest, room) || graphemes(rest)[0]!;
        lines.push(head);
        rest = rest.slice(head.length).trimStart();
      }
      if (rest) lines.push(rest);
    });
    if (lines.length === before) lines.push('');
  }
  return lines;
}
