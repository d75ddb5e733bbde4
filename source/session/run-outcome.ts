// Whether a finished run went well, in the operator's sense rather than only the exit code's.
//
// `kubectl logs … | grep -i error` exits 1 when it finds nothing. For a search for trouble that is the answer the
// operator hoped for (the guide's "Check Logs for Errors": "Should return no critical errors"), and a step must not
// turn red at 3 a.m. because the logs are clean. Only a search for trouble counts: a grep that asserts something is
// there (`| grep Running`, `| grep '"status":"ok"'`) still fails when it finds nothing, as does an inverted one.

export interface FinishedRun {
  exitCode: number | null;
  cancelled: boolean;
  /** The last lines of output; empty when the run printed nothing at all (not even an error). */
  tail: readonly string[];
  /** The script line (1-based) whose failure stopped the run, when bash could tell. */
  failedLine?: number;
}

const commandLines = (command: string) =>
  command
    .split('\n')
    .map((text, index) => ({text: text.trim(), line: index + 1}))
    .filter(({text}) => text && !text.startsWith('#'));

/** Whether a line is a grep at the end of a pipeline that searches for trouble (errors, panics, OOM kills…). */
function searchesForTrouble(line: string): boolean {
  const grep = lastPipelineStage(line);
  if (!grep || !/^grep\s/.test(grep)) return false;
  const words = grep.split(/\s+/).slice(1);
  // -v inverts the search: finding nothing then means everything was trouble.
  if (words.some(word => /^-[a-zA-Z]*v/.test(word) || word === '--invert-match')) return false;
  return TROUBLE.test(words.filter(word => !word.startsWith('-')).join(' '));
}

const TROUBLE = /err|crit|fatal|fail|panic|exception|oom|killed|denied/i;

/**
 * A search for trouble that found none: exit 1 with nothing printed, stopped by the script's last command, a
 * trouble-seeking grep. One that stopped earlier is not good news: `set -e` ended the block there, and the rest of it
 * never ran (see stopNote).
 */
export function foundNoTrouble(command: string, run: FinishedRun): boolean {
  if (run.cancelled || run.exitCode !== 1 || run.tail.length > 0) return false;
  const lines = commandLines(command);
  const last = lines.at(-1);
  if (!last || (run.failedLine !== undefined && run.failedLine !== last.line)) return false;
  return searchesForTrouble(last.text);
}

/** For a run stopped partway: which line stopped it, and what that means, on one line. Null when it says nothing new. */
export function stopNote(command: string, run: FinishedRun): string | null {
  if (run.cancelled || run.exitCode === 0 || run.failedLine === undefined) return null;
  const lines = commandLines(command);
  const at = lines.find(l => l.line === run.failedLine);
  if (!at || lines.length < 2) return null;
  const rest = lines.filter(l => l.line > at.line).length;
  // Meaning first, the command last: a narrow pane cuts the end of the line.
  // Exit 1 from such a pipeline is ambiguous under pipefail: grep found nothing, or the command feeding it failed
  // (its error then shows in the output, not through grep).
  const search = run.exitCode === 1 && searchesForTrouble(at.text) ? ': its grep matched nothing (no errors, unless the output shows the command feeding it failed), and set -e stops a block at its first failure' : '';
  const skipped = rest ? `${search ? ';' : ':'} ${rest === 1 ? 'the command' : `the ${rest} commands`} after it did not run` : '';
  return `stopped at line ${at.line}${search}${skipped} — ${at.text}`;
}

/** What follows the last `|` outside quotes (not `||`), or null when the line is not a pipeline. */
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

export const runWentWell = (command: string, run: FinishedRun): boolean => !run.cancelled && (run.exitCode === 0 || foundNoTrouble(command, run));

/** A cancelled run is the operator's choice, not a failure. */
export const runWentWrong = (command: string, run: FinishedRun): boolean => !run.cancelled && !runWentWell(command, run);
