// The built CLI's shared-session commands that print and exit, against the sandbox's API server through KUBECONFIG:
// `runbook status --cluster` (JSON and the table: who drives each session, whether the lease ran out) and
// `runbook share --print-rbac --for group:sre` (the Role and RoleBinding, nothing sent anywhere).
import {execa} from 'execa';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {parseAllDocuments} from 'yaml';
import {createKubeClient, type KubeClient} from '../../source/kube/client.js';
import {SharedEventLog} from '../../source/share/event-log.js';
import {nextEventId} from '../../source/share/identity.js';
import {LeaseElector, microTime} from '../../source/share/lease-elector.js';
import {KubeLeaseLock} from '../../source/share/lease-lock.js';
import {DEFAULT_SHARE_NAMESPACE, type SessionHead} from '../../source/share/types.js';
import type {SessionEvent} from '../../source/session/events.js';
import {CLI} from '../helpers/paths.js';
import {testTempDir} from '../helpers/temp.js';
import {startTestCluster, type TestCluster, waitFor} from '../sandbox/helpers.js';

const NS = DEFAULT_SHARE_NAMESPACE;
let t: TestCluster;
let client: KubeClient;
let driving: LeaseElector;

const head = (id: string, title: string, startedAt: string): SessionHead => ({
  id,
  runbook: {path: `runbooks/${id}.md`, title, hash: 'cd'.repeat(32)},
  kind: 'deploy',
  startedAt,
  sharedBy: 'carol@ops/42',
  runbookText: `# ${title}\n`,
});
const note = (n: number): SessionEvent => ({type: 'note', stepId: 's1', text: `note ${n}`, at: new Date().toISOString(), id: nextEventId('cccccccc', n)});

async function share(id: string, title: string, events: number, namespace = NS) {
  const log = new SharedEventLog({client, namespace, sessionId: id});
  await log.ensureHead(head(id, title, '2026-03-01T09:00:00.123Z'));
  if (events) await log.append(Array.from({length: events}, (_, i) => note(i + 1)));
}

beforeAll(async () => {
  t = await startTestCluster();
  client = (await createKubeClient({kubeconfig: t.cluster.kubeconfigPath}))!;
  // Driven now: carol renews the lease.
  await share('pay-live', 'Payments release', 3);
  driving = new LeaseElector({lock: new KubeLeaseLock(client, NS, 'pay-live', 'carol@ops/42'), leaseDurationMs: 3000, renewDeadlineMs: 2000, retryPeriodMs: 300});
  driving.start('acquire');
  await waitFor(() => driving.isLeader(), 5000, 'carol drives');
  // Its driver went away an hour ago without giving the lease back.
  await share('web-stale', 'Web rollback', 1);
  const hourAgo = microTime(Date.now() - 3_600_000);
  await new KubeLeaseLock(client, NS, 'web-stale', 'dave@old/7').create({holderIdentity: 'dave@old/7', leaseDurationSeconds: 15, acquireTime: hourAgo, renewTime: hourAgo, leaseTransitions: 0, annotations: {}});
  // Never driven (no Lease), with a title that tries to retitle the terminal.
  await share('db-none', 'DB \u001b]0;pwned\u0007migration', 0);
  await share('ops-only', 'Ops drill', 2, 'team-ops');
});

afterAll(async () => {
  driving?.stop();
  await t?.close();
});

async function runbook(args: string[]) {
  const home = testTempDir('share-cli');
  return execa(process.execPath, [CLI, ...args], {cwd: home, env: {HOME: home, KUBECONFIG: t.cluster.kubeconfigPath}, reject: false, timeout: 20_000});
}

describe('runbook status --cluster', () => {
  it('--json: each shared session with its driver, whether the lease is live, and its events', async () => {
    const out = await runbook(['status', '--cluster', '--json']);
    expect(out.exitCode, out.stderr).toBe(0);
    const sessions = JSON.parse(out.stdout) as Array<Record<string, unknown>>;
    const byId = Object.fromEntries(sessions.map(s => [s.id, s]));
    expect(Object.keys(byId).sort()).toEqual(['db-none', 'pay-live', 'web-stale']);
    expect(byId['pay-live']).toMatchObject({namespace: NS, title: 'Payments release', runbookPath: 'runbooks/pay-live.md', kind: 'deploy', holder: 'carol@ops/42', driving: true, expired: false, events: 3, sharedBy: 'carol@ops/42'});
    expect(byId['web-stale']).toMatchObject({holder: 'dave@old/7', driving: false, expired: true, events: 1});
    expect(byId['db-none']).toMatchObject({holder: '', driving: false, expired: true, events: 0, renewTime: null});
    // The one being driven first.
    expect(sessions[0]!.id).toBe('pay-live');
  });

  it('the table: who drives (a person, not a pid), the lease run out, terminal controls made visible', async () => {
    const out = await runbook(['status', '--cluster']);
    expect(out.exitCode, out.stderr).toBe(0);
    const lines = out.stdout.split('\n');
    expect(lines[0]).toMatch(/^SESSION\s+RUNBOOK\s+DRIVER\s+EVENTS\s+STARTED$/);
    const row = (id: string) => lines.find(l => l.startsWith(`${id} `)) ?? '';
    expect(row('pay-live')).toMatch(/^pay-live\s+Payments release\s+carol@ops\s+3\s+2026-03-01T09:00:00Z$/);
    expect(row('web-stale')).toMatch(/^web-stale\s+Web rollback\s+dave@old \(lease expired\)\s+1\s+/);
    expect(row('db-none')).toMatch(/^db-none\s+DB .*migration\s+nobody\s+0\s+/);
    expect(out.stdout).not.toContain('/42');
    expect(out.stdout).not.toContain('\u001b');
    expect(out.stdout).not.toContain('\u0007');
    expect(out.stdout.trimEnd().split('\n').at(-1)).toBe('Follow one: runbook join SESSION');
  });

  it('--share-namespace: that namespace only, and the join line names it; an empty one says so', async () => {
    const other = await runbook(['status', '--cluster', '--share-namespace', 'team-ops']);
    expect(other.exitCode, other.stderr).toBe(0);
    expect(other.stdout).toMatch(/^ops-only\s+Ops drill\s+nobody\s+2\s+/m);
    expect(other.stdout).not.toContain('pay-live');
    expect(other.stdout).toContain('Follow one: runbook join SESSION --share-namespace team-ops');
    const empty = await runbook(['status', '--cluster', '--share-namespace', 'nothing-here']);
    expect(empty.exitCode, empty.stderr).toBe(0);
    expect(empty.stdout).toBe("No shared session in namespace nothing-here ('runbook FILE --share' shares one)."); // execa strips the final newline
    expect(JSON.parse((await runbook(['status', '--cluster', '--json', '--share-namespace', 'nothing-here'])).stdout)).toEqual([]);
  });

  it('without a cluster: one line, exit 2', async () => {
    const home = testTempDir('share-cli');
    const out = await execa(process.execPath, [CLI, 'status', '--cluster'], {cwd: home, env: {HOME: home, KUBECONFIG: `${home}/missing-kubeconfig`}, reject: false, timeout: 20_000});
    expect(out.exitCode).toBe(2);
    expect(out.stdout).toBe('');
    expect(out.stderr.trim().split('\n')).toHaveLength(1);
  });
});

describe('runbook share --print-rbac', () => {
  it('--for group:sre: a Role with what sharing needs and a RoleBinding for the group', async () => {
    const out = await runbook(['share', '--print-rbac', '--for', 'group:sre']);
    expect(out.exitCode, out.stderr).toBe(0);
    expect(out.stdout).not.toMatch(/^#/);
    const [role, binding, ...rest] = parseAllDocuments(out.stdout).map(d => d.toJS());
    expect(rest).toEqual([]);
    expect(role).toMatchObject({apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: {name: 'runbook-share', namespace: NS}});
    const rules = role.rules as Array<{apiGroups: string[]; resources: string[]; verbs: string[]}>;
    expect(rules.find(r => r.resources.includes('configmaps'))).toMatchObject({apiGroups: ['']});
    expect(rules.find(r => r.resources.includes('leases'))).toMatchObject({apiGroups: ['coordination.k8s.io']});
    for (const verb of ['get', 'list', 'watch', 'create', 'update']) expect(rules.find(r => r.resources.includes('configmaps'))!.verbs).toContain(verb);
    expect(binding).toEqual({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: {name: 'runbook-share', namespace: NS},
      subjects: [{kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: 'sre'}],
      roleRef: {apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'runbook-share'},
    });
  });

  it('for a service account, in another namespace; without --for, the local user with a line saying so', async () => {
    const sa = await runbook(['share', '--print-rbac', '--for', 'system:serviceaccount:ci:deployer', '--share-namespace', 'team-ops']);
    expect(sa.exitCode, sa.stderr).toBe(0);
    const [role, binding] = parseAllDocuments(sa.stdout).map(d => d.toJS());
    expect(role.metadata.namespace).toBe('team-ops');
    expect(binding.subjects).toEqual([{kind: 'ServiceAccount', name: 'deployer', namespace: 'ci'}]);
    const mine = await runbook(['share', '--print-rbac']);
    expect(mine.exitCode, mine.stderr).toBe(0);
    expect(mine.stdout.split('\n')[0]).toMatch(/^# For the local user name/);
    expect(parseAllDocuments(mine.stdout)[1]!.toJS().subjects[0]).toMatchObject({kind: 'User'});
  });
});
