// The session screen's layout, pure: where the outline, the step's column, its output and the panes go for a
// terminal of a given size and what is shown. What gives way when room runs out, in order: the panes (narrower,
// then folded under the step, then hidden behind `c`), never the outline from 100 columns, never the step.

import {below, panesLayout, type PanesLayout} from './cluster/panes-layout.js';

const clamp = (n: number, lo: number, hi: number) => Math.max(lo, Math.min(hi, n));

/** From this many columns the outline is always there (unless `o` put it away). */
export const OUTLINE_FROM_COLUMNS = 100;

/** Where the outline, the step's column and the panes go, for a terminal of this size. */
export interface ScreenLayout {
  /** Everything between the rows above it (header, first-screen hint, an open prompt) and the status bar. */
  bodyHeight: number;
  /** 0: no outline. */
  outlineWidth: number;
  panes: PanesLayout;
  /** The step's column. */
  paneWidth: number;
  /** The step's column's height above the panes' strip (the whole body when the panes are beside it). */
  stepColumnHeight: number;
}

export interface Shown {
  /** true / false: the operator's choice (`o`); null: shown from OUTLINE_FROM_COLUMNS. */
  outline: boolean | null;
  /** true / false: the operator's choice (`c`); null: wherever they fit. */
  panes: boolean | null;
  configured: boolean;
  /** Rows under the header and above the body: the first screen's hint, an open prompt. */
  above?: number;
}

const outlineWidthOf = (columns: number) => clamp(Math.floor(columns * 0.22), 24, 38);

export function layoutOf(size: {columns: number; rows: number}, shown: Shown): ScreenLayout {
  const {columns, rows} = size;
  // One line each for header and status bar, and one spare row so Ink never clears the whole screen.
  const bodyHeight = Math.max(3, rows - 3 - (shown.above ?? 0));
  const outlineWidth = (shown.outline ?? columns >= OUTLINE_FROM_COLUMNS) && columns >= 60 ? outlineWidthOf(columns) : 0;
  const room = columns - outlineWidth - (outlineWidth ? 1 : 0);
  const panes = panesLayout({columns: room, bodyHeight, shown: shown.panes, configured: shown.configured});
  const paneWidth = room - (panes.mode === 'side' ? panes.width + 1 : 0);
  return {bodyHeight, outlineWidth, panes, paneWidth, stepColumnHeight: panes.mode === 'below' ? panes.stepHeight : bodyHeight};
}

/**
 * A dialog (the native rollback, an approval) over the whole width left of the panes beside the step; under it the
 * panes' strip spans the whole width when they fold. The dialog's width and height, and the strip.
 */
export function dialogLayoutOf(layout: ScreenLayout, columns: number) {
  const {panes, bodyHeight} = layout;
  if (panes.mode === 'side') return {width: columns - panes.width - 1, height: bodyHeight, strip: null};
  if (panes.mode === 'below') return {width: columns, height: panes.stepHeight, strip: below(columns, bodyHeight, panes.height)};
  return {width: columns, height: bodyHeight, strip: null};
}

/** The step's column split between the step and its output, under a heading of `headingLines`. */
export function stepHeightsOf(layout: ScreenLayout, {output, headingLines}: {output: boolean; headingLines: number}) {
  const outputHeight = output ? clamp(Math.floor(layout.stepColumnHeight * 0.4), 4, 14) : 0;
  return {outputHeight, stepHeight: Math.max(1, layout.stepColumnHeight - outputHeight - headingLines)};
}

/** Whether the panes or the outline are on screen now: what `c` and `o` turn the other way. */
export const shownNow = (layout: ScreenLayout) => ({outline: layout.outlineWidth > 0, panes: layout.panes.mode !== 'hidden'});
