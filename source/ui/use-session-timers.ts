// The session screen's timers: they only make it look again, they do no work of their own.

import {useEffect, useState} from 'react';
import type {SessionController} from '../session/controller.js';

/** A read-only view follows the process that writes the session. */
export function useReadOnlyFollow(controller: SessionController) {
  useEffect(() => {
    // A store that says itself when it changes (a shared session) needs no poll.
    if (!controller.readOnly || controller.pushesChanges) return;
    const timer = setInterval(() => controller.reload(), 2000);
    return () => clearInterval(timer);
  }, [controller]);
}

/** A quiet command prints nothing; the elapsed time (and an incident's clock) still moves, once a second. */
export function useClock(ticking: boolean, what: string) {
  const [, setClock] = useState(0);
  useEffect(() => {
    if (!ticking) return;
    const timer = setInterval(() => setClock(n => n + 1), 1000);
    return () => clearInterval(timer);
  }, [ticking, what]);
}
