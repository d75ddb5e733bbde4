// The elector against an in-memory Lease on a fake clock: client-go's timing (15 s lease, 10 s renew deadline, 2 s
// retry), observedTime from the local clock, transitions, hand-over, release and the wheel request.
import {afterEach, beforeEach, describe, expect, it, vi} from 'vitest';
import {LeaseElector, microTime} from '../../source/share/lease-elector.js';
import {ANNOTATIONS} from '../../source/share/types.js';
import {MemoryLease} from './memory-lease.js';

let server: MemoryLease;
const electors: LeaseElector[] = [];

function elector(identity: string, lock = server.lock(identity)) {
  const e = new LeaseElector({lock, now: () => Date.now(), random: () => 0});
  electors.push(e);
  return {e, lock};
}

const advance = (ms: number) => vi.advanceTimersByTimeAsync(ms);

beforeEach(() => {
  vi.useFakeTimers({now: new Date('2025-03-01T10:00:00Z')});
  server = new MemoryLease();
});

afterEach(() => {
  for (const e of electors.splice(0)) e.stop();
  vi.useRealTimers();
});

describe('LeaseElector', () => {
  it('acquires a free lease by creating it, with MicroTime stamps', async () => {
    const {e} = elector('a@h/1');
    e.start('acquire');
    await advance(0);
    expect(e.isLeader()).toBe(true);
    expect(e.state.role).toBe('driver');
    expect(server.record).toMatchObject({holderIdentity: 'a@h/1', leaseDurationSeconds: 15, leaseTransitions: 0});
    expect(server.record!.renewTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    expect(microTime(Date.parse('2025-03-01T10:00:00.123Z'))).toBe('2025-03-01T10:00:00.123000Z');
  });

  it('renews every retry period, keeping acquireTime and transitions', async () => {
    const {e} = elector('a@h/1');
    e.start('acquire');
    await advance(0);
    const first = structuredClone(server.record!);
    await advance(2000);
    expect(server.record!.renewTime).not.toBe(first.renewTime);
    expect(server.record!.acquireTime).toBe(first.acquireTime);
    expect(server.record!.leaseTransitions).toBe(0);
    await advance(20_000);
    expect(e.isLeader()).toBe(true);
  });

  it('a second candidate waits until observedTime + 15 s after the holder stops, then takes over with transitions+1', async () => {
    const a = elector('a@h/1');
    a.e.start('acquire');
    await advance(0);
    const b = elector('b@h/2');
    b.e.start('acquire');
    await advance(10_000);
    expect(b.e.isLeader()).toBe(false);
    expect(b.e.state.holder).toBe('a@h/1');
    a.e.stop(); // dies without releasing
    const diedAt = Date.now();
    await advance(14_000);
    expect(b.e.isLeader()).toBe(false);
    await waitUntil(() => b.e.isLeader(), 8000);
    // observedTime is when b last saw a's record change: at most one poll after a's last renewal.
    expect(Date.now() - diedAt).toBeGreaterThanOrEqual(15_000);
    expect(Date.now() - diedAt).toBeLessThanOrEqual(15_000 + 2 * 2000);
    expect(server.record).toMatchObject({holderIdentity: 'b@h/2', leaseTransitions: 1});
    expect(server.record!.acquireTime).toBe(server.record!.renewTime);
  });

  it('an observer shows the expiry but never takes the lease; acquire() takes an expired one on the next try', async () => {
    const a = elector('a@h/1');
    a.e.start('acquire');
    await advance(0);
    const b = elector('b@h/2');
    b.e.start('observe');
    await advance(2000);
    a.e.stop();
    await advance(20_000);
    expect(b.e.state.expiredAt).not.toBeNull();
    expect(b.e.isLeader()).toBe(false);
    expect(server.record!.holderIdentity).toBe('a@h/1');
    b.e.acquire();
    await advance(0);
    expect(b.e.isLeader()).toBe(true);
    expect(server.record).toMatchObject({holderIdentity: 'b@h/2', leaseTransitions: 1});
  });

  it('loses leadership when renewals fail past the renew deadline, and isLeader turns false', async () => {
    const a = elector('a@h/1');
    const lost: string[] = [];
    a.e.onLost(to => lost.push(to));
    a.e.start('acquire');
    await advance(0);
    a.lock.down = true;
    await advance(2000 + 9000);
    expect(lost).toEqual([]);
    expect(a.e.isLeader()).toBe(true); // still locally valid: nobody else may take it yet
    await advance(1500);
    expect(lost).toEqual(['']);
    expect(a.e.isLeader()).toBe(false);
    expect(a.e.state.lost).toMatchObject({to: ''});
    expect(a.e.state.mode).toBe('observe');
  });

  it('stops at once when the lease is taken from under it', async () => {
    const a = elector('a@h/1');
    const lost: string[] = [];
    a.e.onLost(to => lost.push(to));
    a.e.start('acquire');
    await advance(0);
    server.force({holderIdentity: 'c@h/3', leaseTransitions: 1});
    await advance(2000);
    expect(a.e.isLeader()).toBe(false);
    expect(lost).toEqual(['c@h/3']);
  });

  it('hands the wheel over: the receiver leads within one retry period, acquiring or observing', async () => {
    for (const receiverMode of ['acquire', 'observe'] as const) {
      server = new MemoryLease();
      const a = elector('a@h/1');
      a.e.start('acquire');
      await advance(0);
      const b = elector('b@h/2');
      b.e.start(receiverMode);
      await advance(500);
      await a.e.handTo('b@h/2');
      expect(a.e.isLeader()).toBe(false);
      expect(server.record).toMatchObject({holderIdentity: 'b@h/2', leaseTransitions: 1});
      await advance(2000);
      expect(b.e.isLeader()).toBe(true);
      await advance(10_000);
      expect(b.e.isLeader()).toBe(true);
      expect(a.e.isLeader()).toBe(false);
      expect(a.e.state.holder).toBe('b@h/2');
      expect(server.record!.leaseTransitions).toBe(1);
      a.e.stop();
      b.e.stop();
    }
  });

  it('release writes an empty holder and a 1 s lease; a candidate takes it without waiting 15 s', async () => {
    const a = elector('a@h/1');
    a.e.start('acquire');
    await advance(0);
    const b = elector('b@h/2');
    b.e.start('acquire');
    await advance(3000);
    await a.e.release();
    expect(server.record).toMatchObject({holderIdentity: '', leaseDurationSeconds: 1});
    expect(a.e.isLeader()).toBe(false);
    await advance(4000);
    expect(b.e.isLeader()).toBe(true);
  });

  it('the driver sees a wheel request on its next renewal; the hand-over clears it', async () => {
    const a = elector('a@h/1');
    a.e.start('acquire');
    await advance(0);
    const b = elector('b@h/2');
    b.e.start('observe');
    await advance(100);
    await b.e.requestWheel();
    expect(server.record!.annotations[ANNOTATIONS.wheelRequest]).toBe('b@h/2');
    expect(b.e.state.request).toMatchObject({from: 'b@h/2'});
    await advance(2000);
    expect(a.e.state.request).toMatchObject({from: 'b@h/2'});
    expect(a.e.isLeader()).toBe(true); // the 409 from the annotation change cost nothing
    await a.e.handTo(a.e.state.request!.from);
    expect(server.record!.annotations[ANNOTATIONS.wheelRequest]).toBeUndefined();
    await advance(2000);
    expect(b.e.isLeader()).toBe(true);
    expect(b.e.state.request).toBeNull();
  });

  it('nudged by a watch of the Lease: the driver sees a request and the receiver leads without waiting for a retry', async () => {
    const a = elector('a@h/1');
    a.e.start('acquire');
    await advance(0);
    const b = elector('b@h/2');
    b.e.start('observe');
    await advance(100);
    await b.e.requestWheel();
    b.e.acquire();
    await advance(10);
    // What the watch hands over: the Lease's annotations. The driver's own renewals (no request) cost no GET.
    a.e.nudge({});
    a.e.nudge(server.record!.annotations);
    await advance(10);
    expect(a.e.state.request).toMatchObject({from: 'b@h/2'});
    await a.e.handTo('b@h/2');
    expect(b.e.isLeader()).toBe(false);
    b.e.nudge();
    await advance(10);
    expect(b.e.isLeader()).toBe(true);
    // Nudging a leader's loop or a stopped elector does nothing.
    b.e.nudge({});
    b.e.stop();
    b.e.nudge();
    await advance(10);
    expect(server.record!.holderIdentity).toBe('b@h/2');
  });

  it('a wheel request does not postpone the expiry of a dead driver', async () => {
    const a = elector('a@h/1');
    a.e.start('acquire');
    await advance(0);
    const b = elector('b@h/2');
    b.e.start('acquire');
    await advance(1000);
    a.e.stop();
    await advance(10_000);
    await b.e.requestWheel();
    await waitUntil(() => b.e.isLeader(), 8000);
    expect(server.record!.holderIdentity).toBe('b@h/2');
  });
});

async function waitUntil(probe: () => boolean, ms: number): Promise<void> {
  for (let t = 0; t <= ms; t += 100) {
    if (probe()) return;
    await advance(100);
  }
  throw new Error('condition not reached');
}
