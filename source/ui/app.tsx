// The guided session screen: outline | step (+ output) with a header and a status bar. Layout and composition
// only: the domain is in the controller and its services (session/session-actions.ts), the screen's own state in
// the view reducer, keys in the key maps (key-map.ts) that useSessionKeys resolves to actions (session-commands.ts).

import {Box} from 'ink';
import {type Dispatch, useEffect, useMemo, useRef, useState, useSyncExternalStore} from 'react';
import type {RunbookNode} from '../runbook/model.js';
import type {SessionController} from '../session/controller.js';
import {SessionActions} from '../session/session-actions.js';
import {declaredIncident, progressOf} from '../session/session-state.js';
import {ClientsProvider} from './clients-context.js';
import type {RunbookSwitch} from './library/use-runbook-picker.js';
import {Outline, type OutlineRow} from './outline.js';
import {breadcrumbOf, fitBreadcrumb, outlineOf} from './outline-rows.js';
import {OutputPane} from './output-pane.js';
import {PanesStrip, Rule, SidePanes, StepHeading} from './session-panes.js';
import {Header, headerTarget, StatusBar, type Target} from './status-bar.js';
import {StepBody, type StepBodyProps} from './step-body.js';
import {actionableIds} from './step-lines.js';
import {width as textWidth} from './text.js';
import {layoutOf, type ScreenLayout} from './screen-layout.js';
import {stepColumnOf} from './step-column.js';
import {useLiveSystems} from './use-live-systems.js';
import {useSessionKeys} from './use-session-keys.js';
import {useClock, useReadOnlyFollow} from './use-session-timers.js';
import {useSessionView, type ViewAction, type ViewState} from './use-session-view-state.js';
import type {ClusterSnapshot} from './cluster/cluster-snapshot.js';
import type {UndoRecord} from './cluster/use-undo.js';
import type {ApprovalRecord} from './pipeline/use-approval.js';
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
  const steps = controller.steps;
  const step = steps[view.stepIndex]!;
  const [picking, setPicking] = useState(false);

  useEffect(() => onView(view), [view, onView]);
  useSessionTimers(controller);

  const {env, cluster, pipeline, review} = useLiveSystems({controller, view, dispatch, picking});
  const layout = layoutOf({columns, rows}, {outline: view.outline, panes: view.panes, configured: cluster.configured});
  const {bodyHeight, outlineWidth, panes} = layout;

  const focusIds = useMemo(() => actionableIds(step), [step]);
  const column = stepColumnOf({controller, view, step, focusIds, layout, cluster, github: pipeline.configured});
  // `version` is the controller's change counter: the controller is mutable, so the outline is computed again when
  // the session changes, and only then (a 9,000-step outline on every frame would not do).
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const outlineRows: OutlineRow[] = useMemo(() => outlineOf(controller, step.id), [controller, step.id, version]);

  const history = cluster.rollout?.history ?? [];
  useSessionKeys({
    controller,
    actions,
    view: latest,
    dispatch,
    scrollMax: column.scrollMax,
    pageSize: Math.max(1, column.stepHeight - 2),
    onQuit,
    active: !view.undo && !(view.approval && review) && !picking,
    ...(runbooks ? {openRunbooks: () => setPicking(true)} : {}),
    cluster: {configured: cluster.configured, podsTotal: cluster.podsTotal},
    reviewable: review !== null,
    facts: () => ({history}),
  });
  const dialogs = useDialogRecords(actions, step.id, dispatch);

  return (
    <Box flexDirection="column" width={columns} height={rows - 1}>
      <Header title={controller.runbook.title} target={headerTarget(target(), cluster.namespace)} width={columns} />
      <Box flexDirection="row" height={bodyHeight}>
        {outlineWidth ? <Outline rows={outlineRows} width={outlineWidth} height={bodyHeight} /> : null}
        {outlineWidth ? <Rule height={bodyHeight} /> : null}
        <StepColumn controller={controller} step={step} view={view} column={column} layout={layout} review={review} picker={picking && runbooks ? {runbooks, onClose: () => setPicking(false)} : null} cluster={cluster} env={env} dialogs={dialogs} />
        {panes.mode === 'side' ? <Rule height={bodyHeight} /> : null}
        {panes.mode === 'side' ? <SidePanes panes={panes} cluster={cluster} pipeline={pipeline} podsOffset={view.podsOffset} /> : null}
      </Box>
      <StatusBar progress={progressOf(session, steps)} running={controller.activeRun !== null} width={columns} />
    </Box>
  );
}

/** The clocks that make the screen look again: a read-only view's reload, a running command's and an incident's. */
function useSessionTimers(controller: SessionController) {
  const active = controller.activeRun;
  const incident = declaredIncident(controller.session);
  useReadOnlyFollow(controller);
  useClock(active !== null || incident !== null, `${active?.runId ?? ''}\0${incident?.at ?? ''}`);
}

/** What the dialogs tell the session, and their closing. */
function useDialogRecords(actions: SessionActions, stepId: string, dispatch: Dispatch<ViewAction>) {
  // The rollback dialog reports twice: the patch (or its refusal), then how the rollout ended.
  const undoReports = useRef(0);
  return {
    onApproval: (r: ApprovalRecord) => actions.recordApproval(stepId, r),
    onApprovalClose: () => dispatch({type: 'approval', open: false}),
    onUndo: (e: UndoRecord) => actions.recordUndo(stepId, e, undoReports.current++ === 0),
    onUndoClose: () => {
      undoReports.current = 0;
      dispatch({type: 'undo', open: false});
    },
  };
}

interface StepColumnProps {
  controller: SessionController;
  step: RunbookNode;
  view: ViewState;
  column: ReturnType<typeof stepColumnOf>;
  layout: ScreenLayout;
  review: StepBodyProps['review'];
  picker: StepBodyProps['picker'];
  cluster: ClusterSnapshot;
  env: StepBodyProps['env'];
  dialogs: ReturnType<typeof useDialogRecords>;
}

/** The step's column: its heading, the step (or a dialog over it), its output, and the panes' strip under it. */
function StepColumn({controller, step, view, column, layout, review, picker, cluster, env, dialogs}: StepColumnProps) {
  const {status, stepSuffix, hint, notice, noticeLines, output, outputHeight, stepHeight, lines, top} = column;
  const {bodyHeight, panes, paneWidth} = layout;
  return (
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
        picker={picker}
        cluster={cluster}
        env={env}
        {...dialogs}
        lines={lines.slice(top)}
        width={paneWidth}
        height={stepHeight}
        dialogHeight={stepHeight + outputHeight}
      />
      {output && view.modal?.kind !== 'help' && !view.undo && !view.approval ? <OutputPane view={output} width={paneWidth} height={outputHeight} /> : null}
      {panes.mode === 'below' ? <PanesStrip panes={panes} cluster={cluster} podsOffset={view.podsOffset} /> : null}
    </Box>
  );
}
