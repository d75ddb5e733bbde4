// Names of the cluster objects (valid DNS subdomains and label values, deterministic, distinct), and the printed RBAC.
import {describe, expect, it} from 'vitest';
import {hashLabel, labelSlug, nextEventId, sessionLabelValue, sessionObjectName, wheelIdentity, writerTag} from '../../source/share/identity.js';
import {printRbac} from '../../source/share/rbac.js';

const DNS = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;
const LABEL = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

describe('share names', () => {
  it('maps session ids to valid, deterministic, distinct object names and label values', () => {
    expect(sessionObjectName('deploy-2025')).toBe('runbook-deploy-2025');
    const ids = ['Deploy_1', 'deploy-1', 'deploy_1', 'x-', 'A'.repeat(128), 'a'.repeat(127) + '_'];
    const names = ids.map(sessionObjectName);
    for (const n of names) expect(n).toMatch(DNS);
    expect(new Set(names).size).toBe(ids.length);
    expect(sessionObjectName('Deploy_1')).toBe(names[0]);
    for (const id of ids) {
      expect(sessionLabelValue(id)).toMatch(LABEL);
      expect(sessionLabelValue(id).length).toBeLessThanOrEqual(63);
    }
    expect(labelSlug('Deploy Overlord (prod)!')).toBe('deploy-overlord-prod');
    expect(hashLabel('ABCDEF0123456789abcdef')).toBe('abcdef0123456789');
    expect(wheelIdentity()).toMatch(/^.+@.+\/\d+$/);
    expect(writerTag()).toMatch(/^[0-9a-f]{8}$/);
    expect(nextEventId('abcd0123', 7)).toBe('abcd0123.7');
  });

  it('prints a Role and RoleBinding granting exactly the share verbs', () => {
    const yaml = printRbac('runbook-sessions', {kind: 'ServiceAccount', name: 'system:serviceaccount:ci:deployer'});
    expect(yaml).toContain('kind: Role\n');
    expect(yaml).toContain('verbs: ["get", "list", "watch", "create", "update", "delete"]');
    expect(yaml).toContain('apiGroups: ["coordination.k8s.io"]\n    resources: ["leases"]\n    verbs: ["get", "list", "create", "update", "patch"]');
    expect(yaml).toContain('  - kind: ServiceAccount\n    name: "deployer"\n    namespace: "ci"\n');
    expect(printRbac('ns', {kind: 'User', name: 'alice'})).toContain('  - kind: User\n    apiGroup: rbac.authorization.k8s.io\n    name: "alice"\n');
  });
});
