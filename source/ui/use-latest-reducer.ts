// useReducer with a copy that is current between renders: keys typed faster than a render (or a callback that
// fires before React re-renders) must see the state their own earlier actions made, not the last rendered one.

import {useCallback, useEffect, useReducer, useRef, type Dispatch} from 'react';

export function useLatestReducer<S, A>(reducer: (state: S, action: A) => S, init: () => S): [S, Dispatch<A>, () => S] {
  const [state, dispatchToReact] = useReducer(reducer, undefined, init);
  const latest = useRef(state);
  // A dialog's request may answer after it closed: what comes after unmounting changes nothing.
  const mounted = useRef(true);
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);
  // The reducer is pure, so applying it here as well as in React keeps the copy equal to what React will render.
  const dispatch: Dispatch<A> = useCallback(
    action => {
      if (!mounted.current) return;
      latest.current = reducer(latest.current, action);
      dispatchToReact(action);
    },
    [reducer],
  );
  const read = useCallback(() => latest.current, []);
  return [state, dispatch, read];
}
