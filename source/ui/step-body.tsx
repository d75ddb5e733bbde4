// What fills the step column under its heading: a dialog that owns the keyboard (the runbook picker, an approval,
// the native rollback), the help, a prompt over the step, or the step itself.

import type {ReactNode} from 'react';
import type {ClusterSnapshot} from './cluster/cluster-snapshot.js';
import {UndoFlow} from './cluster/undo-flow.js';
import type {UndoRecord} from './cluster/use-undo.js';
import {Help} from './help.js';
import {RunbookPickerFlow} from './library/runbook-picker.js';
import type {RunbookSwitch} from './library/use-runbook-picker.js';
import {LinesView} from './lines-view.js';
import {ApprovalFlow} from './pipeline/approval-flow.js';
import type {ApprovalRecord} from './pipeline/use-approval.js';
import {Prompt} from './prompt.js';
import type {Line} from './step-lines.js';
import type {ViewState} from './use-session-view-state.js';

/** Border, title, detail, input, hint. */
const PROMPT_HEIGHT = 6;

export interface StepBodyProps {
  view: ViewState;
  /** The run waiting for a review, while the approval dialog may show. */
  review: {runId: number; title: string} | null;
  picker: {runbooks: RunbookSwitch; onClose: () => void} | null;
  cluster: ClusterSnapshot;
  env: Record<string, string>;
  onApproval: (record: ApprovalRecord) => void;
  onApprovalClose: () => void;
  onUndo: (record: UndoRecord) => void;
  onUndoClose: () => void;
  lines: Line[];
  width: number;
  /** The step's own height, and the height a dialog may take (the output pane's too). */
  height: number;
  dialogHeight: number;
}

export function StepBody(p: StepBodyProps): ReactNode {
  const {view, cluster, width} = p;
  if (p.picker) return <RunbookPickerFlow runbooks={p.picker.runbooks} onClose={p.picker.onClose} width={width} height={p.height} />;
  if (view.approval && p.review)
    return (
      <ApprovalFlow runId={p.review.runId} title={p.review.title} env={p.env} onRecord={p.onApproval} onClose={p.onApprovalClose} width={width} height={p.dialogHeight} />
    );
  if (view.undo)
    return (
      <UndoFlow
        // Opened before the panes knew their workload (`runbook rollback` of a runbook without a rollback
        // section): the dialog starts again on the workload once it is known.
        key={`${cluster.configured}\0${cluster.namespace ?? ''}\0${cluster.kind ?? ''}/${cluster.deployment ?? ''}`}
        namespace={cluster.namespace ?? 'default'}
        {...(cluster.deployment ? {deployment: cluster.deployment, kind: cluster.kind ?? 'deployment'} : {})}
        env={p.env}
        onRecord={p.onUndo}
        onClose={p.onUndoClose}
        width={width}
        height={p.dialogHeight}
      />
    );
  const modal = view.modal;
  if (modal?.kind === 'help') return <Help width={width} />;
  if (modal)
    return (
      <>
        <Prompt modal={modal} width={width} />
        <LinesView lines={p.lines} height={Math.max(0, p.height - PROMPT_HEIGHT)} />
      </>
    );
  return <LinesView lines={p.lines} height={p.height} />;
}
