// The session screen's own state: where the operator is, what has focus, which prompt is open. A pure reducer
// with typed actions; the domain (ticks, runs, records) lives in the SessionController.

import {DEFAULT_SEVERITY_LEVELS, levelList, matchSeverity, type SeverityLevel} from '../runbook/severity.js';
import type {Answers, Question} from '../session/questions.js';
import type {Purpose, SessionRequest} from '../session/session-actions.js';
import type {InspectState} from './cluster/inspect-state.js';
import {useLatestReducer} from './use-latest-reducer.js';

export type {Purpose} from '../session/session-actions.js';

export type Modal =
  | {kind: 'ask'; blockId: string; questions: Question[]; index: number; answers: Answers; input: string; native?: boolean}
  | {kind: 'reason'; purpose: Purpose; stepId: string; input: string; hint: string | null; levels?: SeverityLevel[]}
  | {kind: 'search'; input: string}
  | {kind: 'help'; /** The first row of the help shown, when it is taller than the screen. */ top?: number};

export interface ViewState {
  stepIndex: number;
  focus: number;
  /** Top line of the step pane; null means "follow the focus". */
  scroll: number | null;
  modal: Modal | null;
  /** The operator's choice (`o`); null: the layout's (shown from 100 columns). */
  outline: boolean | null;
  /** The cluster panes (pods, rollout) beside or under the step, when a cluster is configured: the operator's choice
   * (`c`), or null: wherever they fit. */
  panes: boolean | null;
  /** The first screen of a new session: a line under the title says what the runbook is for, until the first move. */
  intro: boolean;
  podsOffset: number;
  /** The pod selected in PODS (J K), by name: it stays selected as the list changes; null: none. */
  podSelected?: string | null;
  /** A pod's logs, description or events over the screen (l p d e on the selected pod). */
  inspect?: InspectState | null;
  /** The native rollback dialog is open (it owns the keyboard). */
  undo: boolean;
  /** The production approval dialog is open (it owns the keyboard). */
  approval: boolean;
  /** Which run of the step the output pane shows, counted back from the latest (0 = latest). */
  runBack: number;
  message: {text: string; tone: 'failed' | 'done' | 'warn' | 'muted'} | null;
  /** What a prompt's answer asks the session to do, once (session-actions.ts carries it out, then it is cleared). */
  pending: SessionRequest | null;
}

export type ViewAction =
  | {type: 'go'; stepIndex: number; steps: number}
  | {type: 'focus'; delta: number; count: number}
  | {type: 'scroll'; delta: number; max: number}
  | {type: 'ask'; blockId: string; questions: Question[]; native?: boolean}
  | {type: 'reason'; purpose: Purpose; stepId: string; /** For an incident: the runbook's severity levels (default P0–P3). */ levels?: SeverityLevel[]}
  | {type: 'search'}
  | {type: 'help'}
  | {type: 'help-scroll'; delta: number; max: number}
  | {type: 'close'}
  | {type: 'type'; text: string}
  | {type: 'erase'}
  | {type: 'submit'}
  | {type: 'toggle-outline'; /** Whether it is on screen now (the layout may have decided). */ shown?: boolean}
  | {type: 'toggle-panes'; shown?: boolean}
  | {type: 'pods-scroll'; delta: number; total: number}
  | {type: 'pod-select'; name: string | null; podsOffset?: number}
  | {type: 'inspect'; state: InspectState | null}
  | {type: 'undo'; open: boolean}
  | {type: 'approval'; open: boolean}
  | {type: 'fill-template'; blockId: string}
  | {type: 'run-back'; delta: number; runs: number}
  | {type: 'message'; text: string; tone: NonNullable<ViewState['message']>['tone']}
  | {type: 'done-pending'};

export const initialViewState = (stepIndex = 0, outline: boolean | null = null, intro = false): ViewState => ({
  stepIndex,
  focus: 0,
  scroll: null,
  modal: null,
  outline,
  panes: null,
  intro,
  podsOffset: 0,
  undo: false,
  approval: false,
  runBack: 0,
  message: null,
  pending: null,
});

/** The view's state, its dispatch, and its latest value (current between renders: see use-latest-reducer.ts). */
export const useSessionView = (initial: ViewState) => useLatestReducer(introReducer, () => initial);

/** What the view does on its own, not moved by the operator: the first screen's hint stays through these. */
const NOT_A_MOVE = new Set<ViewAction['type']>(['message', 'done-pending', 'approval']);

/** The view's reducer, with the first screen's hint gone at the operator's first move. */
export function introReducer(state: ViewState, action: ViewAction): ViewState {
  const next = viewReducer(state, action);
  return next.intro && !NOT_A_MOVE.has(action.type) ? {...next, intro: false} : next;
}

const clamp = (n: number, lo: number, hi: number) => Math.max(lo, Math.min(hi, n));
const emptyAnswers = (): Answers => ({variables: {}, placeholders: {}, confirmed: false});

export function viewReducer(state: ViewState, action: ViewAction): ViewState {
  switch (action.type) {
    case 'go': {
      const stepIndex = clamp(action.stepIndex, 0, Math.max(0, action.steps - 1));
      if (stepIndex === state.stepIndex) return state;
      return {...state, stepIndex, focus: 0, scroll: null, runBack: 0, message: null};
    }
    case 'focus':
      if (action.count === 0) return state;
      return {...state, focus: clamp(state.focus + action.delta, 0, action.count - 1), scroll: null, runBack: 0};
    case 'scroll':
      return {...state, scroll: clamp((state.scroll ?? 0) + action.delta, 0, Math.max(0, action.max))};
    case 'ask': {
      const native = action.native ? {native: true} : {};
      if (action.questions.length === 0) return {...state, pending: {kind: 'run', blockId: action.blockId, answers: emptyAnswers(), ...native}, message: null};
      return {...state, modal: {kind: 'ask', blockId: action.blockId, questions: action.questions, index: 0, answers: emptyAnswers(), input: '', ...native}, message: null};
    }
    case 'reason':
      return {...state, modal: {kind: 'reason', purpose: action.purpose, stepId: action.stepId, input: '', hint: null, ...(action.levels ? {levels: action.levels} : {})}};
    case 'search':
      return {...state, modal: {kind: 'search', input: ''}};
    case 'help':
      return {...state, modal: state.modal?.kind === 'help' ? null : {kind: 'help'}};
    case 'help-scroll':
      if (state.modal?.kind !== 'help') return state;
      return {...state, modal: {kind: 'help', top: clamp((state.modal.top ?? 0) + action.delta, 0, Math.max(0, action.max))}};
    case 'close':
      return {...state, modal: null};
    case 'type':
      if (!state.modal || state.modal.kind === 'help') return state;
      return {...state, modal: {...state.modal, input: state.modal.input + action.text}};
    case 'erase':
      if (!state.modal || state.modal.kind === 'help') return state;
      return {...state, modal: {...state.modal, input: [...state.modal.input].slice(0, -1).join('')}};
    case 'submit':
      return submit(state);
    case 'toggle-outline':
      return {...state, outline: !(action.shown ?? state.outline ?? true)};
    case 'toggle-panes':
      return {...state, panes: !(action.shown ?? state.panes ?? true)};
    case 'pods-scroll':
      return {...state, podsOffset: clamp(state.podsOffset + action.delta, 0, Math.max(0, action.total - 1))};
    case 'pod-select':
      return {...state, podSelected: action.name, ...(action.podsOffset !== undefined ? {podsOffset: action.podsOffset} : {})};
    case 'inspect':
      return {...state, inspect: action.state, modal: null};
    case 'undo':
      return {...state, undo: action.open, modal: null};
    case 'fill-template':
      return {...state, pending: {kind: 'template', blockId: action.blockId}};
    case 'approval':
      return {...state, approval: action.open, modal: null};
    case 'run-back':
      return {...state, runBack: clamp(state.runBack + action.delta, 0, Math.max(0, action.runs - 1))};
    case 'message':
      return {...state, message: {text: action.text, tone: action.tone}};
    case 'done-pending':
      return {...state, pending: null};
  }
}

function submit(state: ViewState): ViewState {
  const modal = state.modal;
  if (!modal || modal.kind === 'help' || modal.kind === 'search') return modal?.kind === 'search' ? {...state, modal: null} : state;
  if (modal.kind === 'reason') {
    const text = modal.input.trim();
    if (modal.purpose === 'incident') {
      const levels = modal.levels ?? DEFAULT_SEVERITY_LEVELS;
      const level = matchSeverity(text, levels);
      if (!level) return {...state, modal: {...modal, hint: `type the severity: ${levelList(levels)}`}};
      return {...state, modal: null, pending: {kind: 'mark', purpose: 'incident', stepId: modal.stepId, text: level}};
    }
    if (!text) return {...state, modal: {...modal, hint: modal.purpose === 'note' ? 'type the note, or Esc to cancel' : 'a reason is required, or Esc to cancel'}};
    return {...state, modal: null, pending: {kind: 'mark', purpose: modal.purpose, stepId: modal.stepId, text}};
  }
  const question = modal.questions[modal.index]!;
  const answers: Answers = {variables: {...modal.answers.variables}, placeholders: {...modal.answers.placeholders}, confirmed: modal.answers.confirmed};
  const value = modal.input.trim();
  switch (question.kind) {
    case 'variable':
      answers.variables[question.name] = value || question.suggestion;
      if (!answers.variables[question.name]) return state; // nothing to run with yet
      break;
    case 'placeholder':
      answers.placeholders[question.text] = value || question.suggestion;
      break;
    case 'confirm':
      if (value !== question.expected) {
        const reason = `typed "${value}" instead of "${question.expected}"`;
        return {
          ...state,
          modal: null,
          pending: {kind: 'refuse', blockId: modal.blockId, reason},
          message: {text: `Not run: ${reason}. Nothing was changed.`, tone: 'failed'},
        };
      }
      answers.confirmed = true;
      break;
  }
  if (modal.index + 1 < modal.questions.length) return {...state, modal: {...modal, index: modal.index + 1, answers, input: ''}};
  return {...state, modal: null, pending: {kind: 'run', blockId: modal.blockId, answers, ...(modal.native ? {native: true} : {})}};
}
