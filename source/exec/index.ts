// Public API of the command runner (pure Node: no React or Ink here, so the UI can stay thin and this stays testable).
export {startRun, secretValuesFromEnv} from './run-block.js';
export {runInPty, type PtyRunOptions, type PtyRunResult} from './run-pty.js';
export {createRedactor, isSecretName, redactLine, REDACTED, type Redactor} from './redact.js';
export {initialShellState} from './shell-state.js';
export {isGroupAlive, isProcessAlive, killAllRuns, liveRunGroups} from './process-groups.js';
export {afterCarriageReturn, displayLine} from './display-line.js';
export type {RunHandle, RunOptions, RunProgress, RunResult, ShellState} from './types.js';
