// What changes of a shared session's wheel the operator is told as they happen: a request for it (the driver), the
// wheel coming (the follower who asked), the wheel lost. The header keeps saying who drives; this says what changed.

import {useEffect, type Dispatch} from 'react';
import {lostTo, personOf, type Wheel, type WheelView} from '../share/types.js';
import type {ViewAction} from './use-session-view-state.js';

type Said = {text: string; tone: 'warn' | 'done'} | null;

/** The one line a change of the wheel deserves, or null. Pure, so each transition is tested without a screen. */
export function wheelNotice(before: WheelView | null, now: WheelView): Said {
  if (!before) return null;
  if (now.lost && !before.lost) return {text: `You lost the wheel ${lostTo(now.lost, now.me)}: nothing more is recorded here; what was not published waits as a branch for the new driver`, tone: 'warn'};
  if (now.role === 'driver' && before.role !== 'driver') return {text: `You have the wheel${before.holder && before.holder !== now.me ? ` (from ${personOf(before.holder)})` : ''}: what you do is recorded and shared`, tone: 'done'};
  if (now.role === 'follower' && before.role === 'driver' && !now.lost) return {text: `${personOf(now.holder)} has the wheel: you follow, read-only (T asks for it back)`, tone: 'done'};
  if (now.role === 'driver' && now.request && now.request.from !== before.request?.from) return {text: `${personOf(now.request.from)} asks for the wheel: T hands it over (everything is published first)`, tone: 'warn'};
  if (now.role === 'follower' && now.expiredAt && !before.expiredAt) return {text: `${personOf(now.holder)} stopped renewing the lease: T takes the wheel`, tone: 'warn'};
  if (now.branches.length > before.branches.length && now.role === 'driver') {
    const b = now.branches.at(-1)!;
    return {text: `${personOf(b.from)} left ${b.events} event${b.events === 1 ? '' : 's'} the log does not have: B accepts them`, tone: 'warn'};
  }
  return null;
}

/** What changes of the wheel are said, and a follower's screen kept on the driver's step. */
export function useWheel(wheel: Wheel | undefined, dispatch: Dispatch<ViewAction>, driver: {at: number; steps: number}) {
  useWheelNotices(wheel, dispatch);
  useDriverStep(wheel, driver.at, dispatch, driver.steps);
}

function useWheelNotices(wheel: Wheel | undefined, dispatch: Dispatch<ViewAction>) {
  useEffect(() => {
    if (!wheel) return;
    let last: WheelView | null = wheel.view();
    return wheel.subscribe(() => {
      const now = wheel.view();
      const said = wheelNotice(last, now);
      last = now;
      if (said) dispatch({type: 'message', text: said.text, tone: said.tone});
    });
  }, [wheel, dispatch]);
}

/** A follower's screen goes where the driver goes (the operator may look elsewhere; the next move brings it back). */
function useDriverStep(wheel: Wheel | undefined, currentStepIndex: number, dispatch: Dispatch<ViewAction>, steps: number) {
  const following = wheel !== undefined && wheel.view().role === 'follower';
  useEffect(() => {
    if (following && currentStepIndex >= 0) dispatch({type: 'go', stepIndex: currentStepIndex, steps});
  }, [following, currentStepIndex, dispatch, steps]);
}

/** The status bar's name for what T (or B) does now in a shared session; null when neither does anything. */
export function wheelKeyHint(wheel: Wheel | undefined): string | null {
  if (!wheel) return null;
  const view = wheel.view();
  if (view.role === 'follower') return view.request?.from === view.me ? null : 'T ask for the wheel';
  if (view.request) return 'T hand over';
  return view.branches.length ? 'B accept branch' : null;
}
