// The parts of the session screen around the step: the rule between columns, the cluster and pipeline panes beside
// the step or under it, and the step's heading (status, breadcrumb, a failed step's hint, notices).

import {Box, Text} from 'ink';
import type {ClusterSnapshot} from './cluster/cluster-snapshot.js';
import type {PanesLayout} from './cluster/panes-layout.js';
import {PodsPane} from './cluster/pods-pane.js';
import {RolloutPane} from './cluster/rollout-pane.js';
import {PipelinePane} from './pipeline/pipeline-pane.js';
import type {PipelineSnapshot} from './pipeline/pipeline-snapshot.js';
import {color, STATUS_ICON, STATUS_TONE, type Tone} from './theme.js';
import type {StepStatus} from '../session/events.js';

export function Rule({height}: {height: number}) {
  return (
    <Box flexDirection="column" width={1}>
      {Array.from({length: height}, (_, i) => (
        <Text key={i} color={color('muted')}>
          │
        </Text>
      ))}
    </Box>
  );
}

type Side = Extract<PanesLayout, {mode: 'side'}>;
type Below = Extract<PanesLayout, {mode: 'below'}>;

/** Beside the step: pods over the rollout (and the pipeline, when GitHub is configured). */
export function SidePanes({panes, cluster, pipeline, podsOffset}: {panes: Side; cluster: ClusterSnapshot; pipeline: PipelineSnapshot; podsOffset: number}) {
  const {rollout} = panes;
  return (
    <Box flexDirection="column" width={panes.width}>
      <PodsPane snapshot={cluster} width={panes.pods.width} height={panes.pods.height} offset={podsOffset} />
      {pipeline.configured ? (
        <>
          <RolloutPane snapshot={cluster} width={rollout.width} height={Math.ceil(rollout.height / 2)} />
          <PipelinePane snapshot={pipeline} width={rollout.width} height={Math.floor(rollout.height / 2)} />
        </>
      ) : (
        <RolloutPane snapshot={cluster} width={rollout.width} height={rollout.height} />
      )}
    </Box>
  );
}

/** Under the step: pods, and the rollout beside them when there is room (over the pipeline, when GitHub is configured). */
export function PanesStrip({panes, cluster, pipeline, podsOffset}: {panes: Below; cluster: ClusterSnapshot; pipeline: PipelineSnapshot; podsOffset: number}) {
  const {rollout} = panes;
  return (
    <Box flexDirection="row" height={panes.height} flexShrink={0}>
      <PodsPane snapshot={cluster} width={panes.pods.width} height={panes.pods.height} offset={podsOffset} />
      {rollout ? (
        <>
          <Box width={1} />
          <Box flexDirection="column" width={rollout.width}>
            {pipeline.configured ? (
              <>
                <RolloutPane snapshot={cluster} width={rollout.width} height={Math.ceil(rollout.height / 2)} />
                <PipelinePane snapshot={pipeline} width={rollout.width} height={Math.floor(rollout.height / 2)} />
              </>
            ) : (
              <RolloutPane snapshot={cluster} width={rollout.width} height={rollout.height} />
            )}
          </Box>
        </>
      ) : null}
    </Box>
  );
}

export interface StepHeadingProps {
  status: StepStatus;
  breadcrumb: string;
  suffix: string;
  /** A failed step's hint, wrapped to the column: never cut. */
  hintLines: string[];
  notice: {lines: string[]; tone: Tone} | null;
}

export function StepHeading({status, breadcrumb, suffix, hintLines, notice}: StepHeadingProps) {
  return (
    <>
      <Text wrap="truncate-end">
        <Text color={color(STATUS_TONE[status])}>{` ${STATUS_ICON[status]} `}</Text>
        <Text bold>{breadcrumb}</Text>
        <Text color={color('muted')}>{suffix}</Text>
      </Text>
      {hintLines.map((line, i) => (
        <Text key={`hint-${i}`} color={color('failed')} wrap="truncate-end">
          {` ${line}`}
        </Text>
      ))}
      {notice?.lines.map((line, i) => (
        <Text key={`notice-${i}`} color={color(notice.tone)} wrap="truncate-end">
          {` ${line}`}
        </Text>
      ))}
    </>
  );
}
