// What the output pane shows for the focused block: the live run, or its last finished run, in the operator's words
// (exit status, the line that stopped it, a search for errors that found none).

import type {SessionController} from '../session/controller.js';
import {foundNoTrouble, runWentWell, stopNote} from '../session/run-outcome.js';
import type {RunRecord} from '../session/session-state.js';
import type {OutputView} from './output-pane.js';
import {formatDuration} from './text.js';

export function outputView(run: RunRecord | undefined, active: SessionController['activeRun'], runs: number, back: number): OutputView | null {
  const which = runs > 1 ? `run ${runs - back} of ${runs}` : '';
  if (active) {
    const lines = [...(active.progress?.tail ?? [])];
    if (active.progress?.partial) lines.push(active.progress.partial);
    const elapsed = formatDuration(Date.now() - active.startedAtMs);
    return {title: commandTitle(active.command), status: active.cancelling ? `cancelling… ${elapsed}` : `◐ running ${elapsed}`, tone: 'running', lines, which, file: null};
  }
  if (!run) return null;
  const f = run.finished;
  if (!f) return {title: commandTitle(run.command), status: run.interactive ? 'on the terminal' : 'interrupted', tone: 'warn', lines: [], which, file: run.outputFile};
  const ok = runWentWell(run.command, f);
  // A search for errors that found none (`… | grep -i error`, exit 1, nothing printed) is the good answer.
  const clean = foundNoTrouble(run.command, f) ? ' · no errors found' : '';
  const where = !ok && f.failedLine && !clean ? ` at line ${f.failedLine}` : '';
  const status = f.cancelled ? `⊘ cancelled · ${formatDuration(f.durationMs)}` : `${ok ? '✓' : '✗'} exit ${f.exitCode ?? f.signal}${where}${clean} · ${formatDuration(f.durationMs)}`;
  // In a block of several commands, which one stopped it (and what did not run) is the first thing to know.
  const notes = [f.error, stopNote(run.command, f)].filter((n): n is string => !!n).map(n => `runbook: ${n}`);
  const lines = run.interactive ? ['(ran on the terminal; its output was not recorded)'] : f.tail;
  return {title: commandTitle(run.command), status, tone: f.cancelled ? 'warn' : ok ? 'done' : 'failed', lines, notes, which, file: run.outputFile};
}

/** The first command of a script, for a one-line title: comments and blank lines are not what ran. */
export function commandTitle(script: string): string {
  const lines = script.split('\n').map(l => l.trim()).filter(l => l && !l.startsWith('#'));
  return lines.length > 1 ? `${lines[0]} (+${lines.length - 1} more)` : (lines[0] ?? script);
}
