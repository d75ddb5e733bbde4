// What the session screen shows only after a key (the native rollback, an approval, the runbook picker, a pod's
// logs, the follow-ups list) is kept out of the modules loaded for the first frame: the bundler puts each behind an
// import() in its own chunk, so a start compiles none of it. The chunks are loaded just after the first frame
// (preloadOverlays), so the key that opens one finds it in place; until then the component suspends.

import {Box} from 'ink';
import {type ComponentType, type ReactNode, Suspense, use} from 'react';

export interface Deferred<P extends object> {
  (props: P): ReactNode;
  preload: () => Promise<unknown>;
}

/**
 * A component loaded on first need. Unlike React.lazy it renders at once when its module is in (no fallback for a
 * frame), so preloading removes every wait rather than most of it.
 */
export function deferred<P extends object>(load: () => Promise<ComponentType<P>>): Deferred<P> {
  let loaded: ComponentType<P> | null = null;
  let pending: Promise<unknown> | null = null;
  const preload = () =>
    (pending ??= load().then(
      component => {
        loaded = component;
      },
      error => {
        // Asked again on the next render (or the next preload), not answered with this failure for ever.
        pending = null;
        throw error;
      },
    ));
  function DeferredComponent(props: P) {
    if (!loaded) use(preload());
    const Component = loaded!;
    return <Component {...props} />;
  }
  return Object.assign(DeferredComponent, {preload});
}

/** An empty body of the height the deferred view takes, while its module loads: the status bar does not jump. */
export function Pending({height, children}: {height: number; children: ReactNode}) {
  return <Suspense fallback={<Box height={height} flexShrink={0} />}>{children}</Suspense>;
}

const overlays = () => import('./overlays.js');
export const UndoFlow = deferred(async () => (await overlays()).UndoFlow);
export const ApprovalFlow = deferred(async () => (await overlays()).ApprovalFlow);
export const RunbookPickerFlow = deferred(async () => (await overlays()).RunbookPickerFlow);
export const InspectOverlay = deferred(async () => (await overlays()).InspectOverlay);
export const FollowUpsOverlay = deferred(async () => (await overlays()).FollowUpsOverlay);

/** The pod views' source, started when a pod overlay opens (use-pod-view.ts). */
export const loadPodViews = overlays;

/**
 * Loads every deferred view once the first frame is out: a macrotask later, so the frame is written before the
 * compile starts. A chunk that fails to load here is tried again when its view opens (and fails there, visibly).
 */
export function preloadOverlays(): void {
  setImmediate(() => {
    for (const preload of [UndoFlow.preload, ApprovalFlow.preload, RunbookPickerFlow.preload, InspectOverlay.preload, FollowUpsOverlay.preload, loadPodViews])
      void preload().catch(() => undefined);
  });
}
