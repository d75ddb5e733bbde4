// The life of one block's run, from its record to its end: registered as the running block, run in the background
// (startRun) or on the operator's terminal (the CLI's handover), ended by Ctrl-C or a signal to runbook, and its end
// recorded. The controller decides whether a block may run and with what; this says what running it means.

import {join} from 'node:path';
import {setTimeout as sleep} from 'node:timers/promises';
import type {RunHandle, RunProgress, RunResult, ShellState} from '../exec/types.js';
import type {PlannedCommand} from '../runbook/command-plan.js';
import type {NewEvent} from './events.js';
import {endGroup} from './interrupted-runs.js';
import {isSecretName} from '../runbook/secret-names.js';
import {exitFileFor} from './run-fate.js';
import {unlinkQuietly} from './session-files.js';

export interface ActiveRun {
  runId: string;
  stepId: string;
  blockId: string;
  command: string;
  progress: RunProgress | null;
  cancelling: boolean;
  interactive: boolean;
  startedAtMs: number;
  /** A run started before runbook was last killed and found still running: its process group. */
  adoptedPid?: number;
}

/**
 * Runs an interactive block on the real terminal; the CLI provides it because only it can hand the terminal over. Its
 * transcript goes to `outputFile`, with `secrets` masked; `plan` says which commands are followers and searches.
 */
export type Handover = (job: {
  script: string;
  shell: ShellState;
  command: string;
  scratchDir: string;
  exitFile: string;
  outputFile: string;
  secrets: string[];
  plan?: PlannedCommand[];
  /** The block's own secrets, as it assigns them (kept out of every later record). */
  onSecrets?: (values: string[]) => void;
}) => Promise<RunResult>;

/** An interactive block the operator ended with Ctrl-C on a command that is not a follower: stopped, not failed. */
export const endedByCtrlC = (result: Pick<RunResult, 'exitCode' | 'signal'>) => result.exitCode === 130 || result.signal === 'SIGINT';

/** What a run needs from its session: where its files go, and how to record, be shown and keep secrets. */
export interface RunHost {
  outputDir: string;
  scratchDir: string;
  handover?: Handover;
  record(event: NewEvent): boolean;
  changed(): void;
  /**
   * Keeps a secret the block exported (or, `plain`, set without exporting) in memory only, redacted from everything
   * written; null: the block unset it (or moved it between the two).
   */
  keepSecret(name: string, value: string | null, plain?: boolean): void;
  secretValues(): string[];
  addSecrets(values: string[]): void;
  nextRunId(): string;
}

/** A block cleared to run: its step, the script with the operator's answers in it, and the shell it starts in. */
export interface RunRequest {
  stepId: string;
  blockId: string;
  script: string;
  /** The block's commands as the operator reads them (shown when it takes over the terminal). */
  command: string;
  interactive: boolean;
  before: ShellState;
  /** The block's logical commands and their roles (runbook/command-plan.ts), for the runner's per-command outcomes. */
  plan?: PlannedCommand[];
}

export class RunLifecycle {
  private current: ActiveRun | null = null;
  private handle: RunHandle | null = null;
  /** Why the running block is being ended, when it is not the operator's Ctrl-C (a signal to runbook). */
  private cancelReason: string | null = null;

  constructor(private readonly host: RunHost) {}

  get active(): ActiveRun | null {
    return this.current;
  }

  /** Shows a run found still running after a crash as the running block, or clears it when it ends (interrupted-runs.ts). */
  adopt(run: ActiveRun | null) {
    this.current = run;
    this.host.changed();
  }

  /** Runs the block and records its end; null when it could not be recorded (then it did not run). */
  async run(request: RunRequest): Promise<RunResult | null> {
    const {stepId, blockId, script, before, interactive} = request;
    const runId = this.host.nextRunId();
    // An interactive run's transcript is recorded as a background run's output is.
    const outputFile = join(this.host.outputDir, `${runId}.log`);
    const exitFile = exitFileFor(this.host.outputDir, runId);
    const started: NewEvent = {type: 'run-started', runId, stepId, blockId, command: script, outputFile, interactive};
    const attached = interactive && this.host.handover;
    // A run that cannot be recorded does not start: the record must never miss a command that ran. A background run
    // is recorded once its process exists, with its process group (so a later start can find it), and before it
    // runs anything: its shell waits for the go that follows the record (see startRun's beforeStart).
    let recorded = false;
    if (attached && !(recorded = this.host.record(started))) return null;
    this.cancelReason = null;
    this.current = {runId, stepId, blockId, command: script, progress: null, cancelling: false, interactive, startedAtMs: Date.now()};
    this.host.changed();
    let result: RunResult;
    try {
      if (attached) {
        const {scratchDir} = this.host;
        const plan = request.plan ? {plan: request.plan} : {};
        result = await this.host.handover!({script, shell: before, command: request.command, scratchDir, exitFile, outputFile, secrets: this.host.secretValues(), ...plan, onSecrets: values => this.host.addSecrets(values)});
      } else result = await this.inBackground(runId, script, before, exitFile, started, ok => (recorded = ok), request.plan);
    } catch (error) {
      // Recorded as started, so it ends as a failed run saying why: never a run left open, never a crashed screen.
      if (!recorded) recorded = this.host.record(started);
      result = notStarted(before, outputFile, error);
    } finally {
      this.handle = null;
      this.current = null;
    }
    if (!recorded) {
      unlinkQuietly(exitFile);
      this.host.changed();
      return null;
    }
    // Ended because runbook itself was told to stop: recorded as stopped, saying so (an interactive block included).
    if (this.cancelReason && (result.cancelled || attached) && !result.error) result = {...result, cancelled: true, error: this.cancelReason};
    else if (attached && endedByCtrlC(result) && !result.error) result = {...result, cancelled: true};
    this.recordEnd(runId, before, result);
    // Kept only for a later start to read if runbook died before this record: it now holds nothing new.
    unlinkQuietly(exitFile);
    return result;
  }

  /** Ends the running block (its whole process group). `reason` is recorded with it when it is not the operator's Ctrl-C. */
  cancel(reason?: string): boolean {
    if (this.current && reason) this.cancelReason = reason;
    if (!this.current || this.current.interactive) return false;
    this.current = {...this.current, cancelling: true};
    if (this.current.adoptedPid) endGroup(this.current.adoptedPid);
    else this.handle?.cancel();
    this.host.changed();
    return true;
  }

  /** Resolves once no block is running (or after `timeoutMs`): for an exit that should record how the run ended. */
  async settled(timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.current && Date.now() < deadline) await sleep(20);
  }

  private async inBackground(runId: string, script: string, before: ShellState, exitFile: string, started: NewEvent, recorded: (ok: boolean) => boolean, plan?: PlannedCommand[]): Promise<RunResult> {
    // execa is loaded with the first run, not at start-up.
    const {startRun} = await import('../exec/run-block.js');
    this.handle = startRun({
      script,
      shell: before,
      outputFile: join(this.host.outputDir, `${runId}.log`),
      secrets: this.host.secretValues(),
      scratchDir: this.host.scratchDir,
      exitFile,
      ...(plan ? {plan} : {}),
      beforeStart: ({pid, identity}) =>
        recorded(this.host.record({...started, ...(pid > 0 ? {processGroup: pid} : {}), ...(identity ? {processStart: identity} : {})} as NewEvent)),
      // The block's own secrets, as it assigns them: kept out of every later record too.
      onSecrets: values => this.host.addSecrets(values),
      // Four frames a second reads as live, and leaves the event loop to the command's output.
      flushIntervalMs: 250,
      onProgress: progress => {
        if (this.current?.runId !== runId) return;
        this.current = {...this.current, progress};
        this.host.changed();
      },
    });
    // Ctrl-C may have come while the runner was still loading.
    if (this.current?.cancelling) this.handle.cancel();
    return await this.handle.done;
  }

  private recordEnd(runId: string, before: ShellState, result: RunResult) {
    // What the block set is recorded before its exit: a crash between the two then leaves a run shown as interrupted
    // with its variables kept, never a finished run whose variables the next block cannot find.
    this.recordShell(before, result.shell);
    this.host.record({
      type: 'run-finished',
      runId,
      exitCode: result.exitCode,
      signal: result.signal,
      cancelled: result.cancelled,
      durationMs: result.durationMs,
      lines: result.lines,
      tail: result.tail.slice(-50),
      ...(result.error ? {error: result.error} : {}),
      ...(result.failedLine ? {failedLine: result.failedLine} : {}),
      ...(result.commandNotes?.length ? {commandNotes: result.commandNotes} : {}),
    });
  }

  /** Records what the block changed in its variables and directory; secret-looking values stay in memory only. */
  private recordShell(before: ShellState, after: ShellState) {
    const env = this.changes(before.env, after.env, false);
    // A state that says nothing of plain variables (a test's, an older caller's) changed none.
    const vars = after.vars ? this.changes(before.vars ?? {}, after.vars, true) : {};
    const changed = Object.keys(env).length || Object.keys(vars).length || after.cwd !== before.cwd;
    if (changed) this.host.record({type: 'shell-changed', env, ...(Object.keys(vars).length ? {vars} : {}), cwd: after.cwd});
  }

  /** What changed from one set of variables to the other (null: gone); a secret-named one is kept by the host instead. */
  private changes(before: Record<string, string>, after: Record<string, string>, plain: boolean): Record<string, string | null> {
    const out: Record<string, string | null> = {};
    for (const [name, value] of Object.entries(after)) {
      if (before[name] === value) continue;
      if (isSecretName(name)) this.host.keepSecret(name, value, plain);
      else out[name] = value;
    }
    for (const name of Object.keys(before)) {
      if (name in after) continue;
      out[name] = null;
      // Or the host would give it back to the next block.
      if (isSecretName(name)) this.host.keepSecret(name, null, plain);
    }
    return out;
  }
}

/** A run that could not start (no writable place for the block's shell state, no bash): failed, with the reason. */
function notStarted(shell: ShellState, outputFile: string | null, error: unknown): RunResult {
  const at = new Date().toISOString();
  const reason = (error instanceof Error ? error.message : String(error)).split('\n')[0];
  return {exitCode: null, signal: null, cancelled: false, startedAt: at, endedAt: at, durationMs: 0, shell, outputFile, lines: 0, bytes: 0, tail: [], error: `the block could not start: ${reason}`};
}
