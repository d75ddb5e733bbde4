// Where the cluster panes go, in the room the step leaves them. Pure, so the App follows a plain object and the
// rules are tested without Ink. The panes are what gives way when room runs out (the outline and the step do not):
//
// - `side` (the step keeps ≥ 60 columns and the panes get ≥ 40): half the room (at most 60 columns) at the
//   right of the step, after a 1-column divider; pods on top (≈ 55% of the body, at least 5 rows), rollout below.
// - `below` (narrower, body ≥ 20 rows or so): folded under the step, side by side when there are ≥ 70 columns
//   (pods | rollout), else pods only; the step keeps ≥ 10 rows and `stepHeight` is what it keeps.
// - `hidden`: panes off (`c`), no cluster, or no room (`small`): nothing drawn, and `c` brings them back, under the
//   step, taking up to half of it.

export interface PaneBox {
  width: number;
  height: number;
}

export type PanesLayout =
  | {mode: 'side'; width: number; pods: PaneBox; rollout: PaneBox}
  | {mode: 'below'; height: number; stepHeight: number; pods: PaneBox; rollout: PaneBox | null}
  | {mode: 'hidden'; reason: 'off' | 'small' | 'no-cluster'};

export interface PanesLayoutInput {
  /** The columns the step and the panes share (the terminal's, less the outline and its divider). */
  columns: number;
  /** Rows the body (between header and status bar) has. */
  bodyHeight: number;
  /** true: wanted (`c`), even where they would not fit on their own; false: off; null: wherever they fit. */
  shown: boolean | null;
  configured?: boolean;
}

/** The step's column never gets narrower than this for the panes to sit beside it. */
export const STEP_MIN_COLUMNS = 60;
const PANE_MIN_COLUMNS = 40;
const PANE_MAX_COLUMNS = 60;
const MIN_STEP_ROWS = 10;

export function panesLayout({columns, bodyHeight, shown, configured = true}: PanesLayoutInput): PanesLayout {
  if (!configured) return {mode: 'hidden', reason: 'no-cluster'};
  if (shown === false) return {mode: 'hidden', reason: 'off'};
  const room = columns - 1 - STEP_MIN_COLUMNS;
  if (room >= PANE_MIN_COLUMNS) {
    const width = Math.min(PANE_MAX_COLUMNS, room, Math.max(PANE_MIN_COLUMNS, Math.round(columns * 0.5)));
    const podsHeight = Math.max(5, Math.min(bodyHeight - 6, Math.round(bodyHeight * 0.55)));
    return {mode: 'side', width, pods: {width, height: podsHeight}, rollout: {width, height: Math.max(0, bodyHeight - podsHeight)}};
  }
  let height = Math.min(14, Math.floor(bodyHeight * 0.45));
  if (bodyHeight - height < MIN_STEP_ROWS || height < 5) {
    // Asked for with `c`: under the step all the same, in up to half of it.
    if (shown !== true || bodyHeight < 10) return {mode: 'hidden', reason: 'small'};
    height = Math.max(5, Math.floor(bodyHeight / 2));
  }
  return below(columns, bodyHeight, height);
}

/** The strip under the step: pods, and the rollout beside them when there is room. */
export function below(columns: number, bodyHeight: number, height: number): Extract<PanesLayout, {mode: 'below'}> {
  const stepHeight = bodyHeight - height;
  if (columns < 70) return {mode: 'below', height, stepHeight, pods: {width: columns, height}, rollout: null};
  const podsWidth = Math.floor((columns - 1) * 0.55);
  return {mode: 'below', height, stepHeight, pods: {width: podsWidth, height}, rollout: {width: columns - 1 - podsWidth, height}};
}
