// A step is done when its purpose is met, not only when every block ran cleanly or the operator said so (d): a block
// whose job a native action did (m opened the PR its failed `gh pr create` was for), a step of message templates
// once they were filled and copied, a step of rollback triggers once assessed. The rules are pure; `markMet` records
// the mark a rule calls for, in the words the status line and the report show ("done by m: Opened #12 …").

import {guideActionFor, guideActionLabel} from '../github/guide-actions.js';
import {targetsOfCommand} from '../runbook/command-targets.js';
import type {Block, ChecklistItem, RunbookNode} from '../runbook/model.js';
import type {DoneBy, NativeKey, StepStatus} from './events.js';
import {lastRuns, runFailed, stepStatus, type SessionState} from './session-state.js';

/**
 * What a step is for, as far as the app can tell it was met: work (command blocks, checklist items: done when they
 * ran and are ticked), messages to fill, conditions to assess, or text to read (done once moved past).
 */
export type StepPurpose = 'work' | 'templates' | 'assessment' | 'reading';

export function purposeOf(step: RunbookNode): StepPurpose {
  if (step.blocks.some(b => b.kind === 'command') || step.checklist.length > 0) return 'work';
  if (step.triggers.length > 0) return 'assessment';
  if (step.blocks.some(b => b.kind === 'template')) return 'templates';
  return 'reading';
}

export interface PurposeMark {
  reason: string;
  doneBy: DoneBy;
}

/** A step the operator marked (done, skipped) keeps that mark: nothing here overrides it. */
const marked = (state: SessionState, step: RunbookNode) => {
  const mark = state.marks[step.id];
  return mark !== undefined && mark.status !== 'not-started';
};

// The guide's `gh api --method POST …/actions/runs/$RUN_ID/pending_deployments -f state='approved'`.
const approvesDeployment = (block: Block) => block.commands.some(c => /\bgh\b/.test(c) && /\/pending_deployments\b/.test(c) && !/\bstate=['"]?rejected/.test(c));
const rollsBack = (block: Block) => block.commands.some(c => targetsOfCommand(c).rollbacks.some(r => r.kind === 'kubectl-undo'));

/**
 * The command block of the step whose job a dialog's native action does: an approval (A) does a block that approves
 * the pending deployment; a rollback (u) one that runs `kubectl rollout undo`. Null when the step has none (the
 * action is then recorded apart from the step's blocks). `m` does the block it was pressed on.
 */
export function blockDoneBy(step: RunbookNode, key: Exclude<NativeKey, 'm'>): Block | null {
  const does = key === 'A' ? approvesDeployment : rollsBack;
  return step.blocks.find(b => b.kind === 'command' && does(b)) ?? null;
}

/**
 * After a native action did one of the step's blocks (recorded as that block's run): the mark, when that made the
 * step done. A step that still has a failed block or an unticked item is not done; it turns done the usual way
 * once they are (the native run stands for its block).
 */
export function nativeMark(state: SessionState, step: RunbookNode, key: NativeKey, message: string): PurposeMark | null {
  if (marked(state, step) || stepStatus(state, step) !== 'done') return null;
  return {reason: `done by ${key}: ${message}`, doneBy: key};
}

const templatesOf = (step: RunbookNode) => step.blocks.filter(b => b.kind === 'template');
const allFilled = (state: SessionState, step: RunbookNode) => templatesOf(step).every(b => state.filled[b.id] !== undefined);

/** A step of message templates is done once each of them was filled and copied. */
export function templateMark(state: SessionState, step: RunbookNode): PurposeMark | null {
  if (purposeOf(step) !== 'templates' || marked(state, step) || !allFilled(state, step)) return null;
  const count = templatesOf(step).length;
  return {reason: `done by filling ${count === 1 ? 'its message' : `its ${count} messages`} and copying ${count === 1 ? 'it' : 'them'}`, doneBy: 'template'};
}

/**
 * A step of rollback triggers (🔴/🟡, tickable as "true now") is assessed once the operator answered it: by ticking a
 * trigger that holds, or by moving on (→) from it with none ticked, which says none holds. Its templates, if it has
 * any, must be filled first.
 */
export function assessmentMark(state: SessionState, step: RunbookNode, leaving: boolean): PurposeMark | null {
  if (purposeOf(step) !== 'assessment' || marked(state, step) || !allFilled(state, step)) return null;
  const holding = step.triggers.filter(t => state.checks[t.id]);
  if (holding.length === 0 && !leaving) return null;
  return {reason: assessedWords(step.triggers, holding), doneBy: 'assessment'};
}

export function assessedWords(triggers: readonly ChecklistItem[], holding: readonly ChecklistItem[]): string {
  const all = triggers.length;
  if (holding.length === 0) return all === 1 ? 'assessed: the trigger does not hold' : `assessed: none of the ${all} triggers holds`;
  const named = holding.map(t => `“${t.text}”`).join(', ');
  return holding.length === 1 ? `assessed: ${named} holds` : `assessed: ${holding.length} of ${all} triggers hold: ${named}`;
}

/** What records a mark: the session controller. */
export interface Marker {
  mark(stepId: string, status: 'done', reason: string, doneBy: DoneBy): void;
}

/** Records the mark a rule called for; says whether there was one. */
export function markMet(marker: Marker, stepId: string, mark: PurposeMark | null): boolean {
  if (!mark) return false;
  marker.mark(stepId, 'done', mark.reason, mark.doneBy);
  return true;
}

/** The step's state as its status line says it: `done by m`, `done · assessed`, `done · message filled`, `failed`… */
export function statusWords(state: SessionState, step: RunbookNode, status: StepStatus): string {
  const by = status === 'done' ? state.marks[step.id]?.doneBy : undefined;
  if (by === 'template') return 'done · message filled';
  if (by === 'assessment') return 'done · assessed';
  return by ? `done by ${by}` : status.replace('-', ' ');
}

/** What does a step whose purpose the app can see met, while it is not yet: said under its heading. */
export function purposeHint(state: SessionState, step: RunbookNode, status: StepStatus): string | null {
  if (status === 'done' || status === 'skipped' || marked(state, step)) return null;
  const purpose = purposeOf(step);
  if (purpose === 'assessment') return 'Assess: ␣ ticks a trigger that holds now · → with none ticked records that none holds';
  if (purpose === 'templates') return `⏎ on ${templatesOf(step).length === 1 ? 'the message fills it' : 'each message fills it'} from this session and copies it: that does this step`;
  return null;
}

/**
 * For a failed step: what does the job of its failed block natively, as the failure's hint offers it (`m opens the
 * release PR via the API`, `u rolls back natively`), given what the session can reach. Null when nothing does.
 */
export function nativeRemedy(state: SessionState, step: RunbookNode, reach: {github: boolean; cluster: boolean}): string | null {
  const runs = lastRuns(state, step.id);
  for (const block of step.blocks) {
    if (block.kind !== 'command' || !runFailed(runs.get(block.id))) continue;
    const action = reach.github ? guideActionFor(block.commands) : null;
    if (action) return guideActionLabel(action);
    if (reach.cluster && rollsBack(block)) return 'u rolls back natively';
  }
  return null;
}
