// Whether a finished run went well, in the operator's sense rather than only the exit code's, and what became of each
// of its commands.
//
// The runner lets a search that finds nothing (`kubectl logs … | grep -i error`: clean logs) and a follower the
// operator ends with Ctrl-C end without stopping the block, and notes them (exec/command-notes.ts): such a run exits 0.
// Runs recorded before that still read right: a search for trouble that ended the block as its last command, exit 1
// with nothing printed, was the answer the operator hoped for (the guide's "Should return no critical errors"). A
// grep that asserts something is there (`| grep Running`) still fails when it finds nothing, as does an inverted one.

import type {CommandNote} from '../exec/types.js';
import {planCommands, TROUBLE, type PlannedCommand} from '../runbook/command-plan.js';

export interface FinishedRun {
  exitCode: number | null;
  signal?: string | null;
  cancelled: boolean;
  /** The last lines of output; empty when the run printed nothing at all (not even an error). */
  tail: readonly string[];
  /** The script line (1-based) whose failure stopped the run, when bash could tell. */
  failedLine?: number;
  /** Commands that found nothing or were stopped by the operator, and the block went on (runs since issue 15). */
  commandNotes?: readonly CommandNote[];
}

/**
 * What became of one logical command of a block: it succeeded, failed (and stopped the block), did not run (after
 * the one that stopped it), found nothing (a search, the block went on), was stopped by the operator (a follower, the
 * block went on), was interrupted (Ctrl-C or a cancel while it ran, or before it could), or cannot be told (a block
 * that failed without bash saying where, several commands from its last known one).
 */
export type CommandOutcome = 'ok' | 'failed' | 'not-run' | 'no-match' | 'stopped' | 'interrupted' | 'unknown';

export interface CommandResult {
  command: PlannedCommand;
  outcome: CommandOutcome;
}

const flat = (text: string) => text.replace(/\\\n\s*/g, ' ');

/** Whether a command is a grep at the end of a pipeline that searches for trouble (errors, panics, OOM kills…). */
function searchesForTrouble(command: string): boolean {
  const grep = lastPipelineStage(flat(command));
  if (!grep || !/^grep\s/.test(grep)) return false;
  const words = grep.split(/\s+/).slice(1);
  // -v inverts the search: finding nothing then means everything was trouble.
  if (words.some(word => /^-[a-zA-Z]*v/.test(word) || word === '--invert-match')) return false;
  return TROUBLE.test(words.filter(word => !word.startsWith('-')).join(' '));
}

/** The index of the command whose lines hold `line`, or -1. */
const commandAt = (plan: readonly PlannedCommand[], line: number | undefined) =>
  line === undefined ? -1 : plan.findIndex(c => c.line <= line && line <= c.endLine);

/**
 * A search for trouble that found none, as runs recorded before searches were noted (issue 15) show it: exit 1 with
 * nothing printed, stopped by the script's last command, a trouble-seeking grep. One that stopped earlier is not good
 * news: `set -e` ended the block there, and the rest of it never ran (see stopNote). Today's runner notes such a
 * search instead, and the block exits 0.
 */
export function foundNoTrouble(command: string, run: FinishedRun): boolean {
  if (run.cancelled || run.exitCode !== 1 || run.tail.length > 0) return false;
  const plan = planCommands(command);
  const last = plan.at(-1);
  if (!last || (run.failedLine !== undefined && commandAt(plan, run.failedLine) !== last.index)) return false;
  return searchesForTrouble(last.text);
}

/** Each logical command of the block and what became of it, from where bash said it stopped and what it noted. */
export function commandOutcomes(command: string, run: FinishedRun): CommandResult[] {
  const plan = planCommands(command);
  const notes = new Map((run.commandNotes ?? []).map(n => [n.index, n.note === 'no-match' ? 'no-match' : 'stopped'] as const));
  const ran = (i: number): CommandOutcome => notes.get(i) ?? 'ok';
  const result = (outcome: (i: number) => CommandOutcome) => plan.map(c => ({command: c, outcome: outcome(c.index)}));
  if (!run.cancelled && run.exitCode === null && !run.signal) return result(i => (notes.has(i) ? ran(i) : 'not-run'));
  if (!run.cancelled && run.exitCode === 0) return result(ran);
  const interrupted = run.cancelled || run.exitCode === 130 || (run.exitCode === null && !!run.signal);
  const stop = commandAt(plan, run.failedLine);
  if (stop >= 0) {
    const stopped: CommandOutcome = interrupted ? 'interrupted' : foundNoTrouble(command, run) ? 'no-match' : 'failed';
    return result(i => (i < stop ? ran(i) : i === stop ? stopped : 'not-run'));
  }
  // Where it stopped is not known: everything up to the last noted command ran; of the rest, one alone is the one.
  const known = Math.max(-1, ...notes.keys());
  const rest = plan.length - known - 1;
  const unknown: CommandOutcome = interrupted ? 'interrupted' : rest === 1 ? (foundNoTrouble(command, run) ? 'no-match' : 'failed') : 'unknown';
  return result(i => (i <= known ? ran(i) : unknown));
}

/** For a run stopped partway: which command stopped it, and what that means, on one line. Null when it says nothing new. */
export function stopNote(command: string, run: FinishedRun): string | null {
  if (run.cancelled || run.exitCode === 0 || run.failedLine === undefined) return null;
  const plan = planCommands(command);
  const stop = commandAt(plan, run.failedLine);
  const at = plan[stop];
  if (!at || plan.length < 2) return null;
  const rest = plan.length - stop - 1;
  // Meaning first, the command last: a narrow pane cuts the end of the line.
  // Exit 1 from a pipeline ending in a search is ambiguous under pipefail: the search found nothing, or the command
  // feeding it failed (its error then shows in the output, not through the search).
  const search = run.exitCode === 1 && (at.role === 'search' || at.role === 'assert' || searchesForTrouble(at.text)) ? ': its search found nothing, or the command feeding it failed' : '';
  const skipped = rest ? `${search ? ';' : ':'} ${notRun(rest)}` : '';
  return `stopped at command ${stop + 1} of ${plan.length} (line ${run.failedLine})${search}${skipped} — ${at.text.split('\n')[0]}`;
}

/**
 * The program a run could not find (exit 127), from what the shell said: `bash: line 3: gh: command not found`,
 * dash's `sh: 1: gh: not found`. Null for any other failure.
 */
export function missingProgram(run: Pick<FinishedRun, 'exitCode' | 'cancelled' | 'tail'>): string | null {
  if (run.cancelled || run.exitCode !== 127) return null;
  for (const line of [...run.tail].reverse()) {
    const m = /(?:^|: )([^\s:/]+): (?:command )?not found$/.exec(line.trim());
    if (m) return m[1]!;
  }
  return null;
}

/** "the command after it did not run", "the 3 commands after it did not run". */
const notRun = (count: number) => `${count === 1 ? 'the command' : `the ${count} commands`} after it did not run`;

/** What follows the last `|` outside quotes (not `||`), or null when the text is not a pipeline. */
function lastPipelineStage(line: string): string | null {
  let quote: string | null = null;
  let cut = -1;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote) {
      if (c === quote) quote = null;
      else if (c === '\\' && quote === '"') i++;
    } else if (c === "'" || c === '"') quote = c;
    else if (c === '\\') i++;
    else if (c === '|') {
      if (line[i + 1] === '|') i++;
      else if (line[i - 1] !== '|') cut = i;
    }
  }
  return cut < 0 ? null : line.slice(cut + 1).trim();
}

/** Went well: exit 0 (a search that found nothing and a follower the operator stopped included), or a legacy clean search. */
export const runWentWell = (command: string, run: FinishedRun): boolean => !run.cancelled && (run.exitCode === 0 || foundNoTrouble(command, run));

/** A cancelled run is the operator's choice, not a failure. */
export const runWentWrong = (command: string, run: FinishedRun): boolean => !run.cancelled && !runWentWell(command, run);
