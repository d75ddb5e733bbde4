// `runbook rehearse [FILE] --headless`: the runbook tested, as a CI job would, against the built-in sandbox. Every
// command block of every step runs in order through the session controller the guided screen uses, so the session it
// records is a normal rehearsal (`runbook status`, `runbook report`); nothing of React or Ink is loaded, and neither
// stdin nor stdout need be a terminal. Questions take the answer the screen proposes (or --set's), dangerous blocks
// their confirmation (the sandbox is the only target). Interactive blocks run on a pseudo-terminal as the screen runs
// them (headless-terminal.ts): followers stopped after a few seconds, prompts answered with Enter, editors making the
// change their comment describes. A failed block whose job the app can do natively is then done so (m, A, u;
// headless-native.ts) unless --no-native. Exit 0 when every block run passed, 1 when one failed.

import {join, resolve} from 'node:path';
import {killAllRuns} from '../exec/process-groups.js';
import {loadRunbook} from '../runbook/cache.js';
import {InputError} from '../runbook/errors.js';
import type {Block, Runbook, RunbookNode} from '../runbook/model.js';
import {walkSteps} from '../runbook/walk.js';
import type {SessionController} from '../session/controller.js';
import {createSession, outlineOf, type DurableSessionStore} from '../session/persistence.js';
import {progressOf} from '../session/session-state.js';
import {answersFor} from './headless-answers.js';
import {blockLine, firstCommand, headlessDocument, judged, summaryLine, summaryOf, type BlockResult} from './headless-lines.js';
import {doneNatively} from './headless-native.js';
import {answeredWords, INPUT_WAIT_MS} from './headless-prompts.js';
import {emptyLog, headlessHandover, type TerminalLog} from './headless-terminal.js';
import {print, printError, printJson} from './print.js';
import {rehearsalFor, type Rehearsal} from './rehearsal-setup.js';
import {sessionController} from './session-controller.js';
import {exitOnSignals} from './signals.js';
import {unwritable} from './unwritable.js';

/** How long a follower follows before the rehearsal's Ctrl-C. */
export const FOLLOW_MS = 3000;

export interface HeadlessOptions {
  file: string;
  stateDir: string;
  scenario: 'default' | 'bad-release';
  speed: number;
  json: boolean;
  /** --set NAME=VALUE: a variable's name or a placeholder's text, and its value. */
  set: Record<string, string>;
  /** Do a failed block's job natively when its step offers that (--no-native: false). */
  native: boolean;
  followMs?: number;
  /** How long a block may wait for input once answered (--input-wait). */
  inputWaitMs?: number;
}

export async function rehearseHeadless(options: HeadlessOptions): Promise<number> {
  const runbook = await loadRunbook(options.file, join(options.stateDir, 'cache'));
  if (walkSteps(runbook).length === 0) throw new InputError(`${options.file}: nothing to rehearse — no heading has text, commands or a checklist under it`);
  const store = newRehearsal(options, runbook);
  const rehearsal = (await rehearsalFor({file: options.file, stateDir: options.stateDir, rehearsal: {scenario: options.scenario, when: 'always', speed: options.speed}}))!;
  const walk = new HeadlessWalk(options);
  const controller = sessionController(runbook, store, rehearsal, headlessHandover({followMs: walk.followMs, inputWaitMs: walk.inputWaitMs, onEnded: log => (walk.log = log)}));
  const removeSignals = exitOnSignals({
    async endRuns(signal) {
      controller.cancel(`ended by ${signal} to runbook`);
      await killAllRuns('SIGTERM', 2000);
      await controller.settled(2500);
      await rehearsal.sandbox?.stop().catch(() => undefined);
    },
    restoreTerminal() {},
  });
  try {
    await sandboxReady(controller, rehearsal);
    if (!options.json) print(`Rehearsing ${runbook.title} headless against the sandbox (${options.scenario}), session ${store.id}\n`);
    await walk.all(controller);
  } finally {
    removeSignals();
    await killAllRuns('SIGTERM', 2000);
    await rehearsal.sandbox?.stop().catch(() => undefined);
    close(controller, store);
  }
  return walk.finish(runbook, store.id);
}

/** A new session of kind rehearsal, as `runbook rehearse --new` makes one; a state directory that cannot take it is bad input. */
function newRehearsal(options: HeadlessOptions, runbook: Runbook): DurableSessionStore {
  try {
    return createSession({stateDir: options.stateDir, runbook: {path: resolve(options.file), hash: runbook.hash, title: runbook.title}, kind: 'rehearsal', ...outlineOf(runbook), rehearsal: {scenario: options.scenario, ...(options.speed ? {speed: options.speed} : {})}});
  } catch (error) {
    const why = unwritable(error, options.stateDir);
    if (why) throw new InputError(`cannot start a session: ${why.problem} — ${why.remedy}, or give another directory with --state-dir`);
    throw error;
  }
}

async function sandboxReady(controller: SessionController, rehearsal: Rehearsal): Promise<void> {
  try {
    await rehearsal.ready;
  } catch (error) {
    // Said in the session too: a rehearsal that ran nothing says why.
    const why = `the sandbox did not start: ${((error as Error).message ?? String(error)).split('\n')[0]}`;
    controller.note(controller.steps[0]!.id, `Headless rehearsal: ${why}`);
    throw new Error(why);
  }
  controller.extendBaseEnv(rehearsal.sandbox!.env);
}

/** Marks the session finished when every step is done or skipped (as quitting the screen does), and releases it. */
function close(controller: SessionController, store: DurableSessionStore): void {
  const progress = progressOf(controller.session, controller.steps);
  if (progress.stepsDone + progress.skipped === progress.steps && !store.readOnly) store.markFinished();
  store.close();
}

/** The walk through the runbook's blocks, in order, and what became of each. */
class HeadlessWalk {
  readonly results: BlockResult[] = [];
  /** What stood in for the operator during the block that ran last (headless-terminal.ts reports it). */
  log: TerminalLog = emptyLog();
  readonly followMs: number;
  readonly inputWaitMs: number;
  private readonly used = new Set<string>();

  constructor(private readonly options: HeadlessOptions) {
    this.followMs = options.followMs ?? FOLLOW_MS;
    this.inputWaitMs = options.inputWaitMs ?? INPUT_WAIT_MS;
  }

  async all(controller: SessionController): Promise<void> {
    const first = controller.steps[0]!;
    const native = this.options.native ? ', a failed block whose job the app can do natively then done so (m, A, u)' : '';
    controller.note(first.id, `Headless rehearsal (runbook rehearse --headless, ${this.options.scenario}): every command block run in order, questions answered with their defaults${Object.keys(this.options.set).length ? ' or --set' : ''}, dangerous blocks confirmed for the sandbox, interactive blocks run on a pseudo-terminal (followers stopped after ${this.followMs / 1000} s, prompts answered with Enter, editors making the change their comment describes)${native}`);
    for (const step of controller.steps) {
      const blocks = step.blocks.filter(b => b.kind === 'command');
      if (!blocks.length) continue;
      controller.enterStep(step.id);
      for (const block of blocks) {
        const result = await this.one(controller, step, block);
        this.results.push(result);
        if (!this.options.json) print(blockLine(result));
      }
    }
  }

  private async one(controller: SessionController, step: RunbookNode, block: Block): Promise<BlockResult> {
    const base = {step: step.title, stepId: step.id, blockId: block.id, command: firstCommand(block.commands), dangerous: block.dangerous, exitCode: null, durationMs: null, stopped: [], native: null};
    const {answers, missing, used} = answersFor(controller.questions(block.id), this.options.set, block.sets);
    for (const name of used) this.used.add(name);
    if (missing.length) {
      const reason = `no value for ${missing.join(', ')} (give ${missing.map(m => `--set ${m}=…`).join(' ')})`;
      controller.note(step.id, `Not run headless: \`${base.command}\` — ${reason}`);
      return {...base, status: 'skipped', reason};
    }
    this.log = emptyLog();
    const before = controller.session.runs.length;
    let error: string | null = null;
    await controller.run(block.id, answers).catch((e: unknown) => (error = `not run: ${(e instanceof Error ? e.message : String(e)).split('\n')[0]}`));
    const run = controller.session.runs.slice(before).find(r => r.blockId === block.id);
    const result: BlockResult = {...base, ...this.outcome(controller, step, judged(run, error ?? controller.saveError), block.dangerous), stopped: [...this.log.stopped]};
    if (result.status !== 'failed' || !run || !this.options.native) return result;
    const native = await doneNatively(controller, step, block, answers);
    if (native) controller.note(step.id, `Headless rehearsal: the block failed; ${native.ok ? 'done' : 'tried'} natively with ${native.key}, as its failure offers: ${native.message}`);
    return {...result, native};
  }

  /** The block's outcome with what stood in for the operator: followers stopped, prompts answered, editors' changes. */
  private outcome(controller: SessionController, step: RunbookNode, outcome: ReturnType<typeof judged>, dangerous: boolean): ReturnType<typeof judged> {
    const {stopped, answered, edits} = this.log;
    for (const command of stopped) controller.note(step.id, `Headless rehearsal: stopped \`${command}\` after ${this.followMs / 1000} s with Ctrl-C, as an operator would (a follower: stopped, the block went on)`);
    const stoodIn = [answeredWords(answered), ...edits].filter((s): s is string => s !== null);
    if (stoodIn.length) controller.note(step.id, `Headless rehearsal: ${stoodIn.join('; ')}`);
    if (answered.waited) {
      const wait = `${Math.round(this.inputWaitMs / 1000)} s`;
      return {...outcome, status: 'failed', reason: `waited for input: ${answeredWords(answered) ?? 'nothing answered it'}, still waiting ${wait} after the first key, ended with Ctrl-C`};
    }
    const said = [
      outcome.reason,
      stopped.length ? `stopped ${stopped.length === 1 ? 'a follower' : `${stopped.length} followers`} after ${this.followMs / 1000} s` : null,
      ...stoodIn,
      dangerous && outcome.status === 'passed' ? 'dangerous: confirmed for the sandbox' : null,
    ].filter(Boolean);
    return {...outcome, reason: said.join('; ') || null};
  }

  /** Prints the summary (or the JSON document) and says the exit code: 1 when a block that ran failed. */
  finish(runbook: Runbook, session: string): number {
    const summary = summaryOf(this.results);
    const exitCode = summary.failed > 0 ? 1 : 0;
    const unusedSets = Object.keys(this.options.set).filter(name => !this.used.has(name));
    if (this.options.json) {
      printJson(headlessDocument({title: runbook.title, path: resolve(runbook.path), scenario: this.options.scenario, session, results: this.results, unusedSets, exitCode}));
      return exitCode;
    }
    for (const name of unusedSets) printError(`--set ${name}: no block asked for it (a variable's name or a placeholder's text, as the runbook writes it)`);
    print(summaryLine(summary, session, this.options.scenario));
    return exitCode;
  }
}
