// `runbook show FILE`: a readable outline with counts, for a terminal or a pipe.

import {padEnd, truncate} from '../terminal/columns.js';
import {safeText} from '../terminal/safe-text.js';
import type {Runbook, RunbookNode} from './model.js';
import {countChecklist, walkSteps} from './walk.js';

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

function stepSummary(node: RunbookNode): string {
  const parts: string[] = [];
  const commands = node.blocks.filter(b => b.kind === 'command');
  if (commands.length) parts.push(plural(commands.length, 'command block'));
  const dangerous = commands.filter(b => b.dangerous).length;
  if (dangerous) parts.push(`${dangerous} dangerous`);
  const templates = node.blocks.filter(b => b.kind === 'template').length;
  if (templates) parts.push(plural(templates, 'template'));
  const tasks = node.checklist.filter(c => c.kind === 'task').length;
  const criteria = node.checklist.length - tasks;
  if (tasks) parts.push(plural(tasks, 'task'));
  if (criteria) parts.push(criteria === 1 ? '1 criterion' : `${criteria} criteria`);
  return parts.join(' · ');
}

export function formatOutline(runbook: Runbook, width = 100): string {
  const steps = walkSteps(runbook);
  const counts = countChecklist(runbook);
  const blocks = steps.flatMap(s => s.blocks).filter(b => b.kind === 'command');
  const lines: string[] = [runbook.title];
  lines.push(
    [
      runbook.path || null,
      plural(steps.length, 'step'),
      plural(counts.task, 'task'),
      counts.criterion === 1 ? '1 criterion' : `${counts.criterion} criteria`,
      `${plural(blocks.length, 'command block')} (${blocks.filter(b => b.dangerous).length} dangerous)`,
      plural(runbook.variables.length, 'variable'),
    ]
      .filter(Boolean)
      .join(' · '),
  );
  for (const warning of runbook.warnings) lines.push(`warning: ${warning}`);
  lines.push('');
  const visit = (node: RunbookNode, indent: number) => {
    const label = safeText(`${'  '.repeat(indent)}${node.title}`);
    const summary = node.isStep ? stepSummary(node) : '';
    // Summaries line up in one column; long titles are cut (in columns, a wide character is two) rather than
    // pushing the column around.
    const room = Math.max(20, Math.min(46, width - summary.length - 2));
    const shown = summary ? truncate(label, room) : label;
    lines.push(summary ? `${padEnd(shown, room)}  ${summary}` : shown);
    node.children.forEach(child => visit(child, indent + 1));
  };
  runbook.sections.forEach(node => visit(node, 0));
  if (runbook.variables.length) {
    lines.push('', 'Variables:');
    for (const v of runbook.variables) {
      const detail = v.kind === 'placeholder' && v.suggestion ? `placeholder, e.g. ${v.suggestion}` : v.kind;
      lines.push(`  ${v.name}${v.secret ? ' (secret)' : ''}  ${detail}`);
    }
  }
  // Titles, the path, warnings and variable names are the runbook's words: shown, never obeyed by the terminal.
  return safeText(lines.join('\n'), {keep: '\n'});
}
