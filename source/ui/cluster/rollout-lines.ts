// The rollout pane as lines: the deployment's counts as bars, kubectl's status line (the deadline
// error in red), the revisions and the last events, each cut to the width. Whatever the height, the
// rollback target and the current revision stay in view: EVENTS give way first, then the bars
// (down to one line of counts) and the status line's wrapped rest; see rolloutLayout.

import {truncate, width as textWidth, wrapWords} from '../text.js';
import type {RolloutSnapshot} from './cluster-snapshot.js';
import type {PaneLine, PaneTone} from './pane-lines.js';
import {FRESHNESS_TONE, titleLine} from './pods-lines.js';

/** `██████░░░░`: `value` of `total` in `cells` cells, rounded down so a bar is full only when the count is. */
export function bar(value: number, total: number, cells: number): string {
  if (cells <= 0) return '';
  const filled = total <= 0 ? 0 : Math.max(0, Math.min(cells, Math.floor((value / total) * cells)));
  return '█'.repeat(filled) + '░'.repeat(cells - filled);
}

function barLine(value: number, desired: number, label: string, width: number): PaneLine {
  const text = ` ${value}/${desired} ${label}`;
  const cells = Math.max(0, Math.min(10, width - textWidth(text)));
  const tone: PaneTone = value >= desired ? 'good' : value === 0 ? 'error' : 'warn';
  return [
    {text: bar(value, desired, cells), tone},
    {text: truncate(text, width - cells)},
  ];
}

/** `statefulset/x` for what is not a deployment (a deployment's name stands alone, as it always has). */
export const workloadLabel = (name: string, kind?: string) => (kind && kind !== 'deployment' ? `${kind}/${name}` : name);

/** `1/2 ` in front of the name when several workloads are in view (a key cycles through them). */
export function positionLabel(p: {workloadIndex?: number; workloadCount?: number}): string {
  return p.workloadCount && p.workloadCount > 1 ? `${(p.workloadIndex ?? 0) + 1}/${p.workloadCount} ` : '';
}

export function rolloutTitle(rollout: Pick<RolloutSnapshot, 'name' | 'revision' | 'tag' | 'kind'>, position: {workloadIndex?: number; workloadCount?: number} = {}): string {
  return `ROLLOUT ${positionLabel(position)}${workloadLabel(rollout.name, rollout.kind)} · rev ${rollout.revision}${rollout.tag ? ` · ${rollout.tag}` : ''}`;
}

/**
 * `●   2  v2.4.0  45s ago (current)  cause`. The rollback target (`↶`, the revision `rollout undo`
 * goes back to) is named as such. When the line is too wide the tag is cut before the age: the
 * revision number already says which release it is, the age is the one thing nothing else gives.
 */
export function historyLine(h: {revision: number; tag: string; changeCause: string; current: boolean; age?: string}, width: number, selected = false, target = false): PaneLine {
  const head = `${h.current ? '●' : target ? '↶' : ' '} ${String(h.revision).padStart(3)}  `;
  const age = h.age ? `  ${h.age} ago` : '';
  const label = h.current ? ' (current)' : target ? ' (rollback target)' : '';
  const cause = h.changeCause === '<none>' ? '' : `  ${h.changeCause}`;
  const cut = textWidth(head + h.tag + age) > width;
  const text = cut ? `${head}${truncate(h.tag, Math.max(1, width - textWidth(head + age)))}${age}` : `${head}${h.tag}${age}${label}${cause}`;
  return [{text: truncate(text, width), tone: h.current ? 'accent' : undefined, bold: target, inverse: selected}];
}

export interface RolloutLinesInput {
  rollout: RolloutSnapshot | null;
  /** The workload's name ('' when none is known); a deployment unless `kind` says otherwise. */
  deployment: string;
  kind?: RolloutSnapshot['kind'];
  namespace: string;
  error: string | null;
  workloadIndex?: number;
  workloadCount?: number;
  /** No workload known: what would set one. */
  hint?: string | null;
}

export function rolloutPaneLines(input: RolloutLinesInput, width: number, height: number): PaneLine[] {
  if (width <= 0 || height <= 0) return [];
  const r = input.rollout;
  if (!r) {
    const name = input.deployment ? ` ${positionLabel(input)}${workloadLabel(input.deployment, input.kind)}` : '';
    const lines: PaneLine[] = [[{text: truncate(`ROLLOUT${name}`, width), bold: true}]];
    const loading = input.deployment
      ? `loading… (${input.kind ?? 'deployment'} ${input.deployment} in ${input.namespace})`
      : (input.hint ?? `looking for the workload in ${input.namespace || 'the namespace'}…`);
    const why = input.error ?? loading;
    for (const l of wrapWords(why, width).slice(0, Math.max(0, height - 1))) lines.push([{text: truncate(l, width), tone: input.error ? 'error' : input.hint && !input.deployment ? 'warn' : 'muted'}]);
    return lines.slice(0, height);
  }
  return rolloutLines(r, input, width, height);
}

type HistoryItem = RolloutSnapshot['history'][number];

/**
 * The revisions that must stay in view, most needed first: the rollback target (the one before the
 * newest, what `rollout undo` goes back to; the title already names the current one), then the
 * current one, then the newest if the current one is neither (an undo not yet renumbered).
 */
export function keyRevisions(history: readonly HistoryItem[]): {target: HistoryItem | undefined; key: HistoryItem[]} {
  const target = history.at(-2);
  const current = history.find(h => h.current) ?? history.at(-1);
  const key = [...new Set([target, current, history.at(-1)])].filter((h): h is HistoryItem => h !== undefined);
  return {target, key};
}

interface Layout {
  bars: 'full' | 'compact' | 'none';
  status: number;
  header: boolean;
  history: HistoryItem[];
  events: number;
}

/**
 * Who gets the rows, in this order: the rollback target, the status line's first line, the current
 * revision, its second line (`…exceeded its progress deadline` whole from 30 columns), the counts on
 * one line, the rest of the status line, the counts as bars, the REVISION header, the EVENTS (newest
 * first), older revisions. So EVENTS are the first to go, and the rollback target outlives the bars.
 */
export function rolloutLayout(r: RolloutSnapshot, statusLines: number, height: number): Layout {
  let left = height - 1;
  const take = (n: number) => {
    const got = Math.max(0, Math.min(n, left));
    left -= got;
    return got;
  };
  const {key} = keyRevisions(r.history);
  const shown = key.slice(0, take(1));
  let status = take(1);
  shown.push(...key.slice(1, 1 + take(key.length - 1)));
  status += take(Math.min(2, statusLines) - status);
  let bars: Layout['bars'] = take(1) ? 'compact' : 'none';
  status += take(statusLines - status);
  if (bars === 'compact' && left >= 2) bars = take(2) ? 'full' : bars;
  const header = shown.length > 0 && take(1) === 1;
  const events = r.events.length && left >= 2 ? take(1 + Math.min(r.events.length, left - 1)) - 1 : 0;
  const older = r.history.filter(h => !key.includes(h));
  shown.push(...older.slice(older.length - take(older.length)));
  return {bars, status, header, history: [...shown].sort((a, b) => a.revision - b.revision), events};
}

function rolloutLines(r: RolloutSnapshot, position: RolloutLinesInput, width: number, height: number): PaneLine[] {
  // Only a live watch is fresh: anything else is said on the title line, in its colour.
  const fresh = r.freshness;
  const lines: PaneLine[] = [titleLine(rolloutTitle(r, position), fresh.status === 'live' ? '' : fresh.label, width, FRESHNESS_TONE[fresh.tone])];
  // The status line is the one thing read word for word: wrapped (up to three lines), cut only when rows are short.
  const status = wrapWords(r.message, width).slice(0, 3);
  const layout = rolloutLayout(r, status.length, height);
  const c = r.counts;
  if (layout.bars === 'full') {
    lines.push(barLine(c.updated, c.desired, 'updated', width), barLine(c.ready, c.desired, 'ready', width), barLine(c.available, c.desired, 'available', width));
  } else if (layout.bars === 'compact') {
    lines.push(countsLine(c, width));
  }
  const messageTone: PaneTone | undefined = r.failed ? 'error' : r.done ? 'good' : 'warn';
  for (const l of status.slice(0, layout.status)) lines.push([{text: truncate(l, width), tone: messageTone, bold: r.failed}]);
  if (layout.header) lines.push([{text: truncate('REVISION  IMAGE  AGE  CHANGE-CAUSE', width), tone: 'muted', bold: true}]);
  const {target} = keyRevisions(r.history);
  for (const h of layout.history) lines.push(historyLine(h, width, false, h === target && !h.current));
  if (layout.events > 0) {
    lines.push([{text: truncate('EVENTS', width), tone: 'muted', bold: true}]);
    for (const e of r.events.slice(0, layout.events)) {
      const text = `${e.age.padStart(4)} ${e.reason}  ${e.message}${e.count > 1 ? ` (x${e.count})` : ''}`;
      lines.push([{text: truncate(text, width), tone: e.type === 'Warning' ? 'warn' : undefined}]);
    }
  }
  return lines.slice(0, height);
}

/** The three counts on one line, each in its bar's colour: `2/3 updated  3/3 ready  3/3 available`. */
function countsLine(c: RolloutSnapshot['counts'], width: number): PaneLine {
  const parts: Array<[number, string, string]> = [[c.updated, 'updated', 'upd'], [c.ready, 'ready', 'rdy'], [c.available, 'available', 'avl']];
  const long = parts.map(([v, word]) => `${v}/${c.desired} ${word}`).join('  ');
  const short = textWidth(long) > width;
  const line: PaneLine = [];
  let room = width;
  for (const [i, [v, word, abbr]] of parts.entries()) {
    const tone: PaneTone = v >= c.desired ? 'good' : v === 0 ? 'error' : 'warn';
    const segs: PaneLine = [{text: `${i ? (short ? ' ' : '  ') : ''}`}, {text: `${v}/${c.desired}`, tone}, {text: ` ${short ? abbr : word}`}];
    for (const seg of segs) {
      if (room <= 0) return line;
      const text = truncate(seg.text, room);
      room -= textWidth(text);
      if (text) line.push({...seg, text});
    }
  }
  return line;
}
