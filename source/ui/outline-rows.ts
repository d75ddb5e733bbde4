// The outline's rows and the step's breadcrumb, derived from the runbook and the session.

import type {SessionController} from '../session/controller.js';
import {stepStatus} from '../session/session-state.js';
import type {OutlineRow} from './outline.js';
import {truncate, width as textWidth} from './text.js';

export function outlineOf(controller: SessionController, currentId: string): OutlineRow[] {
  const rows: OutlineRow[] = [];
  const session = controller.session;
  const visit = (node: SessionController['runbook']['sections'][number], depth: number) => {
    const status = node.isStep ? stepStatus(session, node) : sectionStatus(controller, node);
    const ticked = node.checklist.filter(c => session.checks[c.id]).length;
    rows.push({node, depth, status, count: node.checklist.length ? `${ticked}/${node.checklist.length}` : '', current: node.id === currentId});
    node.children.forEach(child => visit(child, depth + 1));
  };
  controller.runbook.sections.forEach(node => visit(node, 0));
  return rows;
}

function sectionStatus(controller: SessionController, node: SessionController['runbook']['sections'][number]): OutlineRow['status'] {
  const statuses: OutlineRow['status'][] = [];
  const visit = (n: typeof node) => {
    if (n.isStep) statuses.push(stepStatus(controller.session, n));
    n.children.forEach(visit);
  };
  visit(node);
  if (statuses.includes('failed')) return 'failed';
  if (statuses.length && statuses.every(s => s === 'done' || s === 'skipped')) return 'done';
  if (statuses.some(s => s !== 'not-started')) return 'in-progress';
  return 'not-started';
}

/** Keeps the step's own title whole and drops parent sections from the front when the line is short. */
export function fitBreadcrumb(parts: string[], room: number): string {
  const title = parts[parts.length - 1] ?? '';
  let parents = parts.slice(0, -1);
  const joined = () => [...parents, title].join(' › ');
  while (parents.length && textWidth(joined()) > room) parents = parents.slice(1);
  const text = parents.length < parts.length - 1 ? `… › ${joined()}` : joined();
  // The step's own title whole before the mark that parents were left out.
  return textWidth(text) > room && textWidth(title) <= room ? title : truncate(text, room);
}

export function breadcrumbOf(controller: SessionController, stepId: string): string[] {
  const path: string[] = [];
  const find = (nodes: SessionController['runbook']['sections'], trail: string[]): boolean => {
    for (const n of nodes) {
      if (n.id === stepId) {
        path.push(...trail, n.title);
        return true;
      }
      if (find(n.children, [...trail, n.title])) return true;
    }
    return false;
  };
  find(controller.runbook.sections, []);
  return path;
}
