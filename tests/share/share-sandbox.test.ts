// The shared session against the in-process sandbox API server: the Lease, the ConfigMap log with real
// resourceVersion conflicts, chunking under the 1 MiB limit, a follower through dropped and expired watches, and the
// RBAC check answered by SelfSubjectAccessReviews.
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {createKubeClient, type KubeClient} from '../../source/kube/client.js';
import {SharedEventLog} from '../../source/share/event-log.js';
import {nextEventId} from '../../source/share/identity.js';
import {LeaseElector} from '../../source/share/lease-elector.js';
import {KubeLeaseLock, leaseName} from '../../source/share/lease-lock.js';
import {type ConfigMap, dataBytes, sessionSelector} from '../../source/share/log-fold.js';
import {SessionPublisher} from '../../source/share/publisher.js';
import {checkShareAccess} from '../../source/share/rbac.js';
import {SessionFollow} from '../../source/share/session-follow.js';
import {listSessions} from '../../source/share/sessions.js';
import {DEFAULT_SHARE_NAMESPACE, type SessionHead} from '../../source/share/types.js';
import type {SessionEvent} from '../../source/session/events.js';
import {httpsRequest, startTestCluster, type TestCluster, waitFor} from '../sandbox/helpers.js';

const NS = DEFAULT_SHARE_NAMESPACE;
const FAST = {leaseDurationMs: 3000, renewDeadlineMs: 2000, retryPeriodMs: 400};
let t: TestCluster;
let c1: KubeClient;
let c2: KubeClient;
let token: string;

beforeAll(async () => {
  t = await startTestCluster();
  c1 = (await createKubeClient({kubeconfig: t.cluster.kubeconfigPath}))!;
  c2 = (await createKubeClient({kubeconfig: t.cluster.kubeconfigPath}))!;
  token = await t.token();
});

afterAll(async () => {
  await t?.close();
});

const fault = async (body: unknown) => {
  const res = await httpsRequest(t.cluster, '/sandbox/faults', {method: 'POST', token, body});
  expect(res.status, res.body).toBe(200);
};

const head = (id: string): SessionHead => ({
  id,
  runbook: {path: 'runbooks/deploy.md', title: 'Deploy Overlord (prod)', hash: 'ab'.repeat(32)},
  kind: 'deploy',
  startedAt: new Date().toISOString(),
  sharedBy: 'a@test/1',
  runbookText: '# Deploy\n\n1. do it\n',
});

const ev = (tag: string, n: number, extra: Partial<SessionEvent> = {}): SessionEvent =>
  ({type: 'note', stepId: 's1', text: `${tag} ${n}`, at: new Date().toISOString(), id: nextEventId(tag, n), ...extra}) as SessionEvent;

const pause = (ms: number) => new Promise(r => setTimeout(r, ms));

async function logEntries(client: KubeClient, id: string): Promise<number> {
  const {items} = await client.list<ConfigMap>('configmaps', NS, {labelSelector: sessionSelector(id, 'log')});
  return items.reduce((n, cm) => n + Object.keys(cm.data ?? {}).length, 0);
}

describe('shared session on the sandbox', () => {
  it('writes the head (creating the namespace) with its labels, and lists the session', async () => {
    const log = new SharedEventLog({client: c1, namespace: NS, sessionId: 'Head_Test'});
    await log.ensureHead(head('Head_Test'));
    expect((await log.ensureHead(head('Head_Test'))).id).toBe('Head_Test');
    const cm = await c1.get<ConfigMap>('configmaps', NS, log.names.head);
    expect(cm.metadata.labels).toMatchObject({'runbook.dev/part': 'head', 'app.kubernetes.io/managed-by': 'runbook', 'runbook.dev/runbook': 'deploy-overlord-prod', 'runbook.dev/runbook-hash': 'abababababababab'});
    expect(cm.data?.['runbook.md']).toContain('# Deploy');
    expect(JSON.parse(cm.data!['head.json']!)).not.toHaveProperty('runbookText');
    await log.append([ev('h', 1), ev('h', 2)]);
    const listed = (await listSessions(c1, NS)).find(s => s.id === 'Head_Test');
    expect(listed).toMatchObject({title: 'Deploy Overlord (prod)', events: 2, holder: '', expired: true});
  });

  it('two writers, 200 interleaved events across a forced lease change: each id exactly once', async () => {
    const id = 'two-writers';
    const ea = new LeaseElector({lock: new KubeLeaseLock(c1, NS, id, 'a@test/1'), ...FAST});
    const eb = new LeaseElector({lock: new KubeLeaseLock(c2, NS, id, 'b@test/2'), ...FAST});
    ea.start('acquire');
    await waitFor(() => ea.isLeader(), 5000, 'a leads');
    eb.start('acquire');
    const la = new SharedEventLog({client: c1, namespace: NS, sessionId: id});
    const lb = new SharedEventLog({client: c2, namespace: NS, sessionId: id, chunkLimitBytes: 6000});
    await la.ensureHead(head(id));
    const pa = new SessionPublisher({log: la, elector: ea, identity: 'a@test/1', writerTag: 'aaaaaaaa', retryMs: 50});
    const pb = new SessionPublisher({log: lb, elector: eb, identity: 'b@test/2', writerTag: 'bbbbbbbb', retryMs: 50});
    eb.onChange(s => s.role === 'driver' && pb.resumeLog());
    let stolen = false;
    const writer = async (p: SessionPublisher, tag: string) => {
      for (let n = 1; n <= 100; n++) {
        p.publish(ev(tag, n));
        if (tag === 'aaaaaaaa' && n === 50 && !stolen) {
          stolen = true;
          // Taken from under a: the Lease now names b, as a racing process or kubectl would leave it.
          const lease = await c1.request<any>('GET', `/apis/coordination.k8s.io/v1/namespaces/${NS}/leases/${leaseName(id)}`);
          lease.spec = {...lease.spec, holderIdentity: 'b@test/2', leaseTransitions: lease.spec.leaseTransitions + 1, renewTime: new Date().toISOString().replace('Z', '000Z')};
          await c1.request('PUT', `/apis/coordination.k8s.io/v1/namespaces/${NS}/leases/${leaseName(id)}`, lease);
        }
        await pause(Math.random() * 8);
      }
    };
    await Promise.all([writer(pa, 'aaaaaaaa'), writer(pb, 'bbbbbbbb')]);
    await waitFor(() => eb.isLeader(), 5000, 'b leads');
    expect(await pa.flush(10_000)).toBe(true);
    expect(await pb.flush(10_000)).toBe(true);
    expect(ea.isLeader()).toBe(false);
    expect(ea.state.lost).toMatchObject({to: 'b@test/2'});
    // The new driver accepts every branch (its own, from before it led, and a's).
    for (const branch of await lb.branches()) await lb.acceptBranch(branch.name);
    const {events, branches} = await lb.readAll();
    const ids = events.map(e => e.id!);
    const want = [...Array.from({length: 100}, (_, i) => `aaaaaaaa.${i + 1}`), ...Array.from({length: 100}, (_, i) => `bbbbbbbb.${i + 1}`)];
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual([...want].sort());
    expect(branches).toEqual([]);
    expect(pa.branched).toBeGreaterThan(0);
    for (const x of [pa, pb]) x.stop();
    for (const x of [ea, eb]) x.stop();
  });

  for (const limit of [undefined, 1500]) {
    it(`two logs appending to the same chunk concurrently lose nothing (409 retry${limit ? ', tiny chunks' : ''})`, async () => {
      const id = `conflict-${limit ?? 'big'}`;
      const la = new SharedEventLog({client: c1, namespace: NS, sessionId: id, ...(limit ? {chunkLimitBytes: limit} : {})});
      const lb = new SharedEventLog({client: c2, namespace: NS, sessionId: id, ...(limit ? {chunkLimitBytes: limit} : {})});
      const run = async (log: SharedEventLog, tag: string) => {
        for (let n = 1; n <= 40; n++) await log.append([ev(tag, n)]);
      };
      await Promise.all([run(la, 'aaaaaaaa'), run(lb, 'bbbbbbbb')]);
      const {events, chunks} = await new SharedEventLog({client: c1, namespace: NS, sessionId: id}).readAll();
      expect(events).toHaveLength(80);
      expect(await logEntries(c1, id)).toBe(80);
      for (const tag of ['aaaaaaaa', 'bbbbbbbb']) {
        expect(events.filter(e => e.id!.startsWith(tag)).map(e => e.id)).toEqual(Array.from({length: 40}, (_, i) => `${tag}.${i + 1}`));
      }
      if (limit) expect(chunks).toBeGreaterThan(3);
      // A retried append of what is already there adds nothing.
      expect(await la.append([ev('aaaaaaaa', 3), ev('bbbbbbbb', 40)])).toEqual([]);
    });
  }

  it('events over 1 MiB span chunks, each under the limit, and read back in order', async () => {
    const id = 'chunked';
    const log = new SharedEventLog({client: c1, namespace: NS, sessionId: id});
    const big = 'x'.repeat(60_000);
    const events = Array.from({length: 30}, (_, i) => ev('cccccccc', i + 1, {text: `${i + 1} ${big}`} as Partial<SessionEvent>));
    await log.append(events.slice(0, 7));
    await log.append(events.slice(7));
    const {items} = await c1.list<ConfigMap>('configmaps', NS, {labelSelector: sessionSelector(id, 'log')});
    expect(items.length).toBeGreaterThanOrEqual(2);
    for (const cm of items) expect(dataBytes(cm)).toBeLessThan(1_048_576);
    const fresh = await new SharedEventLog({client: c2, namespace: NS, sessionId: id}).readAll();
    expect(fresh.events.map(e => e.id)).toEqual(events.map(e => e.id));
    // A new writer continues after the last ordinal, deduping what is there.
    const again = new SharedEventLog({client: c2, namespace: NS, sessionId: id});
    expect(await again.append([events[29]!, ev('cccccccc', 31)])).toEqual(['cccccccc.31']);
  });

  it('a follower sees an append within 1 s, and converges after dropped and expired watches', async () => {
    const id = 'followed';
    const log = new SharedEventLog({client: c1, namespace: NS, sessionId: id});
    await log.ensureHead(head(id));
    await log.append([ev('dddddddd', 1)]);
    const follow = new SessionFollow({client: c2, namespace: NS, sessionId: id}).start();
    try {
      await waitFor(() => follow.status() === 'live' && follow.events().length === 1, 5000, 'first sync');
      expect(follow.head()?.runbookText).toContain('# Deploy');
      const t0 = Date.now();
      await log.append([ev('dddddddd', 2)]);
      await waitFor(() => follow.events().length === 2, 1000, 'tick within 1 s');
      expect(Date.now() - t0).toBeLessThan(1000);

      await fault({fault: 'drop-watches'});
      await log.append([ev('dddddddd', 3)]);
      await waitFor(() => follow.events().length === 3, 8000, 'after drop-watches');

      await fault({fault: 'expire-history'});
      await fault({fault: 'drop-watches'});
      await log.append([ev('dddddddd', 4), ev('dddddddd', 5)]);
      await waitFor(() => follow.status() === 'live' && follow.events().length === 5, 8000, 'after expire-history');
      const all = await log.readAll();
      expect(follow.events().map(e => e.id)).toEqual(all.events.map(e => e.id));
    } finally {
      follow.stop();
    }
  });

  it('checkShareAccess names the denied lease verbs on one line', async () => {
    expect(await checkShareAccess(c1, NS)).toBeNull();
    await fault({fault: 'deny', resource: 'leases', verbs: ['update', 'create'], namespace: NS});
    try {
      expect(await checkShareAccess(c1, NS)).toBe(
        "cannot share in namespace runbook-sessions: missing leases: create, update — 'runbook share --print-rbac' prints the Role to apply",
      );
      expect(await checkShareAccess(c1, 'elsewhere')).toBeNull();
    } finally {
      await fault({fault: 'clear'});
    }
  });
});
