// What a runbook acts on (its cluster context, namespaces, workloads, images, Helm releases, GitHub repository,
// workflows and environments), per step and for the whole runbook. Plain data, cached with the runbook model.

/**
 * A name as the runbook writes it: a literal (`payments`) or one that reads variables the session answers
 * (`$NAMESPACE`, `${SERVICE}-api`, `<namespace>`).
 */
export interface Name {
  /** As written, quotes removed (`${X}` spelt `$X` where that reads the same). */
  text: string;
  /** The variables it reads (a `<namespace>` placeholder reads NAMESPACE); empty for a literal. */
  variables: string[];
}

export type WorkloadKind = 'deployment' | 'statefulset' | 'daemonset';

export interface Workload {
  kind: WorkloadKind;
  name: Name;
  /** The namespace its command names; null: the namespace in force. */
  namespace: Name | null;
}

/** `kubectl set image deployment/x api=ghcr.io/org/api:v2`: what the step sets each container to. */
export interface ImageChange {
  workload: Workload;
  container: string;
  image: Name;
}

export interface HelmRelease {
  release: Name;
  namespace: Name | null;
  /** The helm verb: upgrade, install, rollback, history, status, uninstall… */
  action: string;
}

/** A command that puts the previous version back. */
export interface RollbackCommand {
  kind: 'kubectl-undo' | 'helm-rollback' | 'workflow';
  /** The command in short, for saying why: `kubectl rollout undo deployment/payments-api`. */
  command: string;
}

export interface TargetSet {
  contexts: Name[];
  namespaces: Name[];
  workloads: Workload[];
  images: ImageChange[];
  releases: HelmRelease[];
  /** owner/repo */
  repositories: string[];
  /** Workflow files or names: `deploy.yml`, `Deploy to production`. */
  workflows: string[];
  environments: string[];
}

export interface StepTargets extends TargetSet {
  /** The namespace the step works in: the one its commands name most (a tie goes to the one named last). */
  namespace: Name | null;
  /** Its main workload, in that namespace when it names one there: the most named, a tie going to the last. */
  workload: Workload | null;
  /** The workflow it runs or follows: the last it dispatches, else the last it names. */
  workflow: string | null;
  /** It follows a workflow run (`gh run watch`) without naming the workflow. */
  watchesRun: boolean;
  rollbacks: RollbackCommand[];
}

/** What the front matter says, overriding inference. */
export interface DeclaredTargets {
  context: Name | null;
  namespace: Name | null;
  workloads: Workload[];
  repository: string | null;
  workflow: string | null;
  environment: string | null;
  /** Heading titles (or step ids) of the rollback section. */
  rollback: string[];
}

export interface RunbookTargets {
  declared: DeclaredTargets;
  /** By step id; a step that targets nothing is absent. */
  steps: Record<string, StepTargets>;
  /** Everything the runbook names, in order of first use. */
  all: TargetSet;
  /** The runbook's own: the front matter's, else the most used (a tie goes to the first used). */
  primary: {
    context: Name | null;
    namespace: Name | null;
    workload: Workload | null;
    repository: string | null;
    workflow: string | null;
    environment: string | null;
  };
}

export function emptyTargetSet(): TargetSet {
  return {contexts: [], namespaces: [], workloads: [], images: [], releases: [], repositories: [], workflows: [], environments: []};
}

const VARIABLE = /\$\{[#!]?([A-Za-z_][A-Za-z0-9_]*)[^}]*\}|\$([A-Za-z_][A-Za-z0-9_]*)|<([a-z][a-z0-9]*(?:[-_][a-z0-9]+)*)>/gi;

/** A Name for a word, or null when it is not a plain name (a substitution, a glob, empty). */
export function nameOf(text: string, valid: RegExp): Name | null {
  if (!text || /\$\(|`|[*?[\]\s'"]/.test(text.replace(VARIABLE, ''))) return null;
  const variables: string[] = [];
  const shape = text.replace(VARIABLE, (_m, braced: string | undefined, plain: string | undefined, token: string | undefined) => {
    const name = braced ?? plain ?? token!.toUpperCase().replace(/-/g, '_');
    if (!variables.includes(name)) variables.push(name);
    return 'x';
  });
  // `${NAMESPACE}` and `$NAMESPACE` are one name: written the short way wherever that reads the same.
  return valid.test(shape) ? {text: text.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}(?![A-Za-z0-9_])/g, '$$$1'), variables} : null;
}

export const sameName = (a: Name | null, b: Name | null) => (a?.text ?? null) === (b?.text ?? null);

/**
 * The name with the session's answers filled in (`${X:-d}` falls back to d), or null while a variable it reads
 * is unanswered.
 */
export function resolveName(name: Name, answers: Readonly<Record<string, string | undefined>>): string | null {
  let missing = false;
  const text = name.text.replace(VARIABLE, (whole: string, braced: string | undefined, plain: string | undefined, token: string | undefined) => {
    const variable = braced ?? plain ?? token!.toUpperCase().replace(/-/g, '_');
    const value = answers[variable];
    if (value !== undefined && value !== '') return value;
    const fallback = braced ? /^\$\{[A-Za-z_][A-Za-z0-9_]*:?[-=](.*)\}$/.exec(whole)?.[1] : undefined;
    if (fallback !== undefined && !fallback.includes('$')) return fallback;
    missing = true;
    return '';
  });
  return missing ? null : text;
}
