// `runbook [FILE]`: the guided session. Mounts the Ink app, and unmounts it whenever a block needs the whole
// terminal (an editor, watch, logs -f), re-mounting it with the same view when that command ends.

import {homedir} from 'node:os';
import {join, resolve} from 'node:path';
import {setTimeout as sleep} from 'node:timers/promises';
import {render, type Instance} from 'ink';
import {killAllRuns} from '../exec/process-groups.js';
import {initialShellState} from '../exec/shell-state.js';
import type {RunResult} from '../exec/types.js';
import {currentKubeTarget, looksLikeProduction, prepareKubeconfigReading} from '../kube/current-context.js';
import {InputError} from '../runbook/errors.js';
import {loadRunbook} from '../runbook/cache.js';
import {SessionController, type Handover} from '../session/controller.js';
import {chooseSession} from './choose-session.js';
import {checkRollback, noRollbackLine} from './rollback-plan.js';
import {declaredIncident, progressOf} from '../session/session-state.js';
import {App} from '../ui/app.js';
import type {RunbookSwitch} from '../ui/library/use-runbook-picker.js';
import {runbooksBeside} from '../session/runbook-library.js';
import {initialViewState, type ViewState} from '../ui/use-session-view-state.js';
import type {Target} from '../ui/status-bar.js';
import {safeText} from '../terminal/safe-text.js';
import {print, printError} from './print.js';
import {readingProgress} from './reading-progress.js';
import {exitOnSignals} from './signals.js';
import {enterAlternateScreen, leaveAlternateScreen} from './terminal.js';

export interface OpenOptions {
  /** The runbook; for `resume` without a file, the session's own. */
  file: string | null;
  stateDir: string;
  /** Start a new session even when an unfinished one exists. */
  fresh?: boolean;
  /** `runbook resume [ID]`: resume this session (or the latest unfinished one when ''). */
  resume?: string;
  /** Rehearse against the built-in sandbox: always (`runbook rehearse`), or when nothing real is configured. */
  rehearsal?: {scenario: 'default' | 'bad-release'; when: 'always' | 'unconfigured'; speed?: number};
  /** `runbook rollback`: an incident session, opened on the rollback procedures. */
  incident?: {severity: string | null};
}

export async function openCommand(options: OpenOptions): Promise<number> {
  if (!process.stdin.isTTY || !process.stdout.isTTY)
    throw new InputError("the guided session needs a terminal; in scripts use 'runbook show FILE [--json]'");
  // `runbook rollback FILE` with nowhere to go, or a severity the runbook does not have: one line, before any session.
  if (options.incident && options.file) {
    const severity = checkRollback(options.file, await loadRunbook(options.file, join(options.stateDir, 'cache')), options.incident.severity);
    options = {...options, incident: {severity}};
  }
  // Raw mode at once, not when Ink mounts: keys typed while the runbook loads are kept instead of echoed and lost.
  process.stdin.setRawMode(true);
  // From here on a signal ends the session as quitting does (signals.ts), also while the resume prompt is up: what it
  // has to end is filled in as the session comes up.
  const live: Live = {
    controller: null,
    instance: null,
    stopSandbox: null,
    exiting: false,
  };
  exitOnSignals({
    async endRuns(signal) {
      live.exiting = true;
      live.controller?.cancel(`ended by ${signal} to runbook`);
      await killAllRuns('SIGTERM', 2000);
      await live.controller?.settled(2500);
      live.stopSandbox?.();
    },
    restoreTerminal() {
      live.instance?.unmount();
      leaveAlternateScreen();
      if (process.stdin.isTTY) process.stdin.setRawMode(false);
    },
  });
  // L in the session: the chosen runbook opens once the open one has closed, in the same process and terminal.
  // Nothing holds the event loop between the two (Ink unrefs stdin when it unmounts).
  const keepAlive = setInterval(() => {}, 60_000);
  try {
    for (let next: OpenOptions | null = options; next; ) next = await openOne(next, live);
  } finally {
    clearInterval(keepAlive);
  }
  return 0;
}

interface Live {
  controller: SessionController | null;
  instance: Instance | null;
  stopSandbox: (() => void) | null;
  exiting: boolean;
}

/** One session, from choosing it to its last line; returns what to open next when the operator switched runbooks. */
async function openOne(options: OpenOptions, live: Live): Promise<OpenOptions | null> {
  process.stdin.setRawMode(true);
  // Rehearse only when asked to, or when nothing real is configured: decided before the session (and its kind).
  const startEnv = initialShellState().env;
  await prepareKubeconfigReading(startEnv);
  const {nothingConfigured} = await import('../sandbox/rehearsal.js');
  if (options.rehearsal?.when === 'unconfigured' && !nothingConfigured(startEnv, currentKubeTarget(startEnv) !== null)) options = {...options, rehearsal: undefined};
  const chosen = await chooseSession(options, (file: string) => loadRunbook(file, join(options.stateDir, 'cache'), readingProgress(file)));
  if (!chosen) {
    process.stdin.setRawMode(false);
    return null;
  }
  const {runbook, store, notice} = chosen;
  const id = store.id;
  const incident = options.incident ? {severity: options.incident.severity ?? (store.readOnly ? null : await askSeverity(runbook))} : null;
  // A rehearsal session stays one when resumed, whatever is configured now: its blocks never reach the real world.
  const rehearsal = await rehearsalFor(store.meta.kind === 'rehearsal' && !options.rehearsal ? {...options, rehearsal: {scenario: 'default', when: 'always'}} : options);
  const shell = rehearsal ? rehearsal.shell : initialShellState();

  const pendingHandover: {current: {job: Parameters<Handover>[0]; resolve: (r: RunResult) => void; reject: (error: unknown) => void} | null} = {current: null};
  let instance: Instance | null = null;
  let quit = false;
  let switchTo: string | null = null;
  const handover: Handover = job =>
    new Promise((resolveRun, rejectRun) => {
      pendingHandover.current = {job, resolve: resolveRun, reject: rejectRun};
      instance?.unmount();
    });

  const controller = new SessionController({
    runbook,
    store,
    shell,
    handover,
    ready: rehearsal?.ready,
    ...(rehearsal ? {workspace: rehearsal.workspace} : {}),
    context: env => {
      const kube = currentKubeTarget(env);
      const repository = env.GITHUB_REPOSITORY;
      return {...(kube ? {kubeContext: kube.context, namespace: kube.namespace} : {}), ...(repository ? {repository} : {})};
    },
  });
  const target = (): Target => {
    const kube = currentKubeTarget(controller.shell().env);
    // Declared at start (`runbook rollback`) or later from a failed step (I): the note says when and how bad.
    const declared = declaredIncident(controller.session);
    const clock = declared ? `INCIDENT ${declared.severity ?? ''} ${elapsedSince(declared.at)}`.replace('  ', ' ') : null;
    const mode = store.readOnly ? 'READ-ONLY' : rehearsal ? (rehearsal.sandbox ? `REHEARSAL · sandbox (${rehearsal.scenario})` : 'REHEARSAL · starting sandbox…') : null;
    return {
      mode: [clock, mode].filter(Boolean).join(' · ') || null,
      context: kube?.context ?? null,
      namespace: kube?.namespace ?? null,
      production: looksLikeProduction(kube?.context) || looksLikeProduction(kube?.namespace),
      repository: controller.shell().env.GITHUB_REPOSITORY ?? (typeof runbook.frontMatter.repository === 'string' ? runbook.frontMatter.repository : null),
    };
  };

  if (incident && !store.readOnly && !controller.session.notes.some(n => n.text.startsWith('Incident declared'))) {
    controller.note(controller.steps[0]!.id, `Incident declared: ${incident.severity ?? 'severity not set'}`);
  }
  const resumeAt = controller.steps.findIndex(s => s.id === controller.session.currentStepId);
  // An incident opens on the rollback procedures, unless it resumes a session that had moved on.
  const rollbackAt = runbook.rollback?.first ?? 0;
  const firstStep = Math.max(0, resumeAt >= 0 && !(incident && controller.session.runs.length === 0 && resumeAt === 0) ? resumeAt : incident ? rollbackAt : 0);
  // With the cluster panes beside the step, the outline only fits a wide terminal; `o` brings it back.
  const panesLikely = rehearsal !== null || currentKubeTarget(shell.env) !== null;
  let view: ViewState = initialViewState(firstStep, (process.stdout.columns ?? 80) >= (panesLikely ? 140 : 100));
  if (notice) view = {...view, message: {text: notice, tone: 'warn'}};
  // What became of the runs a killed runbook left running: said on the first screen, and recorded.
  const interrupted = store.readOnly ? [] : controller.resolveInterruptedRuns();
  if (interrupted.length) view = {...view, message: {text: [notice, ...interrupted].filter(Boolean).join(' · '), tone: 'warn'}};
  // No rollback path: the native undo of the runbook's workload, as `u` opens it.
  const noRollback = incident && firstStep === rollbackAt ? noRollbackLine(options.file ?? runbook.path, runbook) : null;
  if (noRollback) view = {...view, undo: true, message: {text: [noRollback, view.message?.text].filter(Boolean).join(' · '), tone: 'warn'}};
  const onView = (next: ViewState) => {
    view = next;
  };

  void rehearsal?.ready.then(() => controller.extendBaseEnv(rehearsal.sandbox!.env)).catch((error: Error) => {
    controller.saveError = `the sandbox did not start: ${error.message.split('\n')[0]}`;
  });
  const shutdown = () => {
    void killAllRuns('SIGKILL', 0);
    void rehearsal?.sandbox?.stop();
    leaveAlternateScreen();
  };
  live.controller = controller;
  live.stopSandbox = () => void rehearsal?.sandbox?.stop();
  const runbooks: RunbookSwitch = {
    current: resolve(runbook.path),
    list: () => runbooksBeside(runbook.path, {cwd: process.cwd(), home: homedir(), stateDir: options.stateDir}),
    open: path => {
      switchTo = path;
      quit = true;
    },
  };

  enterAlternateScreen();
  // Between an unmount and the next mount nothing else may hold the event loop open (Ink unrefs stdin), and
  // Ink unmounts itself on 'beforeExit': keep the process alive for the whole session.
  const keepAlive = setInterval(() => {}, 60_000);
  try {
    while (!quit) {
      instance = render(<App controller={controller} target={target} initialView={{...view, pending: null}} onView={onView} onQuit={() => (quit = true)} runbooks={runbooks} />, {
        exitOnCtrlC: false,
        patchConsole: false,
      });
      live.instance = instance;
      await instance.waitUntilExit();
      const next = pendingHandover.current;
      if (next) {
        pendingHandover.current = null;
        leaveAlternateScreen();
        print(`\n── runbook: ${safeText(next.job.command.split('\n')[0]!)} — the runbook comes back when it ends (Ctrl-C ends watch and -f) ──\n\n`);
        const {runAttached} = await import('../exec/run-attached.js');
        let result: RunResult;
        try {
          result = await runAttached({script: next.job.script, shell: next.job.shell, scratchDir: next.job.scratchDir, exitFile: next.job.exitFile});
        } catch (error) {
          // It could not start (no writable place for its shell state): the controller records a failed run with why.
          await pressEnter(`could not start: ${safeText((error as Error).message.split('\n')[0] ?? '')}`);
          enterAlternateScreen();
          next.reject(error);
          continue;
        }
        if (live.exiting) {
          // Ended by a signal to runbook: the run is recorded, and the signal handler gives the terminal back and exits.
          next.resolve(result);
          await new Promise(() => {});
        }
        // A command that failed on the terminal must not vanish with its error under the returning screen.
        if (result.exitCode !== 0 && result.exitCode !== 130 && !result.cancelled) await pressEnter(`exit ${result.exitCode ?? result.signal}`);
        enterAlternateScreen();
        next.resolve(result);
      } else quit = true;
    }
  } finally {
    clearInterval(keepAlive);
    shutdown();
    process.stdin.setRawMode(false);
  }
  const progress = progressOf(controller.session, controller.steps);
  const finished = progress.stepsDone + progress.skipped === progress.steps;
  if (finished && !store.readOnly) store.markFinished();
  store.close();
  const where = store.readOnly ? 'read-only view closed' : finished ? 'finished and saved' : `saved; resume with: runbook resume ${id}`;
  print(`runbook: ${safeText(runbook.title)} — ${progress.checked}/${progress.checks} checks, ${progress.stepsDone}/${progress.steps} steps (session ${id} ${where}).\n`);
  // The operator may have quit on a failed save: the last word must not read as if everything was kept.
  if (controller.saveError?.startsWith('not saved')) printError(`the last change was ${controller.saveError}`);
  live.controller = null;
  live.instance = null;
  if (!switchTo) return null;
  // The next runbook gets its own sandbox if it is rehearsed: this one's must be gone first (same directory).
  await rehearsal?.sandbox?.stop().catch(() => undefined);
  // Opened as `runbook FILE` would open it (its unfinished session offered), a game day staying a game day.
  return {file: switchTo, stateDir: options.stateDir, ...(options.rehearsal?.when === 'always' ? {rehearsal: options.rehearsal} : {})};
}

function pressEnter(status: string): Promise<void> {
  print(`\n── ${status} — press Enter to return to the runbook ──`);
  return new Promise(resolveKey => {
    process.stdin.setRawMode(true);
    const onData = (data: Buffer | string) => {
      // Ink leaves stdin decoding strings; accept either.
      if (!/[\r\n\x03]/.test(data.toString())) return;
      process.stdin.off('data', onData);
      process.stdin.pause();
      resolveKey();
    };
    process.stdin.on('data', onData);
    // Ink unrefs stdin when it unmounts; without a ref the process would simply end here.
    process.stdin.ref();
    process.stdin.resume();
  });
}

interface Rehearsal {
  scenario: 'default' | 'bad-release';
  /** Where its blocks run (see rehearsalWorkspace), and the shell they start from. */
  workspace: string;
  shell: import('../exec/types.js').ShellState;
  sandbox: import('../sandbox/rehearsal.js').RehearsalSandbox | null;
  ready: Promise<void>;
}

/** Starts the sandbox in the background (the first frame does not wait for it); runs wait on `ready`. */
async function rehearsalFor(options: OpenOptions): Promise<Rehearsal | null> {
  const wanted = options.rehearsal;
  if (!wanted) return null;
  const {rehearsalWorkspace, startRehearsalSandbox} = await import('../sandbox/rehearsal.js');
  const rehearsal: Rehearsal = {scenario: wanted.scenario, ...rehearsalWorkspace(options.stateDir, initialShellState()), sandbox: null, ready: Promise.resolve()};
  // Loading the sandbox's code and making its certificates happen on this thread: they start on the next turn of
  // the event loop, after the first frame has been drawn, so the guide appears at once ("starting sandbox…").
  rehearsal.ready = sleep(0)
    .then(() => startRehearsalSandbox({dir: resolve(options.stateDir, 'sandbox'), scenario: wanted.scenario, speed: wanted.speed}))
    .then(sandbox => {
      rehearsal.sandbox = sandbox;
    });
  return rehearsal;
}

function elapsedSince(iso: string | null): string {
  const s = Math.max(0, Math.floor((Date.now() - (iso ? Date.parse(iso) : Date.now())) / 1000));
  const hh = Math.floor(s / 3600);
  const mm = String(Math.floor((s % 3600) / 60)).padStart(2, '0');
  const ss = String(s % 60).padStart(2, '0');
  return hh ? `${hh}:${mm}:${ss}` : `${mm}:${ss}`;
}

/** The runbook's severity table (else the default P0–P3), asked before anything else: one key per level. */
async function askSeverity(runbook: import('../runbook/model.js').Runbook): Promise<string | null> {
  const {SeverityPrompt, severityLevels} = await import('../ui/severity-prompt.js');
  const levels = severityLevels(runbook);
  if (!levels.length) return null;
  let chosen: string | null = null;
  const prompt = render(<SeverityPrompt levels={levels} onChoice={c => (chosen = c)} />, {exitOnCtrlC: false, patchConsole: false});
  await prompt.waitUntilExit();
  prompt.clear();
  return chosen;
}
