// At start, the runs a killed runbook left without an end (see run-fate.ts for how their fate is told): each is said
// on the first screen and recorded, so the step no longer shows "interrupted" and the report no longer says "no exit
// recorded". One still running is adopted: shown as the running block (its log's tail, its pid), Ctrl-C ends its
// group, quitting ends it as it ends any block, and its end is recorded when it comes.

import {isGroupAlive, processIdentity, registerGroup, signalGroup, unregisterGroup} from '../exec/process-groups.js';
import type {ActiveRun} from './controller.js';
import type {NewEvent} from './events.js';
import {describeFate, exitFileFor, finishedEventFor, outputSummary, runFate} from './run-fate.js';
import type {RunRecord} from './session-state.js';
import {unlinkQuietly} from './session-files.js';

/** What of the controller this needs: where output goes, its record, and its running block. */
export interface RunKeeper {
  readonly outputDir: string;
  record(event: NewEvent): boolean;
  running(): ActiveRun | null;
  /** Shows (or, with null, clears) the running block and tells subscribers. */
  show(run: ActiveRun | null): void;
}

/** Returns one line per run, meaning first and the command last (a narrow screen cuts the end). */
export function resolveInterruptedRuns(runs: readonly RunRecord[], keeper: RunKeeper): string[] {
  const notes: string[] = [];
  for (const run of runs) {
    if (run.finished) continue;
    const fate = runFate(run, keeper.outputDir);
    const description = describeFate(fate);
    notes.push(`${description} — ${firstLine(run.command)}`);
    if (fate.kind === 'running') {
      if (!keeper.running()) adopt(run, fate.pid, keeper);
      continue;
    }
    if (keeper.record(finishedEventFor(run, fate, description))) unlinkQuietly(exitFileFor(keeper.outputDir, run.runId));
  }
  return notes;
}

function adopt(run: RunRecord, pid: number, keeper: RunKeeper) {
  const identity = run.processStart ?? null;
  const alive = () => isGroupAlive(pid) && (identity === null || [null, identity].includes(processIdentity(pid)));
  registerGroup(pid);
  const startedAtMs = Date.parse(run.startedAt);
  keeper.show({runId: run.runId, stepId: run.stepId, blockId: run.blockId, command: run.command, progress: null, cancelling: false, interactive: false, startedAtMs, adoptedPid: pid});
  const poll = setInterval(() => {
    const active = keeper.running();
    if (active?.runId !== run.runId) return clearInterval(poll);
    if (alive()) {
      const {tail} = outputSummary(run.outputFile, 200, 2000, false);
      keeper.show({...active, progress: {tail, partial: '', lines: tail.length, bytes: 0, elapsedMs: Date.now() - startedAtMs}});
      return;
    }
    clearInterval(poll);
    unregisterGroup(pid);
    keeper.show(null);
    const after = runFate(run, keeper.outputDir);
    const fate = after.kind === 'running' ? {kind: 'gone' as const} : after;
    const description = active.cancelling && fate.kind !== 'finished' ? 'ended with Ctrl-C after runbook restarted' : describeFate(fate);
    if (keeper.record(finishedEventFor(run, fate, description))) unlinkQuietly(exitFileFor(keeper.outputDir, run.runId));
  }, 500);
  poll.unref?.();
}

/** SIGTERM to a group this process did not start (an adopted run), SIGKILL if it is still there after the grace period. */
export function endGroup(pgid: number, graceMs = 2000) {
  signalGroup(pgid, 'SIGTERM');
  setTimeout(() => {
    if (isGroupAlive(pgid)) signalGroup(pgid, 'SIGKILL');
  }, graceMs).unref();
}

const firstLine = (command: string) => command.split('\n').map(l => l.trim()).find(l => l && !l.startsWith('#')) ?? command;

