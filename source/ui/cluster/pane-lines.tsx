// The cluster panes draw pre-fitted lines: every line is built (and cut to the width) by a pure
// module, so a pane is always exactly `height` rows and never wraps behind Ink's back.

import {LinesView} from '../lines-view.js';
import {noColor} from '../theme.js';

/**
 * Meanings, not colours: pod tones follow k9s (ok cyan, error red, pending orange, initializing
 * blue, terminating purple, completed grey); the rest mirror the app's theme.
 */
export type PaneTone = 'ok' | 'error' | 'pending' | 'initializing' | 'terminating' | 'completed' | 'good' | 'warn' | 'muted' | 'accent';

const COLORS: Record<PaneTone, string> = {
  ok: 'cyan',
  error: 'red',
  pending: '#ff8c00',
  initializing: 'blue',
  terminating: 'magenta',
  completed: 'gray',
  good: 'green',
  warn: 'yellow',
  muted: 'gray',
  accent: 'cyan',
};

export function paneColor(tone: PaneTone | undefined): string | undefined {
  if (!tone || noColor()) return undefined;
  return COLORS[tone];
}

export interface PaneSegment {
  text: string;
  tone?: PaneTone;
  bold?: boolean;
  inverse?: boolean;
}

export type PaneLine = PaneSegment[];

/** Exactly `height` rows: the lines given (already fitted to the width), then blank rows. */
export function PaneLines({lines, height}: {lines: PaneLine[]; height: number}) {
  return <LinesView lines={lines} height={height} colorOf={paneColor} />;
}
