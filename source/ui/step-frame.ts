// What the step pane shows besides its lines: each block's state line, where the pane scrolls to follow the focus,
// and the hint under a failed step. Pure: the App computes these each render.

import type {ActiveRun, SessionController} from '../session/controller.js';
import {foundNoTrouble, runWentWell} from '../session/run-outcome.js';
import {lastRuns, type SessionState} from '../session/session-state.js';
import type {BlockState} from './step-lines.js';
import {formatDuration} from './text.js';

const clamp = (n: number, lo: number, hi: number) => Math.max(lo, Math.min(hi, n));

/** The state shown on a block of the step: running, how its last run ended, or idle. */
export function blockStates(session: SessionState, stepId: string, active: ActiveRun | null): (blockId: string) => BlockState {
  const runs = lastRuns(session, stepId);
  return blockId => {
    if (active?.blockId === blockId) return {state: 'running', detail: `running ${formatDuration(Date.now() - active.startedAtMs)}`};
    if (session.filled[blockId]) return {state: 'ok', detail: 'filled and copied'}; // a message template
    const started = runs.get(blockId);
    // Started by the process that drove before (a shared session): it runs there until its result arrives.
    if (started && !started.finished) return {state: 'running', detail: `running on ${started.host ?? 'another host'} · ${formatDuration(Date.now() - Date.parse(started.startedAt))}`};
    const run = started?.finished;
    if (!run) return {state: 'idle', detail: ''};
    // One runbook's death cut short says so (session/run-fate.ts), rather than "cancelled".
    if (run.cancelled) return {state: 'cancelled', detail: run.recovered ?? `cancelled after ${formatDuration(run.durationMs)}`};
    const {command, native} = runs.get(blockId)!;
    const ok = runWentWell(command, run);
    // Its job done by the app (m, A, u) rather than by its commands: said so, rather than an exit code.
    if (native) return {state: ok ? 'ok' : 'failed', detail: `${ok ? 'done' : 'failed'} by ${native} · ${formatDuration(run.durationMs)}`};
    return {state: ok ? 'ok' : 'failed', detail: `exit ${run.exitCode ?? run.signal}${foundNoTrouble(command, run) ? ' · found nothing' : ''} · ${formatDuration(run.durationMs)}`};
  };
}

export function followFocus(focused: {first: number; last: number} | undefined, height: number, max: number): number {
  if (!focused) return 0;
  let top = Math.max(0, focused.first - 2);
  // An item taller than the pane shows its top (the command's header and state), not its tail.
  if (focused.last - top >= height) top = focused.last - focused.first < height ? focused.last - height + 1 : focused.first;
  // Show the start of the step while the focused item still fits on the first screen.
  if (focused.last < height - 1) top = 0;
  return clamp(top, 0, max);
}

/** `native`: what does the failed block's job natively (`m opens the release PR via the API`), when something does. */
export function failedHint(hasRollback: boolean, incident: boolean, native: string | null = null): string {
  return `✗ Failed — Enter retry${native ? ` · ${native}` : ''} · s skip${hasRollback ? ' · R rollback procedures' : ''}${incident ? '' : ' · I declare an incident'}`;
}

/** What `u` would do right now: the previous revision, as kubectl's undo picks it. */
export function undoTarget(history: readonly {revision: number; tag: string}[]): string | null {
  const previous = [...history].sort((a, b) => b.revision - a.revision)[1];
  return previous ? `${previous.tag} (rev ${previous.revision})` : null;
}

/** The pipeline follows a run the session started (a merge, a dispatch), else the step's workflow, else the runbook's. */
export function pipelineTarget(controller: SessionController, stepId: string): {repository?: string; workflow: string | null; sha?: string} {
  const targets = controller.runbook.targets;
  const repository = targets?.primary.repository ?? undefined;
  const follow = controller.github.follow;
  const workflow = targets?.steps[stepId]?.workflow ?? targets?.primary.workflow ?? null;
  return {...(repository ? {repository} : {}), ...(follow ? {sha: follow.sha, workflow: follow.workflow} : {workflow})};
}
