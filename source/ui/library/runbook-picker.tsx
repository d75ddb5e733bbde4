// The runbook picker (L): the runbooks in the open one's folder and in ./runbooks, with their latest session. Draws
// the picker state; keys and the listing are useRunbookPicker's.

import {Box, Text} from 'ink';
import type {LibraryEntry} from '../../session/runbook-library.js';
import {truncateStart} from '../../terminal/columns.js';
import {padEnd, truncate, width as textWidth, wrapWords} from '../text.js';
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

/**
 * The file and title columns: as wide as their longest entry while the line fits (no name is cut while blank columns
 * remain); when it does not, the file keeps about half of what the state leaves, the title the rest.
 */
function columnsOf(shown: LibraryEntry[], inner: number, current: string) {
  const file = Math.max(4, ...shown.map(e => textWidth(e.file)));
  const title = Math.max(5, ...shown.map(e => textWidth(e.title)));
  const state = Math.min(30, Math.max(0, ...shown.map(e => textWidth(stateOf(e, current)))));
  // The marker (2) and two spaces after each of the two columns.
  const room = Math.max(10, inner - 2 - 4 - state);
  if (file + title <= room) return {fileWidth: file, titleWidth: title};
  const fileWidth = Math.min(file, Math.max(Math.floor(room * 0.55), room - title));
  return {fileWidth, titleWidth: Math.max(5, Math.min(title, room - fileWidth))};
}

export function RunbookPicker({state, width, height}: {state: PickerState; width: number; height: number}) {
  const inner = Math.max(10, width - 4);
  // A notice (why a runbook cannot be read) is read whole: wrapped, never cut.
  const noticeLines = state.notice ? wrapWords(state.notice, inner) : [];
  const rows = Math.max(1, height - CHROME - noticeLines.length);
  const top = firstVisible(state.selected, state.entries.length, rows);
  const shown = state.entries.slice(top, top + rows);
  const {fileWidth, titleWidth} = columnsOf(shown, inner, state.current);
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
      {noticeLines.map((line, i) => (
        <Text key={`notice-${i}`} color={color(state.phase === 'failed' ? 'failed' : 'warn')} wrap="truncate-end">
          {line}
        </Text>
      ))}
    </Box>
  );
}

export type RunbookPickerFlowProps = UseRunbookPickerOptions & {width: number; height: number};

/** The picker with its keys and listing, for the App to mount while it is open (mounting reads the library). */
export function RunbookPickerFlow({width, height, ...options}: RunbookPickerFlowProps) {
  const {state} = useRunbookPicker(options);
  return <RunbookPicker state={state} width={width} height={height} />;
}
