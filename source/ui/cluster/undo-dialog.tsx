// The rollback dialog: draws the undo state; keys and API calls are useUndo's.
import {Box} from 'ink';
import {PaneLines} from './pane-lines.js';
import {undoDialogLines} from './undo-lines.js';
import type {UndoState} from './use-undo-state.js';

export interface UndoDialogProps {
  state: UndoState;
  width: number;
  height: number;
}

export function UndoDialog({state, width, height}: UndoDialogProps) {
  return (
    <Box flexDirection="column" width={width} height={height} overflow="hidden">
      <PaneLines lines={undoDialogLines(state, width, height)} height={height} />
    </Box>
  );
}
