// What the pod diagnosis keys do (key-map.ts names them): J K move a selection through PODS by name, Esc lets it go;
// l p d e open the selected pod's live log, its previous container's log, its description, the namespace's events
// (each recorded in the session: what was looked at, when); in the overlay the keys scroll, search, close.

import type {PodLook} from '../../session/events.js';
import type {PodAction} from '../key-map.js';
import type {ViewAction, ViewState} from '../use-session-view-state.js';
import type {ClusterSnapshot} from './cluster-snapshot.js';
import {type InspectLayout, type InspectState, openInspect, scrollTo, startSearch, submitSearch, toMatch} from './inspect-state.js';
import type {PanesLayout} from './panes-layout.js';

/** What PODS shows now: the names of the rows the snapshot holds, from `offset` of `total`, and how many fit. */
export interface PodsInView {
  namespace: string;
  names: string[];
  offset: number;
  total: number;
  /** Pod rows the pane shows at once. */
  rows: number;
}

export interface PodCommandContext {
  view: () => ViewState;
  dispatch: (action: ViewAction) => void;
  pods?: PodsInView;
  /** The open overlay's rows as drawn, and the same for another state (a search just submitted). */
  inspect?: {layout: InspectLayout; layoutWith: (state: InspectState) => InspectLayout};
  record: (look: PodLook) => void;
}

export const SELECTED_HINT = 'Pod selected (J K move): l logs · p previous container’s logs · d describe · e events · Esc lets go';

const clamp = (n: number, lo: number, hi: number) => Math.max(lo, Math.min(hi, n));

/** The pod `delta` rows from the selected one (none selected: the first row shown), and where PODS scrolls to keep it in sight. */
export function moveSelection(selected: string | null, pods: PodsInView, podsOffset: number, delta: number): {name: string; podsOffset: number} | null {
  if (pods.names.length === 0) return null;
  const at = selected === null ? -1 : pods.names.indexOf(selected);
  const index = at < 0 ? 0 : clamp(at + delta, 0, pods.names.length - 1);
  const global = pods.offset + index;
  const rows = Math.max(1, pods.rows);
  const offset = global < podsOffset ? global : global >= podsOffset + rows ? global - rows + 1 : podsOffset;
  return {name: pods.names[index]!, podsOffset: clamp(offset, 0, Math.max(0, pods.total - 1))};
}

const select = (delta: number) => (ctx: PodCommandContext) => {
  if (!ctx.pods) return;
  const view = ctx.view();
  const to = moveSelection(view.podSelected ?? null, ctx.pods, view.podsOffset, delta);
  if (!to) return;
  ctx.dispatch({type: 'pod-select', name: to.name, podsOffset: to.podsOffset});
  // The keys l p d and Esc mean something else until the pod is let go: say so when the selection starts.
  if (!view.podSelected) ctx.dispatch({type: 'message', text: SELECTED_HINT, tone: 'muted'});
};

/** Opens a view of the selected pod (from the overlay: of the pod it shows) and records the look. */
const open = (kind: PodLook['view']) => (ctx: PodCommandContext) => {
  const view = ctx.view();
  const pod = view.inspect?.pod ?? view.podSelected;
  const namespace = view.inspect?.namespace ?? ctx.pods?.namespace;
  if (!pod || !namespace) return;
  ctx.dispatch({type: 'inspect', state: openInspect(namespace, pod, kind)});
  ctx.record({view: kind, namespace, pod});
};

/** A change of the open overlay's state, given its layout as drawn. */
const overlay = (change: (state: InspectState, layout: InspectLayout, ctx: PodCommandContext, text: string) => InspectState | null) => (ctx: PodCommandContext, text: string) => {
  const state = ctx.view().inspect;
  if (!state || !ctx.inspect) return;
  ctx.dispatch({type: 'inspect', state: change(state, ctx.inspect.layout, ctx, text)});
};

export const POD_HANDLERS: Record<PodAction | 'pods-down' | 'pods-up', (ctx: PodCommandContext, text: string) => void> = {
  'pods-down': select(1),
  'pods-up': select(-1),
  'pods-release': ctx => {
    ctx.dispatch({type: 'pod-select', name: null});
    ctx.dispatch({type: 'message', text: 'Pod let go: l p d mean next step, previous step, done again', tone: 'muted'});
  },
  'pod-logs': open('logs'),
  'pod-previous': open('previous'),
  'pod-describe': open('describe'),
  'pod-events': open('events'),
  'inspect-close': ctx => ctx.dispatch({type: 'inspect', state: null}),
  'inspect-down': overlay((s, l) => scrollTo(s, l, l.top + 1)),
  'inspect-up': overlay((s, l) => scrollTo(s, l, l.top - 1)),
  'inspect-page-down': overlay((s, l) => scrollTo(s, l, l.top + l.page)),
  'inspect-page-up': overlay((s, l) => scrollTo(s, l, l.top - l.page)),
  'inspect-top': overlay((s, l) => scrollTo(s, l, 0)),
  'inspect-bottom': overlay((s, l) => ({...s, top: s.view === 'describe' ? l.max : 'end'})),
  'inspect-search': overlay(s => startSearch(s)),
  'inspect-next': overlay((s, l) => toMatch(s, l, 1)),
  'inspect-previous': overlay((s, l) => toMatch(s, l, -1)),
  'inspect-type': overlay((s, _l, _c, text) => ({...s, input: (s.input ?? '') + text.replace(/[\r\n]/g, '')})),
  'inspect-erase': overlay(s => ({...s, input: [...(s.input ?? '')].slice(0, -1).join('')})),
  'inspect-submit': overlay((s, _l, ctx) => submitSearch(s, ctx.inspect!.layoutWith)),
  'inspect-cancel': overlay(s => ({...s, input: null})),
};

/** PODS as the keys see it: the snapshot's rows and how many the pane shows at once (its title and header aside). */
export function podsInView(cluster: ClusterSnapshot, panes: PanesLayout): PodsInView {
  const height = panes.mode === 'hidden' ? 10 : panes.pods.height;
  return {namespace: cluster.namespace, names: cluster.pods.map(p => p.name), offset: cluster.podsOffset, total: cluster.podsTotal, rows: Math.max(1, height - 3)};
}
