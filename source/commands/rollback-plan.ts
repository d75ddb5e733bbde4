// `runbook rollback FILE`: where incident mode opens. On the runbook's rollback path (rollback-finder.ts) when it
// has one; else on the native undo of the workload it acts on, said in one line; with neither, one line and exit 2
// before any session is made. The severity given on the command line is one of the runbook's levels.

import {InputError} from '../runbook/errors.js';
import type {Runbook} from '../runbook/model.js';
import {matchSeverity, levelList, severityTable} from '../runbook/severity.js';
import {resolveName} from '../runbook/targets-model.js';

const NO_SECTION = 'has no rollback section (no heading says roll back/revert/back out, no step runs kubectl rollout undo or helm rollback)';

/** `deployment/payments-api`: the runbook's primary workload as far as it is known before anything is answered. */
export function workloadToUndo(runbook: Pick<Runbook, 'targets'>, answers: Readonly<Record<string, string | undefined>> = {}): string | null {
  const workload = runbook.targets?.primary.workload;
  const name = workload ? resolveName(workload.name, answers) : null;
  return workload && name ? `${workload.kind}/${name}` : null;
}

/** The first screen's line when the runbook has no rollback path: what opens instead. Null when it has one. */
export function noRollbackLine(file: string, runbook: Pick<Runbook, 'targets' | 'rollback'>, answers?: Readonly<Record<string, string | undefined>>): string | null {
  if (runbook.rollback) return null;
  const workload = workloadToUndo(runbook, answers);
  return `${file} ${NO_SECTION}; opening the native undo for ${workload ?? 'the workload the panes show'} instead`;
}

/**
 * Checks a `runbook rollback FILE` before any session is made: bad input must cost nothing. Returns the severity as the
 * runbook's table names it (`sev1` → `SEV1`).
 */
export function checkRollback(file: string, runbook: Runbook, severity: string | null): string | null {
  if (!runbook.rollback && !workloadToUndo(runbook))
    throw new InputError(`${file} ${NO_SECTION} and names no workload to undo natively (no kubectl command on deployment/NAME, no front matter kubernetes: {workload: …}); open it with 'runbook ${file}' instead`);
  if (severity === null) return null;
  const {levels, source} = severityTable(runbook);
  const level = matchSeverity(severity, levels);
  if (!level) throw new InputError(`--severity ${severity}: ${source === 'runbook' ? `${file}'s severity table has` : 'the levels are'} ${levelList(levels)}`);
  return level;
}
