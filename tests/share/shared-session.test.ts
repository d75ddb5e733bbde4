// SharedSession as `runbook FILE --share` and `runbook join` start it (startDriving, startFollowing), with real local
// journals in temp state dirs, against the in-process sandbox's API server: the backlog published once however often
// the session is resumed, a follower that asks for the wheel and gets it with the whole log in its journal, the result
// of a run started before the hand-over reaching the new driver, and secrets kept out of every ConfigMap.
import {afterAll, beforeAll, describe, expect, it, vi} from 'vitest';
import {createKubeClient, type KubeClient} from '../../source/kube/client.js';
import type {SessionEvent} from '../../source/session/events.js';
import {createSession, openSession, type DurableSessionStore} from '../../source/session/persistence.js';
import {SharedEventLog} from '../../source/share/event-log.js';
import {type ConfigMap, entriesOf, sessionSelector} from '../../source/share/log-fold.js';
import {startDriving, startFollowing} from '../../source/share/open-shared.js';
import type {SharedSession} from '../../source/share/shared-session.js';
import type {SessionHead, WheelView} from '../../source/share/types.js';
import {wheelNotice} from '../../source/ui/use-wheel-notices.js';
import {testTempDir} from '../helpers/temp.js';
import {sleep} from '../helpers/wait.js';
import {startTestCluster, type TestCluster, waitFor} from '../sandbox/helpers.js';
import {RUNBOOK} from '../session/helpers.js';

// Two processes in one: each start takes the identity set here (a real one is user@host/pid, the same for both).
const who = vi.hoisted(() => ({identity: 'alice@laptop/100'}));
vi.mock('../../source/share/identity.js', async importOriginal => ({
  ...(await importOriginal<typeof import('../../source/share/identity.js')>()),
  wheelIdentity: () => who.identity,
}));

const ALICE = 'alice@laptop/100';
const BOB = 'bob@desk/200';
const NS = 'runbook-shared-test';
const FAST = {leaseDurationMs: 3000, renewDeadlineMs: 2000, retryPeriodMs: 300};
let t: TestCluster;
let client: KubeClient;

beforeAll(async () => {
  t = await startTestCluster();
  client = (await createKubeClient({kubeconfig: t.cluster.kubeconfigPath}))!;
});

afterAll(async () => {
  await t?.close();
});

let clock = Date.parse('2026-02-01T10:00:00Z');
const at = () => new Date((clock += 1000)).toISOString();
const entered = (stepId = 's1'): SessionEvent => ({type: 'step-entered', stepId, at: at()});
const note = (text: string): SessionEvent => ({type: 'note', stepId: 's1', text, at: at()});
const tick = (itemId: string): SessionEvent => ({type: 'check-toggled', stepId: 's1', itemId, checked: true, at: at()});
const started = (runId: string, command = 'echo hi'): SessionEvent => ({type: 'run-started', runId, stepId: 's1', blockId: 'b1', command, outputFile: null, interactive: false, at: at()});
const finished = (runId: string, tail: string[] = ['done']): SessionEvent => ({type: 'run-finished', runId, exitCode: 0, signal: null, cancelled: false, durationMs: 5, lines: tail.length, tail, at: at()});

const head = (id: string): SessionHead => ({id, runbook: RUNBOOK, kind: 'deploy', startedAt: new Date(clock).toISOString(), sharedBy: '', runbookText: '# Deploy\n\n## s1\n\n- [ ] one\n'});

const idsOf = (events: readonly SessionEvent[]) => events.map(e => e.id);

/** Every event the log's chunks hold, duplicates included (readAll folds them away). */
async function rawLog(id: string): Promise<SessionEvent[]> {
  const {items} = await client.list<ConfigMap>('configmaps', NS, {labelSelector: sessionSelector(id, 'log')});
  return items.flatMap(cm => entriesOf(cm).map(e => e.event));
}

const readLog = (id: string) => new SharedEventLog({client, namespace: NS, sessionId: id}).readAll();

/** Sessions started in a test, finished (lease given back, journals closed) before its temp dirs go. */
async function withSessions(body: (keep: <T extends SharedSession>(s: T) => T) => Promise<void>) {
  const open: SharedSession[] = [];
  try {
    await body(s => (open.push(s), s));
  } finally {
    for (const s of open.reverse()) {
      await s.finish();
      s.close();
    }
  }
}

async function drive(stateDir: string, local: DurableSessionStore, identity = ALICE) {
  who.identity = identity;
  return startDriving({client, namespace: NS, stateDir, local, head: head(local.id), timing: FAST});
}

async function follow(stateDir: string, id: string, identity = BOB) {
  who.identity = identity;
  const openLocal = (h: SessionHead) => createSession({stateDir, id: h.id, runbook: h.runbook, kind: h.kind});
  const {session} = await startFollowing({client, namespace: NS, stateDir, id, openLocal, timing: FAST});
  return session;
}

/** The follower asks, the driver sees the request on a renewal and hands the wheel over; the follower drives. */
async function handOver(driver: SharedSession, follower: SharedSession) {
  expect(await follower.ask()).toMatch(/^Asked alice@laptop for the wheel/);
  await waitFor(() => driver.view().request?.from === BOB, 5000, 'the driver sees the request');
  expect(await driver.handOver()).toBe('Handed the wheel to bob@desk: you follow, read-only');
  await waitFor(() => !follower.readOnly, 5000, 'the follower drives');
}

/** Everything the driver recorded is acknowledged by the log. */
const published = (s: SharedSession) => waitFor(() => s.view().pending === 0, 5000, 'published');

describe('SharedSession against the sandbox', () => {
  it('publishes the backlog; resumed and shared again, nothing reaches the log twice', async () => {
    await withSessions(async keep => {
      const dir = testTempDir('shared-backlog');
      const id = 'backlog';
      const local = createSession({stateDir: dir, runbook: RUNBOOK, kind: 'deploy', id});
      // Recorded before the session was shared: no ids.
      for (const e of [entered(), note('before sharing'), tick('one')]) local.append(e);
      const first = keep(await drive(dir, local));
      expect(first.readOnly).toBe(false);
      first.append(note('shared 1'));
      first.append(note('shared 2'));
      const count = first.events().length;
      await published(first);
      await waitFor(async () => (await readLog(id)).events.length === count, 5000, 'the backlog in the log');
      expect((await readLog(id)).events.map(e => e.type === 'note' && e.text).filter(Boolean)).toEqual(['before sharing', 'shared 1', 'shared 2']);
      await first.finish(); // as on quitting: published, the lease given back, the journal closed
      first.close();

      const resumed = openSession(dir, id);
      expect(resumed.events()).toHaveLength(count);
      const second = keep(await drive(dir, resumed));
      second.append(note('after resume'));
      await published(second);
      await waitFor(async () => (await readLog(id)).events.length === count + 1, 5000, 'the new event in the log');
      // The journal took nothing back from the log (it had all of it), and the log holds each id once.
      expect(second.events()).toHaveLength(count + 1);
      const raw = await rawLog(id);
      expect(raw).toHaveLength(count + 1);
      expect(new Set(idsOf(raw)).size).toBe(raw.length);
    });
  });

  it('a follower sees the events, asks for the wheel, and drives with the whole log in its journal', async () => {
    await withSessions(async keep => {
      const id = 'handover';
      const aDir = testTempDir('shared-a');
      const bDir = testTempDir('shared-b');
      const driver = keep(await drive(aDir, createSession({stateDir: aDir, runbook: RUNBOOK, kind: 'deploy', id})));
      for (const e of [entered(), tick('one'), note('by alice')]) driver.append(e);
      const follower = keep(await follow(bDir, id));
      expect(follower.readOnly).toBe(true);
      await waitFor(() => follower.events().length === driver.events().length, 5000, 'the follower sees every event');
      expect(idsOf(follower.events())).toEqual(idsOf(driver.events()));
      expect(follower.readOnlyReason).toBe('Following alice@laptop: read-only — T asks for the wheel');
      expect(() => follower.append(note('not mine to write'))).toThrow(/Following alice@laptop/);

      await handOver(driver, follower);
      expect(follower.view()).toMatchObject({role: 'driver', holder: BOB});
      const journal = follower.events();
      const log = await readLog(id);
      const have = new Set(idsOf(journal));
      for (const e of log.events) expect(have.has(e.id), `${e.id} in the new driver's journal`).toBe(true);
      const took = journal.filter(e => e.type === 'note' && e.text.startsWith('Took the wheel'));
      expect(took).toHaveLength(1);
      expect(took[0]).toMatchObject({stepId: 's1', by: {user: 'bob', host: 'desk'}});

      expect(driver.readOnly).toBe(true);
      expect(driver.readOnlyReason).toMatch(/^Following bob@desk/);
      expect(driver.view()).toMatchObject({role: 'follower', lost: null});
      // What the new driver records, the former one sees.
      follower.append(note('by bob'));
      await waitFor(() => driver.events().some(e => e.type === 'note' && e.text === 'by bob'), 5000, 'the former driver sees it');
      // The new driver's journal is on disk: every event of the log, and its own.
      await published(follower);
      const onDisk = openSession(bDir, id, {readOnly: true});
      try {
        expect(idsOf(onDisk.events())).toEqual(idsOf(follower.events()));
      } finally {
        onDisk.close();
      }
    });
  });

  it('the result of a run started before the hand-over goes to a branch and the new driver takes it in', async () => {
    await withSessions(async keep => {
      const id = 'run-result';
      const aDir = testTempDir('shared-a');
      const bDir = testTempDir('shared-b');
      const driver = keep(await drive(aDir, createSession({stateDir: aDir, runbook: RUNBOOK, kind: 'deploy', id})));
      driver.append(entered());
      driver.append(started('r1', 'kubectl rollout status deploy/web'));
      const follower = keep(await follow(bDir, id));
      await waitFor(() => follower.events().length === driver.events().length, 5000, 'the follower sees the run start');
      await handOver(driver, follower);
      expect(follower.events().some(e => e.type === 'run-started' && e.runId === 'r1')).toBe(true);

      // The former driver records only what it may: the result of its own run.
      expect(driver.accepts(finished('r1'))).toBe(true);
      expect(driver.accepts(finished('r2'))).toBe(false);
      expect(driver.accepts(note('late'))).toBe(false);
      expect(() => driver.append(note('late'))).toThrow(/^Following bob@desk/);
      // Every view the new driver's screen would draw from here on: none may offer the result as a branch to accept.
      const views: WheelView[] = [];
      const unsubscribe = follower.subscribe(() => views.push(follower.view()));
      driver.append(finished('r1', ['rolled out']));
      await waitFor(() => follower.events().some(e => e.type === 'run-finished' && e.runId === 'r1'), 8000, 'the new driver has the result');
      // Taken in by itself: nothing waits for B, and the log holds the result once.
      await waitFor(() => follower.view().branches.length === 0, 5000, 'no branch waiting');
      await sleep(500);
      unsubscribe();
      expect(views.filter(v => v.branches.length > 0)).toEqual([]);
      expect(views.map((v, i) => wheelNotice(views[i - 1] ?? null, v)).filter(Boolean)).toEqual([]);
      await waitFor(async () => (await readLog(id)).events.some(e => e.type === 'run-finished' && e.runId === 'r1'), 5000, 'the result in the log');
      const raw = await rawLog(id);
      expect(raw.filter(e => e.type === 'run-finished')).toHaveLength(1);
      expect(new Set(idsOf(raw)).size).toBe(raw.length);
    });
  });

  it('a former driver that takes the wheel back puts its own branch into the log', async () => {
    await withSessions(async keep => {
      const id = 'back-again';
      const aDir = testTempDir('shared-a');
      const bDir = testTempDir('shared-b');
      const driver = keep(await drive(aDir, createSession({stateDir: aDir, runbook: RUNBOOK, kind: 'deploy', id})));
      driver.append(entered());
      driver.append(started('r1'));
      const follower = keep(await follow(bDir, id));
      await waitFor(() => follower.events().length === driver.events().length, 5000, 'the follower sees the run start');
      await handOver(driver, follower);
      // The new driver quits (the lease given back) before the run ends: nobody takes the result in.
      await follower.finish();
      await waitFor(() => driver.view().holder === '', 5000, 'nobody drives');
      driver.append(finished('r1', ['late result']));
      await waitFor(async () => (await readLog(id)).branches.length === 1, 5000, 'the result on its branch');
      expect(await driver.ask()).toBe('Nobody drives: taking the wheel');
      await waitFor(() => !driver.readOnly, 5000, 'the former driver drives again');
      // What its journal has, the log has too: followers and a later driver see the run end.
      await waitFor(async () => (await readLog(id)).events.some(e => e.type === 'run-finished' && e.runId === 'r1'), 5000, 'the result in the log');
      await published(driver);
      const log = await readLog(id);
      expect(log.branches).toEqual([]);
      expect(new Set(idsOf(log.events))).toEqual(new Set(idsOf(driver.events())));
    });
  });

  it('the wheel handed over while the log cannot be read: the new driver takes it once the log answers again', async () => {
    await withSessions(async keep => {
      const id = 'log-down';
      const aDir = testTempDir('shared-a');
      const bDir = testTempDir('shared-b');
      const driver = keep(await drive(aDir, createSession({stateDir: aDir, runbook: RUNBOOK, kind: 'deploy', id})));
      for (const e of [entered(), tick('one')]) driver.append(e);
      const follower = keep(await follow(bDir, id));
      await waitFor(() => follower.events().length === driver.events().length, 5000, 'the follower sees every event');
      await follower.ask();
      await waitFor(() => driver.view().request?.from === BOB, 5000, 'the driver sees the request');
      t.cluster.faults.apply({fault: 'deny', resource: 'configmaps', verbs: ['list'], namespace: NS});
      try {
        await driver.handOver();
        // The Lease is the follower's, but it cannot read the log to start from: it waits (no crash, nothing recorded).
        await sleep(1500);
        expect(follower.readOnly).toBe(true);
      } finally {
        t.cluster.faults.apply({fault: 'clear'});
      }
      await waitFor(() => !follower.readOnly, 8000, 'the follower drives once the log answers');
      expect(follower.events().filter(e => e.type === 'check-toggled')).toHaveLength(1);
    });
  });

  it('secrets never reach a ConfigMap: the log, the branches, the head', async () => {
    const DB_PASSWORD = 'db-pass-Xq7-zz91';
    const TYPED = 'hunter2';
    process.env.DB_PASSWORD = DB_PASSWORD;
    try {
      await withSessions(async keep => {
        const id = 'secrets';
        const aDir = testTempDir('shared-a');
        const bDir = testTempDir('shared-b');
        const local = createSession({stateDir: aDir, runbook: RUNBOOK, kind: 'deploy', id});
        local.append(entered());
        local.append(note(`backlog: ${DB_PASSWORD}`));
        const driver = keep(await drive(aDir, local));
        driver.addSecrets([TYPED]);
        driver.append(note(`typed ${TYPED} and ${DB_PASSWORD}`));
        driver.append({type: 'variable-set', name: 'DB_PASSWORD', value: DB_PASSWORD, secret: true, at: at()});
        driver.append({type: 'placeholder-set', text: '<password>', value: TYPED, at: at()});
        driver.append(started('r1', `psql "postgres://app:${DB_PASSWORD}@db/app" -c 'select 1' # ${TYPED}`));
        await published(driver);
        const follower = keep(await follow(bDir, id));
        await waitFor(() => follower.events().length === driver.events().length, 5000, 'the follower has it all');
        await handOver(driver, follower);
        // The former driver's late result travels through its branch.
        driver.append(finished('r1', [`password=${DB_PASSWORD}`, `echo ${TYPED}`]));
        await waitFor(() => follower.events().some(e => e.type === 'run-finished'), 8000, 'the result taken in');
        await published(follower);

        const {items} = await client.list<ConfigMap>('configmaps', NS, {labelSelector: sessionSelector(id)});
        expect(items.length).toBeGreaterThanOrEqual(2);
        const text = JSON.stringify(items);
        expect(text).toContain('[REDACTED]');
        expect(text).toContain('Took the wheel');
        expect(text.includes(DB_PASSWORD), 'the DB password in a ConfigMap').toBe(false);
        expect(text.includes(TYPED), 'the typed secret in a ConfigMap').toBe(false);
        // Nor any other ConfigMap of the namespace.
        const everything = JSON.stringify((await client.list<ConfigMap>('configmaps', NS)).items);
        expect(everything.includes(DB_PASSWORD) || everything.includes(TYPED)).toBe(false);
      });
    } finally {
      delete process.env.DB_PASSWORD;
    }
  });
});
