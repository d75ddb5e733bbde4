// The guided session without a screen: it records what the operator does, runs blocks through the exec layer and
// tells subscribers when something changed. The Ink UI is one subscriber; tests drive it directly.

import {isAbsolute, join, relative} from 'node:path';
import {setTimeout as sleep} from 'node:timers/promises';
import {sweepShellDumps} from '../exec/shell-state.js';
import type {RunHandle, RunProgress, RunResult, ShellState} from '../exec/types.js';
import {scriptOf} from '../runbook/blocks.js';
import type {Block, Runbook, RunbookNode} from '../runbook/model.js';
import {isSecretName} from '../runbook/secret-names.js';
import {walkSteps} from '../runbook/walk.js';
import type {Actor, Context, NewEvent, SessionEvent} from './events.js';
import {questionsFor, substitute, type Answers, type Question} from './questions.js';
import {endGroup, resolveInterruptedRuns} from './interrupted-runs.js';
import {currentActor} from './locks.js';
import {exitFileFor} from './run-fate.js';
import {applyEvent, emptySessionState, type SessionState} from './session-state.js';
import {saveFailureLine, unlinkQuietly} from './session-files.js';
import type {SessionStore} from './store.js';
import {SessionClients} from './clients.js';
import {fillTemplate, saveFilledTemplate, sessionFacts, type HistoryEntry, type TemplateFacts} from './templates.js';

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

/** Runs an interactive block on the real terminal; the CLI provides it because only it can hand the terminal over. */
export type Handover = (job: {script: string; shell: ShellState; command: string; scratchDir: string; exitFile: string}) => Promise<RunResult>;

export interface ControllerOptions {
  runbook: Runbook;
  store: SessionStore;
  shell: ShellState;
  handover?: Handover;
  /** Resolves when what blocks run against is ready (a rehearsal's sandbox); runs wait for it. */
  ready?: Promise<void>;
  /** A rehearsal's scratch directory: every block starts in it or under it, whatever an earlier block cd'd to. */
  workspace?: string;
  /** Where commands are aimed, given the environment the next block would run with. */
  context?: (env: Record<string, string>) => Context;
  /** Where blocks' environment dumps go while they run: inside the state directory (the store's scratchDir by default). */
  scratchDir?: string;
  actor?: Actor;
  /** The session's connections to the cluster and GitHub, shared with the screen (default: new ones). */
  clients?: SessionClients;
  now?: () => Date;
}

export class SessionController {
  readonly runbook: Runbook;
  readonly steps: RunbookNode[];
  private state: SessionState;
  private readonly secrets: Record<string, string> = {};
  private active: ActiveRun | null = null;
  private handle: RunHandle | null = null;
  private readonly listeners = new Set<() => void>();
  private version = 0;
  private runCounter = 0;
  /** What the session learned from GitHub actions done natively: the release PR and the merge commit. */
  readonly github: {prNumber: number | null; mergeSha: string | null; follow: {workflow: string | null; sha: string} | null} = {prNumber: null, mergeSha: null, follow: null};
  /** One Kubernetes client and one Octokit per environment, for the native actions and the screen alike. */
  readonly clients: SessionClients;
  /** The last write that failed: shown to the operator; nothing it carried is shown as recorded. */
  saveError: string | null = null;
  /** Why the running block is being ended, when it is not the operator's Ctrl-C (a signal to runbook). */
  private cancelReason: string | null = null;
  private readonly scratchDir: string;

  constructor(private readonly options: ControllerOptions) {
    this.scratchDir = options.scratchDir ?? options.store.scratchDir ?? join(options.store.outputDir, 'tmp');
    this.clients = options.clients ?? new SessionClients();
    // Environment dumps a killed runbook left behind (they hold every exported value) go before anything runs.
    if (!options.store.readOnly) sweepShellDumps(this.scratchDir);
    this.runbook = options.runbook;
    this.steps = walkSteps(options.runbook);
    this.state = options.store.events().reduce(applyEvent, emptySessionState());
    if (!this.state.startedAt && !options.store.readOnly) {
      const {path, hash, title} = options.runbook;
      this.record({type: 'session-started', runbook: {path, hash, title}});
    }
  }

  get sessionId() {
    return this.options.store.id;
  }

  get readOnly(): boolean {
    return this.options.store.readOnly === true;
  }

  /** Adds to the environment every block starts from (a rehearsal's sandbox, once it answers). */
  extendBaseEnv(extra: Record<string, string>) {
    Object.assign(this.options.shell.env, extra);
    this.changed();
  }

  /** Picks up what the writing process appended since (read-only views poll this). */
  reload() {
    this.options.store.refresh?.();
    this.state = this.options.store.events().reduce(applyEvent, emptySessionState());
    this.changed();
  }

  snapshot = (): number => this.version;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  get session(): SessionState {
    return this.state;
  }

  get activeRun(): ActiveRun | null {
    return this.active;
  }

  private changed() {
    this.version++;
    for (const listener of this.listeners) listener();
  }

  private record(event: NewEvent): boolean {
    if (this.readOnly) {
      this.saveError = this.options.store.readOnlyReason ?? 'read-only view: another runbook process is writing this session';
      this.changed();
      return false;
    }
    const full = {
      ...event,
      at: (this.options.now?.() ?? new Date()).toISOString(),
      by: this.options.actor ?? currentActor(),
      context: this.options.context?.(this.shell().env) ?? {},
    } as SessionEvent;
    try {
      this.options.store.append(full); // kept before it is shown
    } catch (error) {
      // Not on disk, so not on screen either; everything recorded before stays as it was.
      this.saveError = saveFailureLine(error);
      this.changed();
      return false;
    }
    this.saveError = null;
    this.state = applyEvent(this.state, full);
    this.changed();
    return true;
  }

  /** The shell the next block starts in: the base environment, what earlier blocks exported, the session's answers. */
  shell(): ShellState {
    const env = {...this.options.shell.env};
    for (const [name, value] of Object.entries(this.state.env)) {
      if (value === null) delete env[name];
      else env[name] = value;
    }
    Object.assign(env, this.state.variables, this.secrets);
    const cwd = this.state.cwd ?? this.options.shell.cwd;
    const {workspace} = this.options;
    return {env, cwd: workspace && !isWithin(cwd, workspace) ? workspace : cwd};
  }

  enterStep(stepId: string) {
    if (this.state.currentStepId !== stepId && !this.readOnly) this.record({type: 'step-entered', stepId});
  }

  toggleCheck(stepId: string, itemId: string) {
    this.record({type: 'check-toggled', stepId, itemId, checked: !this.state.checks[itemId]});
  }

  mark(stepId: string, status: 'done' | 'skipped' | 'not-started', reason: string) {
    this.record({type: 'step-marked', stepId, status, reason});
  }

  note(stepId: string, text: string) {
    this.record({type: 'note', stepId, text});
  }

  block(blockId: string): {block: Block; step: RunbookNode} | null {
    for (const step of this.steps) {
      const block = step.blocks.find(b => b.id === blockId);
      if (block) return {block, step};
    }
    return null;
  }

  questions(blockId: string): Question[] {
    const found = this.block(blockId);
    return found ? questionsFor(found.block, this.runbook, this.state, this.shell().env) : [];
  }

  refuse(blockId: string, reason: string) {
    const found = this.block(blockId);
    if (found) this.record({type: 'refused', stepId: found.step.id, blockId, reason});
  }

  /** Runs a command block with the operator's answers. Resolves when the run has ended and been recorded. */
  async run(blockId: string, answers: Answers): Promise<RunResult | null> {
    const found = this.block(blockId);
    if (!found || found.block.kind !== 'command' || this.active || this.readOnly) return null;
    const {block, step} = found;
    // Only a rehearsal waits (for its sandbox); otherwise the run is registered synchronously, so a Ctrl-C that
    // follows at once finds it.
    if (this.options.ready) await this.options.ready;
    if (block.dangerous && !answers.confirmed) {
      this.refuse(blockId, 'the typed confirmation did not match');
      return null;
    }
    for (const [name, value] of Object.entries(answers.variables)) this.setVariable(name, value);
    for (const [text, value] of Object.entries(answers.placeholders)) this.record({type: 'placeholder-set', text, value});
    const script = substitute(scriptOf(block), this.state.placeholders, block.placeholders.map(p => p.text));
    const before = this.shell();
    const runId = `${Date.now().toString(36)}-${(++this.runCounter).toString(36)}`;
    const outputFile = block.interactive ? null : join(this.options.store.outputDir, `${runId}.log`);
    const exitFile = exitFileFor(this.options.store.outputDir, runId);
    const started: NewEvent = {type: 'run-started', runId, stepId: step.id, blockId, command: script, outputFile, interactive: block.interactive};
    const attached = block.interactive && this.options.handover;
    // A run that cannot be recorded does not start: the record must never miss a command that ran. A background run
    // is recorded once its process exists, with its process group (so a later start can find it), and before it
    // runs anything: its shell waits for the go that follows the record (see startRun's beforeStart).
    let recorded = false;
    if (attached && !(recorded = this.record(started))) return null;
    this.cancelReason = null;
    this.active = {runId, stepId: step.id, blockId, command: script, progress: null, cancelling: false, interactive: block.interactive, startedAtMs: Date.now()};
    this.changed();
    let result: RunResult;
    try {
      if (attached) {
        result = await this.options.handover!({script, shell: before, command: block.commands.join('; '), scratchDir: this.scratchDir, exitFile});
      } else {
        // execa is loaded with the first run, not at start-up.
        const {startRun} = await import('../exec/run-block.js');
        this.handle = startRun({
          script,
          shell: before,
          outputFile: outputFile ?? join(this.options.store.outputDir, `${runId}.log`),
          secrets: Object.values(this.secrets),
          scratchDir: this.scratchDir,
          exitFile,
          beforeStart: ({pid, identity}) =>
            (recorded = this.record({...started, ...(pid > 0 ? {processGroup: pid} : {}), ...(identity ? {processStart: identity} : {})} as NewEvent)),
          // The block's own secrets, as it assigns them: kept out of every later record too.
          onSecrets: values => this.options.store.addSecrets?.(values),
          // Four frames a second reads as live, and leaves the event loop to the command's output.
          flushIntervalMs: 250,
          onProgress: progress => {
            if (this.active?.runId !== runId) return;
            this.active = {...this.active, progress};
            this.changed();
          },
        });
        // Ctrl-C may have come while the runner was still loading.
        if (this.active?.cancelling) this.handle.cancel();
        result = await this.handle.done;
      }
    } catch (error) {
      // Recorded as started, so it ends as a failed run saying why: never a run left open, never a crashed screen.
      if (!recorded) recorded = this.record(started);
      result = notStarted(before, outputFile, error);
    } finally {
      this.handle = null;
      this.active = null;
    }
    if (!recorded) {
      unlinkQuietly(exitFile);
      this.changed();
      return null;
    }
    // Ended because runbook itself was told to stop: recorded as stopped, saying so (an interactive block included).
    if (this.cancelReason && (result.cancelled || attached) && !result.error) result = {...result, cancelled: true, error: this.cancelReason};
    // What the block exported is recorded before its exit: a crash between the two then leaves a run shown as
    // interrupted with its exports kept, never a finished run whose exports the next block cannot find.
    this.recordShell(before, result.shell);
    this.record({
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
    });
    // Kept only for a later start to read if runbook died before this record: it now holds nothing new.
    unlinkQuietly(exitFile);
    return result;
  }

  /**
   * Records something the app did itself rather than through a block (the native rollback, an approval): as a run,
   * so the report and the metrics count it like the command it stands for.
   */
  recordAction(stepId: string, action: {command: string; ok: boolean; message: string; durationMs?: number}) {
    const runId = `${Date.now().toString(36)}-${(++this.runCounter).toString(36)}`;
    const blockId = `${stepId}#native`;
    if (!this.record({type: 'run-started', runId, stepId, blockId, command: action.command, outputFile: null, interactive: false})) return;
    this.record({type: 'run-finished', runId, exitCode: action.ok ? 0 : 1, signal: null, cancelled: false, durationMs: action.durationMs ?? 0, lines: 1, tail: [action.message]});
  }

  /**
   * Does a guide's `gh` block natively through the GitHub API (open the release PR, approve, merge, dispatch the
   * rollback), records it like a run, and says what happened in one line.
   */
  async native(blockId: string, answers: Answers): Promise<{ok: boolean; message: string} | null> {
    const found = this.block(blockId);
    if (!found || this.readOnly) return null;
    const {guideActionFor, performGuideAction} = await import('../github/guide-actions.js');
    const action = guideActionFor(found.block.commands);
    if (!action) return null;
    if (found.block.dangerous && !answers.confirmed) {
      this.refuse(blockId, 'the typed confirmation did not match');
      return null;
    }
    const started = Date.now();
    try {
      const repository = typeof this.runbook.frontMatter.repository === 'string' ? this.runbook.frontMatter.repository : undefined;
      const outcome = await performGuideAction(action, this.shell().env, this.github, repository, (env, front) => this.clients.gitHubTarget(env, front));
      if (outcome.prNumber) this.github.prNumber = outcome.prNumber;
      if (outcome.mergeSha) {
        this.github.mergeSha = outcome.mergeSha;
        // The merge's run: of the runbook's workflow when it names one, else whichever run GitHub starts for it.
        this.github.follow = {workflow: this.runbook.targets?.primary.workflow ?? null, sha: outcome.mergeSha};
      }
      if (outcome.follow) this.github.follow = outcome.follow;
      this.recordAction(found.step.id, {command: outcome.command, ok: true, message: outcome.message, durationMs: Date.now() - started});
      return {ok: true, message: outcome.message};
    } catch (error) {
      const message = (error as Error).message.split('\n')[0] ?? String(error);
      this.recordAction(found.step.id, {command: `${found.block.commands[0]?.split('\n')[0] ?? action.kind}  # native, refused`, ok: false, message, durationMs: Date.now() - started});
      return {ok: false, message};
    }
  }

  /**
   * A template block filled from the session's facts, kept in a file beside the session's output. Given the
   * workload's rollout history, the versions are read from its image tags.
   */
  fillTemplate(blockId: string, facts: Omit<TemplateFacts, 'startedAt' | 'now' | 'who' | 'service'> & {history?: readonly HistoryEntry[]}): {text: string; file: string} | null {
    const found = this.block(blockId);
    if (!found || found.block.kind !== 'template') return null;
    const now = this.options.now?.() ?? new Date();
    const {history, ...given} = facts;
    const text = fillTemplate(found.block.code, {
      ...sessionFacts(this.runbook, this.shell().env, this.options.store.events(), history),
      ...given,
      startedAt: new Date(this.state.startedAt ?? now.toISOString()),
      now,
      who: (this.options.actor ?? currentActor()).user,
    });
    const file = saveFilledTemplate(join(this.options.store.outputDir, 'messages'), `${found.step.title}-${now.toISOString().slice(11, 19)}`, text);
    return {text, file};
  }

  /** Ends the running block (its whole process group). `reason` is recorded with it when it is not the operator's Ctrl-C. */
  cancel(reason?: string): boolean {
    if (this.active && reason) this.cancelReason = reason;
    if (!this.active || this.active.interactive) return false;
    this.active = {...this.active, cancelling: true};
    if (this.active.adoptedPid) endGroup(this.active.adoptedPid);
    else this.handle?.cancel();
    this.changed();
    return true;
  }

  /** Resolves once no block is running (or after `timeoutMs`): for an exit that should record how the run ended. */
  async settled(timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.active && Date.now() < deadline) await sleep(20);
  }

  /**
   * Says, and records, what became of the runs a killed runbook left without an end (see run-fate.ts): finished (with
   * the exit its shell noted), ended when runbook was killed, or gone. One still running is adopted: shown as the
   * running block, Ctrl-C ends it, and its end is recorded when it comes. Returns one line per run, for the screen.
   */
  resolveInterruptedRuns(): string[] {
    if (this.readOnly) return [];
    return resolveInterruptedRuns(this.state.runs, {
      outputDir: this.options.store.outputDir,
      record: event => this.record(event),
      running: () => this.active,
      show: run => {
        this.active = run;
        this.changed();
      },
    });
  }

  private setVariable(name: string, value: string) {
    const secret = this.runbook.variables.find(v => v.name === name)?.secret ?? isSecretName(name);
    if (secret) {
      this.secrets[name] = value;
      this.options.store.addSecrets?.([value]);
    }
    this.record({type: 'variable-set', name, value: secret ? null : value, secret});
  }

  /** Records what the block changed in the environment; secret-looking values stay in memory only. */
  private recordShell(before: ShellState, after: ShellState) {
    const env: Record<string, string | null> = {};
    for (const [name, value] of Object.entries(after.env)) {
      if (before.env[name] === value) continue;
      if (isSecretName(name)) {
        this.secrets[name] = value;
        this.options.store.addSecrets?.([value]);
      }
      else env[name] = value;
    }
    for (const name of Object.keys(before.env)) if (!(name in after.env)) env[name] = null;
    if (Object.keys(env).length || after.cwd !== before.cwd) this.record({type: 'shell-changed', env, cwd: after.cwd});
  }
}

/** A run that could not start (no writable place for the block's shell state, no bash): failed, with the reason. */
function notStarted(shell: ShellState, outputFile: string | null, error: unknown): RunResult {
  const at = new Date().toISOString();
  const reason = (error instanceof Error ? error.message : String(error)).split('\n')[0];
  return {exitCode: null, signal: null, cancelled: false, startedAt: at, endedAt: at, durationMs: 0, shell, outputFile, lines: 0, bytes: 0, tail: [], error: `the block could not start: ${reason}`};
}

function isWithin(dir: string, root: string): boolean {
  const rel = relative(root, dir);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

