// Which session the guided screen writes to: a new one, the unfinished one of this runbook (asked first), the one
// `runbook resume` names, or a read-only view of one another process holds.

import {resolve} from 'node:path';
import {render} from 'ink';
import {InputError} from '../runbook/errors.js';
import type {Runbook} from '../runbook/model.js';
import {isNestingWarning} from '../runbook/nesting.js';
import {walkSteps} from '../runbook/walk.js';
import {createSession, latestUnfinished, listSessions, openSession, outlineOf, SessionInUseError, type DurableSessionStore, type SessionSummary} from '../session/persistence.js';
import {describeChanges, outlineChanges} from '../session/runbook-changes.js';
import {ResumePrompt, type ResumeChoice, type ResumeOffer} from '../ui/resume-prompt.js';
import type {OpenOptions} from './open.js';
import {unwritable} from './unwritable.js';

export interface ChosenSession {
  runbook: Runbook;
  store: DurableSessionStore;
  /** Said on the first screen: what changed in the runbook since the session began. */
  notice: string | null;
}

export async function chooseSession(options: OpenOptions, load: (file: string) => Promise<Runbook>): Promise<ChosenSession | null> {
  const {stateDir} = options;
  // A damaged session file was moved aside by the listing; say so once, and carry on with the others.
  const problems = listSessions(stateDir).problems;
  const damaged = problems.length ? problems.join(' · ') : null;
  // And what opening the chosen session found wrong with its files (a damaged journal line set aside), and the
  // nesting of the runbook that had to be flattened to be read.
  const withProblems = (chosen: ChosenSession | null): ChosenSession | null => {
    if (!chosen) return null;
    const said = [damaged, chosen.store.notice, ...chosen.runbook.warnings.filter(isNestingWarning), chosen.notice].filter(Boolean);
    return said.length ? {...chosen, notice: said.join(' · ')} : chosen;
  };
  return withProblems(await pick(options, load));
}

async function pick(options: OpenOptions, load: (file: string) => Promise<Runbook>): Promise<ChosenSession | null> {
  const {stateDir} = options;
  let candidate: SessionSummary | null = null;
  if (options.resume !== undefined) {
    const {sessions} = listSessions(stateDir);
    candidate = options.resume
      ? (sessions.find(s => s.id === options.resume) ?? sessions.find(s => s.id.startsWith(options.resume!)) ?? null)
      : (sessions.find(s => !s.finished) ?? null);
    if (!candidate) throw new InputError(options.resume ? `no session ${options.resume} in ${stateDir}; 'runbook status' lists them` : `no unfinished session in ${stateDir}; open a runbook to start one`);
  }
  const file = options.file ?? candidate?.runbook.path;
  if (!file) throw new InputError('no runbook given');
  const runbook = await load(file);
  // Front matter alone (a docs site's _index.md), or headings with nothing under them: there is nothing to walk.
  if (walkSteps(runbook).length === 0)
    throw new InputError(`${file}: nothing to walk through — no heading has text, commands or a checklist under it`);
  const path = resolve(file);
  if (!candidate && !options.fresh) candidate = latestUnfinished(stateDir, path);

  const create = (): ChosenSession => {
    try {
      return {
        runbook,
        store: createSession({stateDir, runbook: {path, hash: runbook.hash, title: runbook.title}, kind: options.rehearsal ? 'rehearsal' : options.incident ? 'incident' : 'deploy', ...outlineOf(runbook), ...(options.rehearsal ? {rehearsal: {scenario: options.rehearsal.scenario, ...(options.rehearsal.speed ? {speed: options.rehearsal.speed} : {})}} : {})}),
        notice: null,
      };
    } catch (error) {
      const why = unwritable(error, stateDir);
      if (why) throw new InputError(`cannot start a session: ${why.problem} — ${why.remedy}, or give another directory with --state-dir`);
      throw error;
    }
  };
  if (!candidate) return create();

  const open = (readOnly: boolean): DurableSessionStore => openSession(stateDir, candidate!.id, {readOnly});
  const changes = changesSince(candidate, runbook, stateDir);
  const offer: ResumeOffer = {
    title: runbook.title,
    startedAt: candidate.createdAt,
    progress: `${candidate.checked}/${candidate.total ?? '?'} done`,
    lastStep: walkSteps(runbook).find(s => s.id === candidate!.lastStepId)?.title ?? null,
    changes,
    inUse: candidate.inUse ? {pid: candidate.inUse.pid, host: candidate.inUse.host, since: candidate.inUse.since} : null,
  };
  const choice = options.resume !== undefined && !offer.inUse ? 'resume' : await ask(offer);
  if (choice === 'quit') return null;
  if (choice === 'new') return create();
  try {
    return {runbook, store: open(choice === 'read-only'), notice: changes};
  } catch (error) {
    // A state directory that cannot take a write (read-only, full) still shows what it holds.
    const why = unwritable(error, stateDir);
    if (why) {
      const store = open(true);
      store.readOnlyReason = `read-only: ${why.problem} — nothing can be recorded; ${why.remedy}, then open it again`;
      return {runbook, store, notice: [store.readOnlyReason, changes].filter(Boolean).join(' · ')};
    }
    if (!(error instanceof SessionInUseError)) throw error;
    // Taken between the listing and now: offer the same choices with who holds it.
    const again = await ask({...offer, inUse: {pid: error.pid, host: error.host, since: error.since}});
    if (again === 'quit') return null;
    return again === 'new' ? create() : {runbook, store: open(true), notice: changes};
  }
}

function changesSince(candidate: SessionSummary, runbook: Runbook, stateDir: string): string | null {
  if (candidate.runbook.hash === runbook.hash) return null;
  try {
    const view = openSession(stateDir, candidate.id, {readOnly: true});
    const before = view.meta.outline;
    view.close();
    if (!before) return 'The runbook changed since this session began. Unchanged steps keep their state.';
    return describeChanges(outlineChanges(before, outlineOf(runbook).outline)) ?? 'The runbook’s text changed since this session began; its steps are the same.';
  } catch {
    return 'The runbook changed since this session began.';
  }
}

async function ask(offer: ResumeOffer): Promise<ResumeChoice> {
  let choice: ResumeChoice = 'quit';
  const prompt = render(<ResumePrompt offer={offer} onChoice={c => (choice = c)} />, {exitOnCtrlC: false, patchConsole: false});
  await prompt.waitUntilExit();
  prompt.clear();
  return choice;
}
