import {useRef} from 'react';

/**
 * `value` as it was when `key` last changed. Options and environments arrive as new objects on every render; an
 * effect that depends on this instead re-runs only when what the key names changes (which GitHub, which kubeconfig,
 * which workload), and still lists every dependency it reads.
 */
export function useStableByKey<T>(value: T, key: string): T {
  const held = useRef({key, value});
  if (held.current.key !== key) held.current = {key, value};
  return held.current.value;
}
