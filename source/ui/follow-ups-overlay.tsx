// F: the follow-ups after the deploy, over the body. ↑↓ choose, ⏎ ticks the chosen one after asking what was seen
// (⏎ records, Esc goes back), Esc or F closes. The tick is recorded by the controller like any note.

import {Box, Text, useInput} from 'ink';
import {type Dispatch, useRef, useState} from 'react';
import type {SessionController} from '../session/controller.js';
import type {FollowUpsRecord} from '../session/follow-ups.js';
import {localTime} from '../session/report-markdown.js';
import {truncateStart} from '../terminal/columns.js';
import {safeText} from '../terminal/safe-text.js';
import {followUpRows} from './follow-ups.js';
import {color} from './theme.js';
import {useFollowUps} from './use-follow-ups.js';
import type {ViewAction} from './use-session-view-state.js';

export interface FollowUpsOverlayProps {
  record: FollowUpsRecord | null;
  now: Date;
  width: number;
  height: number;
  /** Records the tick; false when it could not be (the status bar says why). */
  onTick: (id: string, note: string) => boolean;
  onClose: () => void;
}

export function FollowUpsOverlay({record, now, width, height, onTick, onClose}: FollowUpsOverlayProps) {
  const rows = record ? followUpRows(record, now) : [];
  const [cursor, setCursorState] = useState(() => Math.max(0, rows.findIndex(r => !r.done)));
  const [editing, setEditingState] = useState<string | null>(null);
  const [input, setInput] = useState('');
  // What the keys see is as of the last key, not the last render: a note and its Enter can arrive in one read.
  const latest = useRef({editing: null as string | null, note: '', cursor});
  const move = (delta: number) => setCursorState((latest.current.cursor = Math.max(0, Math.min(rows.length - 1, latest.current.cursor + delta))));
  const setEditing = (id: string | null) => setEditingState((latest.current.editing = id));
  const type = (text: string) => setInput((latest.current.note = text));
  useInput((typed, key) => {
    const {editing: id, note} = latest.current;
    if (id !== null) {
      if (key.escape) return setEditing(null);
      if (key.backspace || key.delete) return type([...note].slice(0, -1).join(''));
      if (typed && !key.ctrl && !key.meta && !key.return) type(note + typed.replace(/[\r\n]/g, ''));
      if ((key.return || /[\r\n]/.test(typed)) && onTick(id, latest.current.note)) setEditing(null);
      return;
    }
    if (key.escape || typed === 'F' || typed === 'q') return onClose();
    if (key.downArrow || typed === 'j') return move(1);
    if (key.upArrow || typed === 'k') return move(-1);
    const chosen = rows[latest.current.cursor];
    if (key.return && chosen && !chosen.done) {
      setEditing(chosen.id);
      type('');
    }
  });
  const inner = Math.max(10, width - 4);
  const title = record ? `Follow-ups after the deploy (completed ${localTime(record.from).slice(0, 16)})` : 'Follow-ups';
  const hint = editing !== null ? `What did ${safeText(editing)} show? ⏎ records the tick · Esc back` : '↑↓ choose · ⏎ tick with a note · Esc close';
  const listRows = Math.max(1, height - 2 - 3);
  const first = Math.max(0, Math.min(cursor - Math.floor(listRows / 2), rows.length - listRows));
  return (
    <Box flexDirection="column" borderStyle="round" borderColor={color('accent')} width={width} height={height} paddingX={1}>
      <Text bold wrap="truncate-end">{safeText(title)}</Text>
      {record ? null : <Text color={color('muted')}>The schedule starts when the runbook’s deploy step is done.</Text>}
      {rows.slice(first, first + listRows).map((row, i) => (
        <Text key={row.id} wrap="truncate-end" color={color(row.tone)} inverse={first + i === cursor}>
          {row.text}
        </Text>
      ))}
      <Box flexGrow={1} />
      {editing !== null ? <Text wrap="truncate-end">{`› ${truncateStart(safeText(input), Math.max(1, inner - 3))}`}<Text inverse> </Text></Text> : null}
      <Text color={color('muted')} wrap="truncate-end">{hint}</Text>
    </Box>
  );
}

/** The follow-ups for the session screen: the status bar's line, whether F's list is open, and the list itself. */
export function useFollowUpsPanel(controller: SessionController, dispatch: Dispatch<ViewAction>, version: number) {
  const [open, setOpen] = useState(false);
  const view = useFollowUps(controller, dispatch, version);
  const overlay = (width: number, height: number) =>
    open ? <FollowUpsOverlay record={view.record} now={view.now} width={width} height={height} onTick={(id, note) => controller.tickFollowUp(id, note)} onClose={() => setOpen(false)} /> : null;
  return {open, show: () => setOpen(true), status: view.status, overlay};
}
