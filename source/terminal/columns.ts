// Text measured and cut in terminal columns, as it will be shown: after safeText, by grapheme cluster (an emoji with
// its modifiers or joiners, a letter with its combining marks), emoji and East Asian wide characters two columns,
// zero-width ones none. A line measured here never wraps behind the layout's back.

import stringWidth from 'string-width';
import {safeText} from './safe-text.js';

// Made on first need: constructing one loads ICU's break data, some 15 ms that start-up should not pay.
let segmenter: Intl.Segmenter | undefined;

/** Columns `text` takes once shown. */
export const width = (text: string) => stringWidth(safeText(text));

/** The grapheme clusters of `text`, each drawn as one unit. */
export function graphemes(text: string): string[] {
  // ASCII has one cluster per character (but CR LF): no need for the segmenter.
  if (/^[\x20-\x7e]*$/.test(text)) return text.split('');
  segmenter ??= new Intl.Segmenter();
  return Array.from(segmenter.segment(text), s => s.segment);
}

/** The longest start of `text` (already safe) that fits in `max` columns, never cutting a cluster. */
export function fitColumns(text: string, max: number): string {
  let out = '';
  let used = 0;
  for (const cluster of graphemes(text)) {
    const w = stringWidth(cluster);
    if (used + w > max) break;
    out += cluster;
    used += w;
  }
  return out;
}

/** `text` shown safely in at most `max` columns, ending with … when cut. */
export function truncate(text: string, max: number): string {
  if (max <= 0) return '';
  const safe = safeText(text);
  if (stringWidth(safe) <= max) return safe;
  return `${fitColumns(safe, max - 1)}…`;
}

/** `text` shown safely, padded with spaces to `columns`. */
export function padEnd(text: string, columns: number): string {
  const safe = safeText(text);
  const w = stringWidth(safe);
  return w >= columns ? safe : safe + ' '.repeat(columns - w);
}

/** `text` shown safely in at most `max` columns, starting with … when cut: for paths, whose end says the most. */
export function truncateStart(text: string, max: number): string {
  if (max <= 0) return '';
  const safe = safeText(text);
  if (stringWidth(safe) <= max) return safe;
  const clusters = graphemes(safe);
  let out = '';
  let used = 1;
  for (let i = clusters.length - 1; i >= 0; i--) {
    const w = stringWidth(clusters[i]!);
    if (used + w > max) break;
    out = clusters[i]! + out;
    used += w;
  }
  return `…${out}`;
}
