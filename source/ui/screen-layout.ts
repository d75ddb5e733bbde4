// The session screen's layout, pure: where the outline, the step's column, its output and the panes go for a
// terminal of a given size and what is shown.

import {panesLayout, type PanesLayout} from './cluster/panes-layout.js';

const clamp = (n: number, lo: number, hi: number) => Math.max(lo, Math.min(hi, n));

/** Where the outline, the step's column and the panes go, for a terminal of this size. */
export interface ScreenLayout {
  /** Everything between the header and the status bar. */
  bodyHeight: number;
  /** 0: no outline. */
  outlineWidth: number;
  panes: PanesLayout;
  /** The step's column. */
  paneWidth: number;
  /** The step's column's height above the panes' strip (the whole body when the panes are beside it). */
  stepColumnHeight: number;
}

const outlineWidthOf = (columns: number, outline: boolean) => (outline && columns >= 60 ? clamp(Math.floor(columns * 0.3), 24, 38) : 0);

export function layoutOf(size: {columns: number; rows: number}, shown: {outline: boolean; panes: boolean; configured: boolean}): ScreenLayout {
  const {columns, rows} = size;
  // One line each for header and status bar, and one spare row so Ink never clears the whole screen.
  const bodyHeight = Math.max(6, rows - 3);
  const outlineWidth = outlineWidthOf(columns, shown.outline);
  let panes = panesLayout({columns, bodyHeight, shown: shown.panes, configured: shown.configured, reserved: outlineWidth ? outlineWidth + 1 : 0});
  const paneWidth = columns - outlineWidth - (outlineWidth ? 1 : 0) - (panes.mode === 'side' ? panes.width + 1 : 0);
  // Under the step, the strip shares the step's column, not the whole width.
  if (panes.mode === 'below') panes = panesLayout({columns: paneWidth, bodyHeight, shown: shown.panes, configured: shown.configured});
  return {bodyHeight, outlineWidth, panes, paneWidth, stepColumnHeight: panes.mode === 'below' ? panes.stepHeight : bodyHeight};
}

/** The step's column split between the step and its output, under a heading of `headingLines`. */
export function stepHeightsOf(layout: ScreenLayout, {output, headingLines}: {output: boolean; headingLines: number}) {
  const outputHeight = output ? clamp(Math.floor(layout.stepColumnHeight * 0.4), 4, 14) : 0;
  return {outputHeight, stepHeight: Math.max(1, layout.stepColumnHeight - outputHeight - headingLines)};
}
