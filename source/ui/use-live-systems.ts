// The live systems beside the session: the cluster the panes look at (following the step's namespace and workload,
// else the last step's, the front matter's, the runbook's) and the pipeline's run, with the run that waits on a
// review. The hooks subscribe; the watchers are outside React.

import {type Dispatch, useEffect} from 'react';
import type {SessionController} from '../session/controller.js';
import {useCluster} from './cluster/use-cluster.js';
import {usePanesTarget} from './cluster/use-panes-target.js';
import {reviewableRun} from './pipeline/pipeline-snapshot.js';
import {usePipeline} from './pipeline/use-pipeline.js';
import {pipelineTarget} from './step-frame.js';
import type {ViewAction, ViewState} from './use-session-view-state.js';

export interface LiveSystemsOptions {
  controller: SessionController;
  view: ViewState;
  dispatch: Dispatch<ViewAction>;
  /** The runbook picker is open (it has the keys). */
  picking: boolean;
}

export function useLiveSystems({controller, view, dispatch, picking}: LiveSystemsOptions) {
  const step = controller.steps[view.stepIndex]!;
  const env = controller.shell().env;
  const inView = usePanesTarget({
    targets: controller.runbook.targets,
    stepId: step.id,
    ranIn: controller.session.runs.map(r => r.stepId),
    answers: env,
    keysActive: !view.modal && !view.inspect && !view.undo && !view.approval && !picking,
    onNotice: text => dispatch({type: 'message', text, tone: 'muted'}),
  });
  const cluster = useCluster({env, namespace: inView.namespace, workload: inView.workload, position: inView.position, window: {offset: view.podsOffset, rows: 60}});
  const pipeline = usePipeline({env, ...pipelineTarget(controller, step.id)});
  const review = reviewableRun(pipeline);
  // The run may stop waiting while the dialog is open (approved elsewhere, or done): then the dialog is gone.
  const approvalGone = view.approval && !review;
  useEffect(() => {
    if (approvalGone) dispatch({type: 'approval', open: false});
  }, [approvalGone, dispatch]);
  // The pod selected in PODS (J K) is drawn by the pane, whose snapshot carries it.
  return {env, cluster: view.podSelected ? {...cluster, podSelected: view.podSelected} : cluster, pipeline, review};
}
