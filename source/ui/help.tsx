// Every key, over the whole screen: descriptions wrap under themselves (never cut), and a help taller than the
// screen scrolls (↓ ↑).

import {Box, Text} from 'ink';
import {LinesView} from './lines-view.js';
import type {Line} from './step-lines.js';
import {padEnd, wrapWords} from './text.js';
import {color} from './theme.js';

export const KEYS: Array<[string, string]> = [
  ['→ n l', 'next step'],
  ['← p h', 'previous step'],
  ['↓ j  ↑ k', 'next / previous item in the step (command block or checklist item)'],
  ['Enter', 'run the focused command block, or tick/untick the focused item'],
  ['Space', 'tick/untick the focused item'],
  ['Ctrl-C', 'cancel the running command (its whole process group); quit when nothing runs'],
  ['s  d', 'skip the step / mark it done without running it (a reason is asked)'],
  ['N  I  X', 'add a note to the step; declare an incident (severity, clock); resolve it'],
  ['R', 'go to the rollback section'],
  ['u', 'roll back the workload in view natively (choose revision, type the namespace)'],
  ['w', 'next workload in the ROLLOUT pane when the step names several (the title says 1/2)'],
  ['c  J K  A', 'hide / show the panes; select a pod in PODS (see l p d e); review a waiting deployment'],
  ['m', 'do the focused gh step natively (release PR, approve, merge, dispatch the rollback workflow)'],
  ['[  ]', 'older / newer run of the step in the output pane'],
  ['g G PgUp/Dn', 'first / last step; scroll the step'],
  ['/', 'search steps by title'],
  ['o  ?', 'hide / show the outline; this help'],
  ['F', 'the follow-ups after the deploy (T+0, T+15min, T+1hr and on): ↑↓ choose, Enter ticks one with a note'],
  ['L', 'open another runbook of this folder or ./runbooks (this session is saved, as q does)'],
  ['l p d e', 'on the pod selected in PODS: its live logs, its previous container’s logs, describe it, the namespace’s events (↑↓ PgUp PgDn g G scroll, / searches, n N, Esc back); Esc lets the pod go'],
  ['T  B', 'a shared session (--share, runbook join): a follower asks the driver for the wheel (takes it once the driver’s lease has run out); the driver hands it over. B: the driver accepts the events a former driver could not publish'],
  ['q', 'quit (everything is already recorded)'],
];

const KEY_COLUMN = 13;
/** The border (2) and its padding (2). */
const CHROME = 4;

// The lines of the last width asked for: the help is drawn at each frame while it is open, at one width.
let drawn: {width: number; lines: Line[]} | null = null;

/** The keys as lines in a box `width` columns wide: each description wrapped beside its key. */
export function helpLines(width: number): Line[] {
  if (drawn?.width !== width) drawn = {width, lines: keyLines(width)};
  return drawn.lines;
}

function keyLines(width: number): Line[] {
  const inner = Math.max(1, width - CHROME);
  const room = inner - KEY_COLUMN - 1;
  const lines: Line[] = [];
  for (const [keys, what] of KEYS) {
    // Too narrow for two columns: the key on its line, the description under it.
    if (room < 20) {
      lines.push([{text: keys, tone: 'accent'}], ...wrapWords(what, inner - 2).map(l => [{text: `  ${l}`}]));
      continue;
    }
    wrapWords(what, room).forEach((l, i) => lines.push([{text: padEnd(i === 0 ? keys : '', KEY_COLUMN + 1), tone: 'accent'}, {text: l}]));
  }
  return lines;
}

/** How far the help scrolls in a box of this size (max 0: it fits), and a page: its rows less one kept in sight. */
export const helpScroll = (width: number, height: number) => ({max: Math.max(0, helpLines(width).length - helpRows(height)), page: Math.max(1, helpRows(height) - 1)});

/** The rows the keys get: the box less its border and the title line. */
const helpRows = (height: number) => Math.max(1, height - 3);

export function Help({width, height, top = 0}: {width: number; height: number; top?: number}) {
  const lines = helpLines(width);
  const rows = helpRows(height);
  const first = Math.min(top, Math.max(0, lines.length - rows));
  const scroll = lines.length > rows ? ` · ↓↑ scroll (${first + 1}–${Math.min(lines.length, first + rows)} of ${lines.length})` : '';
  return (
    <Box flexDirection="column" borderStyle="round" borderColor={color('accent')} paddingX={1} width={width} height={height} flexShrink={0}>
      <Text wrap="truncate-end">
        <Text bold>Keys</Text>
        <Text color={color('muted')}>{` · ? or Esc closes${scroll}`}</Text>
      </Text>
      <LinesView lines={lines.slice(first, first + rows)} height={rows} />
    </Box>
  );
}
