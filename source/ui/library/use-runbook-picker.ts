// The runbook picker's keys and effects: reads the library when it opens, maps ↑↓ j k ⏎ Esc to the reducer, and
// hands the chosen runbook to the session (which closes this one as quitting does, then opens that one).

import {useApp, useInput} from 'ink';
import {useEffect, useRef, type Dispatch} from 'react';
import type {LibraryEntry} from '../../session/runbook-library.js';
import {useLatestReducer} from '../use-latest-reducer.js';
import {initialPickerState, pickerReducer, type PickerAction, type PickerState} from './use-runbook-picker-state.js';

/** What the session offers the picker: the runbooks beside the open one, and how to switch to one. */
export interface RunbookSwitch {
  /** The open runbook's path. */
  current: string;
  list: () => Promise<LibraryEntry[]>;
  /** Asks for `path` to be opened once this session has closed (the picker then unmounts the app, as q does). */
  open: (path: string) => void;
}

export interface UseRunbookPickerOptions {
  runbooks: RunbookSwitch;
  onClose: () => void;
  /** False while another prompt owns the keys. */
  isActive?: boolean;
}

export function useRunbookPicker(options: UseRunbookPickerOptions): {state: PickerState; dispatch: Dispatch<PickerAction>} {
  const {runbooks, isActive = true} = options;
  const {exit} = useApp();
  const [state, dispatch, latest] = useLatestReducer(pickerReducer, () => initialPickerState(runbooks.current));
  // The owner may pass new callbacks on every render; the effects read the latest ones.
  const callbacks = useRef(options);
  callbacks.current = options;

  useEffect(() => {
    callbacks.current.runbooks.list().then(
      entries => dispatch({type: 'loaded', entries}),
      (error: unknown) => dispatch({type: 'load-failed', message: (error instanceof Error ? error.message : String(error)).split('\n')[0]!}),
    );
    // Listed once, when the picker opens.
  }, [dispatch]);

  useEffect(() => {
    if (!state.chosen) return;
    // As q does: the session is told first, then the app unmounts and the session closes behind it.
    callbacks.current.runbooks.open(state.chosen);
    exit();
  }, [state.chosen, exit]);

  useInput(
    (input, key) => {
      if (latest().phase === 'chosen') return;
      if (key.escape || input === 'q' || input === 'L' || (key.ctrl && input === 'c')) callbacks.current.onClose();
      else if (key.upArrow || input === 'k') dispatch({type: 'move', delta: -1});
      else if (key.downArrow || input === 'j' || key.tab) dispatch({type: 'move', delta: 1});
      else if (key.pageUp) dispatch({type: 'move', delta: -10});
      else if (key.pageDown) dispatch({type: 'move', delta: 10});
      else if (key.return) dispatch({type: 'enter'});
    },
    {isActive},
  );
  return {state, dispatch};
}
