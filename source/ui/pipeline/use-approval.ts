// The approval dialog's keys and effects: reads the run's pending deployments, does the actions its key
// map names (key-map.ts: a / r, typed text, ⏎ and Esc) through the reducer, then sends the review with the
// environments' integer ids (reviewDeployments). The session learns what was sent, and GitHub's answer, through onRecord.

import {useEffect, useRef, type Dispatch, type MutableRefObject} from 'react';
import {pendingDeployments, reviewDeployments} from '../../github/approval.js';
import {GitHubError, type Env, type RepoTarget} from '../../github/client.js';
import {useGitHubTarget} from './github-target.js';
import {approvalReducer, initialApprovalState, isFinal, type ApprovalAction, type ApprovalState} from './use-approval-state.js';
import {useDialogKeys, type DialogKeys} from '../use-dialog-keys.js';
import {useLatestReducer} from '../use-latest-reducer.js';
import type {ApprovalReport} from '../../session/session-actions.js';

/** What the session records about a deployment review: the session's own type. */
export type ApprovalRecord = ApprovalReport;

export interface UseApprovalOptions {
  runId: number;
  /** Where the token and repository are read (default process.env); ignored when `target` is given. */
  env?: Env;
  repository?: string;
  target?: RepoTarget;
  onRecord?: (record: ApprovalRecord) => void;
  /** Esc before sending, or ⏎/Esc once the dialog has an outcome. */
  onClose?: (result: ApprovalState['result']) => void;
  /** False while another prompt owns the keys. */
  isActive?: boolean;
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

export function useApproval(options: UseApprovalOptions): {state: ApprovalState; dispatch: Dispatch<ApprovalAction>} {
  const {runId, isActive = true} = options;
  const [state, dispatch, latest] = useLatestReducer(approvalReducer, () => initialApprovalState(runId));
  // Only looked up when no target is handed in; the env's token and repository otherwise.
  const resolved = useGitHubTarget(options.target ? {env: {}} : {env: options.env, repository: options.repository});
  const target: RepoTarget | null = options.target ?? (resolved.state === 'ready' ? resolved.target : null);
  const problem = options.target ? null : resolved.state === 'none' ? 'No GitHub token: set GH_TOKEN or GITHUB_TOKEN, or log in with `gh auth login`.' : resolved.state === 'failed' ? resolved.error : null;
  // Callbacks may be new on every render of the owner; the effects read the latest ones.
  const callbacks = useRef(options);
  callbacks.current = options;

  useApprovalLoad(target, problem, runId, dispatch, latest);
  useApprovalSend(target, state, runId, dispatch, callbacks);
  useDialogKeys(approvalKeys(dispatch, latest, callbacks), isActive);
  return {state, dispatch};
}

/** Reads the run's pending deployments once the target is known (or says why it cannot be). */
function useApprovalLoad(target: RepoTarget | null, problem: string | null, runId: number, dispatch: Dispatch<ApprovalAction>, latest: () => ApprovalState) {
  useEffect(() => {
    if (problem) dispatch({type: 'load-failed', message: problem});
    if (!target || latest().phase !== 'loading') return;
    pendingDeployments(target, runId).then(
      environments => dispatch({type: 'loaded', environments}),
      error => dispatch({type: 'load-failed', message: messageOf(error)}),
    );
  }, [target, problem, dispatch, latest, runId]);
}

/** Sends the review once a comment was typed and ⏎ pressed; the session hears what was sent and GitHub's answer. */
function useApprovalSend(target: RepoTarget | null, state: ApprovalState, runId: number, dispatch: Dispatch<ApprovalAction>, callbacks: MutableRefObject<UseApprovalOptions>) {
  // Read when the request is sent, not a reason to send it again: a new target object must never send twice.
  const sendTo = useRef(target);
  sendTo.current = target;
  useEffect(() => {
    const request = state.request;
    const target = sendTo.current;
    if (state.phase !== 'sending' || !request || !target) return;
    const base = {what: request.state === 'approved' ? 'approve' as const : 'reject' as const, runId, environments: request.environments, comment: request.comment};
    reviewDeployments(target, {runId, environmentIds: request.environmentIds, state: request.state, comment: request.comment}).then(
      answer => {
        const environments = answer.environments.length ? answer.environments : request.environments;
        callbacks.current.onRecord?.({...base, environments, result: 'ok', message: `${request.state} ${environments.join(', ')}`});
        dispatch({type: 'sent', environments});
      },
      error => {
        const message = messageOf(error);
        callbacks.current.onRecord?.({...base, result: 'refused', message});
        dispatch(error instanceof GitHubError && error.kind === 'refused' ? {type: 'refused', message} : {type: 'send-failed', message});
      },
    );
  }, [state.request, state.phase, dispatch, runId, callbacks]);
}

/** The dialog's actions (its keys are in key-map.ts). */
function approvalKeys(dispatch: Dispatch<ApprovalAction>, latest: () => ApprovalState, callbacks: MutableRefObject<UseApprovalOptions>): DialogKeys {
  const close = () => callbacks.current.onClose?.(latest().result);
  return {
    kind: 'approval',
    state: () => ({ended: isFinal(latest().phase), choosing: latest().phase === 'choose'}),
    handlers: {
      dismiss: close,
      cancel: () => {
        dispatch({type: 'escape'});
        if (latest().phase === 'cancelled') close();
      },
      confirm: () => dispatch({type: 'enter'}),
      erase: () => dispatch({type: 'erase'}),
      approve: () => dispatch({type: 'decide', decision: 'approve'}),
      reject: () => dispatch({type: 'decide', decision: 'reject'}),
      type: text => dispatch({type: 'type', text}),
    },
  };
}
