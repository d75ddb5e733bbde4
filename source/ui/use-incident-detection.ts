// Watches what the screen shows for the first sign of a failure (session/failure-detection.ts) and records it once:
// the moment the app saw it is the moment the incident's clocks count from, whoever declares it and when.

import {useEffect} from 'react';
import type {SessionController} from '../session/controller.js';
import {noticeFailure, noticeRunFailure, pipelineFailure, podFailure, rolloutFailure} from '../session/failure-detection.js';
import type {ClusterSnapshot} from './cluster/cluster-snapshot.js';
import type {PipelineSnapshot} from './pipeline/pipeline-snapshot.js';

export function useIncidentDetection(controller: SessionController, cluster: ClusterSnapshot, pipeline: PipelineSnapshot, version: number) {
  const seen = controller.session.detected !== null || controller.session.resolved !== null || controller.readOnly;
  const pods = seen ? null : podFailure(cluster.pods);
  const rollout = seen ? null : rolloutFailure(cluster.rollout);
  const job = seen || !pipeline.configured ? null : pipelineFailure(pipeline);
  const first = pods ?? rollout ?? job;
  const key = first ? `${first.source}\0${first.what}` : '';
  useEffect(() => {
    if (!seen) noticeRunFailure(controller);
  }, [controller, seen, version]);
  useEffect(() => {
    if (first) noticeFailure(controller, first);
    // The key stands for `first`: recorded when what is seen changes, not at every frame.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [controller, key]);
}
