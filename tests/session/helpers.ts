// Real temp state dirs, events with a sequence number in them, and a child process built from the store's source.
import {mkdtempSync, readdirSync, readFileSync, rmSync, statSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {build} from 'esbuild';
import {afterAll, beforeAll} from 'vitest';
import type {SessionEvent} from '../../source/session/events.js';

export function tempStateDir(): {dir: string; remove(): void} {
  const dir = mkdtempSync(join(tmpdir(), 'runbook-session-test-'));
  return {dir, remove: () => rmSync(dir, {recursive: true, force: true})};
}

export const RUNBOOK = {path: 'runbooks/deploy.md', hash: 'sha256:abc', title: 'Deploy'};

let clock = Date.parse('2025-03-01T14:02:00Z');
const at = () => new Date((clock += 1000)).toISOString();

export const note = (text: string, stepId = 'step-1'): SessionEvent => ({type: 'note', stepId, text, at: at(), by: {user: 'op', host: 'laptop'}, context: {kubeContext: 'prod', namespace: 'web'}});
export const tick = (itemId: string, stepId = 'step-1', checked = true): SessionEvent => ({type: 'check-toggled', stepId, itemId, checked, at: at()});
export const finished = (runId: string, exitCode: number, tail: string[] = []): SessionEvent => ({
  type: 'run-finished',
  runId,
  exitCode,
  signal: null,
  cancelled: false,
  durationMs: 1200,
  lines: tail.length,
  tail,
  at: at(),
});

/** Every file under dir, recursively, with its bytes. */
export function allFiles(dir: string): Array<{path: string; text: string}> {
  const out: Array<{path: string; text: string}> = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...allFiles(path));
    else out.push({path, text: readFileSync(path, 'latin1')});
  }
  return out;
}

/** Bundles a test-only program (default tests/session/child.ts, which imports the store from source) into one .mjs a plain `node` can run. */
export async function buildChild(outDir: string, entry = 'child.ts'): Promise<string> {
  const outfile = join(outDir, entry.replace(/\.ts$/, '.mjs'));
  await build({
    entryPoints: [new URL(`./${entry}`, import.meta.url).pathname],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    logLevel: 'error',
    banner: {js: "import {createRequire as __cr} from 'node:module'; const require = __cr(import.meta.url);"},
  });
  return outfile;
}

/** Builds a test-only program once for the file's tests (beforeAll) and removes it after; returns its path's getter. */
export function childProgram(entry = 'child.ts'): () => string {
  let dir = '';
  let program = '';
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'runbook-session-child-'));
    program = await buildChild(dir, entry);
  });
  afterAll(() => rmSync(dir, {recursive: true, force: true}));
  return () => program;
}

/** A seeded generator, so a failure can be replayed: the tests put the seed in their failure messages. */
export function seededRandom(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
