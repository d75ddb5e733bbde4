// What the PODS and ROLLOUT panes look at for a step, from the runbook's own targets: the step's namespace and
// workloads, else the last step visited that named some, else the front matter's, else the runbook's most used;
// with none, the context's namespace (and the only workload there, which the cluster hook finds). Names that read
// variables (`-n $NAMESPACE`) count once the session has an answer for them, and not before. Pure.

import {targetsInForce, type TargetSource} from '../runbook/targets.js';
import {resolveName, type Name, type RunbookTargets, type StepTargets, type Workload, type WorkloadKind} from '../runbook/targets-model.js';

export interface WorkloadInView {
  kind: WorkloadKind;
  name: string;
  /** Null: the namespace in force. */
  namespace: string | null;
}

export interface PanesTarget {
  /** The namespace in force; null: the kube context's own. */
  namespace: string | null;
  namespaceFrom: TargetSource | null;
  /** The workloads in view, in the order the runbook names them. */
  workloads: WorkloadInView[];
  /** The main one's index in `workloads` (what the panes show first), -1 when there is none. */
  main: number;
  workloadFrom: TargetSource | null;
}

/** What the ROLLOUT pane says when no workload is known, naming what would set one. */
export const NO_WORKLOAD_HINT = "a step's kubectl rollout status deployment/NAME, or front matter kubernetes.workload";

type Answers = Readonly<Record<string, string | undefined>>;

function resolved(name: Name | null, answers: Answers): Name | null | undefined {
  if (!name) return null;
  if (name.variables.length === 0) return name;
  const text = resolveName(name, answers);
  // undefined: a name that cannot be known yet (dropped), as opposed to none named (null).
  return text === null || text === '' ? undefined : {text, variables: []};
}

function resolvedWorkload(w: Workload | null, answers: Answers): Workload | null {
  if (!w) return null;
  const name = resolved(w.name, answers);
  const namespace = resolved(w.namespace, answers);
  return name && namespace !== undefined ? {...w, name, namespace} : null;
}

const workloadsOf = (list: readonly Workload[], answers: Answers) => list.map(w => resolvedWorkload(w, answers)).filter((w): w is Workload => w !== null);
const namesOf = (list: readonly Name[], answers: Answers) => list.map(n => resolved(n, answers)).filter((n): n is Name => !!n);

/** The targets with the session's answers filled in; names still waiting for an answer are left out. */
export function resolveTargets(targets: RunbookTargets, answers: Answers): RunbookTargets {
  const steps: Record<string, StepTargets> = {};
  for (const [id, s] of Object.entries(targets.steps)) {
    steps[id] = {...s, namespaces: namesOf(s.namespaces, answers), namespace: resolved(s.namespace, answers) ?? null, workloads: workloadsOf(s.workloads, answers), workload: resolvedWorkload(s.workload, answers)};
  }
  const {declared, primary} = targets;
  return {
    ...targets,
    steps,
    declared: {...declared, namespace: resolved(declared.namespace, answers) ?? null, workloads: workloadsOf(declared.workloads, answers)},
    primary: {...primary, namespace: resolved(primary.namespace, answers) ?? null, workload: resolvedWorkload(primary.workload, answers)},
  };
}

/** The variables the targets' names read: the answers that can change what the panes show. */
export function variablesRead(targets: RunbookTargets): string[] {
  const names = new Set<string>();
  const add = (n: Name | null) => n?.variables.forEach(v => names.add(v));
  const addWorkload = (w: Workload | null) => {
    add(w?.name ?? null);
    add(w?.namespace ?? null);
  };
  for (const s of Object.values(targets.steps)) {
    s.namespaces.forEach(add);
    s.workloads.forEach(addWorkload);
  }
  add(targets.declared.namespace);
  targets.declared.workloads.forEach(addWorkload);
  return [...names].sort();
}

/** The panes' target at `stepId`, given the steps visited before (most recent last) and the session's answers. */
export function panesTarget(targets: RunbookTargets, stepId: string, visited: readonly string[], answers: Answers): PanesTarget {
  const inForce = targetsInForce(resolveTargets(targets, answers), stepId, visited);
  const workloads: WorkloadInView[] = [];
  for (const w of inForce.workloads) {
    const one = {kind: w.kind, name: w.name.text, namespace: w.namespace?.text ?? null};
    if (!workloads.some(x => x.kind === one.kind && x.name === one.name && x.namespace === one.namespace)) workloads.push(one);
  }
  const main = inForce.workload?.value;
  const index = main ? workloads.findIndex(w => w.kind === main.kind && w.name === main.name.text && w.namespace === (main.namespace?.text ?? null)) : -1;
  return {
    namespace: inForce.namespace?.value.text ?? null,
    namespaceFrom: inForce.namespace?.from ?? null,
    workloads,
    main: index >= 0 ? index : workloads.length ? 0 : -1,
    workloadFrom: inForce.workload?.from ?? null,
  };
}

/** The steps a session has been on, oldest first, each once (its latest visit counts): where the chain looks back. */
export function visitOrder(previous: readonly string[], stepId: string): string[] {
  return previous[previous.length - 1] === stepId ? [...previous] : [...previous.filter(id => id !== stepId), stepId];
}
