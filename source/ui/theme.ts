// Colours operators know: red failed, green done, yellow running, grey skipped. With NO_COLOR the symbols
// (✓ ✗ ◐ ⤼) still say everything, so no meaning is carried by colour alone.

import type {StepStatus} from '../session/events.js';

export const noColor = () => 'NO_COLOR' in process.env && process.env.NO_COLOR !== undefined;

export type Tone = 'done' | 'failed' | 'running' | 'skipped' | 'muted' | 'accent' | 'danger' | 'code' | 'link' | 'warn';

const TONES: Record<Tone, string> = {
  done: 'green',
  failed: 'red',
  running: 'yellow',
  skipped: 'gray',
  muted: 'gray',
  accent: 'cyan',
  danger: 'red',
  code: 'cyan',
  link: 'blue',
  warn: 'yellow',
};

export function color(tone: Tone | undefined): string | undefined {
  if (!tone || noColor()) return undefined;
  return TONES[tone];
}

export const STATUS_ICON: Record<StepStatus, string> = {
  'not-started': '○',
  'in-progress': '◐',
  done: '✓',
  failed: '✗',
  skipped: '⤼',
};

export const STATUS_TONE: Record<StepStatus, Tone | undefined> = {
  'not-started': undefined,
  'in-progress': 'running',
  done: 'done',
  failed: 'failed',
  skipped: 'skipped',
};
