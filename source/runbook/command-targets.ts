// What one logical command acts on, read from its words as kubectl, helm and gh read their arguments: the
// namespace a `-n` names belongs to kubectl only when kubectl is the program (`watch -n 2` is an interval).

import {commandsRun, type SimpleCommand} from './shell-commands.js';
import {nameOf, type HelmRelease, type ImageChange, type Name, type RollbackCommand, type Workload, type WorkloadKind} from './targets-model.js';

export interface CommandTargets {
  /** Every namespace named, in order, repeats kept (they count towards "the most used"). */
  namespaces: Name[];
  contexts: Name[];
  workloads: Workload[];
  images: ImageChange[];
  releases: HelmRelease[];
  repositories: string[];
  workflows: string[];
  /** Workflows it dispatches (`gh workflow run X`). */
  dispatched: string[];
  environments: string[];
  watchesRun: boolean;
  rollbacks: RollbackCommand[];
}

export const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const OBJECT_NAME = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;
const REPOSITORY = /^(?:[\w.-]+\/)?([\w.-]+)\/([\w.-]+?)(?:\.git)?$/;
const ENVIRONMENT = /^[\w.-]+$/;
/** Context names are free-form in kubeconfig (`arn:aws:eks:…:cluster/prod`, `gke_proj_zone_name`). */
const CONTEXT = /^[\w.:@/+-]+$/;
const IMAGE = /^[\w.:@/+-]+$/;
const ROLLBACK_WORKFLOW = /roll[-_ ]?back|revert|back[-_ ]?out|undo/i;

const KUBECTL = new Set(['kubectl', 'oc', 'kubecolor']);
/** Tools whose `-n` is a Kubernetes namespace. */
const NAMESPACED = new Set([...KUBECTL, 'helm', 'k9s']);

/** kubectl flags that take a value when it is written apart (`-n x`); every other flag is a switch. */
const KUBECTL_VALUES = new Set([
  '-n', '--namespace', '--context', '--cluster', '--user', '--kubeconfig', '-s', '--server', '--token', '--as', '--as-group',
  '--as-uid', '--certificate-authority', '--client-certificate', '--client-key', '--request-timeout', '--cache-dir',
  '--tls-server-name', '-v', '--v', '--vmodule', '--log-file', '--profile', '--profile-output', '-l', '--selector', '-o',
  '--output', '-f', '--filename', '-k', '--kustomize', '-c', '--container', '--type', '--patch', '--patch-file',
  '--to-revision', '--revision', '--replicas', '--current-replicas', '--resource-version', '--timeout', '--field-selector',
  '--sort-by', '--template', '--grace-period', '--since', '--since-time', '--tail', '--limit-bytes', '--max-log-requests',
  '--pod-running-timeout', '-L', '--label-columns', '--chunk-size', '--subresource', '--field-manager', '--for', '--image',
  '--port', '-e', '--env', '--overrides', '--min', '--max', '--cpu-percent', '--name', '--containers', '--limits',
  '--requests', '--from', '--from-file', '--from-literal', '--target-port', '--protocol', '--address', '--target',
]);
/** Verbs whose `-f` follows and `-p` means the previous container: switches, not values. */
const FOLLOWERS = new Set(['logs', 'attach']);

const HELM_VALUES = new Set([
  '-n', '--namespace', '--kube-context', '--kubeconfig', '-f', '--values', '--set', '--set-string', '--set-file', '--set-json',
  '--set-literal', '--version', '--timeout', '-o', '--output', '--revision', '--max', '--description', '--post-renderer',
  '--post-renderer-args', '--repo', '--username', '--password', '--ca-file', '--cert-file', '--key-file', '--registry-config',
  '--repository-cache', '--repository-config', '--history-max', '--kube-apiserver', '--kube-as-user', '--kube-as-group',
  '--kube-ca-file', '--kube-token', '--burst-limit', '--qps', '--labels', '-l', '--selector', '--filter', '--date',
]);
const HELM_RELEASE_VERBS = new Set(['upgrade', 'install', 'rollback', 'history', 'hist', 'status', 'uninstall', 'delete', 'del', 'un', 'test']);

const GH_VALUES = new Set([
  '-R', '--repo', '-f', '--field', '-F', '--raw-field', '--ref', '-r', '--json', '-q', '--jq', '-t', '--template', '-w',
  '--workflow', '-b', '--branch', '--body', '-u', '--user', '-e', '--event', '--env', '--environment', '-s', '--status',
  '-L', '--limit', '-c', '--commit', '--created', '-X', '--method', '-H', '--header', '--input', '--hostname', '-B', '--base',
  '--head', '--title', '--body-file', '--assignee', '-l', '--label', '-m', '--milestone', '-p', '--project', '--reviewer',
  '-i', '--interval', '-j', '--job', '--attempt',
]);

interface Parsed {
  positionals: string[];
  flags: Array<[string, string | true]>;
}

/** Arguments as a CLI of the cobra/pflag family reads them; `--` ends them (what follows is another command's). */
export function parseArguments(args: readonly string[], takesValue: (flag: string, positionals: readonly string[]) => boolean): Parsed {
  const positionals: string[] = [];
  const flags: Parsed['flags'] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--') break;
    if (a.startsWith('--') && a.length > 2) {
      const eq = a.indexOf('=');
      if (eq > 0) flags.push([a.slice(0, eq), a.slice(eq + 1)]);
      else if (takesValue(a, positionals) && i + 1 < args.length) flags.push([a, args[++i]!]);
      else flags.push([a, true]);
    } else if (a.startsWith('-') && a.length > 1 && !/^-\d/.test(a)) {
      const short = a.slice(0, 2);
      if (a.length === 2) flags.push(takesValue(a, positionals) && i + 1 < args.length ? [a, args[++i]!] : [a, true]);
      else if (a[2] === '=') flags.push([short, a.slice(3)]);
      else if (takesValue(short, positionals)) flags.push([short, a.slice(2)]);
      else for (const c of a.slice(1)) flags.push([`-${c}`, true]);
    } else positionals.push(a);
  }
  return {positionals, flags};
}

const values = (parsed: Parsed, ...names: string[]) => parsed.flags.filter(([f, v]) => names.includes(f) && v !== true).map(([, v]) => v as string);

export function emptyCommandTargets(): CommandTargets {
  return {namespaces: [], contexts: [], workloads: [], images: [], releases: [], repositories: [], workflows: [], dispatched: [], environments: [], watchesRun: false, rollbacks: []};
}

/** What a logical command (one of a block's `commands`) acts on. */
export function targetsOfCommand(text: string, into: CommandTargets = emptyCommandTargets()): CommandTargets {
  for (const command of commandsRun(text)) {
    if (KUBECTL.has(command.program)) kubectl(command, into);
    else if (command.program === 'helm') helm(command, into);
    else if (command.program === 'gh') gh(command, into);
    else if (NAMESPACED.has(command.program)) namespacesOf(parseArguments(command.args, f => f === '-n' || f === '--namespace'), into);
  }
  return into;
}

function namespacesOf(parsed: Parsed, into: CommandTargets): Name | null {
  let last: Name | null = null;
  for (const value of values(parsed, '-n', '--namespace')) {
    const name = nameOf(value, DNS_LABEL);
    if (name) {
      into.namespaces.push(name);
      last = name;
    }
  }
  return last;
}

const KINDS: Record<string, WorkloadKind> = {
  deployment: 'deployment', deployments: 'deployment', deploy: 'deployment',
  statefulset: 'statefulset', statefulsets: 'statefulset', sts: 'statefulset',
  daemonset: 'daemonset', daemonsets: 'daemonset', ds: 'daemonset',
};

/** `deploy`, `deployments.apps`, `deployment.v1.apps` → deployment. */
export function workloadKind(type: string): WorkloadKind | null {
  return KINDS[type.toLowerCase().replace(/\.(v1\.)?(apps|extensions)$|\.v1$/, '')] ?? null;
}

/** `deployment/x`, `deploy x y` (a type then names, where the verb takes them), each a workload when of a workload kind. */
function workloadsIn(written: readonly string[], typeThenNames: boolean, namespace: Name | null): Workload[] {
  const out: Workload[] = [];
  const add = (kind: WorkloadKind | null, text: string) => {
    const name = kind ? nameOf(text, OBJECT_NAME) : null;
    if (kind && name) out.push({kind, name, namespace});
  };
  // `container=image` pairs (`set image`, `set env`) are not resources, even when the image has a slash.
  const resources = written.filter(r => !r.includes('='));
  if (resources.some(r => r.includes('/'))) {
    for (const r of resources) {
      const slash = r.indexOf('/');
      if (slash > 0) add(workloadKind(r.slice(0, slash)), r.slice(slash + 1));
    }
  } else if (typeThenNames && resources[0] && !resources[0].includes(',')) {
    const kind = workloadKind(resources[0]);
    for (const r of resources.slice(1)) add(kind, r);
  }
  return out;
}

const NAMES_WORKLOADS = new Set(['get', 'describe', 'edit', 'patch', 'delete', 'scale', 'autoscale', 'label', 'annotate', 'expose', 'wait']);
/** Verbs whose bare argument is a pod: only `kind/name` names a workload. */
const POD_VERBS = new Set(['logs', 'exec', 'port-forward', 'attach', 'cp', 'debug']);

/** kubectl's (or oc's) arguments: which are flags with their values, which are the verb and its operands. */
export function kubectlArguments(args: readonly string[]) {
  return parseArguments(args, (flag, positionals) => {
    if ((flag === '-f' || flag === '-p') && FOLLOWERS.has(positionals[0] ?? '')) return false;
    if (flag === '-p') return positionals[0] === 'patch';
    return KUBECTL_VALUES.has(flag);
  });
}

function kubectl(command: SimpleCommand, into: CommandTargets): void {
  const parsed = kubectlArguments(command.args);
  const namespace = namespacesOf(parsed, into);
  for (const value of values(parsed, '--context')) {
    const name = nameOf(value, CONTEXT);
    if (name) into.contexts.push(name);
  }
  const [verb, sub, ...rest] = parsed.positionals;
  if (verb === 'config' && sub === 'use-context' && rest[0]) {
    const name = nameOf(rest[0], CONTEXT);
    if (name) into.contexts.push(name);
    return;
  }
  let workloads: Workload[] = [];
  if (verb === 'rollout' || verb === 'set') workloads = workloadsIn(rest, true, namespace);
  else if (verb === 'create') workloads = workloadsIn([sub ?? '', rest[0] ?? ''], true, namespace);
  else if (verb && NAMES_WORKLOADS.has(verb)) workloads = workloadsIn(parsed.positionals.slice(1), true, namespace);
  else if (verb && POD_VERBS.has(verb)) workloads = workloadsIn(parsed.positionals.slice(1).filter(r => r.includes('/')), false, namespace);
  into.workloads.push(...workloads);
  if (verb === 'set' && sub === 'image') {
    for (const pair of rest.filter(r => r.includes('='))) {
      const eq = pair.indexOf('=');
      const image = nameOf(pair.slice(eq + 1), IMAGE);
      if (image) for (const workload of workloads) into.images.push({workload, container: pair.slice(0, eq), image});
    }
  }
  if (verb === 'rollout' && sub === 'undo') {
    const what = workloads.map(w => `${w.kind}/${w.name.text}`).join(' ') || rest.join(' ');
    into.rollbacks.push({kind: 'kubectl-undo', command: `kubectl rollout undo ${what}`.trim()});
  }
}

function helm(command: SimpleCommand, into: CommandTargets): void {
  const parsed = parseArguments(command.args, flag => HELM_VALUES.has(flag));
  const namespace = namespacesOf(parsed, into);
  for (const value of values(parsed, '--kube-context')) {
    const name = nameOf(value, CONTEXT);
    if (name) into.contexts.push(name);
  }
  const [verb, first, second] = parsed.positionals;
  if (!verb) return;
  const releaseText = verb === 'get' ? second : HELM_RELEASE_VERBS.has(verb) ? first : undefined;
  if (verb === 'install' && parsed.flags.some(([f]) => f === '--generate-name' || f === '-g')) return;
  const release = releaseText ? nameOf(releaseText, OBJECT_NAME) : null;
  if (release) into.releases.push({release, namespace, action: verb});
  if (verb === 'rollback') into.rollbacks.push({kind: 'helm-rollback', command: `helm rollback ${release?.text ?? ''}`.trim()});
}

function gh(command: SimpleCommand, into: CommandTargets): void {
  const parsed = parseArguments(command.args, flag => GH_VALUES.has(flag));
  for (const value of values(parsed, '-R', '--repo')) {
    const m = REPOSITORY.exec(value);
    if (m) into.repositories.push(`${m[1]}/${m[2]}`);
  }
  const environment = (value: string | undefined) => {
    if (value && ENVIRONMENT.test(value)) into.environments.push(value);
  };
  const [group, sub, target] = parsed.positionals;
  for (const value of values(parsed, '--environment')) environment(value);
  if (group === 'secret' || group === 'variable') for (const value of values(parsed, '-e', '--env')) environment(value);
  for (const field of values(parsed, '-f', '-F', '--field', '--raw-field')) environment(/^environment=(.*)$/.exec(field)?.[1]);
  if (group === 'api' && sub) environment(/\/environments\/([^/?\s]+)/.exec(sub)?.[1]);
  if (group === 'workflow' && sub && ['run', 'view', 'enable', 'disable'].includes(sub) && target) {
    into.workflows.push(target);
    if (sub === 'run') {
      into.dispatched.push(target);
      if (ROLLBACK_WORKFLOW.test(target)) into.rollbacks.push({kind: 'workflow', command: `gh workflow run ${target}`});
    }
  }
  if (group === 'run') {
    if (sub === 'watch') into.watchesRun = true;
    for (const value of values(parsed, '-w', '--workflow')) into.workflows.push(value);
  }
}

/** `.github/workflows/deploy.yml` named in prose or code. */
export function workflowsMentioned(text: string): string[] {
  return [...text.matchAll(/\.github\/workflows\/([\w.-]+\.ya?ml)\b/g)].map(m => m[1]!);
}

/** `environment: production` (a workflow's YAML, or prose), and its `environment:\n  name: production` form. */
export function environmentsMentioned(text: string): string[] {
  return [...text.matchAll(/\benvironment:[ \t]*(?:\n[ \t]+name:[ \t]*)?['"]?([\w.-]+)/g)].map(m => m[1]!);
}

/** Whether a workflow's name says it rolls back. */
export const isRollbackWorkflow = (name: string) => ROLLBACK_WORKFLOW.test(name);
