// Where sessions are kept. In a runbook project (a directory with runbooks/, like this repository) they sit beside
// the runbooks in ./state, as they always have. Installed as a command and started anywhere else, runbook must not
// leave a state/ directory in whatever directory the operator happened to be in: sessions go to the XDG state
// directory, which outlives the shell's current directory and is found again from any other.

import {statSync} from 'node:fs';
import {homedir} from 'node:os';
import {isAbsolute, join} from 'node:path';

/** Where runbook was started: decides the default state directory and what `runbook` with no FILE does. */
export interface Place {
  cwd: string;
  home: string;
  /** The current directory holds a runbooks/ folder. */
  project: boolean;
  /** It already holds sessions in ./state (kept there by a runbook from before the XDG default): they stay in view. */
  localState?: boolean;
}

export function isRunbookProject(dir: string): boolean {
  return statSync(join(dir, 'runbooks'), {throwIfNoEntry: false})?.isDirectory() ?? false;
}

export function placeOf(cwd = process.cwd(), home = homedir()): Place {
  return {cwd, home, project: isRunbookProject(cwd), localState: statSync(join(cwd, 'state', 'sessions'), {throwIfNoEntry: false})?.isDirectory() ?? false};
}

/** `--state-dir`, else RUNBOOK_STATE_DIR, else ./state in a project (or where it already holds sessions), else $XDG_STATE_HOME/runbook, else ~/.local/state/runbook. */
export function stateDirFor(flag: string | undefined, env: NodeJS.ProcessEnv, place: Pick<Place, 'home' | 'project' | 'localState'>): string {
  if (flag) return flag;
  if (env.RUNBOOK_STATE_DIR) return env.RUNBOOK_STATE_DIR;
  if (place.project || place.localState) return 'state';
  // The XDG spec: a relative path in XDG_STATE_HOME is invalid and ignored.
  const xdg = env.XDG_STATE_HOME;
  return join(xdg && isAbsolute(xdg) ? xdg : join(place.home, '.local', 'state'), 'runbook');
}
