// PIPELINE <workflow> · #<number>: the run's jobs with gh's icons and durations, the approval marker
// on the job waiting on an environment, and the run's outcome. Exactly `height` rows, cut to `width`.
import {Box} from 'ink';
import {PaneLines} from '../cluster/pane-lines.js';
import {pipelinePaneLines} from './pipeline-lines.js';
import type {PipelineSnapshot} from './pipeline-snapshot.js';

export interface PipelinePaneProps {
  snapshot: PipelineSnapshot;
  width: number;
  height: number;
}

export function PipelinePane({snapshot, width, height}: PipelinePaneProps) {
  return (
    <Box flexDirection="column" width={width} height={height} overflow="hidden">
      <PaneLines lines={pipelinePaneLines(snapshot, width, height)} height={height} />
    </Box>
  );
}
