// The source an open pod diagnosis overlay reads (kube/pod-views.ts), started while the overlay shows that pod and
// view and stopped when it closes or moves on; the screen subscribes to it and holds none of its data. The overlay's
// rows are laid out here once per frame, for the overlay and for its keys alike.

import {useEffect, useState, useSyncExternalStore} from 'react';
import {describeError} from '../../kube/client.js';
import {podViewSource, type PodViewRead, type PodViewSource, type PodViewTarget} from '../../kube/pod-views.js';
import {useSessionClients} from '../clients-context.js';
import {inspectLayout, type InspectLayout, type InspectState} from './inspect-state.js';
import {useStableByKey} from '../use-stable-by-key.js';

const nothing = () => () => {};
const zero = () => 0;

/** What the overlay for `target` shows now; null when none is open. */
export function usePodView(target: PodViewTarget | null, env: Record<string, string | undefined>): PodViewRead | null {
  const clients = useSessionClients();
  const key = target ? `${target.namespace}\0${target.pod}\0${target.view}` : '';
  const stable = useStableByKey(target, key);
  const kubeEnv = useStableByKey(env, `${env.KUBECONFIG ?? ''}\0${env.HOME ?? ''}`);
  const [open, setOpen] = useState<{key: string; source: PodViewSource | null; error: string | null} | null>(null);
  useEffect(() => {
    if (!stable) return;
    let source: PodViewSource | null = null;
    let cancelled = false;
    clients.kube(kubeEnv).then(
      client => {
        if (cancelled) return;
        source = client ? podViewSource(client, stable).start() : null;
        setOpen({key, source, error: client ? null : 'No cluster configured'});
      },
      error => !cancelled && setOpen({key, source: null, error: `kubeconfig: ${describeError(error).message}`}),
    );
    return () => {
      cancelled = true;
      source?.stop();
    };
  }, [clients, kubeEnv, stable, key]);
  const current = open?.key === key ? open : null;
  useSyncExternalStore(current?.source?.subscribe ?? nothing, current?.source?.snapshot ?? zero);
  if (!target) return null;
  if (current?.source) return current.source.read(Date.now());
  return {title: `${target.view.toUpperCase()} ${target.pod}`, status: {text: current?.error ?? 'loading…', tone: current?.error ? 'error' : 'muted'}, lines: []};
}

export interface PodInspect {
  state: InspectState;
  read: PodViewRead;
  layout: InspectLayout;
  /** For the keys: the rows as drawn, and as they would be for another state (a search just submitted). */
  keys: {layout: InspectLayout; layoutWith: (state: InspectState) => InspectLayout};
}

/** The open pod overlay, read and laid out for a box of `size` (the body under the header); null when none is open. */
export function usePodInspect(state: InspectState | null, env: Record<string, string | undefined>, size: {width: number; height: number}): PodInspect | null {
  const read = usePodView(state ? {namespace: state.namespace, pod: state.pod, view: state.view} : null, env);
  if (!state || !read) return null;
  const layoutWith = (s: InspectState) => inspectLayout(read.lines, size, s, read.dropped ?? null);
  const layout = layoutWith(state);
  return {state, read, layout, keys: {layout, layoutWith}};
}
