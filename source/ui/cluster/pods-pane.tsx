// PODS <namespace> with the data's freshness, kubectl's columns fitted to the width, k9s's colours.
import {Box} from 'ink';
import type {ClusterSnapshot} from './cluster-snapshot.js';
import {PaneLines} from './pane-lines.js';
import {podsPaneLines} from './pods-lines.js';

export interface PodsPaneProps {
  snapshot: ClusterSnapshot;
  width: number;
  height: number;
  /** First pod row shown (clamped); the same value should be given to useCluster's `window`. */
  offset?: number;
}

export function PodsPane({snapshot, width, height, offset = 0}: PodsPaneProps) {
  return (
    <Box flexDirection="column" width={width} height={height} overflow="hidden">
      <PaneLines lines={podsPaneLines(snapshot, width, height, offset)} height={height} />
    </Box>
  );
}
