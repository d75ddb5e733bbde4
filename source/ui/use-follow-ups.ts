// The follow-ups as the screen sees them: the session's record, a clock that moves once a second while one is
// pending, and a notice the first time each comes due (once per follow-up, not at every tick).

import {type Dispatch, useEffect, useRef, useState} from 'react';
import type {SessionController} from '../session/controller.js';
import {followUpClock, type FollowUpsRecord} from '../session/follow-ups.js';
import {announceKey, announcement, followUpStatus, toAnnounce} from './follow-ups.js';
import type {ViewAction} from './use-session-view-state.js';

export interface FollowUpsView {
  record: FollowUpsRecord | null;
  now: Date;
  status: ReturnType<typeof followUpStatus>;
}

/** `clock`: injectable for tests (default: RUNBOOK_NOW, else the time). `version`: the controller's change counter. */
export function useFollowUps(controller: SessionController, dispatch: Dispatch<ViewAction>, version: number, clock?: () => Date): FollowUpsView {
  const [now] = useState(() => clock ?? followUpClock());
  const [, setTick] = useState(0);
  const announced = useRef(new Set<string>());
  const record = controller.followUps;
  const pending = record !== null && record.items.some(i => !i.done);
  useEffect(() => {
    if (!pending) return;
    const timer = setInterval(() => setTick(n => n + 1), 1000);
    return () => clearInterval(timer);
  }, [pending]);
  const at = now();
  const fresh = toAnnounce(record, at, announced.current);
  // A notice is the view's, not the session's: nothing is recorded, the operator is told once.
  useEffect(() => {
    if (!record || fresh.length === 0) return;
    for (const item of fresh) announced.current.add(announceKey(record, item));
    dispatch({type: 'message', text: announcement(fresh), tone: 'warn'});
  });
  void version;
  return {record, now: at, status: followUpStatus(record, at)};
}
