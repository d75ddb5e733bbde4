// Can this user share a session in that namespace? Asked once, up front, with SelfSubjectAccessReviews, so a missing
// permission is one line naming the verbs instead of a 403 in the middle of a session. The Role printed for the
// cluster admin grants exactly what the share code uses, nothing more.

import type {KubeClient} from '../kube/client.js';

interface Need {
  resource: string;
  group: string;
  verbs: string[];
}

/** What sharing does: ConfigMaps for the head, the log and branches (watched by followers); the Lease for the wheel. */
export const SHARE_NEEDS: readonly Need[] = [
  {resource: 'configmaps', group: '', verbs: ['get', 'list', 'watch', 'create', 'update', 'delete']},
  {resource: 'leases', group: 'coordination.k8s.io', verbs: ['get', 'list', 'create', 'update', 'patch']},
];

interface AccessReview {
  status?: {allowed?: boolean};
}

/**
 * null when every verb is allowed, else one line naming what is missing. When the review API itself is refused or
 * absent (404/403: an old or locked-down server), null as well: the real calls will fail with their own message, which
 * is better than refusing to share on a guess.
 */
export async function checkShareAccess(client: Pick<KubeClient, 'request'>, namespace: string): Promise<string | null> {
  const asks = SHARE_NEEDS.flatMap(need => need.verbs.map(verb => ({need, verb})));
  let answers: boolean[];
  try {
    answers = await Promise.all(
      asks.map(async ({need, verb}) => {
        const review = await client.request<AccessReview>('POST', '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', {
          apiVersion: 'authorization.k8s.io/v1',
          kind: 'SelfSubjectAccessReview',
          spec: {resourceAttributes: {namespace, verb, group: need.group, resource: need.resource}},
        });
        return review.status?.allowed === true;
      }),
    );
  } catch (error) {
    const code = (error as {code?: number}).code;
    if (code === 404 || code === 403) return null;
    throw error;
  }
  const missing = SHARE_NEEDS.map(need => ({
    resource: need.resource,
    verbs: need.verbs.filter(verb => !answers[asks.findIndex(a => a.need === need && a.verb === verb)]),
  })).filter(m => m.verbs.length > 0);
  if (missing.length === 0) return null;
  const list = missing.map(m => `${m.resource}: ${m.verbs.join(', ')}`).join('; ');
  return `cannot share in namespace ${namespace}: missing ${list} — 'runbook share --print-rbac' prints the Role to apply`;
}

export interface RbacSubject {
  kind: 'User' | 'Group' | 'ServiceAccount';
  /** A ServiceAccount as `name`, `namespace:name` or `system:serviceaccount:namespace:name`. */
  name: string;
}

/** The Role and RoleBinding (both `runbook-share`) that let `subject` share sessions in `namespace`, as YAML. */
export function printRbac(namespace: string, subject: RbacSubject): string {
  const q = (s: string) => JSON.stringify(s);
  const rules = SHARE_NEEDS.map(
    need => `  - apiGroups: [${q(need.group)}]\n    resources: [${q(need.resource)}]\n    verbs: [${need.verbs.map(q).join(', ')}]\n`,
  ).join('');
  return (
    `apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  name: runbook-share\n  namespace: ${q(namespace)}\nrules:\n${rules}` +
    `---\napiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata:\n  name: runbook-share\n  namespace: ${q(namespace)}\n` +
    `subjects:\n${subjectYaml(namespace, subject)}roleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: Role\n  name: runbook-share\n`
  );
}

function subjectYaml(namespace: string, subject: RbacSubject): string {
  const q = (s: string) => JSON.stringify(s);
  if (subject.kind !== 'ServiceAccount') {
    return `  - kind: ${subject.kind}\n    apiGroup: rbac.authorization.k8s.io\n    name: ${q(subject.name)}\n`;
  }
  const parts = subject.name.replace(/^system:serviceaccount:/, '').split(':');
  const [ns, name] = parts.length === 2 ? [parts[0]!, parts[1]!] : [namespace, subject.name];
  return `  - kind: ServiceAccount\n    name: ${q(name)}\n    namespace: ${q(ns)}\n`;
}
