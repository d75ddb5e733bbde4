// `runbook join [ID]`: follow a session shared on the cluster of the current context, live and read-only, with the
// runbook the driver walks (it travels with the session). T asks for the wheel; once it comes, this process drives:
// its own journal gets every event of the log, and what it does from then on is recorded and shared.

import {existsSync, mkdirSync, writeFileSync} from 'node:fs';
import {basename, join} from 'node:path';
import {killAllRuns} from '../exec/process-groups.js';
import {loadRunbook} from '../runbook/cache.js';
import type {Runbook} from '../runbook/model.js';
import {InputError} from '../runbook/errors.js';
import {SessionClients} from '../session/clients.js';
import {createSession, openSession, outlineOf, type DurableSessionStore} from '../session/persistence.js';
import {SessionInUseError} from '../session/locks.js';
import {snapshotPath} from '../session/session-files.js';
import {progressOf} from '../session/session-state.js';
import type {SharedSession} from '../share/shared-session.js';
import {DEFAULT_SHARE_NAMESPACE, personOf, type SessionHead} from '../share/types.js';
import {safeText} from '../terminal/safe-text.js';
import {App} from '../ui/app.js';
import {initialViewState} from '../ui/use-session-view-state.js';
import {sessionController, statusTarget} from './open-session.js';
import {sharedCluster} from './share-start.js';
import {print} from './print.js';
import {endSessionOnSignals, SessionTerminal, type Live} from './session-terminal.js';
import {leaveAlternateScreen} from './terminal.js';

export interface JoinOptions {
  stateDir: string;
  id: string | null;
  namespace: string | null;
}

export async function joinCommand(options: JoinOptions): Promise<number> {
  if (!process.stdin.isTTY || !process.stdout.isTTY) throw new InputError("following a session needs a terminal; 'runbook status --cluster' lists the shared sessions");
  const clients = new SessionClients();
  const client = await sharedCluster(clients, options.stateDir);
  if (!client) throw new InputError("no cluster configured: 'runbook join' follows a session shared on the cluster of the current context (KUBECONFIG), or on a rehearsal's sandbox in this state directory");
  const namespace = options.namespace ?? DEFAULT_SHARE_NAMESPACE;
  const id = options.id ?? (await latestShared(client, namespace));
  const {startFollowing} = await import('../share/open-shared.js');
  let runbook: Runbook | null = null;
  const {session, head} = await startFollowing({client, namespace, stateDir: options.stateDir, id, openLocal: h => localJournal(options.stateDir, h, runbook!)});
  try {
    runbook = await runbookOf(head, options.stateDir);
  } catch (error) {
    session.close();
    throw error;
  }
  await session.settled?.(5000);
  return followOn({session, runbook, clients, stateDir: options.stateDir, kind: head.kind});
}

/** The session most recently renewed by a live driver, else the most recent one. */
async function latestShared(client: NonNullable<Awaited<ReturnType<SessionClients['kube']>>>, namespace: string): Promise<string> {
  const {listSessions} = await import('../share/sessions.js');
  const sessions = await listSessions(client, namespace);
  if (!sessions.length) throw new InputError(`no shared session in namespace ${namespace}: 'runbook FILE --share' shares one`);
  const live = sessions.filter(s => !s.expired);
  return (live[0] ?? sessions[0]!).id;
}

/** The runbook the driver walks: the text that came with the session, kept in the state directory; else our own copy. */
async function runbookOf(head: SessionHead, stateDir: string): Promise<Runbook> {
  const cacheDir = join(stateDir, 'cache');
  if (head.runbookText) {
    const dir = join(stateDir, 'shared', head.id);
    mkdirSync(dir, {recursive: true, mode: 0o700});
    const file = join(dir, basename(head.runbook.path) || 'runbook.md');
    writeFileSync(file, head.runbookText, {mode: 0o600});
    return loadRunbook(file, cacheDir);
  }
  // Not published (it spells out a secret): the same file here, if it is the same runbook.
  if (existsSync(head.runbook.path)) {
    const local = await loadRunbook(head.runbook.path, cacheDir);
    if (local.hash === head.runbook.hash) return local;
  }
  throw new InputError(`the session's runbook was not published (it spells out a secret) and ${head.runbook.path} here is not the same: get the driver's copy`);
}

/** This session's journal here: made when the wheel first comes (or reopened, when it comes back). */
function localJournal(stateDir: string, head: SessionHead, runbook: Runbook): DurableSessionStore {
  try {
    return journalIn(stateDir, head, runbook);
  } catch (error) {
    // The driver it takes over from writes this very journal (one machine, one state directory): this process keeps
    // its own beside it, so that two writers never share a file.
    if (!(error instanceof SessionInUseError)) throw error;
    return journalIn(join(stateDir, 'shared', head.id, 'state'), head, runbook);
  }
}

function journalIn(stateDir: string, head: SessionHead, runbook: Runbook): DurableSessionStore {
  if (existsSync(snapshotPath(stateDir, head.id))) return openSession(stateDir, head.id);
  return createSession({stateDir, id: head.id, runbook: {path: runbook.path, hash: runbook.hash, title: runbook.title}, kind: head.kind, ...outlineOf(runbook)});
}

async function followOn({session, runbook, clients, stateDir, kind}: {session: SharedSession; runbook: Runbook; clients: SessionClients; stateDir: string; kind: string}): Promise<number> {
  process.stdin.setRawMode(true);
  const live: Live = {controller: null, instance: null, stopSandbox: null, finishSharing: () => session.finish(), exiting: false};
  endSessionOnSignals(live);
  const terminal = new SessionTerminal(live);
  const controller = sessionController(runbook, session, null, terminal.handover, clients);
  live.controller = controller;
  const target = statusTarget(controller, true, null, session, {rehearsal: kind === 'rehearsal'});
  const at = Math.max(0, controller.steps.findIndex(s => s.id === controller.session.currentStepId));
  let view = initialViewState(at, null, false);
  const keepAlive = setInterval(() => {}, 60_000);
  try {
    await terminal.show(() => <App controller={controller} target={target} initialView={{...view, pending: null}} onView={next => {
          view = next;
        }} onQuit={terminal.quit} wheel={session} />);
  } finally {
    clearInterval(keepAlive);
    void killAllRuns('SIGKILL', 0);
    leaveAlternateScreen();
    process.stdin.setRawMode(false);
  }
  // It drove at some point (a journal of its own), even if it has handed the wheel back since.
  const drove = session.journalDir !== null;
  const holder = session.view().holder;
  await session.finish();
  session.close();
  const progress = progressOf(controller.session, controller.steps);
  const where = drove ? `you drove part of it; your copy: runbook status --state-dir ${safeText(session.journalDir ?? stateDir)}` : `stopped following${holder ? ` ${safeText(personOf(holder))}` : ''}`;
  print(`runbook: ${safeText(runbook.title)} — ${progress.checked}/${progress.checks} checks, ${progress.stepsDone}/${progress.steps} steps (shared session ${session.id}: ${where}).\n`);
  return 0;
}
