// The publisher against a stub log and elector: batching, acknowledgement, and the switch to the branch when the
// wheel is lost (nothing more reaches the log, nothing is dropped).
import {describe, expect, it} from 'vitest';
import type {AppendOptions} from '../../source/share/event-log.js';
import {NotLeaderError} from '../../source/share/event-log.js';
import {nextEventId} from '../../source/share/identity.js';
import {SessionPublisher} from '../../source/share/publisher.js';
import type {SessionEvent} from '../../source/session/events.js';

const ev = (n: number): SessionEvent => ({type: 'step-entered', stepId: `s${n}`, at: new Date().toISOString(), id: nextEventId('aaaa0000', n)});

function stubs() {
  const lostListeners = new Set<(to: string) => void>();
  const elector = {
    leader: true,
    isLeader() {
      return this.leader;
    },
    onLost(fn: (to: string) => void) {
      lostListeners.add(fn);
      return () => lostListeners.delete(fn);
    },
    lose(to: string) {
      this.leader = false;
      for (const fn of lostListeners) fn(to);
    },
  };
  const log = {
    appends: [] as SessionEvent[][],
    branch: [] as SessionEvent[],
    gate: null as Promise<void> | null,
    async append(events: SessionEvent[], options: AppendOptions = {}) {
      await new Promise(r => setTimeout(r, 5));
      if (this.gate) await this.gate;
      if (options.signal?.aborted) throw new Error('aborted');
      if (options.guard && !options.guard()) throw new NotLeaderError();
      this.appends.push(events);
      return events.map(e => e.id!);
    },
    async appendBranch(_from: string, _tag: string, events: SessionEvent[]) {
      this.branch.push(...events);
    },
  };
  return {elector, log};
}

describe('SessionPublisher', () => {
  it('batches a burst of 200 events into a few appends and acknowledges them all', async () => {
    const {elector, log} = stubs();
    const p = new SessionPublisher({log, elector, identity: 'a@h/1'});
    for (let i = 1; i <= 200; i++) p.publish(ev(i));
    expect(await p.flush(5000)).toBe(true);
    expect(log.appends.length).toBeLessThanOrEqual(3);
    expect(log.appends.flat().map(e => e.id)).toEqual(Array.from({length: 200}, (_, i) => nextEventId('aaaa0000', i + 1)));
    expect(p.acknowledged).toBe(200);
    expect(p.lastAcknowledgedId).toBe('aaaa0000.200');
    expect(p.pending).toBe(0);
    p.stop();
  });

  it('after the wheel is lost, the unacknowledged and all later events go to the branch, none to the log', async () => {
    const {elector, log} = stubs();
    const p = new SessionPublisher({log, elector, identity: 'a@h/1', writerTag: 'aaaa0000'});
    for (let i = 1; i <= 10; i++) p.publish(ev(i));
    await p.flush(5000);
    let open!: () => void;
    log.gate = new Promise(r => (open = r));
    for (let i = 11; i <= 20; i++) p.publish(ev(i));
    await new Promise(r => setTimeout(r, 20));
    elector.lose('b@h/2'); // while 11..20 are in flight
    open();
    for (let i = 21; i <= 30; i++) p.publish(ev(i));
    expect(await p.flush(5000)).toBe(true);
    expect(p.branching).toBe(true);
    const inLog = log.appends.flat().map(e => e.id);
    expect(inLog).toHaveLength(10);
    expect(log.branch.map(e => e.id)).toEqual(Array.from({length: 20}, (_, i) => nextEventId('aaaa0000', i + 11)));
    expect(p.acknowledged + p.branched).toBe(30);
    p.stop();
  });

  it('does not write to the log when isLeader is false at send time, even before onLost', async () => {
    const {elector, log} = stubs();
    const p = new SessionPublisher({log, elector, identity: 'a@h/1'});
    elector.leader = false;
    p.publish(ev(1));
    await p.flush(2000);
    expect(log.appends).toEqual([]);
    expect(log.branch.map(e => e.id)).toEqual(['aaaa0000.1']);
    p.stop();
  });
});
