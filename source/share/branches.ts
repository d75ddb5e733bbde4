// What a former driver left on a branch, as the driver sees it: results of runs the log shows still running are
// facts and are taken in without asking; anything else waits for B, counted against the driver's own journal so a
// branch just taken in (its deletion not yet seen by the watch) offers nothing.

import type {SessionEvent} from '../session/events.js';
import type {Branch, WheelView} from './types.js';

/** Runs the events show started and not finished. */
export function runningRuns(events: readonly SessionEvent[]): Set<string> {
  const running = new Set<string>();
  for (const e of events) {
    if (e.type === 'run-started') running.add(e.runId);
    else if (e.type === 'run-finished') running.delete(e.runId);
  }
  return running;
}

/** A branch that holds only the results of runs still running in the log: taken in without asking. */
export function onlyResultsOf(events: readonly SessionEvent[], running: ReadonlySet<string>): boolean {
  return events.length > 0 && events.every(e => e.type === 'run-finished' && running.has(e.runId));
}

/** The branches of other writers that wait for the driver's B, with the events the driver does not have yet. */
export function waitingBranches(branches: readonly Branch[], me: string, driverEvents: readonly SessionEvent[] | null): WheelView['branches'] {
  // Read at every frame: the driver's events are scanned only when another writer has left a branch at all.
  if (!branches.some(b => b.from !== me)) return [];
  const running = driverEvents ? runningRuns(driverEvents) : new Set<string>();
  const have = new Set(driverEvents?.map(e => e.id) ?? []);
  return branches
    .filter(b => b.from !== me && !onlyResultsOf(b.events, running))
    .map(b => ({name: b.name, from: b.from, events: b.events.filter(e => !e.id || !have.has(e.id)).length}))
    .filter(b => b.events > 0);
}
