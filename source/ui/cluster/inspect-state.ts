// The pod diagnosis overlay's own state and its layout, pure: which pod and view, where it is scrolled ('end' follows
// a log's tail), the search being typed and the one in force, the match the operator is on. The layout wraps the
// source's lines to the overlay's width (safely: wrapWords passes them through safeText) and finds the matches,
// so the keys (pod-commands.ts) move over exactly the rows the overlay draws.

import type {PodViewKind} from '../../kube/pod-views.js';
import {wrapWords} from '../text.js';

export interface InspectState {
  namespace: string;
  pod: string;
  view: PodViewKind;
  /** The first row shown; 'end': the last rows, following what arrives. */
  top: number | 'end';
  /** The search in force ('' none). */
  search: string;
  /** The search being typed after `/`; null when not typing. */
  input: string | null;
  /** The row of the match the operator is on (n / N), or null. */
  hit: number | null;
}

/** A log opens at its end (the crash is the last thing a dying container says); a description at its top. */
export function openInspect(namespace: string, pod: string, view: PodViewKind): InspectState {
  return {namespace, pod, view, top: view === 'describe' ? 0 : 'end', search: '', input: null, hit: null};
}

export interface InspectRow {
  text: string;
  /** The source line it wraps. */
  line: number;
}

export interface InspectLayout {
  rows: InspectRow[];
  /** The first row shown, resolved. */
  top: number;
  max: number;
  /** Rows of content on screen; a page moves one less. */
  visible: number;
  page: number;
  /** Rows holding a match of the search in force, in order. */
  matches: number[];
}

/** Rows the overlay's border, title and footer take. */
export const INSPECT_CHROME_ROWS = 4;
/** Columns its border and padding take. */
export const INSPECT_CHROME_COLUMNS = 4;

const clamp = (n: number, lo: number, hi: number) => Math.max(lo, Math.min(hi, n));

// Wrapping 5,000 log lines on each frame would not do: the rows of the lines already wrapped are kept while the
// lines only grow (same width, nothing dropped from the front, the last line wrapped unchanged).
let wrapped: {base: number; count: number; last: string | undefined; width: number; rows: InspectRow[]} | null = null;

function wrapRows(lines: readonly string[], width: number, base: number | null): InspectRow[] {
  const w = wrapped;
  const reuse = w !== null && base !== null && w.width === width && w.base === base && w.count <= lines.length && lines[w.count - 1] === w.last;
  const rows = reuse ? w.rows : [];
  for (let i = reuse ? w.count : 0; i < lines.length; i++) for (const text of wrapWords(lines[i]!, width)) rows.push({text, line: i});
  wrapped = base === null ? null : {base, count: lines.length, last: lines.at(-1), width, rows};
  return rows;
}

/**
 * `base`: for lines that only grow (a log), how many the source dropped from their front so far (its buffer is
 * bounded); null for lines that change anywhere (a description), wrapped again each time.
 */
export function inspectLayout(lines: readonly string[], size: {width: number; height: number}, state: InspectState, base: number | null = null): InspectLayout {
  const width = Math.max(1, size.width - INSPECT_CHROME_COLUMNS);
  const visible = Math.max(1, size.height - INSPECT_CHROME_ROWS);
  const rows = wrapRows(lines, width, base);
  const max = Math.max(0, rows.length - visible);
  const top = state.top === 'end' ? max : clamp(state.top, 0, max);
  const needle = state.search.toLowerCase();
  const matches = needle ? rows.flatMap((r, i) => (r.text.toLowerCase().includes(needle) ? [i] : [])) : [];
  return {rows, top, max, visible, page: Math.max(1, visible - 1), matches};
}

/** Scrolled to `top` (clamped); at the bottom a log follows again. */
export function scrollTo(state: InspectState, layout: InspectLayout, top: number): InspectState {
  const to = clamp(top, 0, layout.max);
  return {...state, top: to >= layout.max && state.view !== 'describe' ? 'end' : to};
}

/** The match after (or before) the one the operator is on, wrapping around; the view moves to keep it in sight. */
export function toMatch(state: InspectState, layout: InspectLayout, direction: 1 | -1): InspectState {
  const {matches} = layout;
  if (matches.length === 0) return {...state, hit: null};
  const from = state.hit ?? (direction === 1 ? layout.top - 1 : layout.top + layout.visible);
  const hit = direction === 1 ? (matches.find(m => m > from) ?? matches[0]!) : ([...matches].reverse().find(m => m < from) ?? matches.at(-1)!);
  const inSight = hit >= layout.top && hit < layout.top + layout.visible;
  const top = inSight ? layout.top : clamp(hit - Math.floor(layout.visible / 3), 0, layout.max);
  return {...state, hit, top: state.top === 'end' && inSight ? 'end' : top};
}

/** `/` typed: the search line opens, empty. */
export const startSearch = (state: InspectState): InspectState => ({...state, input: ''});

/** Enter on the search line: it is in force, and the first match from the top of the view is shown. */
export function submitSearch(state: InspectState, layoutWith: (s: InspectState) => InspectLayout): InspectState {
  const next: InspectState = {...state, search: state.input ?? state.search, input: null, hit: null};
  return next.search ? toMatch(next, layoutWith(next), 1) : next;
}
