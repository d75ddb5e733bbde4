// `runbook share --print-rbac [--for USER]`: the Role and RoleBinding that sharing needs, to hand to whoever
// administers the cluster (or to `kubectl apply -f -`). Printed only: nothing is sent anywhere.

import {userInfo} from 'node:os';
import type {RbacSubject} from '../share/rbac.js';
import {DEFAULT_SHARE_NAMESPACE} from '../share/types.js';

/** `--for alice`, `--for group:sre`, `--for system:serviceaccount:ci:deployer` (or `serviceaccount:ci:deployer`). */
export function subjectOf(given: string | null): RbacSubject {
  const name = given ?? safeUser();
  if (/^group:/i.test(name)) return {kind: 'Group', name: name.slice('group:'.length)};
  if (/^(system:)?serviceaccount:/i.test(name)) return {kind: 'ServiceAccount', name: name.replace(/^(system:)?serviceaccount:/i, '')};
  return {kind: 'User', name};
}

function safeUser(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env.USER ?? 'operator';
  }
}

export async function printRbacCommand(options: {namespace: string | null; subject: string | null}): Promise<number> {
  const {printRbac} = await import('../share/rbac.js');
  const namespace = options.namespace ?? DEFAULT_SHARE_NAMESPACE;
  const header = options.subject ? '' : `# For the local user name; give the cluster's name for you (or group:NAME) with --for.\n`;
  process.stdout.write(`${header}${printRbac(namespace, subjectOf(options.subject))}`);
  return 0;
}
