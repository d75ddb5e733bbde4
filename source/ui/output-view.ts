// What the output pane shows for the focused block: the live run, or its last finished run, in the operator's words
// (exit status, the line that stopped it, a search for errors that found none).

import stringWidth from 'string-width';
import type {SessionController} from '../session/controller.js';
import {foundNoTrouble, runWentWell, stopNote} from '../session/run-outcome.js';
import type {RunRecord} from '../session/session-state.js';
import type {OutputView} from './output-pane.js';
import {graphemes} from '../terminal/columns.js';
import {safeText} from '../terminal/safe-text.js';
import {formatDuration} from './text.js';

export function outputView(run: RunRecord | undefined, active: SessionController['activeRun'], runs: number, back: number): OutputView | null {
  const which = runs > 1 ? `run ${runs - back} of ${runs}` : '';
  if (active) {
    const lines = [...(active.progress?.tail ?? [])];
    if (active.progress?.partial) lines.push(active.progress.partial);
    const elapsed = formatDuration(Date.now() - active.startedAtMs);
    // A run found still going when runbook restarted: which process it is, so the operator can look at it.
    const adopted = active.adoptedPid ? ` · pid ${active.adoptedPid}, started before runbook restarted` : '';
    return {title: commandTitle(active.command), status: active.cancelling ? `cancelling… ${elapsed}` : `◐ running ${elapsed}${adopted}`, tone: 'running', lines, which, file: null};
  }
  if (!run) return null;
  const f = run.finished;
  if (!f) return {title: commandTitle(run.command), status: run.interactive ? 'on the terminal' : 'interrupted', tone: 'warn', lines: [], which, file: run.outputFile};
  const ok = runWentWell(run.command, f);
  // A search for errors that found none (`… | grep -i error`, exit 1, nothing printed) is the good answer.
  const clean = foundNoTrouble(run.command, f) ? ' · no errors found' : '';
  const where = !ok && f.failedLine && !clean ? ` at line ${f.failedLine}` : '';
  // A run whose end runbook did not see (it was killed) says what became of it (session/run-fate.ts).
  const stopped = f.cancelled ? (f.recovered ? `⊘ ${f.recovered}` : '⊘ cancelled') : '';
  const status = f.cancelled ? `${stopped} · ${formatDuration(f.durationMs)}` : `${ok ? '✓' : '✗'} exit ${f.exitCode ?? f.signal}${where}${clean} · ${formatDuration(f.durationMs)}`;
  // In a block of several commands, which one stopped it (and what did not run) is the first thing to know.
  const notes = [f.error, f.cancelled ? null : f.recovered, stopNote(run.command, f)].filter((n): n is string => !!n).map(n => `runbook: ${n}`);
  const lines = run.interactive ? ['(ran on the terminal; its output was not recorded)'] : f.tail;
  return {title: commandTitle(run.command), status, tone: f.cancelled ? 'warn' : ok ? 'done' : 'failed', lines, notes, which, file: run.outputFile};
}

/** The first command of a script, for a one-line title: comments and blank lines are not what ran. */
export function commandTitle(script: string): string {
  const lines = script.split('\n').map(l => l.trim()).filter(l => l && !l.startsWith('#'));
  return lines.length > 1 ? `${lines[0]} (+${lines.length - 1} more)` : (lines[0] ?? script);
}

const SGR_SPLIT = /(\x1b\[[0-9;:]*m)/;
const TAB = 8;
const PLAIN = /^[\x20-\x7e]*$/;

/**
 * A line of command output as the pane draws it: nothing in it can act on the terminal (colours kept), tabs
 * expanded to their stops, and at most `width` columns, measured as the terminal will draw it. Tails recorded by
 * older versions, or by any other path, come through here too.
 */
export function outputLine(line: string, width: number): string {
  // Most output is plain printable ASCII that fits: one column per character, nothing to make safe, drawn as it is
  // (this runs for every visible line of every frame while a command floods the pane).
  if (line.length <= width && PLAIN.test(line)) return line;
  const safe = safeText(line, {output: true, colours: true, keep: '\t'});
  let text = safe;
  if (safe.includes('\t')) {
    text = '';
    let column = 0;
    for (const [i, part] of safe.split('\t').entries()) {
      if (i > 0) {
        const pad = TAB - (column % TAB);
        text += ' '.repeat(pad);
        column += pad;
      }
      text += part;
      column += stringWidth(part);
    }
  }
  // string-width does not count colour codes: what it measures is what the terminal draws.
  if (stringWidth(text) <= width) return text;
  let out = '';
  let used = 0;
  let coloured = false;
  for (const token of text.split(SGR_SPLIT)) {
    if (SGR_SPLIT.test(token)) {
      out += token;
      coloured = true;
      continue;
    }
    for (const cluster of graphemes(token)) {
      const w = stringWidth(cluster);
      if (used + w > width - 1) return `${out}${coloured ? '\x1b[0m' : ''}…`;
      out += cluster;
      used += w;
    }
  }
  return out;
}
