// Keys → actions, as data. Each mode of the session screen has a key map: a key names an action, maybe only in one
// situation (`when`: what has focus, whether a command runs), and maybe only when its guards hold. One dispatcher
// resolves a key in the current mode to an action, or to the refusal of the first guard that does not hold; each
// refusal is written once, here. What an action does is not here: see session-commands.ts and session-actions.ts.

import type {Key} from 'ink';
import {DIALOG_MAPS} from './dialog-key-map.js';

export {dialogKeyState} from './dialog-key-map.js';

export type Mode = 'step' | 'read-only' | 'prompt' | 'overlay' | 'dialog' | 'inspect' | 'inspect-search';

export type Action =
  | 'next-step'
  | 'previous-step'
  | 'first-step'
  | 'last-step'
  | 'focus-next'
  | 'focus-previous'
  | 'page-down'
  | 'page-up'
  | 'tick'
  | 'fill-template'
  | 'run'
  | 'run-natively'
  | 'skip'
  | 'mark-done'
  | 'note'
  | 'declare-incident'
  | 'resolve-incident'
  | 'go-to-rollback'
  | 'older-run'
  | 'newer-run'
  | 'search'
  | 'toggle-outline'
  | 'toggle-panes'
  | 'pods-down'
  | 'pods-up'
  | PodAction
  | 'open-approval'
  | 'open-undo'
  | 'open-runbooks'
  | 'open-follow-ups'
  | 'wheel'
  | 'accept-branches'
  | 'help'
  | 'help-down'
  | 'help-up'
  | 'quit'
  | 'cancel-run'
  | 'close'
  | 'submit'
  | 'erase'
  | 'type'
  | DialogAction;

/** The pod diagnosis: a pod selected in PODS (J K, Esc lets go), its views (l p d e), and the overlay's keys. */
export type PodAction =
  | 'pods-release'
  | 'pod-logs'
  | 'pod-previous'
  | 'pod-describe'
  | 'pod-events'
  | 'inspect-close'
  | 'inspect-down'
  | 'inspect-up'
  | 'inspect-page-down'
  | 'inspect-page-up'
  | 'inspect-top'
  | 'inspect-bottom'
  | 'inspect-search'
  | 'inspect-next'
  | 'inspect-previous'
  | 'inspect-type'
  | 'inspect-erase'
  | 'inspect-submit'
  | 'inspect-cancel';

/** What a dialog's keys do; each dialog's hook does them its own way (use-undo.ts, use-approval.ts). */
export type DialogAction = 'dismiss' | 'cancel' | 'confirm' | 'choose-previous' | 'choose-next' | 'approve' | 'reject';

export type DialogKind = 'undo' | 'approval';

/** A dialog as its keys see it: which one, whether it has an outcome, whether it waits on a choice of a or r. */
export interface DialogState {
  kind: DialogKind;
  ended: boolean;
  choosing: boolean;
}

/** What the keys can see of the session (or of the dialog that has the keyboard) at the moment of a key. */
export interface KeyState {
  readOnly: boolean;
  /** Why it is read-only when it is not another local process writing (a shared session's follower, a lost wheel). */
  readOnlyReason?: string | null;
  running: boolean;
  /** What the focused item is: a checklist item (or trigger), a template, a command block; null when nothing is. */
  focus: 'check' | 'template' | 'command' | null;
  /** The focused block is a guide's gh step that can be done natively (m). */
  nativeFocus: boolean;
  /** The pipeline's run waits on an environment that can be reviewed. */
  reviewable: boolean;
  cluster: boolean;
  incidentDeclared: boolean;
  hasRollback: boolean;
  /** Another runbook can be opened from here (L). */
  canSwitch: boolean;
  /** The dialog that has the keyboard, in mode 'dialog'. */
  dialog?: DialogState;
  /** A pod is selected in PODS: l p d e are about it, Esc lets it go. */
  podSelected?: boolean;
}

type Tone = 'failed' | 'done' | 'warn' | 'muted';
export interface Refusal {
  text: string;
  tone: Tone;
}

export type Guard = 'writer' | 'idle' | 'focused' | 'native-focused' | 'reviewable' | 'cluster' | 'no-incident' | 'rollback-section' | 'can-switch';
type Situation = 'running' | 'on-check' | 'on-template' | 'dialog-ended' | 'choosing' | 'pod-selected';

/** Each guard's test, and what the operator is told when it fails (null: the key quietly does nothing). */
export const GUARDS: Record<Guard, {holds: (s: KeyState) => boolean; refusal: Refusal | null}> = {
  writer: {holds: s => !s.readOnly, refusal: {text: 'read-only view: another runbook process is writing this session (it updates here)', tone: 'warn'}},
  idle: {holds: s => !s.running, refusal: {text: 'A command is running: wait for it, or Ctrl-C to cancel it', tone: 'warn'}},
  focused: {holds: s => s.focus !== null, refusal: null},
  'native-focused': {
    holds: s => s.nativeFocus,
    refusal: {text: 'm does a guide’s gh step natively (open, approve or merge the release PR, dispatch the rollback); focus one first', tone: 'muted'},
  },
  reviewable: {holds: s => s.reviewable, refusal: {text: 'No pipeline run is waiting for approval', tone: 'muted'}},
  cluster: {holds: s => s.cluster, refusal: {text: 'No cluster configured: the native rollback needs one (KUBECONFIG, or npm start for the sandbox)', tone: 'warn'}},
  'no-incident': {holds: s => !s.incidentDeclared, refusal: {text: 'An incident is already declared in this session (the clock is in the header)', tone: 'muted'}},
  'rollback-section': {holds: s => s.hasRollback, refusal: {text: 'This runbook has no rollback section', tone: 'warn'}},
  'can-switch': {holds: s => s.canSwitch, refusal: null},
};

const SITUATIONS: Record<Situation, (s: KeyState) => boolean> = {
  running: s => s.running,
  'on-check': s => s.focus === 'check',
  'on-template': s => s.focus === 'template',
  'dialog-ended': s => s.dialog?.ended === true,
  choosing: s => s.dialog?.choosing === true,
  'pod-selected': s => s.podSelected === true,
};

export interface Binding {
  keys: string[];
  /** For the key `text`: the binding applies only to exactly this text (a dialog's one-letter choices). */
  typed?: string;
  /** The binding applies only in this situation; otherwise the next binding of the key is looked at. */
  when?: Situation;
  /** Checked in order once the binding applies: the first that fails refuses the key. */
  guards?: Guard[];
  action?: Action;
  /** A key that only explains (Space on a command block). */
  refusal?: Refusal;
}

/** Key names: Enter, Space, Esc, Tab, Backspace, C-c, arrows as Up/Down/Left/Right, PageUp/PageDown, else the character. */
const STEP: Binding[] = [
  {keys: ['C-c'], when: 'running', action: 'cancel-run'},
  {keys: ['C-c'], action: 'quit'},
  // A pod selected in PODS (J K): k9s's keys are about it until Esc lets it go.
  {keys: ['l'], when: 'pod-selected', action: 'pod-logs'},
  {keys: ['p'], when: 'pod-selected', action: 'pod-previous'},
  {keys: ['d'], when: 'pod-selected', action: 'pod-describe'},
  {keys: ['e'], when: 'pod-selected', action: 'pod-events'},
  {keys: ['Esc'], when: 'pod-selected', action: 'pods-release'},
  {keys: ['Right', 'n', 'l'], action: 'next-step'},
  {keys: ['Left', 'p', 'h'], action: 'previous-step'},
  {keys: ['Down', 'j', 'Tab'], action: 'focus-next'},
  {keys: ['Up', 'k'], action: 'focus-previous'},
  {keys: ['PageDown'], action: 'page-down'},
  {keys: ['PageUp'], action: 'page-up'},
  {keys: ['g'], action: 'first-step'},
  {keys: ['G'], action: 'last-step'},
  {keys: ['Enter', 'Space'], when: 'on-check', guards: ['writer'], action: 'tick'},
  {keys: ['Enter', 'Space'], when: 'on-template', guards: ['writer'], action: 'fill-template'},
  {keys: ['Space'], guards: ['writer', 'focused'], refusal: {text: 'Space ticks checklist items; Enter runs a command block', tone: 'muted'}},
  {keys: ['Enter'], guards: ['writer', 'focused', 'idle'], action: 'run'},
  {keys: ['m'], guards: ['writer', 'native-focused', 'idle'], action: 'run-natively'},
  {keys: ['s'], guards: ['writer'], action: 'skip'},
  {keys: ['d'], guards: ['writer'], action: 'mark-done'},
  {keys: ['N'], guards: ['writer'], action: 'note'},
  {keys: ['I'], guards: ['writer', 'no-incident'], action: 'declare-incident'},
  {keys: ['X'], guards: ['writer'], action: 'resolve-incident'},
  {keys: ['R'], guards: ['rollback-section'], action: 'go-to-rollback'},
  {keys: ['['], action: 'older-run'},
  {keys: [']'], action: 'newer-run'},
  {keys: ['/'], action: 'search'},
  {keys: ['o'], action: 'toggle-outline'},
  {keys: ['c'], action: 'toggle-panes'},
  {keys: ['J'], action: 'pods-down'},
  {keys: ['K'], action: 'pods-up'},
  {keys: ['A'], guards: ['writer', 'reviewable'], action: 'open-approval'},
  {keys: ['u'], guards: ['writer', 'idle', 'cluster'], action: 'open-undo'},
  {keys: ['L'], guards: ['idle', 'can-switch'], action: 'open-runbooks'},
  {keys: ['F'], action: 'open-follow-ups'},
  {keys: ['T'], action: 'wheel'},
  {keys: ['B'], guards: ['writer'], action: 'accept-branches'},
  {keys: ['?'], action: 'help'},
  {keys: ['q'], guards: ['idle'], action: 'quit'},
];

/** A one-line prompt (a question before a run, a reason, a note, a search): it takes the typed text. */
const PROMPT: Binding[] = [
  {keys: ['C-c'], when: 'running', action: 'cancel-run'},
  {keys: ['C-c', 'Esc'], action: 'close'},
  {keys: ['Enter'], action: 'submit'},
  {keys: ['Backspace'], action: 'erase'},
  {keys: ['text'], action: 'type'},
];

/** The help over the screen: it scrolls when taller than the screen, and closes. */
const OVERLAY: Binding[] = [
  {keys: ['C-c'], when: 'running', action: 'cancel-run'},
  {keys: ['C-c', 'Esc', '?', 'q'], action: 'close'},
  {keys: ['Down', 'j', 'PageDown', 'Space'], action: 'help-down'},
  {keys: ['Up', 'k', 'PageUp'], action: 'help-up'},
];

/** A pod's logs, description or events over the screen: it scrolls, searches, goes to another view of the pod. */
const INSPECT: Binding[] = [
  {keys: ['C-c'], when: 'running', action: 'cancel-run'},
  {keys: ['C-c', 'Esc', 'q'], action: 'inspect-close'},
  {keys: ['Down', 'j'], action: 'inspect-down'},
  {keys: ['Up', 'k'], action: 'inspect-up'},
  {keys: ['PageDown', 'Space'], action: 'inspect-page-down'},
  {keys: ['PageUp'], action: 'inspect-page-up'},
  {keys: ['g'], action: 'inspect-top'},
  {keys: ['G'], action: 'inspect-bottom'},
  {keys: ['/'], action: 'inspect-search'},
  {keys: ['n'], action: 'inspect-next'},
  {keys: ['N'], action: 'inspect-previous'},
  {keys: ['l'], action: 'pod-logs'},
  {keys: ['p'], action: 'pod-previous'},
  {keys: ['d'], action: 'pod-describe'},
  {keys: ['e'], action: 'pod-events'},
];

/** The overlay's search line after `/`: it takes the typed text. */
const INSPECT_SEARCH: Binding[] = [
  {keys: ['C-c'], when: 'running', action: 'cancel-run'},
  {keys: ['C-c', 'Esc'], action: 'inspect-cancel'},
  {keys: ['Enter'], action: 'inspect-submit'},
  {keys: ['Backspace'], action: 'inspect-erase'},
  {keys: ['text'], action: 'inspect-type'},
];

/** A dialog (the native rollback, an approval, the runbook picker) owns the keyboard: the session maps no key. */
const DIALOG: Binding[] = [];

/** A read-only view walks like the writer's; the writer's guard refuses what would record. */
export const KEY_MAPS: Record<Mode, Binding[]> = {
  step: STEP,
  'read-only': STEP,
  prompt: PROMPT,
  overlay: OVERLAY,
  dialog: DIALOG,
  inspect: INSPECT,
  'inspect-search': INSPECT_SEARCH,
};

export type Resolved = {action: Action} | {refusal: Refusal} | null;

/** `typed`: what was typed, for the key `text`. */
export function resolveKey(mode: Mode, name: string, state: KeyState, typed = ''): Resolved {
  const bindings = mode === 'dialog' && state.dialog ? DIALOG_MAPS[state.dialog.kind] : KEY_MAPS[mode];
  for (const binding of bindings) {
    if (!binding.keys.includes(name)) continue;
    if (binding.typed !== undefined && binding.typed !== typed) continue;
    if (binding.when && !SITUATIONS[binding.when](state)) continue;
    for (const guard of binding.guards ?? []) {
      if (GUARDS[guard].holds(state)) continue;
      const refusal = guard === 'writer' && state.readOnlyReason ? {text: state.readOnlyReason, tone: 'warn' as const} : GUARDS[guard].refusal;
      return refusal ? {refusal} : null;
    }
    if (binding.refusal) return {refusal: binding.refusal};
    return binding.action ? {action: binding.action} : null;
  }
  return null;
}

/** Ink's key as a key map's name. In a prompt or a dialog, what is not a named key is text. */
export function keyName(input: string, key: Key, mode: Mode): string | null {
  if (key.ctrl && input === 'c') return 'C-c';
  if (key.return) return 'Enter';
  if (key.escape) return 'Esc';
  if (key.backspace || key.delete) return 'Backspace';
  if (mode === 'prompt' || mode === 'inspect-search') return input && !key.ctrl && !key.meta ? 'text' : null;
  if (key.rightArrow) return 'Right';
  if (key.leftArrow) return 'Left';
  if (key.downArrow) return 'Down';
  if (key.upArrow) return 'Up';
  if (key.tab) return 'Tab';
  if (key.pageDown) return 'PageDown';
  if (key.pageUp) return 'PageUp';
  if (mode === 'dialog') return input && !key.ctrl && !key.meta ? 'text' : null;
  if (input === ' ') return 'Space';
  return input || null;
}
