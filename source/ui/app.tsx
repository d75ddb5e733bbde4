// The guided session screen: a header (and on a new session's first screen a line saying where to start), an open
// prompt over the whole width, the body (outline | step (+ output) | panes, or the help or a dialog: screen-body.tsx)
// and a status bar. Where each goes is screen-layout.ts's. Layout and composition only: the domain is in the controller and its services (session/session-actions.ts), the screen's own state in
// the view reducer, keys in the key maps (key-map.ts) that useSessionKeys resolves to actions (session-commands.ts).

import {Box} from 'ink';
import {type Dispatch, useEffect, useLayoutEffect, useMemo, useRef, useState, useSyncExternalStore} from 'react';
import type {SessionController} from '../session/controller.js';
import {SessionActions} from '../session/session-actions.js';
import {declaredIncident, progressOf} from '../session/session-state.js';
import {ClientsProvider} from './clients-context.js';
import type {UndoRecord} from './cluster/use-undo.js';
import {introLine, runbookPurpose} from './first-screen.js';
import {helpScroll} from './help.js';
import type {RunbookSwitch} from './library/use-runbook-picker.js';
import {LinesView} from './lines-view.js';
import type {OutlineRow} from './outline.js';
import {outlineOf} from './outline-rows.js';
import type {ApprovalRecord} from './pipeline/use-approval.js';
import {Prompt, promptHeight} from './prompt.js';
import {ScreenBody} from './screen-body.js';
import {layoutOf, shownNow} from './screen-layout.js';
import {Header, headerTarget, StatusBar, type Target} from './status-bar.js';
import {stepColumnOf} from './step-column.js';
import {actionableIds, type Line} from './step-lines.js';
import {podsInView} from './cluster/pod-commands.js';
import {usePodInspect} from './cluster/use-pod-view.js';
import {useIncidentDetection} from './use-incident-detection.js';
import {useLiveSystems} from './use-live-systems.js';
import {useSessionKeys} from './use-session-keys.js';
import type {Wheel} from '../share/types.js';
import {useWheel, wheelKeyHint} from './use-wheel-notices.js';
import {useFollowUpsPanel} from './follow-ups-overlay.js';
import {useClock, useReadOnlyFollow} from './use-session-timers.js';
import {useSessionView, type ViewAction, type ViewState} from './use-session-view-state.js';
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
  /** The shared session's wheel (runbook FILE --share, runbook join): T and B, and what changes of it are said. */
  wheel?: Wheel;
}

/** The session screen, with the session's connections (one per system) for every hook in it. */
export function App(props: AppProps) {
  return (
    <ClientsProvider clients={props.controller.clients}>
      <SessionScreen {...props} />
    </ClientsProvider>
  );
}

function SessionScreen({controller, target, initialView, onView, onQuit, runbooks, wheel}: AppProps) {
  const version = useSyncExternalStore(controller.subscribe, controller.snapshot);
  const {columns, rows} = useTerminalSize();
  const [view, dispatch, latest] = useSessionView(initialView);
  const actions = useMemo(() => new SessionActions(controller), [controller]);
  const session = controller.session;
  const steps = controller.steps;
  const step = steps[view.stepIndex]!;
  const [picking, setPicking] = useState(false);
  const followUps = useFollowUpsPanel(controller, dispatch, version);

  useEffect(() => onView(view), [view, onView]);
  // An interactive block unmounts the screen from a key handler, before React has rendered the keys typed just before
  // it: the view comes back as the reducer's latest copy has it, not as last rendered.
  useLayoutEffect(() => () => onView(latest()), [latest, onView]);
  useSessionTimers(controller);
  useWheel(wheel, dispatch, {at: steps.findIndex(s => s.id === session.currentStepId), steps: steps.length});

  const {env, cluster, pipeline, review} = useLiveSystems({controller, view, dispatch, picking});
  useIncidentDetection(controller, cluster, pipeline, version);
  const purpose = useMemo(() => runbookPurpose(controller.runbook), [controller]);
  const top = topRows({view, columns, rows, intro: view.intro ? introLine(purpose, steps.length, columns) : null});
  const layout = layoutOf({columns, rows}, {outline: view.outline, panes: view.panes, configured: cluster.configured, above: top.height});
  const inspect = usePodInspect(view.inspect ?? null, env, {width: columns, height: layout.bodyHeight});

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
    active: !view.undo && !(view.approval && review) && !picking && !followUps.open, openFollowUps: followUps.show,
    // Opening the picker is a move too: the first screen's hint goes (closing no prompt, as none is open).
    ...(runbooks ? {openRunbooks: () => (setPicking(true), dispatch({type: 'close'}))} : {}),
    cluster: {configured: cluster.configured, podsTotal: cluster.podsTotal},
    pods: podsInView(cluster, layout.panes),
    ...(inspect ? {inspect: inspect.keys} : {}),
    reviewable: review !== null,
    facts: () => ({history, screen: {runUrl: pipeline.run?.htmlUrl ?? null, pods: cluster.rollout ? {ready: cluster.rollout.counts.ready, desired: cluster.rollout.counts.desired} : null}}),
    shown: shownNow(layout),
    ...(wheel ? {wheel} : {}),
    ...(view.modal?.kind === 'help' ? {help: helpScroll(columns, layout.bodyHeight)} : {}),
  });
  const dialogs = useDialogRecords(actions, step.id, dispatch);
  const picker = picking && runbooks ? {runbooks, onClose: () => setPicking(false)} : null;

  return (
    <Box flexDirection="column" width={columns} height={rows - 1}>
      <Header title={controller.runbook.title} target={headerTarget(target(), cluster.namespace)} width={columns} />
      {top.intro ? <LinesView lines={[top.intro]} height={1} /> : null}
      {top.prompt ? <Prompt modal={top.prompt} width={columns} height={top.promptHeight} /> : null}
      {followUps.overlay(columns, layout.bodyHeight) ?? <ScreenBody {...{controller, step, view, layout, columns, column, outlineRows, cluster, pipeline, env, review, picker, dialogs, inspect}} />}
      <StatusBar progress={progressOf(session, steps)} running={controller.activeRun !== null} width={columns} panesHidden={cluster.configured && layout.panes.mode === 'hidden'} followUp={followUps.status} readOnly={controller.readOnly} wheel={wheelKeyHint(wheel)} />
    </Box>
  );
}

/**
 * The rows under the header, over the whole width: the first screen's hint, and an open prompt (the body gives it
 * what it needs, keeping a few rows of the step in sight).
 */
function topRows({view, columns, rows, intro}: {view: ViewState; columns: number; rows: number; intro: Line | null}) {
  const prompt = view.modal && view.modal.kind !== 'help' ? view.modal : null;
  const promptRows = prompt ? Math.max(3, Math.min(promptHeight(prompt, columns), rows - 3 - (intro ? 1 : 0) - 4)) : 0;
  return {intro, prompt, promptHeight: promptRows, height: (intro ? 1 : 0) + promptRows};
}

/** The clocks that make the screen look again: a read-only view's reload, a running command's and an incident's. */
function useSessionTimers(controller: SessionController) {
  const active = controller.activeRun;
  // An open incident's clock runs from its first sign; a resolved one's has stopped.
  const {detected, resolved} = controller.session;
  const incident = resolved ? null : (declaredIncident(controller.session) ?? detected);
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
