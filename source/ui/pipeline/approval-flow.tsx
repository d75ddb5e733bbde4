// The approval dialog with its keys and effects, for the App to mount while it is open (mounting
// reads the pending deployments; unmounting before ⏎ sends nothing).
import {ApprovalDialog} from './approval-dialog.js';
import {useApproval, type UseApprovalOptions} from './use-approval.js';

export type ApprovalFlowProps = UseApprovalOptions & {width: number; height: number; title?: string};

export function ApprovalFlow({width, height, title, ...options}: ApprovalFlowProps) {
  const {state} = useApproval(options);
  return <ApprovalDialog state={state} width={width} height={height} title={title} />;
}
