// Follow-ups after the deploy, as the session records them: the schedule noted when the deploy step becomes done (at
// the moment it did), due times by an injected clock, ticks with a note, and a session done before this program.
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {readRunbookFile} from '../../source/runbook/index.js';
import {SessionController} from '../../source/session/controller.js';
import type {SessionEvent} from '../../source/session/events.js';
import {dueFollowUps, followUpClock, followUpState, nextFollowUp, recordedFollowUps, spanWords} from '../../source/session/follow-ups.js';
import {decodeSessionFile} from '../../source/session/schema.js';
import {MemorySessionStore} from '../../source/session/store.js';
import {SHIPPED_GUIDE} from '../helpers/paths.js';
import {testTempDir} from '../helpers/temp.js';

const MIN = 60_000;
const T0 = Date.parse('2025-03-03T09:00:00Z');
const guide = readRunbookFile(SHIPPED_GUIDE);

function setup(events: readonly SessionEvent[] = []) {
  const dir = testTempDir('follow-ups');
  const store = new MemorySessionStore('s1', join(dir, 'runs'));
  for (const e of events) store.append(e);
  let now = T0;
  const controller = new SessionController({
    runbook: guide,
    store,
    shell: {env: {PATH: process.env.PATH!, HOME: dir}, cwd: dir},
    actor: {user: 'ops', host: 'laptop'},
    now: () => new Date(now),
  });
  const monitor = controller.steps.find(s => s.id.endsWith('step-9-monitor-deployment'))!;
  return {controller, store, monitor, setNow: (t: number) => (now = t)};
}

describe('follow-ups after the deploy', () => {
  it('nothing before the deploy step is done; marking it done records the schedule from that moment', () => {
    const {controller, monitor, setNow} = setup();
    expect(controller.followUps).toBeNull();
    setNow(T0 + 5 * MIN);
    controller.mark(monitor.id, 'done', 'rollout finished');
    const record = controller.followUps!;
    expect(record.from).toBe(new Date(T0 + 5 * MIN).toISOString());
    expect(record.items.map(i => i.dueAt.slice(11, 16))).toEqual(['09:05', '09:20', '09:35', '10:05', '13:05', '09:05', '09:05']);
    expect(record.items[6]!.dueAt.slice(0, 10)).toBe('2025-03-10');
    // Once: another event does not schedule again.
    controller.note(monitor.id, 'all good');
    expect(controller.session.notes.filter(n => n.text.startsWith('Deploy completed'))).toHaveLength(1);
  });

  it('due, overdue and upcoming by the clock; ticking one with a note records it and moves "next"', () => {
    const {controller, monitor} = setup();
    controller.mark(monitor.id, 'done', 'rollout finished');
    let record = controller.followUps!;
    const at = (m: number) => new Date(T0 + m * MIN);
    expect(followUpState(record.items[0]!, at(0))).toBe('due');
    expect(followUpState(record.items[0]!, at(16))).toBe('overdue');
    expect(followUpState(record.items[1]!, at(3))).toBe('upcoming');
    expect(dueFollowUps(record, at(31)).map(i => i.id)).toEqual(['T+0', 'T+15min', 'T+30min']);
    expect(controller.tickFollowUp('T+0', 'pods 3/3 ready, health 200')).toBe(true);
    expect(controller.tickFollowUp('T+0', 'again')).toBe(false);
    expect(controller.tickFollowUp('T+9y', 'no such')).toBe(false);
    record = controller.followUps!;
    expect(record.items[0]!.done).toMatchObject({note: 'pods 3/3 ready, health 200'});
    expect(nextFollowUp(record)!.id).toBe('T+15min');
    expect(controller.session.notes.at(-1)!.text).toBe('Follow-up T+0 done (Immediate verification): pods 3/3 ready, health 200');
  });

  it('a deploy step done before this program recorded schedules gets its schedule on opening, from when it was done', () => {
    const earlier: SessionEvent[] = [
      {type: 'session-started', runbook: {path: guide.path, hash: guide.hash, title: guide.title}, at: new Date(T0).toISOString()},
      {type: 'step-marked', stepId: guide.sections[0]!.id, status: 'done', reason: 'read', at: new Date(T0 + MIN).toISOString()},
    ];
    const {monitor} = setup();
    earlier.push({type: 'step-marked', stepId: monitor.id, status: 'done', reason: 'watched it', at: new Date(T0 + 20 * MIN).toISOString()});
    const {controller, store} = setup(earlier);
    expect(controller.followUps!.from).toBe(new Date(T0 + 20 * MIN).toISOString());
    // Opened again: nothing more to record.
    const again = setup(store.events());
    expect(again.store.events().filter(e => e.type === 'note')).toHaveLength(1);
  });

  it('a redeploy (the step done again after being reopened) restarts the schedule; earlier ticks do not carry over', () => {
    const {controller, store, monitor, setNow} = setup();
    controller.mark(monitor.id, 'done', 'first');
    controller.tickFollowUp('T+0', 'ok');
    setNow(T0 + 60 * MIN);
    controller.mark(monitor.id, 'not-started', 'rolled back, deploying again');
    controller.mark(monitor.id, 'done', 'second');
    const record = recordedFollowUps(store.events())!;
    expect(record.from).toBe(new Date(T0 + 60 * MIN).toISOString());
    expect(record.items.every(i => i.done === null)).toBe(true);
  });

  it('older session files (notes without the new fields) and newer ones both load', () => {
    const file = (events: unknown[]) => ({version: 1, id: 's', runbook: {path: 'p', hash: 'h', title: 't'}, kind: 'deploy', createdAt: 'x', updatedAt: 'x', finished: false, events});
    expect(() => decodeSessionFile(file([{type: 'note', stepId: 'a', text: 'plain', at: 'x'}]))).not.toThrow();
    const scheduled = {type: 'note', stepId: 'a', text: 'Deploy completed', at: 'x', followUps: {from: new Date(T0).toISOString(), items: [{id: 'T+0', afterMs: 0, action: 'look', who: null}]}};
    const ticked = {type: 'note', stepId: 'a', text: 'Follow-up T+0 done (look): fine', at: 'y', followUp: 'T+0'};
    const decoded = decodeSessionFile(file([scheduled, ticked]));
    expect(recordedFollowUps(decoded.events)!.items[0]!.done).toEqual({at: 'y', note: 'fine'});
  });

  it('the clock: RUNBOOK_NOW sets now and it runs on from there; spans read as the status bar says them', () => {
    let real = 1_000_000;
    const clock = followUpClock({RUNBOOK_NOW: '2025-03-03T11:00:00Z'}, () => real);
    expect(clock().toISOString()).toBe('2025-03-03T11:00:00.000Z');
    real += 90_000;
    expect(clock().toISOString()).toBe('2025-03-03T11:01:30.000Z');
    expect(followUpClock({}, () => 42)().getTime()).toBe(42);
    expect([45_000, 12 * MIN, 65 * MIN, 2 * 60 * MIN, 76 * 60 * MIN].map(spanWords)).toEqual(['45s', '12m', '1h 5m', '2h', '3d 4h']);
  });
});
