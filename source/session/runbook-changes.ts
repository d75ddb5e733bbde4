// What changed in a runbook since a session began, from the outline the session kept at creation. State is keyed
// by stable ids, so unchanged steps keep theirs; nothing recorded is ever dropped, only reported.

import type {OutlineStep} from './schema.js';

export interface RunbookChanges {
  added: string[];
  removed: string[];
  edited: string[];
}

export function outlineChanges(before: readonly OutlineStep[], after: readonly OutlineStep[]): RunbookChanges {
  const old = new Map(before.map(s => [s.id, s]));
  const now = new Map(after.map(s => [s.id, s]));
  const same = (a: OutlineStep, b: OutlineStep) => a.blocks.join('\n') === b.blocks.join('\n') && a.checks.join('\n') === b.checks.join('\n');
  return {
    added: after.filter(s => !old.has(s.id)).map(s => s.id),
    removed: before.filter(s => !now.has(s.id)).map(s => s.id),
    edited: after.filter(s => old.has(s.id) && !same(old.get(s.id)!, s)).map(s => s.id),
  };
}

export function describeChanges(c: RunbookChanges): string | null {
  const parts = [
    c.added.length ? `${c.added.length} step${c.added.length === 1 ? '' : 's'} added` : null,
    c.removed.length ? `${c.removed.length} removed` : null,
    c.edited.length ? `${c.edited.length} edited` : null,
  ].filter(Boolean);
  return parts.length ? `The runbook changed since: ${parts.join(', ')}. Unchanged steps keep their state; nothing recorded is dropped.` : null;
}
