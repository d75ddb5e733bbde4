// The rollback dialog's keys and effects: reads the history (previewUndo, or the ControllerRevisions of a
// StatefulSet or DaemonSet), does the actions its key map names (key-map.ts) through the reducer, then performs
// the exact kubectl patch (performUndo) and follows the rollout (followRollout). The session learns what was done through onRecord,
// twice: once the patch is sent (or refused), and once the rollout ends. With no workload named, the
// namespace's only one is rolled back.

import {type Dispatch, type MutableRefObject, useCallback, useEffect, useRef} from 'react';
import {describeError, type KubeClient} from '../../kube/client.js';
import {onlyWorkload, workloadsIn} from '../../kube/discover.js';
import {NO_WORKLOAD_HINT} from '../../kube/panes-target.js';
import {previewRevisionUndo} from '../../kube/revision-rollback.js';
import {followRollout, performUndo, previewUndo} from '../../kube/rollback.js';
import {planUndo, revisionOf, type UndoPlan} from '../../kube/rollout-model.js';
import type {ReplicaSet} from '../../kube/types.js';
import {currentRevision, planRevisionUndo, type RevisionUndoPlan} from '../../kube/workload-model.js';
import type {WorkloadKind} from '../../runbook/targets-model.js';
import {useSessionClients} from '../clients-context.js';
import {useDialogKeys, type DialogKeys} from '../use-dialog-keys.js';
import {useLatestReducer} from '../use-latest-reducer.js';
import {historyRow} from './cluster-snapshot.js';
import {initialUndoState, undoReducer, type UndoAction, type UndoChoice, type UndoState} from './use-undo-state.js';

/** What the session records about a native rollback. */
export interface UndoRecord {
  what: 'rollout undo';
  namespace: string;
  /** The workload's name; a deployment unless `kind` says otherwise. */
  deployment: string;
  kind?: 'statefulset' | 'daemonset';
  fromRevision: number;
  toRevision: number;
  /** The target revision's image. */
  image: string;
  result: 'rolled back' | 'skipped' | 'failed';
  /** kubectl's words: `deployment.apps/NAME rolled back`, then the rollout status line. */
  message: string;
  /** How long it took: the patch, then the rollout from the patch to its end. */
  durationMs?: number;
}

export interface UseUndoOptions {
  namespace: string;
  /** The workload's name; absent: the namespace's only Deployment, StatefulSet or DaemonSet. */
  deployment?: string;
  /** Default: deployment. */
  kind?: WorkloadKind;
  /** Where the kubeconfig is read (default process.env); ignored when `client` is given. */
  env?: Record<string, string | undefined>;
  client?: KubeClient;
  onRecord?: (event: UndoRecord) => void;
  /** Enter or Esc once the dialog has an outcome (done, failed, cancelled). */
  onClose?: (result: UndoState['result']) => void;
  /** False while another prompt owns the keys. */
  isActive?: boolean;
  /** Like kubectl rollout status --timeout (default 10 min); the deadline error usually ends it sooner. */
  followTimeoutMs?: number;
}

const planOf = (plan: UndoPlan | RevisionUndoPlan): UndoChoice['plan'] =>
  plan.action === 'patch' ? {action: 'patch', message: '', diff: plan.diff} : {action: plan.action, message: plan.message, diff: []};

/** What the dialog's parts share: its reducer, the workload it rolls back, its one client, and its abort. */
interface UndoParts {
  namespace: string;
  dispatch: Dispatch<UndoAction>;
  latest: () => UndoState;
  /** The workload rolled back: the one given, or the one found in the namespace. */
  target: MutableRefObject<{kind: WorkloadKind; name: string}>;
  getClient: () => Promise<KubeClient | null>;
  abort: MutableRefObject<AbortController>;
  /** Callbacks may be new on every render of the owner; the effects read the latest ones. */
  callbacks: MutableRefObject<UseUndoOptions>;
}

export function useUndo(options: UseUndoOptions): {state: UndoState; dispatch: Dispatch<UndoAction>} {
  const {namespace, isActive = true} = options;
  const [state, dispatch, latest] = useLatestReducer(undoReducer, () => initialUndoState(namespace, options.deployment ?? '', options.kind));
  const target = useRef<{kind: WorkloadKind; name: string}>({kind: options.kind ?? 'deployment', name: options.deployment ?? ''});
  const clients = useSessionClients();
  const client = useRef<Promise<KubeClient | null> | null>(null);
  const callbacks = useRef(options);
  callbacks.current = options;
  // One client for the dialog's life, from the options it opened with.
  const getClient = useCallback(() => {
    const {client: given, env} = callbacks.current;
    return (client.current ??= given ? Promise.resolve(given) : clients.kube(env ?? process.env));
  }, [clients]);
  const abort = useRef(new AbortController());
  const parts: UndoParts = {namespace, dispatch, latest, target, getClient, abort, callbacks};

  useUndoLoad(parts);
  useUndoPerform(parts, state);
  useDialogKeys(undoKeys(parts), isActive);
  return {state, dispatch};
}

/** Reads the history once the dialog opens (finding the namespace's only workload when none is named). */
function useUndoLoad({namespace, dispatch, target, getClient, abort}: UndoParts) {
  useEffect(() => {
    const controller = abort.current;
    void loadUndo(namespace, dispatch, target, getClient, controller.signal);
    return () => {
      controller.abort();
    };
  }, [dispatch, getClient, namespace, target, abort]);
}

async function loadUndo(namespace: string, dispatch: Dispatch<UndoAction>, target: UndoParts['target'], getClient: UndoParts['getClient'], signal: AbortSignal) {
  try {
    const c = await getClient();
    if (!c) return dispatch({type: 'load-failed', message: 'no cluster configured (no kubeconfig with a current context)'});
    if (!target.current.name) {
      const only = onlyWorkload(await workloadsIn(c, namespace, signal), namespace);
      if (!only.workload) return dispatch({type: 'load-failed', message: `${only.why}: ${NO_WORKLOAD_HINT}`});
      target.current = only.workload;
      dispatch({type: 'found', deployment: only.workload.name, kind: only.workload.kind});
    }
    dispatch(await historyOf(c, namespace, target.current));
  } catch (error) {
    dispatch({type: 'load-failed', message: describeError(error).message});
  }
}

/** The workload's revisions, each with what kubectl would do to roll back to it. */
async function historyOf(c: KubeClient, namespace: string, {kind, name}: {kind: WorkloadKind; name: string}): Promise<UndoAction> {
  if (kind !== 'deployment') {
    const {workload, revisions, history} = await previewRevisionUndo(c, kind, namespace, name);
    const choices: UndoChoice[] = history.map(h => ({...historyRow(h), plan: planOf(planRevisionUndo(kind, workload, revisions, h.revision))}));
    const fromImage = workload.spec?.template?.spec?.containers?.[0]?.image ?? '';
    return {type: 'loaded', fromRevision: currentRevision(workload, history), fromImage, choices};
  }
  const {deployment: d, history} = await previewUndo({namespace, name, client: c});
  const replicaSets: ReplicaSet[] = history.map(h => h.replicaSet);
  const choices: UndoChoice[] = history.map(h => ({...historyRow(h), plan: planOf(planUndo(d, replicaSets, h.revision))}));
  const fromRevision = revisionOf(d);
  return {type: 'loaded', fromRevision: Number.isNaN(fromRevision) ? 0 : fromRevision, fromImage: d.spec?.template?.spec?.containers?.[0]?.image ?? '', choices};
}

/** Sends the patch once the namespace was typed right, then follows the rollout; the session hears of both. */
function useUndoPerform(parts: UndoParts, state: UndoState) {
  const {namespace, dispatch, latest, target, getClient, abort, callbacks} = parts;
  useEffect(() => {
    const request = state.request;
    if (state.phase !== 'performing' || !request) return;
    const s = latest();
    const choice = s.choices[s.selected]!;
    const {kind, name: deployment} = target.current;
    const base = {what: 'rollout undo' as const, namespace, deployment, ...(kind !== 'deployment' ? {kind} : {}), fromRevision: s.fromRevision, toRevision: request.toRevision, image: choice.image};
    // Each record's duration runs from the last: the patch's from its sending, the rollout's from the patch.
    let since = Date.now();
    const record = (result: UndoRecord['result'], message: string) => {
      const now = Date.now();
      callbacks.current.onRecord?.({...base, result, message, durationMs: now - since});
      since = now;
    };
    void (async () => {
      const c = await getClient();
      let performed;
      try {
        if (!c) throw new Error('no cluster configured');
        performed = await performUndo({namespace, name: deployment, kind, toRevision: request.toRevision, client: c, expectReplicaSet: request.replicaSetName});
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        record('failed', message);
        return dispatch({type: 'perform-failed', message});
      }
      record(performed.outcome === 'skipped' ? 'skipped' : 'rolled back', performed.message);
      dispatch({type: 'performed', outcome: performed.outcome, message: performed.message});
      if (performed.outcome === 'skipped') return;
      const followed = await followRollout(namespace, deployment, status => dispatch({type: 'progress', message: status.message}), {
        client: c!,
        timeoutMs: callbacks.current.followTimeoutMs ?? 600_000,
        signal: abort.current.signal,
        kind,
      });
      // The record says what is known: when the dialog closed before the end, the patch was applied
      // but the rollout's outcome is not known, and the message says so rather than claiming either.
      if (followed.outcome === 'aborted') record('rolled back', 'rolled back; the rollout was not followed to its end (the dialog closed)');
      else record(followed.outcome === 'success' ? 'rolled back' : 'failed', followed.message);
      dispatch({type: 'followed', outcome: followed.outcome, message: followed.message});
    })();
  }, [state.request, state.phase, dispatch, getClient, latest, namespace, target, abort, callbacks]);
}

const ENDED: ReadonlySet<UndoState['phase']> = new Set(['done', 'failed', 'cancelled']);

/** The dialog's actions (its keys are in key-map.ts). */
function undoKeys({dispatch, latest, callbacks}: UndoParts): DialogKeys {
  return {
    kind: 'undo',
    state: () => ({ended: ENDED.has(latest().phase), choosing: false}),
    handlers: {
      dismiss: () => callbacks.current.onClose?.(latest().result),
      cancel: () => dispatch({type: 'escape'}),
      confirm: () => dispatch({type: 'enter'}),
      'choose-previous': () => dispatch({type: 'move', delta: -1}),
      'choose-next': () => dispatch({type: 'move', delta: 1}),
      erase: () => dispatch({type: 'erase'}),
      type: text => dispatch({type: 'type', text}),
    },
  };
}
