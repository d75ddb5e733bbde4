// The keys of a dialog that has the keyboard (the native rollback, an approval), as data like the session's key maps:
// resolved by key-map.ts's resolveKey when `KeyState.dialog` names the dialog.

import type {Binding, DialogKind, DialogState, KeyState} from './key-map.js';

/** Once a dialog has an outcome, Enter or Esc puts it away and nothing else does anything. */
const DIALOG_ENDED: Binding[] = [
  {keys: ['Enter', 'Esc'], when: 'dialog-ended', action: 'dismiss'},
  {keys: ['Backspace', 'Up', 'Down', 'text'], when: 'dialog-ended'},
];

/** Each dialog's own keys, resolved when `KeyState.dialog` names it. */
export const DIALOG_MAPS: Record<DialogKind, Binding[]> = {
  // The native rollback: ↑↓ a revision, ⏎, then type the namespace and ⏎; Esc before the patch is sent cancels.
  undo: [
    ...DIALOG_ENDED,
    {keys: ['Esc'], action: 'cancel'},
    {keys: ['Enter'], action: 'confirm'},
    {keys: ['Up'], action: 'choose-previous'},
    {keys: ['Down'], action: 'choose-next'},
    {keys: ['Backspace'], action: 'erase'},
    {keys: ['text'], action: 'type'},
  ],
  // A deployment review: a approves, r rejects, then a comment and ⏎; Esc before it is sent cancels.
  approval: [
    ...DIALOG_ENDED,
    {keys: ['Esc'], action: 'cancel'},
    {keys: ['Enter'], action: 'confirm'},
    {keys: ['Backspace'], action: 'erase'},
    {keys: ['text'], typed: 'a', when: 'choosing', action: 'approve'},
    {keys: ['text'], typed: 'r', when: 'choosing', action: 'reject'},
    {keys: ['text'], when: 'choosing'},
    {keys: ['text'], action: 'type'},
  ],
};

/** A dialog's keys see only the dialog: no guard of the session applies to them. */
export const dialogKeyState = (dialog: DialogState): KeyState => ({
  readOnly: false,
  running: false,
  focus: null,
  nativeFocus: false,
  reviewable: false,
  cluster: false,
  incidentDeclared: false,
  hasRollback: false,
  canSwitch: false,
  dialog,
});
