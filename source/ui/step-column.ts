// The step's column, computed from the session and the view: its heading (status, hint, notice), the step's lines
// and where they scroll, and the output under them. Pure: the screen draws what this returns.

import type {SessionController} from '../session/controller.js';
import type {RunbookNode} from '../runbook/model.js';
import {declaredIncident, stepStatus, type RunRecord} from '../session/session-state.js';
import type {ClusterSnapshot} from './cluster/cluster-snapshot.js';
import {outputView} from './output-view.js';
import {stepHeightsOf, type ScreenLayout} from './screen-layout.js';
import {blockStates, failedHint, followFocus, undoTarget} from './step-frame.js';
import {stepLines} from './step-lines.js';
import {wrapWords} from './text.js';
import type {ViewState} from './use-session-view-state.js';

export interface StepColumnInput {
  controller: SessionController;
  view: ViewState;
  step: RunbookNode;
  focusIds: string[];
  layout: ScreenLayout;
  cluster: Pick<ClusterSnapshot, 'configured' | 'rollout'>;
  github: boolean;
}

export function stepColumnOf({controller, view, step, focusIds, layout, cluster, github}: StepColumnInput) {
  const {session, activeRun: active} = controller;
  const paneWidth = layout.paneWidth;
  const runsOfStep = session.runs.filter(r => r.stepId === step.id);
  const focusId = focusIds[view.focus] ?? null;
  const shownRun: RunRecord | undefined = runsOfStep[runsOfStep.length - 1 - view.runBack];
  const output = outputView(shownRun, active && active.stepId === step.id && view.runBack === 0 ? active : null, runsOfStep.length, view.runBack);

  const status = stepStatus(session, step);
  const stepSuffix = `  ${view.stepIndex + 1}/${controller.steps.length} · ${status.replace('-', ' ')}`;
  const hint = status === 'failed' ? failedHint(Boolean(controller.runbook.rollback), declaredIncident(session) !== null) : null;
  const notice = controller.saveError ? {text: controller.saveError, tone: 'failed' as const} : view.message;
  // A notice is read, not glanced at: up to three wrapped lines.
  const noticeLines = notice ? wrapWords(notice.text, paneWidth - 2).slice(0, 3) : [];
  const {outputHeight, stepHeight} = stepHeightsOf(layout, {output: output !== null, headingLines: 1 + (hint ? 1 : 0) + noticeLines.length});

  const history = cluster.rollout?.history ?? [];
  const blockState = blockStates(session, step.id, active);
  const {lines, actionables} = stepLines(step, {width: paneWidth, checks: session.checks, blockState, focusId, cluster: cluster.configured, github, undoTo: undoTarget(history)});
  const focused = actionables.find(a => a.id === focusId);
  const scrollMax = Math.max(0, lines.length - stepHeight);
  const top = view.scroll ?? followFocus(focused, stepHeight, scrollMax);
  return {status, stepSuffix, hint, notice, noticeLines, output, outputHeight, stepHeight, lines, scrollMax, top};
}
