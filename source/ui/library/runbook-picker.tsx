// The runbook picker (L): the runbooks in the open one's folder and in ./runbooks, with their latest session. Draws
// the picker state; keys and the listing are useRunbookPicker's.

import {Box, Text} from 'ink';
import type {LibraryEntry} from '../../session/runbook-library.js';
import {truncateStart} from '../../terminal/columns.js';
import {padEnd, truncate, width as textWidth} from '../text.js';
import {color} from '../theme.js';
import {useRunbookPicker, type UseRunbookPickerOptions} from './use-runbook-picker.js';
import type {PickerState} from './use-runbook-picker-state.js';

/** Border (2) and the title line. */
const CHROME = 3;

/** The first visible row: the selected one stays in view, as near the middle as the list allows. */
export function firstVisible(selected: number, count: number, rows: number): number {
  return Math.max(0, Math.min(selected - Math.floor(rows / 2), count - rows));
}

const stateOf = (e: LibraryEntry, current: string) =>
  [e.problem, e.path === current ? 'open now' : (e.last?.state ?? (e.problem ? null : 'never opened'))].filter(Boolean).join(' · ');

export function RunbookPicker({state, width, height}: {state: PickerState; width: number; height: number}) {
  const inner = Math.max(10, width - 4);
  const rows = Math.max(1, height - CHROME - (state.notice ? 1 : 0));
  const top = firstVisible(state.selected, state.entries.length, rows);
  const shown = state.entries.slice(top, top + rows);
  const fileWidth = Math.min(Math.max(4, ...shown.map(e => textWidth(e.file))), Math.floor(inner * 0.4));
  const titleWidth = Math.min(Math.max(5, ...shown.map(e => textWidth(e.title))), Math.floor(inner * 0.35));
  return (
    <Box flexDirection="column" borderStyle="round" borderColor={color('accent')} paddingX={1} width={width} height={height} flexShrink={0} overflow="hidden">
      <Text wrap="truncate-end">
        <Text bold>Open another runbook</Text>
        <Text color={color('muted')}> · ↑↓ choose · Enter open (this session is saved) · Esc back</Text>
      </Text>
      {state.phase === 'loading' ? <Text color={color('muted')}>Reading the runbooks…</Text> : null}
      {shown.map((e, i) => {
        const selected = top + i === state.selected;
        const line = `${selected ? '›' : ' '} ${padEnd(truncateStart(e.file, fileWidth), fileWidth)}  ${padEnd(truncate(e.title, titleWidth), titleWidth)}  ${stateOf(e, state.current)}`;
        return (
          <Text key={e.path} inverse={selected} color={e.path === state.current ? color('muted') : undefined} wrap="truncate-end">
            {truncate(line, inner)}
          </Text>
        );
      })}
      {state.notice ? (
        <Text color={color(state.phase === 'failed' ? 'failed' : 'warn')} wrap="truncate-end">
          {truncate(state.notice, inner)}
        </Text>
      ) : null}
    </Box>
  );
}

export type RunbookPickerFlowProps = UseRunbookPickerOptions & {width: number; height: number};

/** The picker with its keys and listing, for the App to mount while it is open (mounting reads the library). */
export function RunbookPickerFlow({width, height, ...options}: RunbookPickerFlowProps) {
  const {state} = useRunbookPicker(options);
  return <RunbookPicker state={state} width={width} height={height} />;
}
