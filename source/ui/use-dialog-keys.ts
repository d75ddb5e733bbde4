// A dialog's keyboard: each read becomes keys, each key is resolved by the dialog's key map (key-map.ts,
// DIALOG_MAPS) to an action, and the dialog's hook does the action. No key is mapped here.

import {useInput, type Key} from 'ink';
import {dialogKeyState, keyName, resolveKey, type Action, type DialogKind, type DialogState} from './key-map.js';
import {splitPaste} from './paste.js';

/** What the dialog does for each action its key map names; `text` is what was typed, for `type`. */
export type DialogHandlers = Partial<Record<Action, (text: string) => void>>;

export interface DialogKeys {
  kind: DialogKind;
  /** The dialog's state at the moment of each key (keys typed faster than a render see their own effects). */
  state: () => Omit<DialogState, 'kind'>;
  handlers: DialogHandlers;
}

export function useDialogKeys(keys: DialogKeys, isActive: boolean) {
  useInput(
    (input, key) => {
      // Text and Enter in one read (typed fast, pasted, or sent by a script): type it, then confirm. A dialog with
      // an outcome reads one key at a time.
      const pasted = keys.state().ended ? null : splitPaste(input);
      if (!pasted) return dialogKey(input, key, keys);
      if (pasted.text) dialogKey(pasted.text, {...key, return: false}, keys);
      dialogKey('', {...key, return: true}, keys);
    },
    {isActive},
  );
}

/** One key: resolved by the dialog's key map to an action, which the dialog does. */
export function dialogKey(input: string, key: Key, {kind, state, handlers}: DialogKeys) {
  const name = keyName(input, key, 'dialog');
  if (!name) return;
  const resolved = resolveKey('dialog', name, dialogKeyState({kind, ...state()}), input);
  if (resolved && 'action' in resolved) handlers[resolved.action]?.(input);
}
