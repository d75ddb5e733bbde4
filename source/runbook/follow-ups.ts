// A runbook's schedule of follow-ups after the deploy (the guide's "Post-Deployment Monitoring Schedule": T+0,
// T+15min … T+7d, each with an action and who does it), and the step whose completion starts its clock.
//
// The table: the first one whose body rows all start with `T+<duration>`. The deploy (the clock's start): the last
// step with commands before the runbook's first post-deploy heading ("Post-Deployment Verification"); without such
// a heading, the last step with commands naming a deploy, rollout or release (not a "pre-" one); failing that, the
// last step with commands before the table. Rollback steps never count: a rollback is not the deploy.

import type {Content, Runbook, RunbookNode} from './model.js';
import {isInRollbackPath} from './rollback-finder.js';

export interface FollowUpItem {
  /** The table's time, as written, normalised (`T+15min`): the item's id within the schedule. */
  id: string;
  afterMs: number;
  action: string;
  who: string | null;
}

export interface FollowUpSchedule {
  /** The step holding the table. */
  tableStepId: string;
  /** The step whose completion is "the deploy completed". */
  anchorStepId: string;
  anchorTitle: string;
  items: FollowUpItem[];
}

const UNIT_MS: Array<[RegExp, number]> = [
  [/^(s|secs?|seconds?)$/, 1000],
  [/^(m|mins?|minutes?)$/, 60_000],
  [/^(h|hrs?|hours?)$/, 3_600_000],
  [/^(d|days?)$/, 86_400_000],
  [/^(w|wks?|weeks?)$/, 7 * 86_400_000],
];

/** `T+15min` → 900000; `T+0` → 0; anything else → null. */
export function parseOffset(text: string): number | null {
  const match = /^T\s*\+\s*(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(text.replace(/[*_`]/g, '').trim());
  if (!match) return null;
  const n = Number(match[1]);
  const unit = match[2]!.toLowerCase();
  if (!unit) return n === 0 ? 0 : null; // "T+5" says no unit: only zero means something without one
  const found = UNIT_MS.find(([re]) => re.test(unit));
  return found ? Math.round(n * found[1]) : null;
}

const column = (header: string[], pattern: RegExp) => header.findIndex((h, i) => i > 0 && pattern.test(h));

/** The follow-ups a table lists, or null when it is not a table of times after the deploy. */
export function followUpsOfTable(table: Extract<Content, {type: 'table'}>): FollowUpItem[] | null {
  const rows = table.rows.filter(r => r.some(c => c.trim()));
  if (rows.length === 0 || rows.some(r => parseOffset(r[0] ?? '') === null)) return null;
  const actionAt = column(table.header, /action|task|what|check|activity|step/i);
  const whoAt = column(table.header, /owner|who|responsible|assignee|by|team|role/i);
  const a = actionAt > 0 ? actionAt : 1;
  const w = whoAt > 0 && whoAt !== a ? whoAt : table.header.length > 2 && a !== 2 ? 2 : -1;
  return rows.map(r => ({
    id: (r[0] ?? '').replace(/[*_`\s]/g, ''),
    afterMs: parseOffset(r[0] ?? '')!,
    action: (r[a] ?? '').trim() || (r[0] ?? '').trim(),
    who: w > 0 ? (r[w] ?? '').trim() || null : null,
  }));
}

interface Visited {
  node: RunbookNode;
  path: RunbookNode[];
}

function visitAll(runbook: Pick<Runbook, 'sections'>): Visited[] {
  const out: Visited[] = [];
  const visit = (node: RunbookNode, path: RunbookNode[]) => {
    out.push({node, path});
    node.children.forEach(c => visit(c, [...path, node]));
  };
  runbook.sections.forEach(s => visit(s, []));
  return out;
}

const POST_DEPLOY = /\bpost[- ]?(deploy|release|rollout)/i;
const NAMES_DEPLOY = /\b(deploy|rollout|roll out|release|ship)/i;
const PRE = /\bpre[- ]?(deploy|release|rollout)/i;

/** The step whose completion starts the follow-ups' clock (see the header), or null when the runbook has none. */
function anchorOf(runbook: Pick<Runbook, 'sections' | 'rollback'>, all: Visited[], tableAt: number): RunbookNode | null {
  const candidates = all
    .slice(0, tableAt)
    .filter(({node}) => node.isStep && node.blocks.some(b => b.kind === 'command') && !isInRollbackPath(runbook.rollback, node.id));
  const post = all.findIndex(({node}) => POST_DEPLOY.test(node.title));
  if (post >= 0 && post <= tableAt) {
    const before = candidates.filter(c => all.indexOf(c) < post);
    if (before.length) return before.at(-1)!.node;
  }
  const named = candidates.filter(({node, path}) => {
    const titles = [...path.map(p => p.title), node.title];
    return titles.some(t => NAMES_DEPLOY.test(t)) && !titles.some(t => PRE.test(t) || POST_DEPLOY.test(t));
  });
  return (named.at(-1) ?? candidates.at(-1))?.node ?? null;
}

export function findFollowUpSchedule(runbook: Pick<Runbook, 'sections' | 'rollback'>): FollowUpSchedule | null {
  const all = visitAll(runbook);
  for (let i = 0; i < all.length; i++) {
    const {node} = all[i]!;
    for (const content of node.content) {
      if (content.type !== 'table') continue;
      const items = followUpsOfTable(content);
      if (!items) continue;
      const anchor = anchorOf(runbook, all, i);
      if (!anchor) return null;
      return {tableStepId: node.id, anchorStepId: anchor.id, anchorTitle: anchor.title, items: [...items].sort((a, b) => a.afterMs - b.afterMs)};
    }
  }
  return null;
}
