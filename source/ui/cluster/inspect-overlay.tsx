// A pod's logs, description or its namespace's events over the whole width (as the help is): a title with the
// source's state, the rows scrolled to where the operator is, every match of the search in force highlighted
// (the one n/N is on the more so), and a footer with the search being typed or where the view is.

import {Box, Text} from 'ink';
import type {PodViewRead, PodViewTone} from '../../kube/pod-views.js';
import {LinesView} from '../lines-view.js';
import {truncate, width as textWidth, wrapWords} from '../text.js';
import {color, type Tone} from '../theme.js';
import type {InspectLayout, InspectState} from './inspect-state.js';

export interface InspectOverlayProps {
  read: PodViewRead;
  state: InspectState;
  layout: InspectLayout;
  width: number;
  height: number;
}

const STATUS_TONE: Record<PodViewTone, Tone> = {ok: 'done', warn: 'warn', error: 'failed', muted: 'muted'};
const KEYS = '/ search · n N · ↑↓ PgUp PgDn g G · Esc back';

type Segment = {text: string; tone?: Tone; inverse?: boolean; bold?: boolean};

/** What a line says about trouble, as a log or an event table says it. */
function toneOf(text: string): Tone | undefined {
  if (/\b(ERROR|CRITICAL|FATAL|Traceback|Exception|panic)\b|CrashLoopBackOff|BackOff|\bError\b|Exit Code:\s+[1-9]/.test(text)) return 'failed';
  if (/\b(WARN|WARNING|Warning)\b/.test(text)) return 'warn';
  return undefined;
}

/** A row cut around each match of `needle` (case-insensitive), matches in inverse. */
export function highlight(text: string, needle: string, current: boolean): Segment[] {
  const tone = toneOf(text);
  if (!needle) return [{text, ...(tone ? {tone} : {})}];
  const out: Segment[] = [];
  const lower = text.toLowerCase();
  const n = needle.toLowerCase();
  let at = 0;
  for (let i = lower.indexOf(n); i >= 0; i = lower.indexOf(n, i + n.length)) {
    if (i > at) out.push({text: text.slice(at, i), ...(tone ? {tone} : {})});
    out.push({text: text.slice(i, i + n.length), inverse: true, tone: current ? 'accent' : 'warn', bold: current});
    at = i + n.length;
  }
  if (at < text.length) out.push({text: text.slice(at), ...(tone ? {tone} : {})});
  return out;
}

function footer(state: InspectState, layout: InspectLayout): Segment[] {
  if (state.input !== null) return [{text: '/', tone: 'accent'}, {text: state.input}, {text: '▏', tone: 'accent'}, {text: '  Enter search · Esc cancel', tone: 'muted'}];
  const where = layout.rows.length > layout.visible ? `rows ${layout.top + 1}–${Math.min(layout.rows.length, layout.top + layout.visible)} of ${layout.rows.length}` : `${layout.rows.length} rows`;
  const following = state.top === 'end' && state.view === 'logs' ? ' · at the end, following' : '';
  if (!state.search) return [{text: `${where}${following}`, tone: 'muted'}];
  const ordinal = state.hit === null ? 0 : layout.matches.indexOf(state.hit) + 1;
  const found = layout.matches.length ? `match ${ordinal || '–'}/${layout.matches.length}` : 'no match';
  return [{text: `“${state.search}”: ${found}`, tone: layout.matches.length ? 'accent' : 'warn'}, {text: ` · ${where}${following}`, tone: 'muted'}];
}

export function InspectOverlay({read, state, layout, width, height}: InspectOverlayProps) {
  const inner = Math.max(1, width - 4);
  const shown = layout.rows.slice(layout.top, layout.top + layout.visible);
  const lines = shown.map((row, i) => highlight(row.text, state.search, layout.top + i === state.hit));
  // Nothing to show because the server refused (no previous container, a pod gone): why, in full, in the body.
  const failed = read.lines.length === 0 && read.status.tone === 'error';
  if (failed) lines.push(...wrapWords(read.status.text, inner).map(text => [{text, tone: 'failed' as const}]));
  else if (read.lines.length === 0) lines.push([{text: 'nothing yet', tone: 'muted'}]);
  // The title, then the source's state, then the keys: what gives way when the width runs out is on the right.
  const title = truncate(read.title, inner);
  const status = truncate(failed ? 'failed' : read.status.text, Math.max(0, inner - textWidth(title) - 2));
  return (
    <Box flexDirection="column" borderStyle="round" borderColor={color('accent')} paddingX={1} width={width} height={height} flexShrink={0}>
      <Text wrap="truncate-end">
        <Text bold>{title}</Text>
        <Text color={color(STATUS_TONE[read.status.tone])}>{status ? `  ${status}` : ''}</Text>
        <Text color={color('muted')}>{`  ${KEYS}`}</Text>
      </Text>
      <LinesView lines={lines} height={layout.visible} />
      <LinesView lines={[footer(state, layout)]} height={1} />
    </Box>
  );
}
