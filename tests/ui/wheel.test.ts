// What the screen says of a shared session's wheel: the header's label for each role and situation, the one line each
// change of the wheel deserves, and the keys T and B as the key map resolves them for a driver and a follower.
import {describe, expect, it} from 'vitest';
import {wheelLabel} from '../../source/commands/open-session.js';
import type {WheelView} from '../../source/share/types.js';
import {GUARDS, resolveKey, type KeyState} from '../../source/ui/key-map.js';
import {wheelKeyHint, wheelNotice} from '../../source/ui/use-wheel-notices.js';

const ME = 'alice@laptop/100';
const BOB = 'bob@desk/200';
const CAROL = 'carol@box/300';

const driver = (over: Partial<WheelView> = {}): WheelView => ({
  role: 'driver',
  holder: ME,
  request: null,
  expiredAt: null,
  lost: null,
  me: ME,
  namespace: 'runbook-sessions',
  branches: [],
  live: true,
  published: 4,
  pending: 0,
  ...over,
});
const follower = (over: Partial<WheelView> = {}): WheelView => driver({role: 'follower', holder: BOB, ...over});
const asked = (from: string) => ({from, at: '2026-01-01T00:00:00.000Z'});

describe('wheelLabel', () => {
  it('the driver: shared, and what waits on it', () => {
    expect(wheelLabel(driver())).toBe('SHARED · you drive');
    expect(wheelLabel(driver({request: asked(BOB)}))).toBe('SHARED · you drive · bob@desk asks for the wheel (T)');
    expect(wheelLabel(driver({branches: [{name: 'b1', from: CAROL, events: 3}, {name: 'b2', from: BOB, events: 1}]}))).toBe('SHARED · you drive · 4 events on a branch (B)');
    expect(wheelLabel(driver({pending: 2}))).toBe('SHARED · you drive · 2 to publish');
    expect(wheelLabel(driver({request: asked(BOB), branches: [{name: 'b', from: CAROL, events: 1}], pending: 5}))).toBe('SHARED · you drive · bob@desk asks for the wheel (T) · 1 events on a branch (B) · 5 to publish');
  });

  it('a follower: whom it follows, read-only, and what T does', () => {
    expect(wheelLabel(follower())).toBe('FOLLOWING bob@desk · read-only · T asks for the wheel');
    expect(wheelLabel(follower({request: asked(ME)}))).toBe('FOLLOWING bob@desk · read-only · asked for the wheel');
    // Someone else's request is not this follower's.
    expect(wheelLabel(follower({request: asked(CAROL)}))).toBe('FOLLOWING bob@desk · read-only · T asks for the wheel');
    expect(wheelLabel(follower({expiredAt: 1000}))).toBe('FOLLOWING bob@desk · read-only · lease expired: T takes the wheel');
    expect(wheelLabel(follower({holder: ''}))).toBe('FOLLOWING · nobody drives · T takes the wheel');
  });

  it('a follower whose watch is down says so', () => {
    expect(wheelLabel(follower({live: false}))).toBe('FOLLOWING bob@desk · read-only · T asks for the wheel · reconnecting');
    expect(wheelLabel(follower({holder: '', live: false}))).toBe('FOLLOWING · nobody drives · T takes the wheel · reconnecting');
  });

  it('the wheel lost: to whom, read-only', () => {
    expect(wheelLabel(follower({lost: {at: 1, to: CAROL}, holder: CAROL}))).toBe('WHEEL LOST to carol@box · read-only · T asks for it back');
    // Lost to nobody yet (a partition: the lease could not be renewed), or seen as its own holder: no "to".
    expect(wheelLabel(follower({lost: {at: 1, to: ''}}))).toBe('WHEEL LOST · read-only · T asks for it back');
    expect(wheelLabel(follower({lost: {at: 1, to: ME}}))).toBe('WHEEL LOST · read-only · T asks for it back');
  });
});

describe('wheelNotice', () => {
  it('nothing on the first view, nor when nothing about the wheel changed', () => {
    expect(wheelNotice(null, driver())).toBeNull();
    expect(wheelNotice(driver(), driver({published: 9}))).toBeNull();
    expect(wheelNotice(follower(), follower({live: false}))).toBeNull();
    expect(wheelNotice(driver({request: asked(BOB)}), driver({request: asked(BOB)}))).toBeNull();
  });

  it('driver: the wheel came here (from whom, when known)', () => {
    expect(wheelNotice(follower({request: asked(ME)}), driver())).toEqual({text: 'You have the wheel (from bob@desk): what you do is recorded and shared', tone: 'done'});
    expect(wheelNotice(follower({holder: ''}), driver())).toEqual({text: 'You have the wheel: what you do is recorded and shared', tone: 'done'});
  });

  it('follower: the wheel handed over', () => {
    expect(wheelNotice(driver({request: asked(BOB)}), follower())).toEqual({text: 'bob@desk has the wheel: you follow, read-only (T asks for it back)', tone: 'done'});
  });

  it('asked: the driver hears of a request, once per asker', () => {
    expect(wheelNotice(driver(), driver({request: asked(BOB)}))).toEqual({text: 'bob@desk asks for the wheel: T hands it over (everything is published first)', tone: 'warn'});
    expect(wheelNotice(driver({request: asked(BOB)}), driver({request: asked(CAROL)}))?.text).toMatch(/^carol@box asks for the wheel/);
    // A follower is not told of another follower's request.
    expect(wheelNotice(follower(), follower({request: asked(CAROL)}))).toBeNull();
  });

  it('expired: a follower hears the driver stopped renewing', () => {
    expect(wheelNotice(follower(), follower({expiredAt: 5000}))).toEqual({text: 'bob@desk stopped renewing the lease: T takes the wheel', tone: 'warn'});
    expect(wheelNotice(follower({expiredAt: 5000}), follower({expiredAt: 5000}))).toBeNull();
  });

  it('lost: the driver whose wheel went without a hand-over', () => {
    expect(wheelNotice(driver(), follower({holder: CAROL, lost: {at: 1, to: CAROL}}))).toEqual({
      text: 'You lost the wheel to carol@box: nothing more is recorded here; what was not published waits as a branch for the new driver',
      tone: 'warn',
    });
    expect(wheelNotice(driver(), follower({lost: {at: 1, to: ''}}))?.text).toMatch(/^You lost the wheel \(its lease could not be renewed\): nothing more is recorded here/);
    expect(wheelNotice(follower({lost: {at: 1, to: CAROL}}), follower({lost: {at: 1, to: CAROL}}))).toBeNull();
  });

  it('branches: the driver hears of a new one, with its author and size', () => {
    const one = {name: 'b1', from: CAROL, events: 1};
    expect(wheelNotice(driver(), driver({branches: [one]}))).toEqual({text: 'carol@box left 1 event the log does not have: B accepts them', tone: 'warn'});
    expect(wheelNotice(driver({branches: [one]}), driver({branches: [one, {name: 'b2', from: BOB, events: 3}]}))?.text).toBe('bob@desk left 3 events the log does not have: B accepts them');
    expect(wheelNotice(follower(), follower({branches: [one]}))).toBeNull();
  });
});

describe('T and B in the key map', () => {
  const writer: KeyState = {readOnly: false, running: false, focus: 'command', nativeFocus: false, reviewable: false, cluster: false, incidentDeclared: false, hasRollback: false, canSwitch: false};
  const REASON = 'Following bob@desk: read-only — T asks for the wheel';
  const following: KeyState = {...writer, readOnly: true, readOnlyReason: REASON};

  it('T is the wheel for driver and follower alike, even while a command runs', () => {
    expect(resolveKey('step', 'T', writer)).toEqual({action: 'wheel'});
    expect(resolveKey('step', 'T', {...writer, running: true})).toEqual({action: 'wheel'});
    expect(resolveKey('read-only', 'T', following)).toEqual({action: 'wheel'});
    expect(resolveKey('read-only', 'T', {...following, readOnlyReason: null})).toEqual({action: 'wheel'});
  });

  it("B accepts branches for the driver; a follower is refused with the wheel's own reason", () => {
    expect(resolveKey('step', 'B', writer)).toEqual({action: 'accept-branches'});
    expect(resolveKey('read-only', 'B', following)).toEqual({refusal: {text: REASON, tone: 'warn'}});
    // Any recording key says the same; without a reason, the writer guard's usual words.
    expect(resolveKey('read-only', 's', following)).toEqual({refusal: {text: REASON, tone: 'warn'}});
    expect(resolveKey('read-only', 'B', {...following, readOnlyReason: null})).toEqual({refusal: GUARDS.writer.refusal});
  });
});

describe('wheelKeyHint (the status bar)', () => {
  const wheelOf = (view: WheelView) => ({view: () => view, ask: async () => '', handOver: async () => '', acceptBranches: async () => '', subscribe: () => () => undefined});
  it('names what T or B does now, and nothing when neither does anything', () => {
    expect(wheelKeyHint(undefined)).toBeNull();
    expect(wheelKeyHint(wheelOf(follower()))).toBe('T ask for the wheel');
    expect(wheelKeyHint(wheelOf(follower({request: asked(ME)})))).toBeNull();
    expect(wheelKeyHint(wheelOf(driver()))).toBeNull();
    expect(wheelKeyHint(wheelOf(driver({request: asked(BOB)})))).toBe('T hand over');
    expect(wheelKeyHint(wheelOf(driver({branches: [{name: 'b', from: CAROL, events: 2}]})))).toBe('B accept branch');
  });
});
