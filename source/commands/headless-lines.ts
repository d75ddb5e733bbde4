// What a headless rehearsal prints: a line per block as it ends (step, block, ✓/✗/skipped and why, duration), a
// summary line, or with --json one document. Pure; the caller prints through print.ts (everything made inert there).

import type {RunRecord} from '../session/session-state.js';
import {commandOutcomes, runWentWell} from '../session/run-outcome.js';
import {truncate} from '../terminal/columns.js';

export interface BlockResult {
  step: string;
  stepId: string;
  blockId: string;
  /** The block's first command, its first line. */
  command: string;
  status: 'passed' | 'failed' | 'skipped';
  /** Why it failed or was skipped; for a pass, what is worth knowing (a follower stopped, a confirmation given). */
  reason: string | null;
  exitCode: number | null;
  durationMs: number | null;
  dangerous: boolean;
  /** Followers ended by the rehearsal's Ctrl-C, as they ran. */
  stopped: string[];
  /** A failed block's job done natively afterwards (m, A, u), as the failure's hint offers it; it still counts as failed. */
  native: {key: string; ok: boolean; message: string} | null;
}

export interface Summary {
  blocks: number;
  passed: number;
  failed: number;
  skipped: number;
  /** Failed blocks whose job was then done natively. */
  doneNatively: number;
}

const MARK = {passed: '✓', failed: '✗', skipped: '⤼'} as const;

export const firstCommand = (commands: readonly string[]) => (commands[0] ?? '').split('\n')[0]!.trim();

/** What a finished run of the block comes to: passed or failed by the record's own rule, and why. */
export function judged(run: RunRecord | undefined, fallback: string | null): Pick<BlockResult, 'status' | 'reason' | 'exitCode' | 'durationMs'> {
  const finished = run?.finished;
  if (!run || !finished) return {status: 'failed', reason: fallback ?? 'not run: the run could not be recorded', exitCode: null, durationMs: null};
  const base = {exitCode: finished.exitCode, durationMs: finished.durationMs};
  if (runWentWell(run.command, finished)) return {...base, status: 'passed', reason: null};
  return {...base, status: 'failed', reason: failure(run.command, finished)};
}

const ESCAPES = /\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[@-Z\\-_])/g;
const SAYS_WHY = /error|fatal|fail|not found|no such|cannot|can't|unable|denied|refused|required|invalid|unknown|no rule/i;

/** `exit 127 at command 2 of 3: ./scripts/smoke-tests.sh: No such file or directory` */
function failure(command: string, run: NonNullable<RunRecord['finished']>): string {
  if (run.cancelled) return run.error ?? 'cancelled';
  if (run.error && run.exitCode === null) return run.error;
  const how = run.exitCode !== null ? `exit ${run.exitCode}` : run.signal ? `ended by ${run.signal}` : 'did not finish';
  const outcomes = commandOutcomes(command, run);
  const at = outcomes.findIndex(o => o.outcome === 'failed');
  const where = outcomes.length > 1 && at >= 0 ? ` at command ${at + 1} of ${outcomes.length}` : '';
  // The error, rather than the last line of a usage text printed after it.
  // A block run on a pseudo-terminal leaves its colours and cursor moves in the tail.
  const lines = run.tail.map(line => line.replace(ESCAPES, '').trim()).filter(Boolean).reverse();
  const said = lines.find(line => SAYS_WHY.test(line)) ?? lines[0];
  return `${how}${where}${said ? `: ${truncate(said, 160)}` : ''}`;
}

function duration(ms: number | null): string {
  if (ms === null) return '';
  if (ms < 60_000) return ` (${(ms / 1000).toFixed(1)} s)`;
  return ` (${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s)`;
}

/**
 * `✓ Check Pods — kubectl get pods -n web (0.4 s)`; a skip says `skipped:` and why; a failed
 * block done natively after is followed by `  ↳ done by A: approved production (run 7)`.
 */
export function blockLine(r: BlockResult): string {
  const why = r.status === 'skipped' ? ` — skipped: ${r.reason}` : r.reason ? ` — ${r.reason}` : '';
  const native = r.native ? `  ↳ ${r.native.ok ? `done by ${r.native.key}` : `${r.native.key} failed too`}: ${truncate(r.native.message, 160)}\n` : '';
  return `${MARK[r.status]} ${truncate(r.step, 50)} — ${truncate(r.command, 70)}${why}${duration(r.durationMs)}\n${native}`;
}

export function summaryOf(results: readonly BlockResult[]): Summary {
  const count = (status: BlockResult['status']) => results.filter(r => r.status === status).length;
  const native = results.filter(r => r.native?.ok).length;
  return {blocks: results.length, passed: count('passed'), failed: count('failed'), skipped: count('skipped'), doneNatively: native};
}

export function summaryLine(s: Summary, session: string, scenario: string): string {
  const native = s.doneNatively ? ` (${s.doneNatively} of them then done natively)` : '';
  return `${s.blocks} blocks: ${s.passed} passed, ${s.failed} failed${native}, ${s.skipped} skipped — session ${session} (rehearsal, ${scenario}); 'runbook report ${session}' has the timeline\n`;
}

/** The --json document. */
export function headlessDocument(d: {title: string; path: string; scenario: string; session: string; results: BlockResult[]; unusedSets: string[]; exitCode: number}) {
  return {
    runbook: {title: d.title, path: d.path},
    scenario: d.scenario,
    session: d.session,
    blocks: d.results,
    summary: summaryOf(d.results),
    unusedSets: d.unusedSets,
    exitCode: d.exitCode,
  };
}
