// The guided session screen: outline | step (+ output) with a header and a status bar. Layout only; state is in
// the controller (domain) and the view reducer (screen), keys in useSessionKeys.

import {Box, Text} from 'ink';
import {useCallback, useEffect, useMemo, useReducer, useRef, useState, useSyncExternalStore, type Dispatch} from 'react';
import type {SessionController} from '../session/controller.js';
import {declaredIncident, lastRuns, progressOf, stepStatus, type RunRecord} from '../session/session-state.js';
import {foundNoTrouble, runWentWell} from '../session/run-outcome.js';
import {panesLayout, type PanesLayout} from './cluster/panes-layout.js';
import {PodsPane} from './cluster/pods-pane.js';
import {RolloutPane} from './cluster/rollout-pane.js';
import {UndoFlow} from './cluster/undo-flow.js';
import {useCluster} from './cluster/use-cluster.js';
import {usePanesTarget} from './cluster/use-panes-target.js';
import {ApprovalFlow} from './pipeline/approval-flow.js';
import type {ApprovalRecord} from './pipeline/use-approval.js';
import {PipelinePane} from './pipeline/pipeline-pane.js';
import {reviewableRun} from './pipeline/pipeline-snapshot.js';
import {usePipeline} from './pipeline/use-pipeline.js';
import type {UndoRecord} from './cluster/use-undo.js';
import {copyToClipboard} from './clipboard.js';
import {Help} from './help.js';
import {LinesView} from './lines-view.js';
import {Outline, type OutlineRow} from './outline.js';
import {OutputPane} from './output-pane.js';
import {outputView} from './output-view.js';
import {breadcrumbOf, fitBreadcrumb, outlineOf} from './outline-rows.js';
import {Prompt} from './prompt.js';
import {Header, headerTarget, StatusBar, type Target} from './status-bar.js';
import {actionableIds, stepLines, type BlockState} from './step-lines.js';
import {formatDuration, truncate, width as textWidth, wrapWords} from './text.js';
import {color, STATUS_ICON, STATUS_TONE} from './theme.js';
import {useSessionKeys} from './use-session-keys.js';
import {RunbookPickerFlow} from './library/runbook-picker.js';
import type {RunbookSwitch} from './library/use-runbook-picker.js';
import {useTerminalSize} from './use-terminal-size.js';
import {viewReducer, type ViewAction, type ViewState} from './use-session-view-state.js';

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
/** Border, title, detail, input, hint. */
const PROMPT_HEIGHT = 6;

export function App({controller, target, initialView, onView, onQuit, runbooks}: AppProps) {
  useSyncExternalStore(controller.subscribe, controller.snapshot);
  const {columns, rows} = useTerminalSize();
  const [view, dispatchToReact] = useReducer(viewReducer, initialView);
  // The reducer is pure, so applying it here as well keeps a copy that is current between renders.
  const latest = useRef(view);
  const dispatch: Dispatch<ViewAction> = useCallback(action => {
    latest.current = viewReducer(latest.current, action);
    dispatchToReact(action);
  }, []);
  const session = controller.session;
  const active = controller.activeRun;
  const incident = declaredIncident(session);
  const steps = controller.steps;
  const step = steps[view.stepIndex]!;

  useEffect(() => onView(view), [view, onView]);
  // A read-only view follows the process that writes the session.
  useEffect(() => {
    if (!controller.readOnly) return;
    const timer = setInterval(() => controller.reload(), 2000);
    return () => clearInterval(timer);
  }, [controller]);
  // A quiet command prints nothing; the elapsed time still moves, once a second.
  const [, setClock] = useState(0);
  const [picking, setPicking] = useState(false);
  useEffect(() => {
    if (!active && !incident) return;
    const timer = setInterval(() => setClock(n => n + 1), 1000);
    return () => clearInterval(timer);
  }, [active?.runId, incident?.at]);
  useEffect(() => controller.enterStep(step.id), [controller, step.id]);
  useEffect(() => {
    const pending = view.pending;
    if (!pending) return;
    dispatch({type: 'done-pending'});
    if (pending.kind === 'run' && pending.native) {
      dispatch({type: 'message', text: 'Asking GitHub…', tone: 'muted'});
      void controller.native(pending.blockId, pending.answers).then(outcome => {
        if (outcome) dispatch({type: 'message', text: `${outcome.ok ? '✓' : '✗'} ${outcome.message}`, tone: outcome.ok ? 'done' : 'failed'});
      });
    } else if (pending.kind === 'run')
      // Whatever goes wrong on the way to a run (a rehearsal's sandbox that never came up) is said, never a crash.
      controller.run(pending.blockId, pending.answers).catch((error: unknown) => {
        dispatch({type: 'message', text: `✗ the block did not run: ${(error instanceof Error ? error.message : String(error)).split('\n')[0]}`, tone: 'failed'});
      });
    else if (pending.kind === 'refuse') controller.refuse(pending.blockId, pending.reason);
    else if (pending.kind === 'template') {
      const filled = controller.fillTemplate(pending.blockId, {history: cluster.rollout?.history ?? [], severity: incident?.severity ?? null});
      if (filled) {
        copyToClipboard(filled.text);
        dispatch({type: 'message', text: `Filled and copied (OSC 52); also in ${filled.file}`, tone: 'done'});
      }
    }
    else if (pending.purpose === 'note') controller.note(pending.stepId, pending.text);
    else if (pending.purpose === 'incident') {
      controller.note(pending.stepId, `Incident declared: ${pending.text.toUpperCase()} (from a failed step)`);
      const rollback = controller.runbook.rollback;
      if (rollback) dispatch({type: 'go', stepIndex: rollback.first, steps: steps.length});
    }
    else controller.mark(pending.stepId, pending.purpose === 'skip' ? 'skipped' : 'done', pending.text);
  }, [view.pending, controller]);

  // Layout: one line each for header and status bar, and one spare row so Ink never clears the whole screen.
  const bodyHeight = Math.max(6, rows - 3);
  const outlineWidth = view.outline && columns >= 60 ? clamp(Math.floor(columns * 0.3), 24, 38) : 0;
  // The panes follow the step's namespace and workload (else the last step's, the front matter's, the runbook's).
  const inView = usePanesTarget({
    targets: controller.runbook.targets,
    stepId: step.id,
    ranIn: session.runs.map(r => r.stepId),
    answers: controller.shell().env,
    keysActive: !view.modal && !view.undo && !view.approval && !picking,
    onNotice: text => dispatch({type: 'message', text, tone: 'muted'}),
  });
  const cluster = useCluster({env: controller.shell().env, namespace: inView.namespace, workload: inView.workload, position: inView.position, window: {offset: view.podsOffset, rows: 60}});
  // The pipeline follows a run the session started (a merge, a dispatch), else the step's workflow, else the runbook's.
  const targets = controller.runbook.targets;
  const repository = targets?.primary.repository ?? undefined;
  const follow = controller.github.follow;
  const workflow = targets?.steps[step.id]?.workflow ?? targets?.primary.workflow ?? null;
  const pipeline = usePipeline({env: controller.shell().env, ...(repository ? {repository} : {}), ...(follow ? {sha: follow.sha, workflow: follow.workflow} : {workflow})});
  const review = reviewableRun(pipeline);
  // The run may stop waiting while the dialog is open (approved elsewhere, or done): then the dialog is gone.
  const approvalShown = view.approval;
  useEffect(() => {
    if (approvalShown && !review) dispatch({type: 'approval', open: false});
  });

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
  const headerLines = 1 + (hint ? 1 : 0) + noticeLines.length;
  const stepHeight = Math.max(1, stepColumnHeight - outputHeight - headerLines);

  const runs = lastRuns(session, step.id);
  const blockState = (blockId: string): BlockState => {
    if (active?.blockId === blockId) return {state: 'running', detail: `running ${formatDuration(Date.now() - active.startedAtMs)}`};
    const run = runs.get(blockId)?.finished;
    if (!run) return {state: 'idle', detail: ''};
    // One runbook's death cut short says so (session/run-fate.ts), rather than "cancelled".
    if (run.cancelled) return {state: 'cancelled', detail: run.recovered ?? `cancelled after ${formatDuration(run.durationMs)}`};
    const command = runs.get(blockId)!.command;
    return {state: runWentWell(command, run) ? 'ok' : 'failed', detail: `exit ${run.exitCode ?? run.signal}${foundNoTrouble(command, run) ? ' · found nothing' : ''} · ${formatDuration(run.durationMs)}`};
  };
  // What `u` would do right now: the previous revision, as kubectl's undo picks it.
  const previous = [...(cluster.rollout?.history ?? [])].sort((a, b) => b.revision - a.revision)[1];
  const undoTo = previous ? `${previous.tag} (rev ${previous.revision})` : null;
  const {lines, actionables} = stepLines(step, {width: paneWidth, checks: session.checks, blockState, focusId, cluster: cluster.configured, github: pipeline.configured, undoTo});
  const focused = actionables.find(a => a.id === focusId);
  const scrollMax = Math.max(0, lines.length - stepHeight);
  const top = view.scroll ?? followFocus(focused, stepHeight, scrollMax);

  const outlineRows: OutlineRow[] = useMemo(() => outlineOf(controller, step.id), [controller, step.id, controller.snapshot()]);
  const progress = progressOf(session, steps);

  useSessionKeys({
    controller,
    view: () => latest.current,
    dispatch,
    scrollMax,
    pageSize: Math.max(1, stepHeight - 2),
    onQuit,
    active: !view.undo && !(view.approval && review) && !picking,
    ...(runbooks ? {openRunbooks: () => setPicking(true)} : {}),
    cluster: {configured: cluster.configured, podsTotal: cluster.podsTotal},
    reviewable: review !== null,
  });
  const onApprovalRecord = useCallback(
    (r: ApprovalRecord) => {
      const command = `gh api -X POST …/actions/runs/${r.runId}/pending_deployments  # native: ${r.what} ${r.environments.join(', ')} — "${r.comment}"`;
      controller.recordAction(step.id, {command, ok: r.result === 'ok', message: r.message});
    },
    [controller, step.id],
  );
  // The dialog reports twice: the patch (or its refusal), then how the rollout ended.
  const undoReports = useRef(0);
  const onUndoRecord = useCallback(
    (e: UndoRecord) => {
      const first = undoReports.current++ === 0;
      const command = first
        ? `kubectl rollout undo ${e.kind ?? 'deployment'}/${e.deployment} --to-revision=${e.toRevision} -n ${e.namespace}  # native: revision ${e.fromRevision} → ${e.toRevision} (${e.image})`
        : `kubectl rollout status ${e.kind ?? 'deployment'}/${e.deployment} -n ${e.namespace}  # followed natively`;
      controller.recordAction(step.id, {command, ok: e.result !== 'failed', message: e.message});
    },
    [controller, step.id],
  );

  const modal = view.modal;
  const breadcrumb = breadcrumbOf(controller, step.id);
  return (
    <Box flexDirection="column" width={columns} height={rows - 1}>
      <Header title={controller.runbook.title} target={headerTarget(target(), cluster.namespace)} width={columns} />
      <Box flexDirection="row" height={bodyHeight}>
        {outlineWidth ? <Outline rows={outlineRows} width={outlineWidth} height={bodyHeight} /> : null}
        {outlineWidth ? (
          <Box flexDirection="column" width={1}>
            {Array.from({length: bodyHeight}, (_, i) => (
              <Text key={i} color={color('muted')}>
                │
              </Text>
            ))}
          </Box>
        ) : null}
        <Box flexDirection="column" width={paneWidth} height={bodyHeight} overflow="hidden">
          <Text wrap="truncate-end">
            <Text color={color(STATUS_TONE[status])}>{` ${STATUS_ICON[status]} `}</Text>
            <Text bold>{fitBreadcrumb(breadcrumb, paneWidth - 4 - textWidth(stepSuffix))}</Text>
            <Text color={color('muted')}>{stepSuffix}</Text>
          </Text>
          {hint ? (
            <Text color={color('failed')} wrap="truncate-end">
              {` ${hint}`}
            </Text>
          ) : null}
          {noticeLines.map((line, i) => (
            <Text key={`notice-${i}`} color={color(notice!.tone)} wrap="truncate-end">
              {` ${line}`}
            </Text>
          ))}
          {picking && runbooks ? (
            <RunbookPickerFlow runbooks={runbooks} onClose={() => setPicking(false)} width={paneWidth} height={stepHeight} />
          ) : view.approval && review ? (
            <ApprovalFlow
              runId={review.runId}
              title={review.title}
              env={controller.shell().env}
              onRecord={onApprovalRecord}
              onClose={() => dispatch({type: 'approval', open: false})}
              width={paneWidth}
              height={stepHeight + outputHeight}
            />
          ) : view.undo ? (
            <UndoFlow
              // Opened before the panes knew their workload (`runbook rollback` of a runbook without a rollback
              // section): the dialog starts again on the workload once it is known.
              key={`${cluster.configured}\0${cluster.namespace ?? ''}\0${cluster.kind ?? ''}/${cluster.deployment ?? ''}`}
              namespace={cluster.namespace ?? 'default'}
              {...(cluster.deployment ? {deployment: cluster.deployment, kind: cluster.kind ?? 'deployment'} : {})}
              env={controller.shell().env}
              onRecord={onUndoRecord}
              onClose={() => {
                undoReports.current = 0;
                dispatch({type: 'undo', open: false});
              }}
              width={paneWidth}
              height={stepHeight + outputHeight}
            />
          ) : modal ? (
            modal.kind === 'help' ? (
              <Help width={paneWidth} />
            ) : (
              <>
                <Prompt modal={modal} width={paneWidth} />
                <LinesView lines={lines.slice(top)} height={Math.max(0, stepHeight - PROMPT_HEIGHT)} />
              </>
            )
          ) : (
            <LinesView lines={lines.slice(top)} height={stepHeight} />
          )}
          {output && !(modal?.kind === 'help') && !view.undo && !view.approval ? <OutputPane view={output} width={paneWidth} height={outputHeight} /> : null}
          {panes.mode === 'below' ? (
            <Box flexDirection="row" height={panes.height}>
              <PodsPane snapshot={cluster} width={panes.pods.width} height={panes.pods.height} offset={view.podsOffset} />
              {panes.rollout ? (
                <>
                  <Box width={1} />
                  <RolloutPane snapshot={cluster} width={panes.rollout.width} height={panes.rollout.height} />
                </>
              ) : null}
            </Box>
          ) : null}
        </Box>
        {panes.mode === 'side' ? (
          <>
            <Box flexDirection="column" width={1}>
              {Array.from({length: bodyHeight}, (_, i) => (
                <Text key={i} color={color('muted')}>
                  │
                </Text>
              ))}
            </Box>
            <Box flexDirection="column" width={panes.width}>
              <PodsPane snapshot={cluster} width={panes.pods.width} height={panes.pods.height} offset={view.podsOffset} />
              {pipeline.configured ? (
                <>
                  <RolloutPane snapshot={cluster} width={panes.rollout.width} height={Math.ceil(panes.rollout.height / 2)} />
                  <PipelinePane snapshot={pipeline} width={panes.rollout.width} height={Math.floor(panes.rollout.height / 2)} />
                </>
              ) : (
                <RolloutPane snapshot={cluster} width={panes.rollout.width} height={panes.rollout.height} />
              )}
            </Box>
          </>
        ) : null}
      </Box>
      <StatusBar progress={progress} running={active !== null} width={columns} />
    </Box>
  );
}

function followFocus(focused: {first: number; last: number} | undefined, height: number, max: number): number {
  if (!focused) return 0;
  let top = Math.max(0, focused.first - 2);
  // An item taller than the pane shows its top (the command's header and state), not its tail.
  if (focused.last - top >= height) top = focused.last - focused.first < height ? focused.last - height + 1 : focused.first;
  // Show the start of the step while the focused item still fits on the first screen.
  if (focused.last < height - 1) top = 0;
  return clamp(top, 0, max);
}

function failedHint(hasRollback: boolean, incident: boolean): string {
  return `✗ Failed — Enter retry · s skip${hasRollback ? ' · R rollback procedures' : ''}${incident ? '' : ' · I declare an incident'}`;
}
