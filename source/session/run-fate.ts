// What became of a run whose end runbook did not see: it was killed (kill -9, a crash, a power cut) while the block ran.
// Three witnesses, best first: the run's exit file (the block's shell notes `exit N` when it ends; its supervisor notes
// `runbook-died` before ending the block because the app died), then the process group recorded with run-started
// (still alive, and still the same process, means still running), and otherwise nothing: the run is gone.

import {closeSync, fstatSync, openSync, readFileSync, readSync} from 'node:fs';
import {join} from 'node:path';
import {displayLine} from '../exec/display-line.js';
import {isGroupAlive, processIdentity} from '../exec/process-groups.js';
import {formatDuration} from '../terminal/duration.js';
import type {NewEvent} from './events.js';
import type {RunRecord} from './session-state.js';

export type RunFate =
  | {kind: 'finished'; exitCode: number; endedAt: string | null}
  | {kind: 'killed'; endedAt: string | null}
  | {kind: 'running'; pid: number; elapsedMs: number}
  | {kind: 'gone'};

/** Where a run's shell and supervisor note how it ended, beside its output. */
export const exitFileFor = (outputDir: string, runId: string) => join(outputDir, `${runId}.exit`);

/** The first note decides: an exit noted before runbook died is the block's own; one noted after is the kill's. */
export function readExitNote(file: string): Extract<RunFate, {kind: 'finished' | 'killed'}> | null {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return null;
  }
  const first = text.split('\n').find(line => line.trim() !== '');
  if (!first) return null;
  const [word, value, when] = first.trim().split(/\s+/);
  // Epoch seconds, with a fraction from bash 5 (its decimal point follows the locale).
  const at = (seconds: string | undefined) => {
    const value = Number(seconds?.replace(',', '.'));
    return seconds && Number.isFinite(value) && value > 0 ? new Date(value * 1000).toISOString() : null;
  };
  if (word === 'exit' && value && /^\d+$/.test(value)) return {kind: 'finished', exitCode: Number(value), endedAt: at(when)};
  if (word === 'runbook-died') return {kind: 'killed', endedAt: at(value)};
  return null;
}

export function runFate(run: RunRecord, outputDir: string, now = Date.now()): RunFate {
  const note = readExitNote(exitFileFor(outputDir, run.runId));
  if (note) return note;
  const pgid = run.processGroup;
  if (pgid && isGroupAlive(pgid)) {
    // The leader may be gone while others of its group live on (a group id is not reused while it has members).
    const identity = processIdentity(pgid);
    if (!run.processStart || identity === null || identity === run.processStart) {
      return {kind: 'running', pid: pgid, elapsedMs: Math.max(0, now - Date.parse(run.startedAt))};
    }
  }
  return {kind: 'gone'};
}

/** The fate in the operator's words, one line. */
export function describeFate(fate: RunFate): string {
  switch (fate.kind) {
    case 'finished':
      return `finished while runbook was not running: exit ${fate.exitCode}`;
    case 'killed':
      return 'ended when runbook was killed';
    case 'running':
      return `still running (pid ${fate.pid}, ${formatDuration(fate.elapsedMs)}) — wait for it, or Ctrl-C to end it`;
    case 'gone':
      return 'gone: not running when runbook restarted, and no exit was recorded';
  }
}

const TAIL_BYTES = 64 * 1024;

/** Lines and last lines of a run's output file (already redacted when written). */
export function outputSummary(file: string | null, tailLines = 50, maxLineLength = 2000, countLines = true): {lines: number; tail: string[]} {
  if (!file) return {lines: 0, tail: []};
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch {
    return {lines: 0, tail: []};
  }
  try {
    const buffer = Buffer.alloc(1024 * 1024);
    let lines = 0;
    let last: Buffer = Buffer.alloc(0);
    // Without the count only the end is read: a live tail twice a second must not reread a large log.
    const start = countLines ? 0 : Math.max(0, fstatSync(fd).size - TAIL_BYTES);
    let position = start;
    for (let read = readSync(fd, buffer, 0, buffer.length, position); read > 0; read = readSync(fd, buffer, 0, buffer.length, position)) {
      position += read;
      const chunk = buffer.subarray(0, read);
      for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines++;
      last = Buffer.concat([last, chunk]).subarray(-TAIL_BYTES);
    }
    const text = last.toString('utf8');
    const all = text.split('\n');
    // Cut mid-file: the first line is a fragment.
    if ((start > 0 || position > TAIL_BYTES) && all.length > 1) all.shift();
    if (all.at(-1) === '') all.pop();
    return {lines: countLines ? lines : all.length, tail: all.slice(-tailLines).map(line => displayLine(line, maxLineLength))};
  } finally {
    closeSync(fd);
  }
}

/** The run-finished event that records a fate (not for a run still running). */
export function finishedEventFor(run: RunRecord, fate: Exclude<RunFate, {kind: 'running'}>, description: string): NewEvent {
  const started = Date.parse(run.startedAt);
  const endedAt = fate.kind === 'gone' ? null : fate.endedAt;
  const durationMs = endedAt && Number.isFinite(started) ? Math.max(0, Date.parse(endedAt) - started) : 0;
  const {lines, tail} = outputSummary(run.outputFile);
  return {
    type: 'run-finished',
    runId: run.runId,
    exitCode: fate.kind === 'finished' ? fate.exitCode : null,
    signal: null,
    // A run runbook's death cut short is neither the operator's failure nor the command's: shown as stopped.
    cancelled: fate.kind !== 'finished',
    durationMs,
    lines,
    tail,
    recovered: description,
  };
}
