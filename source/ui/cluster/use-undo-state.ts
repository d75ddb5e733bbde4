// The native rollback's dialog state: a pure reducer with typed actions. Phases:
// loading → choose (↑↓ a revision, default the previous one, with its preview) → confirm (type the
// namespace) → performing → following (kubectl rollout status's lines) → done | failed; Esc before
// performing, or a mistyped namespace, ends in cancelled with nothing changed. The effects (API
// calls) live in useUndo, which feeds their results back as actions.

import type {WorkloadKind} from '../../runbook/targets-model.js';
import type {HistoryRow} from './cluster-snapshot.js';

export interface UndoChoice extends HistoryRow {
  /** kubectl's decision for this revision: patch (with the template diff), skip, or an error text. */
  plan: {action: 'patch' | 'skip' | 'error'; message: string; diff: string[]};
}

export type UndoPhase = 'loading' | 'choose' | 'confirm' | 'performing' | 'following' | 'done' | 'failed' | 'cancelled';

export interface UndoState {
  phase: UndoPhase;
  namespace: string;
  /** The workload's name ('' until the namespace's only one is found); a deployment unless `kind` says otherwise. */
  deployment: string;
  kind?: WorkloadKind;
  fromRevision: number;
  fromImage: string;
  /** Oldest first, as the history prints. */
  choices: UndoChoice[];
  selected: number;
  input: string;
  /** A line under the choices: why Enter did nothing, or the outcome. */
  notice: string | null;
  /** Progress lines from followRollout, the last few. */
  messages: string[];
  /** What useUndo must perform, set once the namespace was typed right. */
  request: {toRevision: number; replicaSetName: string} | null;
  result: {outcome: 'rolled back' | 'skipped' | 'failed' | 'cancelled'; message: string} | null;
}

export type UndoAction =
  | {type: 'found'; deployment: string; kind: WorkloadKind}
  | {type: 'loaded'; fromRevision: number; fromImage: string; choices: UndoChoice[]; selected?: number}
  | {type: 'load-failed'; message: string}
  | {type: 'move'; delta: number}
  | {type: 'enter'}
  | {type: 'type'; text: string}
  | {type: 'erase'}
  | {type: 'escape'}
  | {type: 'performed'; outcome: 'rolled-back' | 'skipped'; message: string}
  | {type: 'perform-failed'; message: string}
  | {type: 'progress'; message: string}
  | {type: 'followed'; outcome: 'success' | 'failed' | 'timeout' | 'deleted' | 'not-found' | 'aborted'; message: string};

export const MAX_MESSAGES = 6;

export const initialUndoState = (namespace: string, deployment: string, kind: WorkloadKind = 'deployment'): UndoState => ({
  phase: 'loading',
  namespace,
  deployment,
  ...(kind !== 'deployment' ? {kind} : {}),
  fromRevision: 0,
  fromImage: '',
  choices: [],
  selected: 0,
  input: '',
  notice: null,
  messages: [],
  request: null,
  result: null,
});

/** kubectl's default target: the second-highest revision (rollback.go), as an index into `choices`. */
export function previousIndex(choices: readonly UndoChoice[]): number {
  const order = choices.map((c, i) => ({revision: c.revision, i})).sort((a, b) => b.revision - a.revision);
  return order[1]?.i ?? order[0]?.i ?? 0;
}

const clamp = (n: number, lo: number, hi: number) => Math.max(lo, Math.min(hi, n));
const cancelled = (state: UndoState, message: string): UndoState => ({...state, phase: 'cancelled', request: null, notice: message, result: {outcome: 'cancelled', message}});

/** Enter: a revision chosen (unless kubectl would refuse it), or the namespace typed to confirm. */
function entered(state: UndoState): UndoState {
  if (state.phase === 'choose') {
    const choice = state.choices[state.selected];
    if (!choice) return state;
    if (choice.plan.action === 'error') return {...state, notice: choice.plan.message};
    return {...state, phase: 'confirm', input: '', notice: null};
  }
  if (state.phase === 'confirm') {
    const typed = state.input.trim();
    if (typed !== state.namespace) {
      return cancelled(state, `${typed ? `"${typed}"` : 'nothing'} typed, not the namespace ${state.namespace}: rollback cancelled, nothing was changed`);
    }
    const choice = state.choices[state.selected]!;
    return {...state, phase: 'performing', notice: null, request: {toRevision: choice.revision, replicaSetName: choice.replicaSetName}};
  }
  return state;
}

export function undoReducer(state: UndoState, action: UndoAction): UndoState {
  switch (action.type) {
    case 'found':
      if (state.phase !== 'loading') return state;
      return {...state, deployment: action.deployment, ...(action.kind !== 'deployment' ? {kind: action.kind} : {})};
    case 'loaded': {
      if (state.phase !== 'loading') return state;
      if (action.choices.length === 0) {
        // kubectl's words for each kind (rollback.go): a Deployment's history, a ControllerRevision's last revision.
        const message = state.kind && state.kind !== 'deployment' ? 'no last revision to roll back to' : `no rollout history found for deployment ${JSON.stringify(state.deployment)}`;
        return {...state, phase: 'failed', notice: message, result: {outcome: 'failed', message}};
      }
      const selected = clamp(action.selected ?? previousIndex(action.choices), 0, action.choices.length - 1);
      return {...state, phase: 'choose', fromRevision: action.fromRevision, fromImage: action.fromImage, choices: action.choices, selected, notice: null};
    }
    case 'load-failed':
      if (state.phase !== 'loading') return state;
      return {...state, phase: 'failed', notice: action.message, result: {outcome: 'failed', message: action.message}};
    case 'move':
      if (state.phase !== 'choose' || state.choices.length === 0) return state;
      return {...state, selected: clamp(state.selected + action.delta, 0, state.choices.length - 1), notice: null};
    case 'enter':
      return entered(state);
    case 'type':
      if (state.phase !== 'confirm') return state;
      // Pasted text may carry a line break; the namespace never does.
      return {...state, input: state.input + action.text.replace(/[\r\n]/g, '')};
    case 'erase':
      if (state.phase !== 'confirm') return state;
      return {...state, input: [...state.input].slice(0, -1).join('')};
    case 'escape':
      // Once the patch is on its way, leaving would not undo it: the dialog stays until the rollout ends.
      if (state.phase === 'loading' || state.phase === 'choose' || state.phase === 'confirm') return cancelled(state, 'rollback cancelled, nothing was changed');
      return state;
    case 'performed':
      if (state.phase !== 'performing') return state;
      if (action.outcome === 'skipped') return {...state, phase: 'done', notice: action.message, result: {outcome: 'skipped', message: action.message}};
      return {...state, phase: 'following', notice: action.message, messages: [action.message]};
    case 'perform-failed':
      if (state.phase !== 'performing') return state;
      return {...state, phase: 'failed', notice: action.message, result: {outcome: 'failed', message: action.message}};
    case 'progress':
      if (state.phase !== 'following' || state.messages[state.messages.length - 1] === action.message) return state;
      return {...state, messages: [...state.messages, action.message].slice(-MAX_MESSAGES)};
    case 'followed': {
      if (state.phase !== 'following') return state;
      const ok = action.outcome === 'success';
      const messages = state.messages[state.messages.length - 1] === action.message ? state.messages : [...state.messages, action.message].slice(-MAX_MESSAGES);
      return {...state, phase: ok ? 'done' : 'failed', messages, notice: action.message, result: {outcome: ok ? 'rolled back' : 'failed', message: action.message}};
    }
  }
}

/** The revision the dialog would roll back to. */
export const selectedChoice = (state: UndoState): UndoChoice | undefined => state.choices[state.selected];
