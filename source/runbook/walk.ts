import type {ChecklistItem, Runbook, RunbookNode} from './model.js';

/** Steps in reading order: the order the operator walks them. */
export function walkSteps(runbook: Pick<Runbook, 'sections'>): RunbookNode[] {
  const out: RunbookNode[] = [];
  const visit = (node: RunbookNode) => {
    if (node.isStep) out.push(node);
    node.children.forEach(visit);
  };
  runbook.sections.forEach(visit);
  return out;
}


export function countChecklist(runbook: Pick<Runbook, 'sections'>): Record<Exclude<ChecklistItem['kind'], 'trigger'>, number> {
  const counts = {task: 0, criterion: 0};
  for (const step of walkSteps(runbook)) for (const item of step.checklist) if (item.kind !== 'trigger') counts[item.kind]++;
  return counts;
}
