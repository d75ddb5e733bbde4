// The rollout pane as lines: the deployment's counts as bars, kubectl's status line (the deadline
// error in red), the revision history and the last events, each cut to the width. When the height
// is short, events go first, then history; the title, bars and status line stay.

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

export function historyLine(h: {revision: number; tag: string; changeCause: string; current: boolean}, width: number, selected = false): PaneLine {
  const cause = h.changeCause === '<none>' ? '' : `  ${h.changeCause}`;
  const text = `${h.current ? '●' : ' '} ${String(h.revision).padStart(3)}  ${h.tag}${h.current ? ' (current)' : ''}${cause}`;
  return [{text: truncate(text, width), tone: h.current ? 'accent' : undefined, inverse: selected}];
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
  // Only a live watch is fresh: anything else is said on the title line, in its colour.
  const fresh = r.freshness;
  const lines: PaneLine[] = [titleLine(rolloutTitle(r, input), fresh.status === 'live' ? '' : fresh.label, width, FRESHNESS_TONE[fresh.tone])];
  const c = r.counts;
  lines.push(barLine(c.updated, c.desired, 'updated', width));
  lines.push(barLine(c.ready, c.desired, 'ready', width));
  lines.push(barLine(c.available, c.desired, 'available', width));
  const messageTone: PaneTone | undefined = r.failed ? 'error' : r.done ? 'good' : 'warn';
  // The status line is the one thing read word for word: wrapped (up to three lines), not cut.
  for (const l of wrapWords(r.message, width).slice(0, 3)) lines.push([{text: truncate(l, width), tone: messageTone, bold: r.failed}]);

  // History and events share what is left, history first (it is what an undo is chosen from).
  const left = height - lines.length;
  if (left >= 2 && r.history.length) {
    const share = r.events.length && left >= 5 ? Math.max(1, Math.floor((left - 2) / 2)) : left - 1;
    lines.push([{text: truncate('REVISION  IMAGE  CHANGE-CAUSE', width), tone: 'muted', bold: true}]);
    // The newest revisions are the ones worth seeing when they do not all fit.
    for (const h of r.history.slice(-Math.min(share, r.history.length))) lines.push(historyLine(h, width));
  }
  const eventRoom = height - lines.length - 1;
  if (eventRoom > 0 && r.events.length) {
    lines.push([{text: truncate('EVENTS', width), tone: 'muted', bold: true}]);
    for (const e of r.events.slice(0, eventRoom)) {
      const age = e.age.padStart(4);
      const text = `${age} ${e.reason}  ${e.message}${e.count > 1 ? ` (x${e.count})` : ''}`;
      lines.push([{text: truncate(text, width), tone: e.type === 'Warning' ? 'warn' : undefined}]);
    }
  }
  return lines.slice(0, height);
}
