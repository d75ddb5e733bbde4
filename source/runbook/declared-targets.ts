// The front matter keys that say what a runbook acts on, overriding what its commands suggest:
//
//   kubernetes: {context: prod-eu, namespace: payments, workload: deployment/payments-api}   # workload: or a list
//   github: {repository: acme/payments, workflow: release.yml, environment: production}
//   rollback: "Roll back"                                                                     # or a list of headings
//
// `repository:` at the top level (the older key) is read too. A value of the wrong shape is a warning, not an error.

import {DNS_LABEL, workloadKind} from './command-targets.js';
import {nameOf, type DeclaredTargets, type Name, type Workload} from './targets-model.js';

const OBJECT_NAME = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;
const CONTEXT = /^[\w.:@/+-]+$/;
/** `owner/repo`, an https or ssh remote URL, or `git@host:owner/repo.git` (as the GitHub client reads it). */
const REPOSITORY = /^(?:(?:https?|ssh|git):\/\/(?:[^@/]+@)?[^/]+\/|[^@/\s]+@[^:/\s]+:)?([\w.-]+)\/([\w.-]+?)(?:\.git)?\/?$/;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function declaredTargets(frontMatter: Record<string, unknown>, warnings: string[]): DeclaredTargets {
  const out: DeclaredTargets = {context: null, namespace: null, workloads: [], repository: null, workflow: null, environment: null, rollback: []};
  const warn = (key: string, value: unknown, expected: string) => warnings.push(`front matter ${key}: ${JSON.stringify(value)} is not ${expected}; ignored`);
  const text = (key: string, value: unknown): string | null => {
    if (value === undefined || value === null) return null;
    if (typeof value === 'string' && value.trim()) return value.trim();
    warn(key, value, 'a name');
    return null;
  };
  const name = (key: string, value: unknown, valid: RegExp, expected: string): Name | null => {
    const t = text(key, value);
    if (t === null) return null;
    const n = nameOf(t, valid);
    if (!n) warn(key, t, expected);
    return n;
  };

  const kube = frontMatter.kubernetes;
  if (kube !== undefined && !isRecord(kube)) warn('kubernetes', kube, 'a map of context, namespace and workload');
  if (isRecord(kube)) {
    out.context = name('kubernetes.context', kube.context, CONTEXT, 'a context name');
    out.namespace = name('kubernetes.namespace', kube.namespace, DNS_LABEL, 'a namespace name');
    const listed = [kube.workload, kube.workloads].flatMap(v => (Array.isArray(v) ? v : v === undefined || v === null ? [] : [v]));
    for (const value of listed) {
      const workload = typeof value === 'string' ? workloadOf(value.trim(), out.namespace) : null;
      if (workload) out.workloads.push(workload);
      else warn('kubernetes.workload', value, 'deployment/NAME, statefulset/NAME or daemonset/NAME');
    }
  }

  const github = frontMatter.github;
  if (github !== undefined && !isRecord(github)) warn('github', github, 'a map of repository, workflow and environment');
  const repository = (key: string, value: unknown) => {
    const t = text(key, value);
    const m = t ? REPOSITORY.exec(t) : null;
    if (t && !m) warn(key, t, 'owner/repo');
    return m ? `${m[1]}/${m[2]}` : null;
  };
  if (isRecord(github)) {
    out.repository = repository('github.repository', github.repository);
    out.workflow = text('github.workflow', github.workflow)?.replace(/^\.github\/workflows\//, '') ?? null;
    out.environment = text('github.environment', github.environment);
  }
  out.repository ??= repository('repository', frontMatter.repository);

  const rollback = frontMatter.rollback;
  for (const value of Array.isArray(rollback) ? rollback : rollback === undefined || rollback === null ? [] : [rollback]) {
    const t = text('rollback', value);
    if (t) out.rollback.push(t.replace(/^#+\s*/, ''));
  }
  return out;
}

/** `deployment/payments-api`, `sts/ledger-db`, or a bare name (a Deployment). */
function workloadOf(value: string, namespace: Name | null): Workload | null {
  const slash = value.indexOf('/');
  const kind = slash < 0 ? 'deployment' : workloadKind(value.slice(0, slash));
  const name = nameOf(slash < 0 ? value : value.slice(slash + 1), OBJECT_NAME);
  return kind && name ? {kind, name, namespace} : null;
}
