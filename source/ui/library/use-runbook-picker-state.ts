// The runbook picker's state (L in the session): a pure reducer. Phases: loading (the library is being read) →
// choose (↑↓ a runbook, Enter) → chosen (the session hands over to it) | failed (the library could not be read).
// Enter on the open runbook, or on one that cannot be read, says why and stays.

import type {LibraryEntry} from '../../session/runbook-library.js';

export interface PickerState {
  phase: 'loading' | 'choose' | 'failed' | 'chosen';
  /** The open runbook's path: marked in the list, and not "switched to". */
  current: string;
  entries: LibraryEntry[];
  selected: number;
  /** A line under the list: why Enter did nothing, or why the list is empty. */
  notice: string | null;
  /** Set by Enter on another runbook: the path to open next. */
  chosen: string | null;
}

export type PickerAction = {type: 'loaded'; entries: LibraryEntry[]} | {type: 'load-failed'; message: string} | {type: 'move'; delta: number} | {type: 'enter'};

export const initialPickerState = (current: string): PickerState => ({phase: 'loading', current, entries: [], selected: 0, notice: null, chosen: null});

const clamp = (n: number, lo: number, hi: number) => Math.max(lo, Math.min(hi, n));

export function pickerReducer(state: PickerState, action: PickerAction): PickerState {
  switch (action.type) {
    case 'loaded': {
      // Starts on the open runbook, so the list reads "you are here" and one key away is the neighbour.
      const here = action.entries.findIndex(e => e.path === state.current);
      const others = action.entries.some(e => e.path !== state.current);
      return {...state, phase: 'choose', entries: action.entries, selected: Math.max(0, here), notice: others ? null : 'No other runbook in this folder or in ./runbooks'};
    }
    case 'load-failed':
      return {...state, phase: 'failed', notice: `The runbooks could not be listed: ${action.message}`};
    case 'move':
      if (state.phase !== 'choose' || state.entries.length === 0) return state;
      return {...state, selected: clamp(state.selected + action.delta, 0, state.entries.length - 1), notice: null};
    case 'enter': {
      const entry = state.phase === 'choose' ? state.entries[state.selected] : undefined;
      if (!entry) return state;
      if (entry.path === state.current) return {...state, notice: 'That is the runbook open now: Esc goes back to it'};
      if (entry.problem) return {...state, notice: `Cannot open ${entry.file}: ${entry.problem}`};
      return {...state, phase: 'chosen', chosen: entry.path, notice: null};
    }
  }
}
