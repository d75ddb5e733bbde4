// ROLLOUT [1/2] <workload> · rev N · tag: bars, kubectl's status line, history and recent events.
import {Box} from 'ink';
import type {ClusterSnapshot} from './cluster-snapshot.js';
import {PaneLines} from './pane-lines.js';
import {rolloutPaneLines} from './rollout-lines.js';

export interface RolloutPaneProps {
  snapshot: Pick<ClusterSnapshot, 'rollout' | 'deployment' | 'namespace' | 'error' | 'kind' | 'workloadIndex' | 'workloadCount' | 'hint'>;
  width: number;
  height: number;
}

export function RolloutPane({snapshot, width, height}: RolloutPaneProps) {
  return (
    <Box flexDirection="column" width={width} height={height} overflow="hidden">
      <PaneLines lines={rolloutPaneLines(snapshot, width, height)} height={height} />
    </Box>
  );
}
