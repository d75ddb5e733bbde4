// The guided session without a screen: it records what the operator does, runs blocks through the exec layer and
// tells subscribers when something changed. The Ink UI is one subscriber; tests drive it directly.

import {join} from 'node:path';
import {sweepShellDumps} from '../exec/shell-state.js';
import type {RunResult, ShellState} from '../exec/types.js';
import {scriptOf} from '../runbook/blocks.js';
import {planCommands, stepProse} from '../runbook/command-plan.js';
import type {Block, Runbook, RunbookNode} from '../runbook/model.js';
import {isSecretName} from '../runbook/secret-names.js';
import {walkSteps} from '../runbook/walk.js';
import type {Actor, Context, DetectionSource, DoneBy, NativeKey, NewEvent, PodLook, SessionEvent} from './events.js';
import {lookedText} from './looked.js';
import {questionsFor, substitute, type Answers, type Question} from './questions.js';
import {resolveInterruptedRuns} from './interrupted-runs.js';
import {currentActor} from './locks.js';
import {performNative} from './native-actions.js';
import {RunLifecycle, type ActiveRun, type Handover} from './run-lifecycle.js';
import {applyEvent, emptySessionState, type SessionState} from './session-state.js';
import {saveFailureLine} from './session-files.js';
import type {SessionStore} from './store.js';
import {SessionClients} from './clients.js';
import {SessionSecrets} from './session-shell.js';
import {fillTemplateBlock, type GivenFacts} from './template-filling.js';
import {findFollowUpSchedule} from '../runbook/follow-ups.js';
import {FollowUpWatch, recordedFollowUps, tickNote, type FollowUpsRecord} from './follow-ups.js';

export type {ActiveRun, Handover} from './run-lifecycle.js';

export interface ControllerOptions {
  runbook: Runbook;
  store: SessionStore;
  shell: ShellState;
  handover?: Handover;
  /** Resolves when what blocks run against is ready (a rehearsal's sandbox); runs wait for it. */
  ready?: Promise<void>;
  /** A rehearsal's scratch directory: every block starts in it or under it, whatever an earlier block cd'd to. */
  workspace?: string;
  /** The answer a placeholder's prompt proposes when no variable supplies one (a rehearsal: its checkout). */
  placeholderDefault?: (text: string) => string | undefined;
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
  private readonly secrets: SessionSecrets;
  /** The running block: started, ended, cancelled (see run-lifecycle.ts). */
  private readonly runs: RunLifecycle;
  private readonly listeners = new Set<() => void>();
  private version = 0;
  /** How many of the store's events the state is the fold of, and the last one's id (see reload). */
  private folded: {count: number; lastId: string | undefined} = {count: 0, lastId: undefined};
  private runCounter = 0;
  /** What the session learned from GitHub actions done natively: the release PR and the merge commit. */
  readonly github: {prNumber: number | null; mergeSha: string | null; follow: {workflow: string | null; sha: string} | null} = {prNumber: null, mergeSha: null, follow: null};
  /** One Kubernetes client and one Octokit per environment, for the native actions and the screen alike. */
  readonly clients: SessionClients;
  /** The last write that failed: shown to the operator; nothing it carried is shown as recorded. */
  saveError: string | null = null;
  /** When the deploy step becomes done, the runbook's follow-ups by time are recorded (follow-ups.ts). */
  private readonly followUpWatch: FollowUpWatch;

  constructor(private readonly options: ControllerOptions) {
    const scratchDir = options.scratchDir ?? options.store.scratchDir ?? join(options.store.outputDir, 'tmp');
    this.clients = options.clients ?? new SessionClients();
    this.secrets = new SessionSecrets(values => options.store.addSecrets?.(values));
    // Environment dumps a killed runbook left behind (they hold every exported value) go before anything runs.
    if (!options.store.readOnly) sweepShellDumps(scratchDir);
    this.runs = new RunLifecycle({
      outputDir: options.store.outputDir,
      scratchDir,
      ...(options.handover ? {handover: options.handover} : {}),
      record: event => this.record(event),
      changed: () => this.changed(),
      keepSecret: (name, value, plain) => this.secrets.keep(name, value, plain),
      secretValues: () => this.secrets.values(),
      addSecrets: values => this.options.store.addSecrets?.(values),
      nextRunId: () => this.nextRunId(),
    });
    this.runbook = options.runbook;
    this.steps = walkSteps(options.runbook);
    const events = options.store.events();
    this.state = events.reduce(applyEvent, emptySessionState());
    this.folded = {count: events.length, lastId: events.at(-1)?.id};
    if (!this.state.startedAt && !options.store.readOnly) {
      const {path, hash, title} = options.runbook;
      this.record({type: 'session-started', runbook: {path, hash, title}});
    }
    this.followUpWatch = new FollowUpWatch(findFollowUpSchedule(options.runbook), this.steps);
    const missed = options.store.readOnly ? null : this.followUpWatch.catchUp(options.store.events());
    if (missed) this.record(missed);
    options.store.subscribe?.(change => (change === 'standing' ? this.changed() : this.reload(change === 'appended')));
  }

  get sessionId() {
    return this.options.store.id;
  }

  /** Everything the session recorded, in order (the incident's timeline is read from it). */
  events(): readonly SessionEvent[] {
    return this.options.store.events();
  }

  get readOnly(): boolean {
    return this.options.store.readOnly === true;
  }

  /** Why nothing can be recorded here, when the store says (a shared session's follower, a read-only state dir). */
  get readOnlyReason(): string | null {
    return this.readOnly ? (this.options.store.readOnlyReason ?? null) : null;
  }

  /** Adds to the environment every block starts from (a rehearsal's sandbox, once it answers). */
  extendBaseEnv(extra: Record<string, string>) {
    Object.assign(this.options.shell.env, extra);
    this.changed();
  }

  /** Whether the store says itself when its events change (a shared session): nothing needs to poll it. */
  get pushesChanges(): boolean {
    return this.options.store.subscribe !== undefined;
  }

  /**
   * Picks up what the writing process appended since (read-only views poll this; a shared session pushes it).
   * `appended`: only events at the end are new, so when the last event folded is still where it was (by id), only
   * the new ones are folded — a follower of a long session must not refold all of it on every tick.
   */
  reload(appended = false) {
    this.options.store.refresh?.();
    const events = this.options.store.events();
    const {count, lastId} = this.folded;
    const extends_ = appended && count > 0 && lastId !== undefined && events.length >= count && events[count - 1]?.id === lastId;
    this.state = extends_ ? events.slice(count).reduce(applyEvent, this.state) : events.reduce(applyEvent, emptySessionState());
    this.folded = {count: events.length, lastId: events.at(-1)?.id};
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
    return this.runs.active;
  }

  private changed() {
    this.version++;
    for (const listener of this.listeners) listener();
  }

  private record(event: NewEvent): boolean {
    if (this.readOnly && !this.options.store.accepts?.(event as SessionEvent)) {
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
    const before = this.state;
    this.state = applyEvent(this.state, full);
    const events = this.options.store.events();
    this.folded = {count: events.length, lastId: events.at(-1)?.id};
    this.changed();
    const scheduled = this.followUpWatch?.observe(before, this.state, full);
    if (scheduled) this.record(scheduled);
    return true;
  }

  /** The follow-ups after the deploy, once it completed; null before. */
  get followUps(): FollowUpsRecord | null {
    return recordedFollowUps(this.options.store.events());
  }

  /** Ticks a follow-up with what the operator saw. */
  tickFollowUp(id: string, note: string): boolean {
    const record = this.followUps;
    const event = record && tickNote(record, id, note);
    return event ? this.record(event) : false;
  }

  /** The shell the next block starts in (session-shell.ts). */
  shell(): ShellState {
    return this.secrets.shell(this.options.shell, this.state, this.options.workspace);
  }

  enterStep(stepId: string) {
    if (this.state.currentStepId !== stepId && !this.readOnly) this.record({type: 'step-entered', stepId});
  }

  toggleCheck(stepId: string, itemId: string) {
    this.record({type: 'check-toggled', stepId, itemId, checked: !this.state.checks[itemId]});
  }

  mark(stepId: string, status: 'done' | 'skipped' | 'not-started', reason: string, doneBy?: DoneBy) {
    this.record({type: 'step-marked', stepId, status, reason, ...(doneBy ? {doneBy} : {})});
  }

  note(stepId: string, text: string, filled?: string, message?: string) {
    this.record({type: 'note', stepId, text, ...(filled ? {filled} : {}), ...(message !== undefined ? {message} : {})});
  }

  /** The operator looked at a pod (its logs, its previous container's, its description) or the namespace's events. */
  looked(stepId: string, look: PodLook): boolean {
    return this.readOnly ? false : this.record({type: 'note', stepId, text: lookedText(look), looked: look});
  }

  /** The incident's lifecycle (incident-lifecycle.ts): a failure the app saw, or the incident closed with a note. */
  recordIncident(phase: 'detected' | 'resolved', what: string, source?: DetectionSource): boolean {
    return this.record({type: 'incident', phase, what, ...(source ? {source} : {})});
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
    if (!found) return [];
    // A variable an earlier block set is not asked for, exported or not.
    const {env, vars} = this.shell();
    return questionsFor(found.block, this.runbook, this.state, {...vars, ...env}, this.options.placeholderDefault);
  }

  refuse(blockId: string, reason: string) {
    const found = this.block(blockId);
    if (found) this.record({type: 'refused', stepId: found.step.id, blockId, reason});
  }

  /** Runs a command block with the operator's answers. Resolves when the run has ended and been recorded. */
  async run(blockId: string, answers: Answers): Promise<RunResult | null> {
    const found = this.block(blockId);
    if (!found || found.block.kind !== 'command' || this.runs.active || this.readOnly) return null;
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
    // Its commands as run (the answers in them), each with its role; what the step's prose says must be found counts.
    const plan = planCommands(script, stepProse(step));
    return this.runs.run({stepId: step.id, blockId, script, command: block.commands.join('; '), interactive: block.interactive, before, plan});
  }

  /**
   * Records something the app did itself rather than through a block (the native rollback, an approval): as a run,
   * so the report and the metrics count it like the command it stands for; as a run of the block whose job it did, if any.
   */
  recordAction(stepId: string, action: {command: string; ok: boolean; message: string; durationMs?: number; blockId?: string; native?: NativeKey}) {
    const runId = this.nextRunId();
    const blockId = action.blockId ?? `${stepId}#native`;
    if (!this.record({type: 'run-started', runId, stepId, blockId, command: action.command, outputFile: null, interactive: false, ...(action.native ? {native: action.native} : {})})) return;
    this.record({type: 'run-finished', runId, exitCode: action.ok ? 0 : 1, signal: null, cancelled: false, durationMs: action.durationMs ?? 0, lines: 1, tail: [action.message]});
  }

  /**
   * Does a guide's `gh` block natively through the GitHub API (open the release PR, approve, merge, dispatch the
   * rollback), records it like a run, and says what happened in one line.
   */
  native(blockId: string, answers: Answers): Promise<{ok: boolean; message: string} | null> {
    return performNative(this, blockId, answers);
  }

  /**
   * A template block filled from the session's facts, kept in a file beside the session's output. Given the
   * workload's rollout history, the versions are read from its image tags.
   */
  fillTemplate(blockId: string, facts: GivenFacts): {text: string; file: string; open: string[]} | null {
    const found = this.block(blockId);
    if (!found || found.block.kind !== 'template') return null;
    const now = this.options.now?.() ?? new Date();
    const session = {runbook: this.runbook, env: this.shell().env, events: this.options.store.events(), startedAt: this.state.startedAt, now, who: (this.options.actor ?? currentActor()).user};
    return fillTemplateBlock(found, facts, session, this.options.store.outputDir);
  }

  /** Ends the running block (its whole process group). `reason` is recorded with it when it is not the operator's Ctrl-C. */
  cancel(reason?: string): boolean {
    return this.runs.cancel(reason);
  }

  /** Resolves once no block is running (or after `timeoutMs`): for an exit that should record how the run ended. */
  settled(timeoutMs = 5000): Promise<void> {
    return this.runs.settled(timeoutMs);
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
      running: () => this.runs.active,
      show: run => this.runs.adopt(run),
    });
  }

  private nextRunId(): string {
    return `${Date.now().toString(36)}-${(++this.runCounter).toString(36)}`;
  }

  private setVariable(name: string, value: string) {
    const secret = this.runbook.variables.find(v => v.name === name)?.secret ?? isSecretName(name);
    if (secret) this.secrets.keep(name, value);
    this.record({type: 'variable-set', name, value: secret ? null : value, secret});
  }
}
