// The approval dialog's keys and effects: reads the run's pending deployments, maps a / r, typed
// text, ⏎ and Esc to the reducer, then sends the review with the environments' integer ids
// (reviewDeployments). The session learns what was sent, and GitHub's answer, through onRecord.

import {useInput} from 'ink';
import {useEffect, useRef, type Dispatch} from 'react';
import {pendingDeployments, reviewDeployments} from '../../github/approval.js';
import {GitHubError, type Env, type RepoTarget} from '../../github/client.js';
import {useGitHubTarget} from './github-target.js';
import {approvalReducer, initialApprovalState, isFinal, type ApprovalAction, type ApprovalState} from './use-approval-state.js';
import {splitPaste} from '../paste.js';
import {useLatestReducer} from '../use-latest-reducer.js';

/** What the session records about a deployment review. */
export interface ApprovalRecord {
  what: 'approve' | 'reject';
  runId: number;
  /** The environments' names (the ids sent are the integer ids behind them). */
  environments: string[];
  comment: string;
  /** `refused` covers GitHub's refusals and any failure to get an answer; `message` says which. */
  result: 'ok' | 'refused';
  message: string;
}

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

  useEffect(() => {
    if (problem) dispatch({type: 'load-failed', message: problem});
    if (!target || latest().phase !== 'loading') return;
    pendingDeployments(target, runId).then(
      environments => dispatch({type: 'loaded', environments}),
      error => dispatch({type: 'load-failed', message: messageOf(error)}),
    );
  }, [target, problem, dispatch, latest, runId]);

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
  }, [state.request, state.phase, dispatch, runId]);

  useInput(
    (input, key) => {
      const phase = latest().phase;
      if (isFinal(phase)) {
        if (key.return || key.escape) callbacks.current.onClose?.(latest().result);
        return;
      }
      if (key.escape) {
        dispatch({type: 'escape'});
        if (latest().phase === 'cancelled') callbacks.current.onClose?.(latest().result);
        return;
      }
      if (key.return) return dispatch({type: 'enter'});
      if (key.backspace || key.delete) return dispatch({type: 'erase'});
      if (!input || key.ctrl || key.meta || key.tab) return;
      // Text and Enter in one read (typed fast, pasted, or sent by a script): type it, then confirm.
      const pasted = splitPaste(input);
      const enter = pasted?.enter ?? false;
      const text = pasted ? pasted.text : input;
      if (phase === 'choose') {
        if (text === 'a') dispatch({type: 'decide', decision: 'approve'});
        else if (text === 'r') dispatch({type: 'decide', decision: 'reject'});
      } else if (text) dispatch({type: 'type', text});
      if (enter) dispatch({type: 'enter'});
    },
    {isActive},
  );

  return {state, dispatch};
}
