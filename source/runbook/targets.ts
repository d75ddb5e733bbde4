// The runbook's targets, computed once when it is parsed: each step's from its commands and text, the whole
// runbook's from all of them, with the front matter overriding inference. Pure: no I/O, no cluster, no GitHub.

import {emptyCommandTargets, environmentsMentioned, isRollbackWorkflow, targetsOfCommand, workflowsMentioned, type CommandTargets} from './command-targets.js';
import {declaredTargets} from './declared-targets.js';
import type {Content, RunbookNode} from './model.js';
import {emptyTargetSet, sameName, type Name, type RunbookTargets, type StepTargets, type TargetSet, type Workload} from './targets-model.js';
import {walkSteps} from './walk.js';

export const workloadKey = (w: Workload) => `${w.kind}/${w.name.text}@${w.namespace?.text ?? ''}`;

/** The most frequent by key; a tie goes to the first or the last named. */
function mostUsed<T>(items: readonly T[], key: (item: T) => string, tie: 'first' | 'last'): T | null {
  const stats = new Map<string, {item: T; count: number; first: number; last: number}>();
  items.forEach((item, i) => {
    const k = key(item);
    const s = stats.get(k) ?? {item, count: 0, first: i, last: i};
    s.count++;
    s.last = i;
    stats.set(k, s);
  });
  let best: {item: T; count: number; first: number; last: number} | null = null;
  for (const s of stats.values()) {
    if (!best || s.count > best.count) best = s;
    else if (s.count === best.count && (tie === 'last' ? s.last > best.last : s.first < best.first)) best = s;
  }
  return best?.item ?? null;
}

function unique<T>(items: readonly T[], key: (item: T) => string): T[] {
  const seen = new Set<string>();
  return items.filter(item => {
    const k = key(item);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

const nameKey = (n: Name) => n.text;
const same = (s: string) => s;

/** The prose, tables and non-output code of a step: where `.github/workflows/x.yml` and `environment: x` are read. */
function stepText(node: RunbookNode): string {
  const parts: string[] = [];
  const visit = (content: readonly Content[]) => {
    for (const c of content) {
      if (c.type === 'paragraph') parts.push(c.spans.map(s => `${s.text} ${s.url ?? ''}`).join(''));
      else if (c.type === 'list') for (const item of c.items) {
        parts.push(item.spans.map(s => `${s.text} ${s.url ?? ''}`).join(''));
        visit(item.children);
      }
      else if (c.type === 'quote') visit(c.children);
      else if (c.type === 'table') parts.push([c.header, ...c.rows].map(r => r.join(' | ')).join('\n'));
      else if (c.type === 'html') parts.push(c.text);
    }
  };
  visit(node.content);
  for (const block of node.blocks) if (block.kind !== 'output' && block.kind !== 'template') parts.push(block.code);
  return parts.join('\n');
}

function stepTargets(found: CommandTargets, text: string): StepTargets | null {
  const workflows = [...found.workflows, ...workflowsMentioned(text)];
  const environments = [...found.environments, ...environmentsMentioned(text)];
  const namespace = mostUsed(found.namespaces, nameKey, 'last');
  const inNamespace = found.workloads.filter(w => w.namespace === null || sameName(w.namespace, namespace));
  const set: TargetSet = {
    contexts: unique(found.contexts, nameKey),
    namespaces: unique(found.namespaces, nameKey),
    workloads: unique(found.workloads, workloadKey),
    images: unique(found.images, i => `${workloadKey(i.workload)}:${i.container}=${i.image.text}`),
    releases: unique(found.releases, r => `${r.release.text}@${r.namespace?.text ?? ''}:${r.action}`),
    repositories: unique(found.repositories, same),
    workflows: unique(workflows, same),
    environments: unique(environments, same),
  };
  const empty = Object.values(set).every(list => list.length === 0) && !found.watchesRun && found.rollbacks.length === 0;
  if (empty) return null;
  return {
    ...set,
    namespace,
    workload: mostUsed(inNamespace.length ? inNamespace : found.workloads, workloadKey, 'last'),
    workflow: found.dispatched.at(-1) ?? workflows.at(-1) ?? null,
    watchesRun: found.watchesRun,
    rollbacks: found.rollbacks,
  };
}

/** Targets of the runbook whose steps are given (in reading order); front matter problems go to `warnings`. */
export function findTargets(runbook: {sections: RunbookNode[]; frontMatter: Record<string, unknown>}, warnings: string[] = []): RunbookTargets {
  const declared = declaredTargets(runbook.frontMatter, warnings);
  const steps: Record<string, StepTargets> = {};
  const everything = emptyCommandTargets();
  const mentioned = {workflows: [] as string[], environments: [] as string[]};
  for (const node of walkSteps(runbook)) {
    const found = emptyCommandTargets();
    for (const block of node.blocks) if (block.kind === 'command') for (const command of block.commands) targetsOfCommand(command, found);
    const text = stepText(node);
    const step = stepTargets(found, text);
    if (!step) continue;
    steps[node.id] = step;
    for (const key of Object.keys(everything) as Array<keyof CommandTargets>) {
      const list = everything[key];
      if (Array.isArray(list)) (list as unknown[]).push(...(found[key] as unknown[]));
    }
    mentioned.workflows.push(...workflowsMentioned(text));
    mentioned.environments.push(...environmentsMentioned(text));
  }
  const workflows = [...everything.workflows, ...mentioned.workflows];
  const environments = [...everything.environments, ...mentioned.environments];
  const all: TargetSet = {
    contexts: unique(everything.contexts, nameKey),
    namespaces: unique(everything.namespaces, nameKey),
    workloads: unique(everything.workloads, workloadKey),
    images: unique(everything.images, i => `${workloadKey(i.workload)}:${i.container}=${i.image.text}`),
    releases: unique(everything.releases, r => `${r.release.text}@${r.namespace?.text ?? ''}:${r.action}`),
    repositories: unique(everything.repositories, same),
    workflows: unique(workflows, same),
    environments: unique(environments, same),
  };
  const namespace = declared.namespace ?? mostUsed(everything.namespaces, nameKey, 'first');
  const inNamespace = everything.workloads.filter(w => w.namespace === null || sameName(w.namespace, namespace));
  // The release pipeline is the runbook's workflow; a rollback workflow only when it names no other.
  const releaseWorkflows = workflows.filter(w => !isRollbackWorkflow(w));
  return {
    declared,
    steps,
    all,
    primary: {
      context: declared.context ?? mostUsed(everything.contexts, nameKey, 'first'),
      namespace,
      workload: declared.workloads[0] ?? mostUsed(inNamespace.length ? inNamespace : everything.workloads, workloadKey, 'first'),
      repository: declared.repository ?? mostUsed(everything.repositories, same, 'first'),
      workflow: declared.workflow ?? mostUsed(releaseWorkflows.length ? releaseWorkflows : workflows, same, 'first'),
      environment: declared.environment ?? mostUsed(environments, same, 'first'),
    },
  };
}

/** Where a target in force comes from, most specific first. */
export type TargetSource = 'step' | 'earlier-step' | 'front-matter' | 'runbook';

export interface InForce<T> {
  value: T;
  from: TargetSource;
  /** The step that named it, when a step did. */
  stepId?: string;
}

export interface TargetsInForce {
  context: InForce<Name> | null;
  namespace: InForce<Name> | null;
  /** The workloads in view, each with its namespace filled in: the step's own, else the ones the chain gives. */
  workloads: Workload[];
  workload: InForce<Workload> | null;
  workflow: InForce<string> | null;
  repository: InForce<string> | null;
  environment: InForce<string> | null;
}

/**
 * The targets in force at a step: its own, else the last an earlier step named, else the front matter's, else the
 * runbook's most used (`from: 'runbook'`: a pane may prefer the cluster's own default to that). `earlier` is the
 * step ids walked before it, most recent last (the session's order; reading order when not given).
 */
export function targetsInForce(targets: RunbookTargets, stepId: string, earlier: readonly string[] = []): TargetsInForce {
  const own = targets.steps[stepId];
  const before = earlier.filter(id => id !== stepId).reverse();
  const chain = <T>(of: (s: StepTargets) => T | null | undefined, declared: T | null, primary: T | null): InForce<T> | null => {
    const mine = own ? of(own) : null;
    if (mine !== null && mine !== undefined) return {value: mine, from: 'step', stepId};
    for (const id of before) {
      const s = targets.steps[id];
      const value = s ? of(s) : null;
      if (value !== null && value !== undefined) return {value, from: 'earlier-step', stepId: id};
    }
    if (declared !== null) return {value: declared, from: 'front-matter'};
    return primary !== null ? {value: primary, from: 'runbook'} : null;
  };
  const {declared, primary} = targets;
  const namespace = chain(s => s.namespace, declared.namespace, primary.namespace);
  const ns = namespace?.value ?? null;
  const fill = (w: Workload, stepNamespace: Name | null = null): Workload => (w.namespace ? w : {...w, namespace: stepNamespace ?? ns});
  const inView = (w: Workload) => w.namespace === null || ns === null || sameName(w.namespace, ns);

  let workloads: Workload[] = [];
  let workload: InForce<Workload> | null = null;
  if (own?.workloads.length) {
    workloads = own.workloads.map(w => fill(w, own.namespace));
    workload = own.workload ? {value: fill(own.workload, own.namespace), from: 'step', stepId} : null;
  } else {
    for (const id of before) {
      const s = targets.steps[id];
      const seen = s?.workloads.map(w => fill(w, s.namespace)).filter(inView) ?? [];
      if (seen.length) {
        workloads = seen;
        const main = s!.workload ? fill(s!.workload, s!.namespace) : null;
        workload = {value: main && inView(main) ? main : seen[0]!, from: 'earlier-step', stepId: id};
        break;
      }
    }
    if (!workload) {
      const fromFront = declared.workloads.map(w => fill(w)).filter(inView);
      if (fromFront.length) {
        workloads = fromFront;
        workload = {value: fromFront[0]!, from: 'front-matter'};
      } else if (primary.workload && inView(fill(primary.workload))) {
        workloads = [fill(primary.workload)];
        workload = {value: workloads[0]!, from: 'runbook'};
      }
    }
  }
  return {
    context: chain(s => s.contexts.at(-1), declared.context, primary.context),
    namespace,
    workloads,
    workload,
    workflow: chain(s => s.workflow, declared.workflow, primary.workflow),
    repository: chain(s => s.repositories.at(-1), declared.repository, primary.repository),
    environment: chain(s => s.environments.at(-1), declared.environment, primary.environment),
  };
}

/** The targets of one step (empty when it targets nothing). */
export function targetsOfStep(targets: RunbookTargets, stepId: string): StepTargets {
  return targets.steps[stepId] ?? {...emptyTargetSet(), namespace: null, workload: null, workflow: null, watchesRun: false, rollbacks: []};
}
