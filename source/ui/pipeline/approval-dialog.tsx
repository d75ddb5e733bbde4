// The approval dialog: draws the approval state; keys and API calls are useApproval's.
import {Box} from 'ink';
import {PaneLines} from '../cluster/pane-lines.js';
import {approvalDialogLines} from './approval-lines.js';
import type {ApprovalState} from './use-approval-state.js';

export interface ApprovalDialogProps {
  state: ApprovalState;
  width: number;
  height: number;
  /** What the title names the run by, e.g. `CI/CD Full Cycle #318` (default `run <id>`). */
  title?: string;
}

export function ApprovalDialog({state, width, height, title}: ApprovalDialogProps) {
  return (
    <Box flexDirection="column" width={width} height={height} overflow="hidden">
      <PaneLines lines={approvalDialogLines(state, width, height, title)} height={height} />
    </Box>
  );
}
