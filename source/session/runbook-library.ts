// The runbooks runbook knows, for `runbook list` and the in-app picker: the files of some folders (./runbooks, the
// open runbook's own), the runbooks of recent sessions, and the packaged guide — each with its title, its size in
// steps and checks, and its latest session. Titles and counts come from the model cache (runbook/cache.ts), so a
// listing parses only runbooks it has never seen (or that changed); sessions come from the listing index.

import {readdirSync} from 'node:fs';
import {dirname, isAbsolute, join, relative, resolve} from 'node:path';
import {loadRunbook} from '../runbook/cache.js';
import type {Runbook} from '../runbook/model.js';
import {walkSteps} from '../runbook/walk.js';
import {listSessions} from './session-index.js';
import {outlineOf, type SessionSummary} from './summary.js';

/** Why a runbook is in the list. */
export type LibrarySource = 'folder' | 'here' | 'session' | 'packaged';

export interface LastSession {
  id: string;
  kind: SessionSummary['kind'];
  updatedAt: string;
  finished: boolean;
  /** In the operator's words: finished, in progress 3/12 steps, incident open · 3/12 steps, in use by pid 42. */
  state: string;
}

export interface LibraryEntry {
  /** Absolute, as sessions record it. */
  path: string;
  /** As shown: relative to the current directory when under it, else with ~ for the home directory. */
  file: string;
  source: LibrarySource;
  title: string;
  /** null when the file could not be read (gone, unreadable): then `problem` says why. */
  steps: number | null;
  checks: number | null;
  problem: string | null;
  last: LastSession | null;
}

export interface LibraryOptions {
  cwd: string;
  home?: string;
  stateDir: string;
  /** Folders whose *.md files are runbooks (./runbooks; the open runbook's folder). */
  folders: string[];
  /** The current directory's own *.md files (outside a project, where runbooks are kept loose). */
  here?: boolean;
  /** Runbooks of recorded sessions, newest first, up to this many (0: none). */
  recent?: number;
  /** The guide shipped with runbook. */
  packaged?: string | null;
  /** The model of a runbook; defaults to the cached one under <state>/cache. */
  load?: (path: string) => Promise<Runbook>;
}

/** A session's state in a few words, for a table cell. */
export function sessionState(s: SessionSummary, self = process.pid): string {
  if (s.inUse) return s.inUse.pid === self ? 'open now' : s.inUse.pid > 0 ? `in use by pid ${s.inUse.pid}` : 'locked';
  const rehearsal = s.kind === 'rehearsal' ? 'rehearsal ' : '';
  if (s.finished) return `${rehearsal}finished`;
  const progress = s.steps !== undefined ? `${s.stepsDone + s.skipped}/${s.steps} steps` : `${s.checked} checked`;
  return s.kind === 'incident' ? `incident open · ${progress}` : `${rehearsal}in progress ${progress}`;
}

export function shownPath(path: string, cwd: string, home?: string): string {
  const inside = relative(cwd, path);
  if (inside && !inside.startsWith('..') && !isAbsolute(inside)) return inside;
  if (home && home !== '/' && path.startsWith(`${home}/`)) return `~${path.slice(home.length)}`;
  return path;
}

const markdownIn = (folder: string): string[] => {
  try {
    return readdirSync(folder, {withFileTypes: true})
      .filter(e => (e.isFile() || e.isSymbolicLink()) && /\.md$/i.test(e.name))
      .map(e => join(folder, e.name))
      .sort((a, b) => a.localeCompare(b));
  } catch {
    return []; // no such folder, or not readable: nothing from it
  }
};

export async function findRunbooks(o: LibraryOptions): Promise<{entries: LibraryEntry[]; problems: string[]}> {
  const cacheDir = join(o.stateDir, 'cache');
  const load = o.load ?? ((path: string) => loadRunbook(path, cacheDir));
  const {sessions, problems} = listSessions(o.stateDir);
  // Sessions are newest first: the first one of a path is its latest.
  const latest = new Map<string, SessionSummary>();
  for (const s of sessions) {
    const path = resolve(o.cwd, s.runbook.path);
    if (!latest.has(path)) latest.set(path, s);
  }

  const wanted: Array<{path: string; source: LibrarySource}> = [];
  const seen = new Set<string>();
  const want = (path: string, source: LibrarySource) => {
    const absolute = resolve(o.cwd, path);
    if (seen.has(absolute)) return;
    seen.add(absolute);
    wanted.push({path: absolute, source});
  };
  for (const folder of o.folders) for (const path of markdownIn(resolve(o.cwd, folder))) want(path, 'folder');
  if (o.here) for (const path of markdownIn(o.cwd)) want(path, 'here');
  if (o.recent) for (const path of [...latest.keys()].slice(0, o.recent)) want(path, 'session');
  if (o.packaged) want(o.packaged, 'packaged');

  const entries: LibraryEntry[] = [];
  for (const {path, source} of wanted) {
    const s = latest.get(path);
    const last: LastSession | null = s ? {id: s.id, kind: s.kind, updatedAt: s.updatedAt, finished: s.finished, state: sessionState(s)} : null;
    const base = {path, file: shownPath(path, o.cwd, o.home), source, last};
    try {
      const runbook = await load(path);
      const steps = walkSteps(runbook).length;
      // A markdown file with nothing to walk (a changelog of headings, front matter only) is not a runbook.
      if (steps === 0) continue;
      entries.push({...base, title: runbook.title, steps, checks: outlineOf(runbook).totals.checks, problem: null});
    } catch (error) {
      // Listed from the folder but unreadable, or a session's runbook since moved: still listed, with why.
      if (source === 'here' && !s) continue; // a stray unreadable *.md in some directory is not worth a row
      entries.push({...base, title: s?.runbook.title ?? '', steps: s?.steps ?? null, checks: s?.total ?? null, problem: whyUnreadable(error, path)});
    }
  }
  return {entries, problems};
}

/** What the picker in a session offers: the runbooks in the open one's folder, and those in ./runbooks. */
export async function runbooksBeside(path: string, o: Pick<LibraryOptions, 'cwd' | 'home' | 'stateDir' | 'load'>): Promise<LibraryEntry[]> {
  return (await findRunbooks({...o, folders: [dirname(resolve(o.cwd, path)), 'runbooks']})).entries;
}

/** The reason without the path the row already shows, and without the advice meant for an open that failed. */
function whyUnreadable(error: unknown, path: string): string {
  const message = ((error as Error)?.message ?? String(error)).split('\n')[0]!;
  const reason = message.startsWith(`${path}: `) ? message.slice(path.length + 2) : message;
  return /^no such file/.test(reason) ? 'no longer there' : reason.split(';')[0]!;
}
