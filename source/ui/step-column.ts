// The step's column, computed from the session and the view: its heading (status, hint, notice), the step's lines
// and where they scroll, and the output under them. Pure: the screen draws what this returns.

import type {SessionController} from '../session/controller.js';
import type {RunbookNode} from '../runbook/model.js';
import {declaredIncident, stepStatus, type RunRecord} from '../session/session-state.js';
import {nativeRemedy, purposeHint, statusWords} from '../session/step-purpose.js';
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
  const output = outputView(shownRun, active && active.stepId === step.id && view.runBack === 0 ? active : null, runsOfStep.length, view.runBack, {github});

  const status = stepStatus(session, step);
  const stepSuffix = `  ${view.stepIndex + 1}/${controller.steps.length} · ${statusWords(session, step, status)}`;
  const native = status === 'failed' ? nativeRemedy(session, step, {github, cluster: cluster.configured}) : null;
  const hint = status === 'failed' ? failedHint(Boolean(controller.runbook.rollback), declaredIncident(session) !== null, native) : null;
  // What does a step of templates or of triggers, until it is done: said where messages go, when none is shown.
  const purpose = purposeHint(session, step, status);
  const notice = controller.saveError ? {text: controller.saveError, tone: 'failed' as const} : (view.message ?? (purpose ? {text: purpose, tone: 'muted' as const} : null));
  // A hint or a notice is read, not glanced at: wrapped whole, never cut (a notice of a page takes half the column).
  const hintLines = hint ? wrapWords(hint, paneWidth - 2) : [];
  const noticeLines = notice ? wrapWords(notice.text, paneWidth - 2).slice(0, Math.max(4, Math.floor(layout.stepColumnHeight / 2))) : [];
  const {outputHeight, stepHeight} = stepHeightsOf(layout, {output: output !== null, headingLines: 1 + hintLines.length + noticeLines.length});

  const history = cluster.rollout?.history ?? [];
  const blockState = blockStates(session, step.id, active);
  const {lines, actionables} = stepLines(step, {width: paneWidth, checks: session.checks, blockState, focusId, cluster: cluster.configured, github, undoTo: undoTarget(history)});
  const focused = actionables.find(a => a.id === focusId);
  const scrollMax = Math.max(0, lines.length - stepHeight);
  const top = view.scroll ?? followFocus(focused, stepHeight, scrollMax);
  return {status, stepSuffix, hintLines, notice, noticeLines, output, outputHeight, stepHeight, lines, scrollMax, top};
}
