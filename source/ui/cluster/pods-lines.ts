// The pods pane as lines, fitted to a width: kubectl's columns, k9s's row colours, the freshness of
// the data on the title line, and only the rows that fit. Pure, so it can be tested without Ink.

import type {PodRow, PodTone} from '../../kube/pods-model.js';
import {visibleRows} from '../../kube/pods-model.js';
import {padEnd, truncate, width as textWidth} from '../text.js';
import {noColor} from '../theme.js';
import type {ClusterSnapshot, Freshness} from './cluster-snapshot.js';
import type {PaneLine, PaneTone} from './pane-lines.js';

/** With NO_COLOR the row's meaning must survive in text: a mark in front of every row that is not fine (▶: selected). */
const MARK: Record<PodTone, string> = {ok: ' ', completed: ' ', error: '✗', pending: '◐', initializing: '◐', terminating: '⊘'};

export const FRESHNESS_TONE: Record<Freshness['tone'], PaneTone> = {ok: 'good', warn: 'warn', error: 'error', muted: 'muted'};

/** A title on the left and a label kept whole on the right; the title gives way first. */
export function titleLine(title: string, right: string, width: number, rightTone?: PaneTone): PaneLine {
  const rightWidth = textWidth(right);
  if (rightWidth + 2 > width) return [{text: truncate(title, width), bold: true}];
  const left = truncate(title, width - rightWidth - 1);
  return [
    {text: left, bold: true},
    {text: ' '.repeat(width - textWidth(left) - rightWidth)},
    {text: right, tone: rightTone},
  ];
}

/** Pod names differ in their tail (`-6c9f8d7b5-2xk4q`): keep it and cut the middle. */
export function truncateMiddle(text: string, max: number): string {
  if (textWidth(text) <= max) return text;
  if (max < 8) return truncate(text, max);
  const tail = Math.min(6, Math.floor((max - 1) / 2));
  const chars = [...text];
  return `${truncate(chars.slice(0, chars.length - tail).join(''), max - tail)}${chars.slice(-tail).join('')}`;
}

type Column = 'ready' | 'status' | 'restarts' | 'age';

interface Fit {
  name: number;
  columns: Array<{key: Column; header: string; width: number}>;
  /** RESTARTS as the count alone (`4`), without `(12s ago)`. */
  shortRestarts: boolean;
}

const restartsCount = (r: string) => r.split(' ')[0] ?? r;
const MIN_NAME = 12;

/** Narrowing order: the restart time goes first, then AGE, then RESTARTS; NAME is cut to what is left. */
function fitColumns(rows: readonly PodRow[], width: number, markWidth: number): Fit {
  const widest = (key: Column, header: string, short = false) =>
    Math.max(textWidth(header), ...rows.map(r => textWidth(short && key === 'restarts' ? restartsCount(r[key]) : r[key])));
  const longestName = Math.max(4, ...rows.map(r => textWidth(r.name)));
  const attempts: Array<{keys: Column[]; short: boolean}> = [
    {keys: ['ready', 'status', 'restarts', 'age'], short: false},
    {keys: ['ready', 'status', 'restarts', 'age'], short: true},
    {keys: ['ready', 'status', 'restarts'], short: true},
    {keys: ['ready', 'status'], short: true},
  ];
  let fit: Fit | null = null;
  for (const attempt of attempts) {
    const columns = attempt.keys.map(key => {
      const header = key === 'restarts' ? (attempt.short ? 'RST' : 'RESTARTS') : key.toUpperCase();
      return {key, header, width: widest(key, header, attempt.short)};
    });
    const used = markWidth + columns.reduce((n, c) => n + c.width + 1, 0);
    fit = {name: Math.min(longestName, width - used), columns, shortRestarts: attempt.short};
    if (fit.name >= Math.min(MIN_NAME, longestName)) return fit;
  }
  return {...fit!, name: Math.max(4, fit!.name)};
}

/**
 * Where the window starts within the snapshot's rows: at `offset`, moved so the selected pod stays in sight when
 * pods come or go around it (the selection is by name).
 */
function keepInSight(snapshot: ClusterSnapshot, offset: number, room: number): number {
  const at = offset - snapshot.podsOffset;
  const selected = snapshot.podSelected ? snapshot.pods.findIndex(p => p.name === snapshot.podSelected) : -1;
  if (selected < 0) return at;
  if (selected < at) return selected;
  return selected >= at + room ? selected - room + 1 : at;
}

export function podsPaneLines(snapshot: ClusterSnapshot, width: number, height: number, offset = 0): PaneLine[] {
  if (width <= 0 || height <= 0) return [];
  const fresh = snapshot.podsStatus;
  const lines: PaneLine[] = [titleLine(`PODS ${snapshot.namespace}`, fresh.label, width, FRESHNESS_TONE[fresh.tone])];
  if (height === 1) return lines;
  if (snapshot.podsTotal === 0) {
    const why = snapshot.error ?? (fresh.status === 'connecting' ? 'loading…' : 'No resources found.');
    lines.push([{text: truncate(why, width), tone: snapshot.error ? 'error' : 'muted'}]);
    return lines;
  }
  // The rows kept while the watch is down stay; one line says why (refused, TLS, 401) until it is back.
  const down = snapshot.error && fresh.status !== 'live' && height > 3 ? snapshot.error : null;
  if (down) lines.push([{text: truncate(down, width), tone: 'error'}]);
  // The rows the snapshot holds stand for `podsOffset …` of the whole list; the window is taken from them.
  let room = height - 2 - (down ? 1 : 0);
  const fitsAll = snapshot.podsTotal <= room;
  if (!fitsAll) room = Math.max(1, room - 1);
  const window = visibleRows(snapshot.pods, keepInSight(snapshot, offset, room), room);
  const first = snapshot.podsOffset + window.offset;
  const rows = window.rows;
  const mark = noColor();
  const markWidth = mark ? 2 : 0;
  const fit = fitColumns(rows, width, markWidth);
  const cell = (text: string, w: number) => padEnd(truncate(text, w), w);
  const header = `${' '.repeat(markWidth)}${cell('NAME', fit.name)} ${fit.columns.map(c => cell(c.header, c.width)).join(' ')}`;
  lines.push([{text: truncate(header.trimEnd(), width), tone: 'muted', bold: true}]);
  for (const row of rows) {
    const cells = fit.columns.map(c => cell(c.key === 'restarts' && fit.shortRestarts ? restartsCount(row.restarts) : row[c.key], c.width));
    const selected = row.name === snapshot.podSelected;
    const text = `${mark ? `${selected ? '▶' : MARK[row.tone]} ` : ''}${padEnd(truncateMiddle(row.name, fit.name), fit.name)} ${cells.join(' ')}`;
    // The selected pod in inverse across the whole width, so the cursor shows where colours do not.
    if (selected) lines.push([{text: padEnd(truncate(text.trimEnd(), width), width), tone: row.tone, inverse: true}]);
    else lines.push([{text: truncate(text.trimEnd(), width), tone: row.tone}]);
  }
  const below = snapshot.podsTotal - first - rows.length;
  if (!fitsAll && (below > 0 || first > 0)) {
    const parts = [below > 0 ? `+${below} more` : '', first > 0 ? `${first} above` : ''].filter(Boolean);
    lines.push([{text: truncate(`${parts.join(' · ')} (${snapshot.podsTotal} pods)`, width), tone: 'muted'}]);
  }
  return lines;
}
