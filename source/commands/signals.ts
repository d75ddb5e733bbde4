// SIGINT, SIGQUIT, SIGTERM and SIGHUP from outside (kill, a closed terminal window, a process supervisor) end the
// session the way quitting does: the running block's whole process group is ended (an interactive one too), the lock
// is released (its exit hook runs on process.exit, never on a death by signal), the terminal is given back as it was
// found, and runbook exits with the conventional 128+n. The keyboard's Ctrl-C never arrives here: in raw mode it is a
// key, and while an interactive block runs the terminal stays raw, its keys written to the block's own pty.

import {constants} from 'node:os';
import {killAllRuns} from '../exec/process-groups.js';

export const EXIT_SIGNALS = ['SIGINT', 'SIGQUIT', 'SIGTERM', 'SIGHUP'] as const;

/** Longest wait for the blocks to end before runbook leaves anyway (they get SIGKILL then). */
const HARD_STOP_MS = 6000;

export interface SignalSteps {
  /** Ends what runs and records how (bounded by the caller; SIGKILL follows after HARD_STOP_MS regardless). */
  endRuns(signal: NodeJS.Signals): Promise<void>;
  /** Leaves the alternate screen, shows the cursor, leaves raw mode: synchronous, safe to call twice. */
  restoreTerminal(): void;
}

/** Installs the handlers; returns their removal. */
export function exitOnSignals(steps: SignalSteps): () => void {
  let exiting = false;
  const leave = (code: number) => {
    try {
      steps.restoreTerminal();
    } finally {
      process.exit(code);
    }
  };
  const onSignal = (signal: NodeJS.Signals) => {
    const code = 128 + (constants.signals[signal] ?? 0);
    if (exiting) {
      // A second signal: the operator (or the system) will not wait.
      void killAllRuns('SIGKILL', 0);
      leave(code);
      return;
    }
    exiting = true;
    const hardStop = setTimeout(() => {
      void killAllRuns('SIGKILL', 0);
      leave(code);
    }, HARD_STOP_MS);
    steps
      .endRuns(signal)
      .catch(() => undefined)
      .finally(() => {
        clearTimeout(hardStop);
        leave(code);
      });
  };
  for (const signal of EXIT_SIGNALS) process.on(signal, onSignal);
  return () => {
    for (const signal of EXIT_SIGNALS) process.off(signal, onSignal);
  };
}
