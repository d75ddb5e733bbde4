// For the tests that kill runbook mid-block: which of a block's processes still live, and where a value sits on disk.
import {readdirSync, readFileSync, statSync} from 'node:fs';
import {join} from 'node:path';

/** A name no other process on the machine has, to give a block's long-running processes (`exec -a NAME sleep 300`). */
export const uniqueMarker = (what: string) => `runbook-marker-${what}-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;

/** Live (not zombie) processes whose command line holds `marker`. */
export function markerProcesses(marker: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    try {
      if (!readFileSync(`/proc/${pid}/cmdline`, 'latin1').includes(marker)) continue;
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const state = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0];
      if (state !== 'Z' && state !== 'X') found.push(pid);
    } catch {
      // gone while we looked
    }
  }
  return found;
}

/** Files under `dir` (recursively) whose bytes contain `value`. */
export function filesContaining(dir: string, value: string): string[] {
  const found: string[] = [];
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return found;
  }
  for (const name of names) {
    const path = join(dir, name);
    try {
      if (statSync(path).isDirectory()) found.push(...filesContaining(path, value));
      else if (readFileSync(path).includes(value)) found.push(path);
    } catch {
      // removed while we looked
    }
  }
  return found;
}

/** Every file and directory under `dir` with its permission bits, for the 0600/0700 checks. */
export function modesUnder(dir: string): Array<{path: string; mode: number; directory: boolean}> {
  const out: Array<{path: string; mode: number; directory: boolean}> = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const st = statSync(path);
    out.push({path, mode: st.mode & 0o777, directory: st.isDirectory()});
    if (st.isDirectory()) out.push(...modesUnder(path));
  }
  return out;
}

/** Polls until check() holds; the deadline is the requirement under test, not a guess at speed. */
export async function within(ms: number, check: () => boolean): Promise<boolean> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (check()) return true;
    if (Date.now() > deadline) return false;
    await new Promise(resolve => setTimeout(resolve, 50));
  }
}
