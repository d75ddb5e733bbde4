// The approval dialog as lines: the pending environments with their reviewers and whether the
// operator may approve, then by phase the keys, the comment being typed, progress or the outcome.
// Pure; approval-dialog.tsx only draws them.

import {truncate, wrapWords} from '../text.js';
import type {PaneLine, PaneTone} from '../cluster/pane-lines.js';
import type {ApprovalState} from './use-approval-state.js';

/** Wrapped, never cut: a message, an error or an outcome is read whole (the dialog keeps its last lines in sight). */
function wrapped(text: string, width: number, tone: PaneTone | undefined, max = Number.POSITIVE_INFINITY, bold = false): PaneLine[] {
  return wrapWords(text, width).slice(0, max).map(l => [{text: truncate(l, width), tone, bold}]);
}

function environmentLines(state: ApprovalState, width: number): PaneLine[] {
  const lines: PaneLine[] = [];
  for (const e of state.environments) {
    // The mark carries the meaning without colour (NO_COLOR): ✓ you may approve, ✗ you may not.
    lines.push([
      {text: e.canApprove ? '✓ ' : '✗ ', tone: e.canApprove ? 'good' : 'error', bold: true},
      {text: truncate(`${e.name} (id ${e.environmentId})${e.canApprove ? ' · you can approve' : ' · you are not a reviewer'}`, Math.max(0, width - 2))},
    ]);
    const wait = e.waitTimerMinutes ? ` · wait timer ${e.waitTimerMinutes}m` : '';
    lines.push([{text: truncate(`  reviewers: ${e.reviewers.join(', ') || 'none'}${wait}`, width), tone: 'muted'}]);
  }
  return lines;
}

function footer(state: ApprovalState, width: number): PaneLine[] {
  const hint = (text: string): PaneLine => [{text: truncate(text, width), tone: 'muted'}];
  const verb = state.decision === 'reject' ? 'Reject' : 'Approve';
  switch (state.phase) {
    case 'loading':
      return [hint('reading the pending deployments…'), hint('Esc cancel')];
    case 'choose':
      return [...(state.notice ? wrapped(state.notice, width, 'warn') : []), hint('a approve · r reject · Esc cancel')];
    case 'comment': {
      // The end of the comment stays visible while typing a long one.
      const room = Math.max(1, width - 3);
      const chars = [...state.comment];
      const shown = chars.length > room ? `…${chars.slice(-(room - 1)).join('')}` : state.comment;
      return [
        [{text: truncate(`${verb} — comment (required):`, width), tone: state.decision === 'reject' ? 'error' : 'warn', bold: true}],
        [{text: '> '}, {text: shown, bold: true}, {text: '▏', tone: 'accent'}],
        ...(state.notice ? wrapped(state.notice, width, 'warn') : []),
        hint('⏎ send · Esc cancel'),
      ];
    }
    case 'sending':
      return [[{text: truncate(`◐ sending the ${state.decision === 'reject' ? 'rejection' : 'approval'}…`, width), tone: 'warn'}]];
    case 'done':
    case 'refused':
    case 'failed':
    case 'cancelled':
    case 'empty': {
      const ok = state.phase === 'done';
      const icon = ok ? '✓' : state.phase === 'cancelled' || state.phase === 'empty' ? '⊘' : '✗';
      const tone: PaneTone = ok ? 'good' : state.phase === 'cancelled' || state.phase === 'empty' ? 'warn' : 'error';
      return [...wrapped(`${icon} ${state.result?.message ?? state.notice ?? ''}`, width, tone, undefined, true), hint('⏎/Esc close')];
    }
  }
}

export function approvalDialogLines(state: ApprovalState, width: number, height: number, title = `run ${state.runId}`): PaneLine[] {
  if (width <= 0 || height <= 0) return [];
  const head: PaneLine[] = [[{text: truncate(`APPROVAL ${title} · pending deployments`, width), bold: true, tone: 'warn'}]];
  const tail = footer(state, width);
  const body = environmentLines(state, width);
  // The keys and the outcome must stay visible when space runs out: the environments give way first.
  const keep = Math.max(0, height - tail.length);
  return [...[...head, ...body].slice(0, keep), ...tail].slice(-height);
}
