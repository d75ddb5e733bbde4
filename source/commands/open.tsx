// `runbook [FILE]`: the guided session, one runbook after another (L switches). Each session goes through its
// phases: choose or resume it (choose-session.tsx), set up its rehearsal or incident (rehearsal-setup.ts,
// open-session.ts), run its screen (session-terminal.ts), then close it and say where it was left.

import {homedir} from 'node:os';
import {join, resolve} from 'node:path';
import {render} from 'ink';
import {killAllRuns} from '../exec/process-groups.js';
import {InputError} from '../runbook/errors.js';
import {loadRunbook} from '../runbook/cache.js';
import {chooseSession} from './choose-session.js';
import {checkRollback} from './rollback-plan.js';
import {App} from '../ui/app.js';
import type {RunbookSwitch} from '../ui/library/use-runbook-picker.js';
import {runbooksBeside} from '../session/runbook-library.js';
import type {ViewState} from '../ui/use-session-view-state.js';
import {closeSession, openingView, sessionController, statusTarget} from './open-session.js';
import {readingProgress} from './reading-progress.js';
import {rehearsalFor, withRehearsalDecided} from './rehearsal-setup.js';
import {endSessionOnSignals, SessionTerminal, type Live} from './session-terminal.js';
import {leaveAlternateScreen} from './terminal.js';
import {shareOf, startSharing, type ShareAsked} from './share-start.js';
import {SessionClients} from '../session/clients.js';

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
  /** --share / --share-namespace (front matter `share: true` turns it on too). */
  share?: ShareAsked;
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
  // From here on a signal ends the session as quitting does, also while the resume prompt is up.
  const live: Live = {controller: null, instance: null, stopSandbox: null, exiting: false};
  endSessionOnSignals(live);
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

/** One session, from choosing it to its last line; returns what to open next when the operator switched runbooks. */
async function openOne(options: OpenOptions, live: Live): Promise<OpenOptions | null> {
  process.stdin.setRawMode(true);
  options = await withRehearsalDecided(options);
  const chosen = await chooseSession(options, (file: string) => loadRunbook(file, join(options.stateDir, 'cache'), readingProgress(file)));
  if (!chosen) {
    process.stdin.setRawMode(false);
    return null;
  }
  const {runbook, store} = chosen;
  const incident = options.incident ? {severity: options.incident.severity ?? (store.readOnly ? null : await askSeverity(runbook))} : null;
  // A rehearsal session stays one when resumed, whatever is configured now: its blocks never reach the real world. It
  // comes back in the scenario and at the speed it started with, on the world it left (kept by the sandbox for it).
  const recorded = store.meta.kind === 'rehearsal' ? store.meta.rehearsal : undefined;
  const rehearsal = await rehearsalFor(store.meta.kind === 'rehearsal' ? {...options, rehearsal: {scenario: recorded?.scenario ?? options.rehearsal?.scenario ?? 'default', when: 'always', speed: recorded ? recorded.speed : options.rehearsal?.speed}} : options, store.meta.id);
  const terminal = new SessionTerminal(live);
  const sharing = shareOf(options.share, runbook);
  const clients = new SessionClients();
  const shared = sharing && !store.readOnly ? await startSharing({share: sharing, runbook, store, rehearsal, clients, stateDir: options.stateDir}).catch(error => {
    // Nothing was recorded yet beyond what the journal holds: closed as it was, and said in one line.
    void rehearsal?.sandbox?.stop();
    store.close();
    process.stdin.setRawMode(false);
    throw error;
  }) : null;
  const controller = sessionController(runbook, shared ?? store, rehearsal, terminal.handover, clients);
  const target = statusTarget(controller, store.readOnly === true, rehearsal, shared ?? undefined);
  let view = openingView(controller, {incident, rehearsal, notice: chosen.notice, file: options.file});
  const onView = (next: ViewState) => {
    view = next;
  };

  void rehearsal?.ready.then(() => controller.extendBaseEnv(rehearsal.sandbox!.env)).catch((error: Error) => {
    controller.saveError = `the sandbox did not start: ${error.message.split('\n')[0]}`;
  });
  live.controller = controller;
  live.stopSandbox = () => void rehearsal?.sandbox?.stop();
  live.finishSharing = shared ? () => shared.finish() : null;
  let switchTo: string | null = null;
  const runbooks: RunbookSwitch = {
    current: resolve(runbook.path),
    list: () => runbooksBeside(runbook.path, {cwd: process.cwd(), home: homedir(), stateDir: options.stateDir}),
    open: path => {
      switchTo = path;
      terminal.quit();
    },
  };

  // The first step shown is the session's current one (moving to another records it as the screen goes there).
  controller.enterStep(controller.steps[view.stepIndex]!.id);
  try {
    await terminal.show(() => <App controller={controller} target={target} initialView={{...view, pending: null}} onView={onView} onQuit={terminal.quit} runbooks={runbooks} {...(shared ? {wheel: shared} : {})} />);
  } finally {
    // Published and the lease given back while the cluster is there (a rehearsal's sandbox stops next).
    await shared?.finish();
    void killAllRuns('SIGKILL', 0);
    void rehearsal?.sandbox?.stop();
    leaveAlternateScreen();
    process.stdin.setRawMode(false);
  }
  closeSession(controller, store, shared !== null);
  live.controller = null;
  live.instance = null;
  if (!switchTo) return null;
  // The next runbook gets its own sandbox if it is rehearsed: this one's must be gone first (same directory).
  await rehearsal?.sandbox?.stop().catch(() => undefined);
  // Opened as `runbook FILE` would open it (its unfinished session offered), a game day staying a game day.
  return {file: switchTo, stateDir: options.stateDir, ...(options.rehearsal?.when === 'always' ? {rehearsal: options.rehearsal} : {})};
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
