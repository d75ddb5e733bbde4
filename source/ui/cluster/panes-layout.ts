// Where the cluster panes go for a terminal size. Pure, so the App (owned elsewhere) follows a
// plain object and the rules are tested without Ink.
//
// - `side` (≥ 110 columns, panes shown): the panes take ≈ 40% of the width (30–60 columns) at the
//   right of the step, after a 1-column divider; pods on top (≈ 55% of the body, at least 5
//   rows), rollout below. The App shrinks its step column by `side.width + 1`.
// - `below` (narrower, panes shown, body ≥ 20 rows): the step keeps the full width and the panes
//   fold under it, side by side when there are ≥ 70 columns (pods | rollout), else pods only;
//   `stepHeight` is what the step keeps.
// - `hidden` (panes off, or a short terminal): nothing drawn; the hide/show key toggles `shown`.
//   Shrinking the terminal never squeezes the step below 10 rows: the panes go away instead.

export interface PaneBox {
  width: number;
  height: number;
}

export type PanesLayout =
  | {mode: 'side'; width: number; pods: PaneBox; rollout: PaneBox}
  | {mode: 'below'; height: number; stepHeight: number; pods: PaneBox; rollout: PaneBox | null}
  | {mode: 'hidden'; reason: 'off' | 'small' | 'no-cluster'};

export interface PanesLayoutInput {
  /** Terminal columns. */
  columns: number;
  /** Rows the body (between header and status bar) has. */
  bodyHeight: number;
  shown: boolean;
  configured?: boolean;
  /** Columns already taken at the left (the outline and its divider) in side mode. */
  reserved?: number;
}

export const SIDE_MIN_COLUMNS = 110;
const MIN_STEP_ROWS = 10;

export function panesLayout({columns, bodyHeight, shown, configured = true, reserved = 0}: PanesLayoutInput): PanesLayout {
  if (!configured) return {mode: 'hidden', reason: 'no-cluster'};
  if (!shown) return {mode: 'hidden', reason: 'off'};
  if (columns >= SIDE_MIN_COLUMNS) {
    const width = Math.max(30, Math.min(60, Math.floor(columns * 0.4), columns - reserved - 41));
    const podsHeight = Math.max(5, Math.min(bodyHeight - 6, Math.round(bodyHeight * 0.55)));
    return {mode: 'side', width, pods: {width, height: podsHeight}, rollout: {width, height: Math.max(0, bodyHeight - podsHeight)}};
  }
  const height = Math.min(14, Math.floor(bodyHeight * 0.45));
  if (bodyHeight - height < MIN_STEP_ROWS || height < 5) return {mode: 'hidden', reason: 'small'};
  if (columns >= 70) {
    const podsWidth = Math.floor((columns - 1) * 0.55);
    return {mode: 'below', height, stepHeight: bodyHeight - height, pods: {width: podsWidth, height}, rollout: {width: columns - 1 - podsWidth, height}};
  }
  return {mode: 'below', height, stepHeight: bodyHeight - height, pods: {width: columns, height}, rollout: null};
}
