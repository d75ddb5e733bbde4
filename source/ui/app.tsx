// The guided session screen: outline | step (+ output) with a header and a status bar. Layout and composition
// only: the domain is in the controller and its services (session/session-actions.ts), the screen's own state in
// the view reducer, keys in the key maps (key-map.ts) that useSessionKeys resolves to actions (session-commands.ts).

import {Box} from 'ink';
import {useEffect, useMemo, useRef, useState, useSyncExternalStore} from 'react';
import type {SessionController} from '../session/controller.js';
import {SessionActions} from '../session/session-actions.js';
import {declaredIncident, progressOf, stepStatus, type RunRecord} from '../session/session-state.js';
import {ClientsProvider} from './clients-context.js';
import {panesLayout, type PanesLayout} from './cluster/panes-layout.js';
import {useCluster} from './cluster/use-cluster.js';
import {usePanesTarget} from './cluster/use-panes-target.js';
import type {RunbookSwitch} from './library/use-runbook-picker.js';
import {Outline, type OutlineRow} from './outline.js';
import {breadcrumbOf, fitBreadcrumb, outlineOf} from './outline-rows.js';
import {OutputPane} from './output-pane.js';
import {outputView} from './output-view.js';
import {reviewableRun} from './pipeline/pipeline-snapshot.js';
import {usePipeline} from './pipeline/use-pipeline.js';
import {PanesStrip, Rule, SidePanes, StepHeading} from './session-panes.js';
import {Header, headerTarget, StatusBar, type Target} from './status-bar.js';
import {StepBody} from './step-body.js';
import {blockStates, failedHint, followFocus, pipelineTarget, undoTarget} from './step-frame.js';
import {actionableIds, stepLines} from './step-lines.js';
import {width as textWidth, wrapWords} from './text.js';
import {useSessionKeys} from './use-session-keys.js';
import {useClock, useReadOnlyFollow} from './use-session-timers.js';
import {useSessionView, type ViewState} from './use-session-view-state.js';
import {useTerminalSize} from './use-terminal-size.js';

export interface AppProps {
  controller: SessionController;
  /** Read at each render: the target changes when a rehearsal's sandbox comes up. */
  target: () => Target;
  initialView: ViewState;
  /** The view outlives the component: the CLI remounts the app after handing the terminal to a command. */
  onView: (view: ViewState) => void;
  onQuit: () => void;
  /** L: switch to another runbook without quitting (absent: the key does nothing). */
  runbooks?: RunbookSwitch;
}

const clamp = (n: number, lo: number, hi: number) => Math.max(lo, Math.min(hi, n));

/** The session screen, with the session's connections (one per system) for every hook in it. */
export function App(props: AppProps) {
  return (
    <ClientsProvider clients={props.controller.clients}>
      <SessionScreen {...props} />
    </ClientsProvider>
  );
}

function SessionScreen({controller, target, initialView, onView, onQuit, runbooks}: AppProps) {
  const version = useSyncExternalStore(controller.subscribe, controller.snapshot);
  const {columns, rows} = useTerminalSize();
  const [view, dispatch, latest] = useSessionView(initialView);
  const actions = useMemo(() => new SessionActions(controller), [controller]);
  const session = controller.session;
  const active = controller.activeRun;
  const incident = declaredIncident(session);
  const steps = controller.steps;
  const step = steps[view.stepIndex]!;
  const [picking, setPicking] = useState(false);

  useEffect(() => onView(view), [view, onView]);
  // The session's current step is the one on screen.
  useEffect(() => controller.enterStep(step.id), [controller, step.id]);
  useReadOnlyFollow(controller);
  useClock(active !== null || incident !== null, `${active?.runId ?? ''}\0${incident?.at ?? ''}`);

  // Layout: one line each for header and status bar, and one spare row so Ink never clears the whole screen.
  const bodyHeight = Math.max(6, rows - 3);
  const outlineWidth = view.outline && columns >= 60 ? clamp(Math.floor(columns * 0.3), 24, 38) : 0;
  // The panes follow the step's namespace and workload (else the last step's, the front matter's, the runbook's).
  const env = controller.shell().env;
  const inView = usePanesTarget({
    targets: controller.runbook.targets,
    stepId: step.id,
    ranIn: session.runs.map(r => r.stepId),
    answers: env,
    keysActive: !view.modal && !view.undo && !view.approval && !picking,
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

  let panes: PanesLayout = panesLayout({columns, bodyHeight, shown: view.panes, configured: cluster.configured, reserved: outlineWidth ? outlineWidth + 1 : 0});
  const paneWidth = columns - outlineWidth - (outlineWidth ? 1 : 0) - (panes.mode === 'side' ? panes.width + 1 : 0);
  // Under the step, the strip shares the step's column, not the whole width.
  if (panes.mode === 'below') panes = panesLayout({columns: paneWidth, bodyHeight, shown: view.panes, configured: cluster.configured});
  const stepColumnHeight = panes.mode === 'below' ? panes.stepHeight : bodyHeight;

  const runsOfStep = session.runs.filter(r => r.stepId === step.id);
  const focusIds = useMemo(() => actionableIds(step), [step]);
  const focusId = focusIds[view.focus] ?? null;
  const shownRun: RunRecord | undefined = runsOfStep[runsOfStep.length - 1 - view.runBack];
  const output = outputView(shownRun, active && active.stepId === step.id && view.runBack === 0 ? active : null, runsOfStep.length, view.runBack);
  const outputHeight = output ? clamp(Math.floor(stepColumnHeight * 0.4), 4, 14) : 0;

  const status = stepStatus(session, step);
  const stepSuffix = `  ${view.stepIndex + 1}/${steps.length} · ${status.replace('-', ' ')}`;
  const hint = status === 'failed' ? failedHint(Boolean(controller.runbook.rollback), incident !== null) : null;
  const notice = controller.saveError ? {text: controller.saveError, tone: 'failed' as const} : view.message;
  // A notice is read, not glanced at: up to three wrapped lines.
  const noticeLines = notice ? wrapWords(notice.text, paneWidth - 2).slice(0, 3) : [];
  const stepHeight = Math.max(1, stepColumnHeight - outputHeight - (1 + (hint ? 1 : 0) + noticeLines.length));

  const history = cluster.rollout?.history ?? [];
  const blockState = blockStates(session, step.id, active);
  const {lines, actionables} = stepLines(step, {width: paneWidth, checks: session.checks, blockState, focusId, cluster: cluster.configured, github: pipeline.configured, undoTo: undoTarget(history)});
  const focused = actionables.find(a => a.id === focusId);
  const scrollMax = Math.max(0, lines.length - stepHeight);
  const top = view.scroll ?? followFocus(focused, stepHeight, scrollMax);
  // `version` is the controller's change counter: the controller is mutable, so the outline is computed again when
  // the session changes, and only then (a 9,000-step outline on every frame would not do).
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const outlineRows: OutlineRow[] = useMemo(() => outlineOf(controller, step.id), [controller, step.id, version]);

  useSessionKeys({
    controller,
    actions,
    view: latest,
    dispatch,
    scrollMax,
    pageSize: Math.max(1, stepHeight - 2),
    onQuit,
    active: !view.undo && !(view.approval && review) && !picking,
    ...(runbooks ? {openRunbooks: () => setPicking(true)} : {}),
    cluster: {configured: cluster.configured, podsTotal: cluster.podsTotal},
    reviewable: review !== null,
    facts: () => ({history}),
  });
  // The rollback dialog reports twice: the patch (or its refusal), then how the rollout ended.
  const undoReports = useRef(0);

  return (
    <Box flexDirection="column" width={columns} height={rows - 1}>
      <Header title={controller.runbook.title} target={headerTarget(target(), cluster.namespace)} width={columns} />
      <Box flexDirection="row" height={bodyHeight}>
        {outlineWidth ? <Outline rows={outlineRows} width={outlineWidth} height={bodyHeight} /> : null}
        {outlineWidth ? <Rule height={bodyHeight} /> : null}
        <Box flexDirection="column" width={paneWidth} height={bodyHeight} overflow="hidden">
          <StepHeading
            status={status}
            breadcrumb={fitBreadcrumb(breadcrumbOf(controller, step.id), paneWidth - 4 - textWidth(stepSuffix))}
            suffix={stepSuffix}
            hint={hint}
            notice={notice ? {lines: noticeLines, tone: notice.tone} : null}
          />
          <StepBody
            view={view}
            review={review}
            picker={picking && runbooks ? {runbooks, onClose: () => setPicking(false)} : null}
            cluster={cluster}
            env={env}
            onApproval={r => actions.recordApproval(step.id, r)}
            onApprovalClose={() => dispatch({type: 'approval', open: false})}
            onUndo={e => actions.recordUndo(step.id, e, undoReports.current++ === 0)}
            onUndoClose={() => {
              undoReports.current = 0;
              dispatch({type: 'undo', open: false});
            }}
            lines={lines.slice(top)}
            width={paneWidth}
            height={stepHeight}
            dialogHeight={stepHeight + outputHeight}
          />
          {output && view.modal?.kind !== 'help' && !view.undo && !view.approval ? <OutputPane view={output} width={paneWidth} height={outputHeight} /> : null}
          {panes.mode === 'below' ? <PanesStrip panes={panes} cluster={cluster} podsOffset={view.podsOffset} /> : null}
        </Box>
        {panes.mode === 'side' ? <Rule height={bodyHeight} /> : null}
        {panes.mode === 'side' ? <SidePanes panes={panes} cluster={cluster} pipeline={pipeline} podsOffset={view.podsOffset} /> : null}
      </Box>
      <StatusBar progress={progressOf(session, steps)} running={active !== null} width={columns} />
    </Box>
  );
}
