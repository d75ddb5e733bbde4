// The rollback rule, shared by the report's time to recovery, the incident's timeline and the metrics' rollback rate.

import {basename} from 'node:path';
import {isRollbackWorkflow, targetsOfCommand} from '../runbook/command-targets.js';
import {saysRollBack} from '../runbook/rollback-finder.js';
import {commandsRun} from '../runbook/shell-commands.js';
import type {SessionEvent} from './events.js';

/**
 * The rollback rule, shared by the report's time to recovery and the metrics' rollback rate. A successful (exit 0,
 * not cancelled) run is one when the runbook model reads it as a rollback (`kubectl rollout undo`, `helm rollback`,
 * `gh workflow run` of a workflow named like rollback, or a script named so: `./rollback.sh`); so is a step of the
 * runbook's rollback path (rollback-finder.ts) the operator marked done with a reason, because a rollback done
 * outside the runbook (the Actions UI) is recorded that way. Moving past a step one has read is not a rollback.
 * Without the runbook (deleted since), a step whose id says roll back stands for the path.
 * Returns the time and what it was, or null.
 */
export function firstRollback(events: readonly SessionEvent[], rollbackSteps?: readonly string[] | null): {at: string; what: string} | null {
  const commands = new Map<string, string>();
  const inPath = (stepId: string) => (rollbackSteps ? rollbackSteps.includes(stepId) : stepId.split('/').some(part => saysRollBack(part.replace(/[-_]+/g, ' '))));
  let rollback: {at: string; what: string} | null = null;
  for (const event of events) {
    if (event.type === 'run-started') commands.set(event.runId, event.command);
    else if (event.type === 'run-finished') {
      const command = commands.get(event.runId);
      if (command === undefined || event.exitCode !== 0 || event.cancelled) continue;
      // Recovered when the rollout the rollback started completed, if the session followed it.
      if (rollback && /rollout\s+status/.test(command)) return {at: event.at, what: `${rollback.what} (rollout completed)`};
      if (!rollback && isRollbackCommand(command)) rollback = {at: event.at, what: command};
    } else if (!rollback && event.type === 'step-marked' && event.status === 'done' && event.reason !== 'read' && !event.doneBy && inPath(event.stepId)) {
      // A mark the app made (step-purpose.ts) is not a rollback done elsewhere: a native rollback is its own run above.
      rollback = {at: event.at, what: `step ${event.stepId} marked done: ${event.reason}`};
    }
  }
  return rollback;
}

/** A command that puts the previous version back, as the runbook model reads commands. */
export function isRollbackCommand(command: string): boolean {
  if (targetsOfCommand(command).rollbacks.length > 0) return true;
  return commandsRun(command).some(c => isRollbackWorkflow(basename(c.program)));
}
