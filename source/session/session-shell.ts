// The shell a session's next block starts in, and the secrets it holds in memory only. Kept apart from the controller:
// what a block sees is a pure function of the base shell, the recorded state and the secrets.

import {existsSync} from 'node:fs';
import {isAbsolute, relative} from 'node:path';
import type {ShellState} from '../exec/types.js';
import type {SessionState} from './session-state.js';

/** Secrets the operator typed or blocks set: never recorded, redacted from everything written (via `redact`). */
export class SessionSecrets {
  /** Exported (and answers); the others are plain (unexported) shell variables a block set. */
  private readonly exported: Record<string, string> = {};
  private readonly plain: Record<string, string> = {};

  constructor(private readonly redact: (values: string[]) => void) {}

  /** Null: a block unset it. */
  keep(name: string, value: string | null, plain = false) {
    const kept = plain ? this.plain : this.exported;
    if (value === null) {
      delete kept[name];
      return;
    }
    kept[name] = value;
    this.redact([value]);
  }

  values(): string[] {
    return [...Object.values(this.exported), ...Object.values(this.plain)];
  }

  /**
   * The shell the next block starts in: the base environment, what earlier blocks exported, the session's answers, and
   * the plain variables earlier blocks set (none the environment has: exported wins).
   */
  shell(base: ShellState, state: SessionState, workspace?: string): ShellState {
    const env = {...base.env};
    for (const [name, value] of Object.entries(state.env)) {
      if (value === null) delete env[name];
      else env[name] = value;
    }
    Object.assign(env, state.variables, this.exported);
    const vars: Record<string, string> = {};
    for (const [name, value] of Object.entries({...state.vars, ...this.plain})) if (value !== null && !(name in env)) vars[name] = value;
    // A directory recorded on another machine (a shared session taken over) or since removed: start where this one started.
    const recorded = state.cwd;
    const cwd = recorded && existsSync(recorded) ? recorded : base.cwd;
    return {env, vars, cwd: workspace && !isWithin(cwd, workspace) ? workspace : cwd};
  }
}

function isWithin(dir: string, root: string): boolean {
  const rel = relative(root, dir);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}
