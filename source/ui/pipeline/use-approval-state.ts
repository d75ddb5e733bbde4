// The production approval dialog's state: a pure reducer with typed actions. Phases:
// loading (pending deployments) → choose (a approve / r reject) → comment (required; empty Enter
// only hints) → sending → done | refused | failed. Esc before sending ends in cancelled with nothing
// sent; a run with nothing pending ends in empty. The effects live in useApproval, which feeds
// their results back as actions.

import type {PendingEnvironment} from '../../github/approval.js';

export type ApprovalDecision = 'approve' | 'reject';

export type ApprovalPhase = 'loading' | 'choose' | 'comment' | 'sending' | 'done' | 'refused' | 'failed' | 'cancelled' | 'empty';

export interface ApprovalRequest {
  state: 'approved' | 'rejected';
  /** The integer ids GitHub wants, never the names. */
  environmentIds: number[];
  environments: string[];
  comment: string;
}

export interface ApprovalState {
  phase: ApprovalPhase;
  runId: number;
  environments: PendingEnvironment[];
  decision: ApprovalDecision | null;
  comment: string;
  /** A line under the environments: a hint, or why Enter did nothing. */
  notice: string | null;
  /** What useApproval must send, set once a comment was typed and Enter pressed. */
  request: ApprovalRequest | null;
  result: {outcome: 'approved' | 'rejected' | 'refused' | 'failed' | 'cancelled' | 'empty'; message: string} | null;
}

export type ApprovalAction =
  | {type: 'loaded'; environments: PendingEnvironment[]}
  | {type: 'load-failed'; message: string}
  | {type: 'decide'; decision: ApprovalDecision}
  | {type: 'type'; text: string}
  | {type: 'erase'}
  | {type: 'enter'}
  | {type: 'escape'}
  | {type: 'sent'; environments: string[]}
  | {type: 'refused'; message: string}
  | {type: 'send-failed'; message: string};

export const COMMENT_REQUIRED = 'A comment is required: GitHub records it with the review. Type one, then ⏎.';

export const initialApprovalState = (runId: number): ApprovalState => ({
  phase: 'loading',
  runId,
  environments: [],
  decision: null,
  comment: '',
  notice: null,
  request: null,
  result: null,
});

/**
 * The environments a review covers: those the operator may approve; when there are none, all of
 * them, so GitHub's own refusal (not a reviewer) is what the operator reads.
 */
export function reviewTargets(environments: readonly PendingEnvironment[]): PendingEnvironment[] {
  const mine = environments.filter(e => e.canApprove);
  return mine.length ? mine : [...environments];
}

export const isFinal = (phase: ApprovalPhase) => phase === 'done' || phase === 'refused' || phase === 'failed' || phase === 'cancelled' || phase === 'empty';

export function approvalReducer(state: ApprovalState, action: ApprovalAction): ApprovalState {
  switch (action.type) {
    case 'loaded': {
      if (state.phase !== 'loading') return state;
      if (action.environments.length === 0) {
        const message = `Run ${state.runId} waits on no environment: nothing to review (someone may have reviewed it already).`;
        return {...state, phase: 'empty', notice: message, result: {outcome: 'empty', message}};
      }
      return {...state, phase: 'choose', environments: action.environments, notice: null};
    }
    case 'load-failed':
      if (state.phase !== 'loading') return state;
      return {...state, phase: 'failed', notice: action.message, result: {outcome: 'failed', message: action.message}};
    case 'decide':
      if (state.phase !== 'choose') return state;
      return {...state, phase: 'comment', decision: action.decision, notice: null};
    case 'type':
      if (state.phase !== 'comment') return state;
      // Pasted text may carry line breaks; the comment is one line here.
      return {...state, comment: state.comment + action.text.replace(/[\r\n]+/g, ' '), notice: null};
    case 'erase':
      if (state.phase !== 'comment') return state;
      return {...state, comment: [...state.comment].slice(0, -1).join('')};
    case 'enter': {
      if (state.phase === 'choose') return {...state, notice: 'Press a to approve or r to reject.'};
      if (state.phase !== 'comment' || !state.decision) return state;
      const comment = state.comment.trim();
      if (!comment) return {...state, notice: COMMENT_REQUIRED};
      const targets = reviewTargets(state.environments);
      return {
        ...state,
        phase: 'sending',
        notice: null,
        request: {state: state.decision === 'approve' ? 'approved' : 'rejected', environmentIds: targets.map(e => e.environmentId), environments: targets.map(e => e.name), comment},
      };
    }
    case 'escape':
      // Once the review is on its way it cannot be called back: only earlier phases cancel.
      if (state.phase === 'loading' || state.phase === 'choose' || state.phase === 'comment') {
        const message = 'review cancelled, nothing was sent';
        return {...state, phase: 'cancelled', request: null, notice: message, result: {outcome: 'cancelled', message}};
      }
      return state;
    case 'sent': {
      if (state.phase !== 'sending') return state;
      const approved = state.request?.state === 'approved';
      const message = `${approved ? 'Approved' : 'Rejected'} the deployment to ${action.environments.join(', ') || state.request?.environments.join(', ')}${approved ? ': the run continues' : ': the run will stop'}.`;
      return {...state, phase: 'done', notice: message, result: {outcome: approved ? 'approved' : 'rejected', message}};
    }
    case 'refused':
      if (state.phase !== 'sending') return state;
      return {...state, phase: 'refused', notice: action.message, result: {outcome: 'refused', message: action.message}};
    case 'send-failed':
      if (state.phase !== 'sending') return state;
      return {...state, phase: 'failed', notice: action.message, result: {outcome: 'failed', message: action.message}};
  }
}
