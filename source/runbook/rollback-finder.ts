// The one answer to "where is this runbook's rollback?", for `R`, `I`, `runbook rollback` and the failed-step hint:
// the front matter's `rollback:` heading(s); else all of it when its title says roll back; else the headings that
// say so (any case, any level: "Rollback Procedures", "Roll back", "Backout plan", "Reverting a release") where
// they hold commands; else the steps that run a rollback (`kubectl rollout undo`, `helm rollback`, a rollback
// workflow dispatched); else those headings even without commands.

import {emptyCommandTargets, targetsOfCommand} from './command-targets.js';
import {slug} from './ids.js';
import type {RunbookNode} from './model.js';
import type {RollbackCommand, RunbookTargets} from './targets-model.js';
import {walkSteps} from './walk.js';

export interface RollbackSection {
  /** The heading it starts at. */
  title: string;
  nodeId: string;
  /** Its steps in reading order, and their places in walkSteps order. */
  stepIds: string[];
  stepIndices: number[];
}

export interface RollbackPath {
  reason: 'front-matter' | 'heading' | 'command';
  /** Why, in the operator's words: `the heading "Roll back"`. */
  why: string;
  sections: RollbackSection[];
  /** Every step of those sections, in reading order. */
  stepIds: string[];
  stepIndices: number[];
  /** Where R, I and `runbook rollback` open: the first step of the first section. */
  first: number;
  firstId: string;
  /** The first of its steps that runs a command (a section may open with prose on when to roll back); null if none. */
  firstRunnable: number | null;
}

const ROLLBACK_HEADING =
  /\b(roll(?:ing|ed)?[\s-]*backs?|revert(?:s|ed|ing)?|back(?:ing)?[\s-]*out|backout|undo(?:ing)?\s+(?:the\s+|a\s+|this\s+)?(?:release|deploy(?:ment)?|rollout|upgrade|change))\b/i;

/** Whether a heading says it is about rolling back. */
export function saysRollBack(title: string): boolean {
  return ROLLBACK_HEADING.test(title);
}

type RunbookLike = {sections: RunbookNode[]; frontMatter: Record<string, unknown>; title?: string; targets?: RunbookTargets};

export function findRollbackPath(runbook: RunbookLike, warnings?: string[]): RollbackPath | null {
  const steps = walkSteps(runbook);
  const index = new Map(steps.map((s, i) => [s.id, i]));
  const section = (node: RunbookNode): RollbackSection | null => {
    const ids = walkSteps({sections: [node]}).map(s => s.id);
    return ids.length ? {title: node.title, nodeId: node.id, stepIds: ids, stepIndices: ids.map(id => index.get(id)!)} : null;
  };
  const nodes = allNodes(runbook.sections);
  const runnable = (s: RollbackSection) => s.stepIds.some(id => hasCommands(steps[index.get(id)!]!));

  const named = runbook.targets?.declared.rollback ?? declaredRollback(runbook.frontMatter);
  if (named.length) {
    const found = named.flatMap(title => {
      const node = nodes.find(n => matches(n, title));
      if (!node) warnings?.push(`front matter rollback: no heading "${title}"; the rollback path is inferred from the headings and commands instead`);
      return node ? [node] : [];
    });
    const sections = outermost(found).map(section).filter(s => s !== null);
    if (sections.length) return path('front-matter', `the front matter's rollback: ${named.map(t => `"${t}"`).join(', ')}`, sections, steps, index);
  }

  // A runbook that is all rollback ("Roll back payments-api", as its one top heading, front matter title or file
  // name): the path is all of it, from its first step.
  const title = runbook.title;
  if (title && saysRollBack(title) && steps.length && !runbook.sections.some(s => s.title === title)) {
    const all: RollbackSection = {title, nodeId: steps[0]!.id, stepIds: steps.map(s => s.id), stepIndices: steps.map((_s, i) => i)};
    return path('heading', `the title "${title}"`, [all], steps, index);
  }

  const headings = outermostMatching(runbook.sections).map(section).filter(s => s !== null);
  const withCommands = headings.filter(runnable);
  if (withCommands.length) return path('heading', headingWhy(withCommands), withCommands, steps, index);

  const commands = steps.flatMap(step => {
    const rollbacks = runbook.targets ? (runbook.targets.steps[step.id]?.rollbacks ?? []) : rollbacksOf(step);
    return rollbacks.length ? [{step, rollbacks}] : [];
  });
  if (commands.length) {
    const sections = commands.map(({step}) => section(step)!).map(s => ({...s, stepIds: [s.stepIds[0]!], stepIndices: [s.stepIndices[0]!]}));
    const first = commands[0]!;
    return path('command', `the step "${first.step.title}" runs ${first.rollbacks[0]!.command}`, sections, steps, index);
  }

  // Headings that say roll back but hold no command: a rollback described in prose is still the place to go.
  return headings.length ? path('heading', headingWhy(headings), headings, steps, index) : null;
}

/** Whether a step belongs to the rollback path. */
export function isInRollbackPath(path: RollbackPath | null, stepId: string): boolean {
  return path?.stepIds.includes(stepId) ?? false;
}

function path(reason: RollbackPath['reason'], why: string, sections: RollbackSection[], steps: RunbookNode[], index: Map<string, number>): RollbackPath {
  const stepIds = [...new Set(sections.flatMap(s => s.stepIds))].sort((a, b) => index.get(a)! - index.get(b)!);
  const stepIndices = stepIds.map(id => index.get(id)!);
  const first = sections[0]!.stepIndices[0]!;
  const runnable = sections[0]!.stepIndices.find(i => hasCommands(steps[i]!)) ?? stepIndices.find(i => hasCommands(steps[i]!));
  return {reason, why, sections, stepIds, stepIndices, first, firstId: steps[first]!.id, firstRunnable: runnable ?? null};
}

const headingWhy = (sections: RollbackSection[]) => `the heading${sections.length > 1 ? 's' : ''} ${sections.map(s => `"${s.title}"`).join(', ')}`;

const hasCommands = (step: RunbookNode) => step.blocks.some(b => b.kind === 'command' && b.commands.length > 0);

function allNodes(sections: RunbookNode[]): RunbookNode[] {
  const out: RunbookNode[] = [];
  const visit = (n: RunbookNode) => {
    out.push(n);
    n.children.forEach(visit);
  };
  sections.forEach(visit);
  return out;
}

/** Headings that say roll back, not counting those inside one that already does. */
function outermostMatching(sections: RunbookNode[]): RunbookNode[] {
  const out: RunbookNode[] = [];
  const visit = (n: RunbookNode) => {
    if (saysRollBack(n.title)) out.push(n);
    else n.children.forEach(visit);
  };
  sections.forEach(visit);
  return out;
}

function outermost(nodes: RunbookNode[]): RunbookNode[] {
  const within = (n: RunbookNode, m: RunbookNode) => n !== m && allNodes([m]).includes(n);
  return nodes.filter((n, i) => nodes.indexOf(n) === i && !nodes.some(m => within(n, m)));
}

const squash = (s: string) => s.trim().replace(/\s+/g, ' ').toLowerCase();

/** A front matter `rollback:` value names a heading by its title (any case) or its id. */
function matches(node: RunbookNode, name: string): boolean {
  const wanted = squash(name);
  return squash(node.title) === wanted || node.id.toLowerCase() === wanted || node.id.split('/').pop() === slug(name);
}

function declaredRollback(frontMatter: Record<string, unknown>): string[] {
  const value = frontMatter.rollback;
  return (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === 'string' && v.trim() !== '').map(v => v.trim().replace(/^#+\s*/, ''));
}

function rollbacksOf(step: RunbookNode): RollbackCommand[] {
  const found = emptyCommandTargets();
  for (const block of step.blocks) if (block.kind === 'command') for (const command of block.commands) targetsOfCommand(command, found);
  return found.rollbacks;
}
