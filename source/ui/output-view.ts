// What the output pane shows for the focused block: the live run, or its last finished run, in the operator's words
// (exit status, what became of each of its commands, which one stopped it and what did not run).

import stringWidth from 'string-width';
import type {SessionController} from '../session/controller.js';
import {planCommands} from '../runbook/command-plan.js';
import {guideActionFor} from '../github/guide-actions.js';
import {commandOutcomes, foundNoTrouble, missingProgram, runWentWell, type CommandOutcome, type CommandResult} from '../session/run-outcome.js';
import type {RunRecord} from '../session/session-state.js';
import type {CommandRow, OutputView} from './output-pane.js';
import type {Tone} from './theme.js';
import {graphemes} from '../terminal/columns.js';
import {safeText} from '../terminal/safe-text.js';
import {formatDuration} from './text.js';

export function outputView(run: RunRecord | undefined, active: SessionController['activeRun'], runs: number, back: number, reach: {github?: boolean} = {}): OutputView | null {
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
  const outcomes = commandOutcomes(run.command, f);
  const status = finishedStatus(run.command, f, ok, outcomes);
  const notes = [f.error, f.cancelled ? null : f.recovered, missingNote(run.command, f, reach.github)].filter((n): n is string => !!n).map(n => `runbook: ${n}`);
  // In a block of several commands, what became of each is the first thing to know (which one stopped it, what did not run).
  const commands = outcomes.length > 1 ? outcomes.map(commandRow) : [];
  // Records older than the interactive transcript have no output file: their interactive runs kept nothing.
  const lines = run.interactive && !run.outputFile ? ['(ran on the terminal; its output was not recorded)'] : f.tail;
  return {title: commandTitle(run.command), status, tone: f.cancelled ? 'warn' : ok ? 'done' : 'failed', lines, notes, commands, which, file: run.outputFile};
}

type Finished = NonNullable<RunRecord['finished']>;

/** A program this machine lacks, said in one line; for gh, with the key that does the block's job through the API. */
function missingNote(command: string, f: Finished, github = false): string | null {
  const program = missingProgram(f);
  if (!program) return null;
  const native = program === 'gh' && github && guideActionFor([command]) !== null;
  return `${safeText(program)} is not installed here${native ? ': m does it via the API' : ''}`;
}

/** `✗ exit 1 · command 2 of 4 · 2 commands did not run · 1.2 s`, `✓ exit 0 · 0.8 s`, `⊘ cancelled · 3 s`. */
function finishedStatus(command: string, f: Finished, ok: boolean, outcomes: CommandResult[]): string {
  const duration = formatDuration(f.durationMs);
  // A run whose end runbook did not see (it was killed) says what became of it (session/run-fate.ts).
  if (f.cancelled) return `${f.recovered ? `⊘ ${f.recovered}` : '⊘ cancelled'} · ${duration}`;
  // A search for errors that found none (`… | grep -i error`, exit 1, nothing printed), in a record made before
  // such searches were noted, is the good answer.
  const clean = foundNoTrouble(command, f) ? ' · no errors found' : '';
  const stop = outcomes.findIndex(o => o.outcome === 'failed' || o.outcome === 'interrupted');
  let where = '';
  if (!ok && !clean && stop >= 0 && outcomes.length > 1) where = ` · command ${stop + 1} of ${outcomes.length}`;
  else if (!ok && !clean && f.failedLine) where = ` at line ${f.failedLine}`;
  const skipped = outcomes.filter(o => o.outcome === 'not-run').length;
  const notRun = skipped ? ` · ${skipped === 1 ? '1 command' : `${skipped} commands`} did not run` : '';
  return `${ok ? '✓' : '✗'} exit ${f.exitCode ?? f.signal}${where}${clean}${notRun} · ${duration}`;
}

const OUTCOME_ROW: Record<CommandOutcome, {mark: string; label: string; tone: Tone}> = {
  ok: {mark: '✓', label: '', tone: 'done'},
  failed: {mark: '✗', label: '', tone: 'failed'},
  'not-run': {mark: '·', label: 'not run', tone: 'muted'},
  'no-match': {mark: '✓', label: 'no matches', tone: 'done'},
  stopped: {mark: '✓', label: 'stopped by you', tone: 'done'},
  interrupted: {mark: '⊘', label: 'interrupted', tone: 'warn'},
  unknown: {mark: '?', label: 'outcome unknown', tone: 'muted'},
};

/** One command of the block as the pane lists it: what became of it first, then its first line (the pane cuts the end). */
function commandRow({command, outcome}: CommandResult): CommandRow {
  const {mark, label, tone} = OUTCOME_ROW[outcome];
  const lines = command.text.replace(/[ \t]*\\\n\s*/g, ' ').split('\n');
  const text = `${lines[0]!.trim()}${lines.length > 1 ? ' …' : ''}`;
  return {mark, label, text, tone};
}

/** The first command of a script, for a one-line title: comments and blank lines are not what ran; commands, not lines, are counted. */
export function commandTitle(script: string): string {
  const commands = planCommands(script);
  const first = commands[0]?.text.split('\n')[0]?.trim();
  if (first === undefined) return script.trim();
  return commands.length > 1 ? `${first} (+${commands.length - 1} more)` : first;
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
