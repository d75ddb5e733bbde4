// Whether a session is rehearsed against the built-in sandbox, and the sandbox it then runs against.

import {resolve} from 'node:path';
import {setTimeout as sleep} from 'node:timers/promises';
import {initialShellState} from '../exec/shell-state.js';
import type {ShellState} from '../exec/types.js';
import {currentKubeTarget, prepareKubeconfigReading} from '../kube/current-context.js';
import type {RehearsalSandbox} from '../sandbox/rehearsal.js';
import type {OpenOptions} from './open.js';

export interface Rehearsal {
  scenario: 'default' | 'bad-release';
  /** Where its blocks run (see rehearsalWorkspace): a clone of the sandbox repository; and the shell they start from. */
  workspace: string;
  /** Proposes the workspace for a placeholder naming the repository's checkout (`/path/to/<repository>`). */
  placeholderDefault: (text: string) => string | undefined;
  shell: ShellState;
  sandbox: RehearsalSandbox | null;
  ready: Promise<void>;
}

/** Rehearse only when asked to, or when nothing real is configured: decided before the session (and its kind). */
export async function withRehearsalDecided(options: OpenOptions): Promise<OpenOptions> {
  const startEnv = initialShellState().env;
  await prepareKubeconfigReading(startEnv);
  const {nothingConfigured} = await import('../sandbox/rehearsal.js');
  if (options.rehearsal?.when === 'unconfigured' && !nothingConfigured(startEnv, currentKubeTarget(startEnv) !== null)) return {...options, rehearsal: undefined};
  return options;
}

/**
 * Starts the sandbox in the background (the first frame does not wait for it); runs wait on `ready`. The sandbox
 * keeps its world for `session`: resuming that session brings it back (without one, the world starts from the seed).
 */
export async function rehearsalFor(options: OpenOptions, session?: string): Promise<Rehearsal | null> {
  const wanted = options.rehearsal;
  if (!wanted) return null;
  const {rehearsalWorkspace, startRehearsalSandbox, workspacePlaceholder} = await import('../sandbox/rehearsal.js');
  const place = rehearsalWorkspace(options.stateDir, initialShellState());
  const rehearsal: Rehearsal = {scenario: wanted.scenario, ...place, placeholderDefault: workspacePlaceholder(place.workspace), sandbox: null, ready: Promise.resolve()};
  // Loading the sandbox's code and making its certificates happen on this thread: they start on the next turn of
  // the event loop, after the first frame has been drawn, so the guide appears at once ("starting sandbox…").
  rehearsal.ready = sleep(0)
    .then(() => startRehearsalSandbox({dir: resolve(options.stateDir, 'sandbox'), scenario: wanted.scenario, speed: wanted.speed, workspace: rehearsal.workspace, owner: session}))
    .then(sandbox => {
      rehearsal.sandbox = sandbox;
    });
  return rehearsal;
}
