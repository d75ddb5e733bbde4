// What fills the screen between its header (and an open prompt) and the status bar: the help, a pod's logs,
// description or events, or the runbook picker over the whole width; a dialog (the native rollback, an approval) over the width left of the live panes; else the
// outline, the step's column and the panes.

import {Box} from 'ink';
import type {RunbookNode} from '../runbook/model.js';
import type {SessionController} from '../session/controller.js';
import type {ClusterSnapshot} from './cluster/cluster-snapshot.js';
import {InspectOverlay} from './cluster/inspect-overlay.js';
import {UndoFlow} from './cluster/undo-flow.js';
import type {PodInspect} from './cluster/use-pod-view.js';
import type {UndoRecord} from './cluster/use-undo.js';
import {Help, helpLines} from './help.js';
import {RunbookPickerFlow} from './library/runbook-picker.js';
import type {RunbookSwitch} from './library/use-runbook-picker.js';
import {LinesView} from './lines-view.js';
import {Outline, type OutlineRow} from './outline.js';
import {breadcrumbOf, fitBreadcrumb} from './outline-rows.js';
import {OutputPane} from './output-pane.js';
import {ApprovalFlow} from './pipeline/approval-flow.js';
import type {PipelineSnapshot} from './pipeline/pipeline-snapshot.js';
import type {ApprovalRecord} from './pipeline/use-approval.js';
import {dialogLayoutOf, type ScreenLayout} from './screen-layout.js';
import {PanesStrip, Rule, SidePanes, StepHeading} from './session-panes.js';
import type {stepColumnOf} from './step-column.js';
import {width as textWidth, wrapWords} from './text.js';
import type {ViewState} from './use-session-view-state.js';

export interface DialogRecords {
  onApproval: (record: ApprovalRecord) => void;
  onApprovalClose: () => void;
  onUndo: (record: UndoRecord) => void;
  onUndoClose: () => void;
}

export interface BodyProps {
  controller: SessionController;
  step: RunbookNode;
  view: ViewState;
  layout: ScreenLayout;
  columns: number;
  column: ReturnType<typeof stepColumnOf>;
  outlineRows: OutlineRow[];
  cluster: ClusterSnapshot;
  pipeline: PipelineSnapshot;
  env: Record<string, string>;
  /** The run waiting for a review, while the approval dialog may show. */
  review: {runId: number; title: string} | null;
  picker: {runbooks: RunbookSwitch; onClose: () => void} | null;
  dialogs: DialogRecords;
  /** A pod's logs, description or events, over the whole body (l p d e on the pod selected in PODS). */
  inspect?: PodInspect | null;
}

export function ScreenBody(p: BodyProps) {
  const {view, layout, columns} = p;
  const {bodyHeight, outlineWidth, panes} = layout;
  // The help as tall as it is, up to the body (then it scrolls).
  if (view.modal?.kind === 'help')
    return (
      <Box flexDirection="column" height={bodyHeight} flexShrink={0}>
        <Help width={columns} height={Math.min(bodyHeight, helpLines(columns).length + 3)} top={view.modal.top ?? 0} />
      </Box>
    );
  if (p.inspect) {
    const {read, state, layout: rows} = p.inspect;
    return (
      <Box flexDirection="column" height={bodyHeight} flexShrink={0}>
        <InspectOverlay read={read} state={state} layout={rows} width={columns} height={bodyHeight} />
      </Box>
    );
  }
  if (p.picker) return <RunbookPickerFlow runbooks={p.picker.runbooks} onClose={p.picker.onClose} width={columns} height={bodyHeight} />;
  if (view.undo || (view.approval && p.review)) return <DialogBody {...p} />;
  return (
    <Box flexDirection="row" height={bodyHeight}>
      {outlineWidth ? <Outline rows={p.outlineRows} width={outlineWidth} height={bodyHeight} /> : null}
      {outlineWidth ? <Rule height={bodyHeight} /> : null}
      <StepColumn {...p} />
      {panes.mode === 'side' ? <Rule height={bodyHeight} /> : null}
      {panes.mode === 'side' ? <SidePanes panes={panes} cluster={p.cluster} pipeline={p.pipeline} podsOffset={view.podsOffset} /> : null}
    </Box>
  );
}

/** The step's column: its heading, the step, its output, and the panes' strip under it. */
function StepColumn({controller, step, view, layout, column, cluster, pipeline}: BodyProps) {
  const {status, stepSuffix, hintLines, notice, noticeLines, output, outputHeight, stepHeight, lines, top} = column;
  const {bodyHeight, panes, paneWidth} = layout;
  return (
    <Box flexDirection="column" width={paneWidth} height={bodyHeight} overflow="hidden">
      <StepHeading
        status={status}
        breadcrumb={fitBreadcrumb(breadcrumbOf(controller, step.id), paneWidth - 4 - textWidth(stepSuffix))}
        suffix={stepSuffix}
        hintLines={hintLines}
        notice={notice ? {lines: noticeLines, tone: notice.tone} : null}
      />
      <LinesView lines={lines.slice(top)} height={stepHeight} />
      {output ? <OutputPane view={output} width={paneWidth} height={outputHeight} /> : null}
      {panes.mode === 'below' ? <PanesStrip panes={panes} cluster={cluster} pipeline={pipeline} podsOffset={view.podsOffset} /> : null}
    </Box>
  );
}

/** A dialog over the width left of the panes beside it, or over the whole width with their strip under it. */
function DialogBody({view, layout, columns, column, cluster, pipeline, env, review, dialogs}: BodyProps) {
  const {panes, bodyHeight} = layout;
  const room = dialogLayoutOf(layout, columns);
  // A column of margin at the left, as the header and the status bar have.
  const width = room.width - 1;
  // What the session said (why the dialog opened, a save that failed) stays above it, wrapped.
  const notice = column.notice ? wrapWords(column.notice.text, width).slice(0, Math.max(1, Math.floor(room.height / 3))) : [];
  const height = Math.max(1, room.height - notice.length);
  const strip = room.strip;
  const dialog =
    view.approval && review ? (
      <ApprovalFlow runId={review.runId} title={review.title} env={env} onRecord={dialogs.onApproval} onClose={dialogs.onApprovalClose} width={width} height={height} />
    ) : (
      <UndoFlow
        // Opened before the panes knew their workload (`runbook rollback` of a runbook without a rollback
        // section): the dialog starts again on the workload once it is known.
        key={`${cluster.configured}\0${cluster.namespace ?? ''}\0${cluster.kind ?? ''}/${cluster.deployment ?? ''}`}
        namespace={cluster.namespace ?? 'default'}
        {...(cluster.deployment ? {deployment: cluster.deployment, kind: cluster.kind ?? 'deployment'} : {})}
        env={env}
        onRecord={dialogs.onUndo}
        onClose={dialogs.onUndoClose}
        width={width}
        height={height}
      />
    );
  return (
    <Box flexDirection={panes.mode === 'side' ? 'row' : 'column'} height={bodyHeight}>
      <Box flexDirection="column" paddingLeft={1} width={width + 1} height={room.height} flexShrink={0}>
        {notice.length ? <LinesView lines={notice.map(text => [{text, tone: column.notice!.tone}])} height={notice.length} /> : null}
        {dialog}
      </Box>
      {panes.mode === 'side' ? <Rule height={bodyHeight} /> : null}
      {panes.mode === 'side' ? <SidePanes panes={panes} cluster={cluster} pipeline={pipeline} podsOffset={view.podsOffset} /> : null}
      {strip ? <PanesStrip panes={strip} cluster={cluster} pipeline={pipeline} podsOffset={view.podsOffset} /> : null}
    </Box>
  );
}
