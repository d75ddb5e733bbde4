// The rollback dialog as lines: the revisions to choose from, what the chosen one changes, then
// the confirmation, the progress and the outcome. Pure; undo-dialog.tsx only draws them.

import {visibleRows} from '../../kube/pods-model.js';
import {truncate, wrapWords} from '../text.js';
import type {PaneLine} from './pane-lines.js';
import {historyLine} from './rollout-lines.js';
import {selectedChoice, type UndoState} from './use-undo-state.js';

const MAX_DIFF = 4;

/** Wrapped, never cut: a message, an error or an outcome is read whole (the dialog keeps its last lines in sight). */
function wrapped(text: string, width: number, tone: PaneLine[number]['tone'], max = Number.POSITIVE_INFINITY, bold = false): PaneLine[] {
  return wrapWords(text, width).slice(0, max).map(l => [{text: truncate(l, width), tone, bold}]);
}

/** The lines under the preview, by phase: a hint, the typed namespace, progress, the outcome. */
function footer(state: UndoState, width: number): PaneLine[] {
  const hint = (text: string): PaneLine => [{text: truncate(text, width), tone: 'muted'}];
  switch (state.phase) {
    case 'loading':
      return [hint(`reading the ${state.kind ?? 'deployment'} and its history…`), hint('Esc cancel')];
    case 'choose':
      return [...(state.notice ? wrapped(state.notice, width, 'error') : []), hint('↑↓ revision · ⏎ continue · Esc cancel')];
    case 'confirm':
      return [
        ...wrapped(`Type the namespace to confirm: ${state.namespace}`, width, 'warn'),
        [{text: '> '}, {text: truncate(state.input, Math.max(0, width - 3)), bold: true}, {text: '▏', tone: 'accent'}],
        hint('⏎ roll back · Esc cancel'),
      ];
    case 'performing':
      return [[{text: truncate('◐ rolling back…', width), tone: 'warn'}]];
    case 'following':
      return [...state.messages.flatMap(m => wrapped(m, width, undefined)), [{text: truncate('◐ following the rollout…', width), tone: 'warn'}]];
    case 'done':
    case 'failed':
    case 'cancelled': {
      const ok = state.phase === 'done';
      const icon = ok ? '✓' : state.phase === 'failed' ? '✗' : '⊘';
      const earlier = state.messages.slice(0, -1).flatMap(m => wrapped(m, width, 'muted', 1));
      return [...earlier, ...wrapped(`${icon} ${state.result?.message ?? state.notice ?? ''}`, width, ok ? 'good' : state.phase === 'failed' ? 'error' : 'warn', undefined, true), hint('⏎/Esc close')];
    }
  }
}

export function undoDialogLines(state: UndoState, width: number, height: number): PaneLine[] {
  if (width <= 0 || height <= 0) return [];
  const what = state.deployment ? ` ${state.kind ?? 'deployment'}/${state.deployment}` : '';
  const lines: PaneLine[] = [[{text: truncate(`ROLLBACK${what} · ${state.namespace}`, width), bold: true, tone: 'warn'}]];
  const choice = selectedChoice(state);
  const preview: PaneLine[] = [];
  if (choice) {
    const fromTag = state.choices.find(c => c.current)?.tag ?? state.fromImage;
    preview.push([{text: truncate(`Target: revision ${choice.revision} · image ${fromTag || '?'} → ${choice.tag}`, width), bold: true}]);
    if (choice.plan.action === 'patch') for (const d of choice.plan.diff.slice(0, MAX_DIFF)) preview.push([{text: truncate(`  ${d}`, width), tone: 'accent'}]);
    else if (state.phase === 'choose' || state.phase === 'confirm') preview.push(...wrapped(choice.plan.message, width, choice.plan.action === 'error' ? 'error' : 'muted'));
    if (choice.plan.action === 'patch' && choice.plan.diff.length > MAX_DIFF) preview.push([{text: truncate(`  +${choice.plan.diff.length - MAX_DIFF} more changes`, width), tone: 'muted'}]);
  }
  const tail = footer(state, width);
  if (state.choices.length) {
    lines.push([{text: truncate(`now: revision ${state.fromRevision} · ${state.choices.find(c => c.current)?.tag ?? state.fromImage}`, width), tone: 'muted'}]);
    // The history gets what the rest leaves, at least the chosen row, in a window that keeps it in sight.
    const room = Math.max(1, height - lines.length - 1 - preview.length - tail.length);
    const win = visibleRows(state.choices, state.selected - Math.floor(room / 2), room);
    lines.push([{text: truncate('  REVISION  IMAGE  CHANGE-CAUSE', width), tone: 'muted', bold: true}]);
    win.rows.forEach((c, i) => {
      const selected = win.offset + i === state.selected;
      const row = historyLine(c, width - 2, selected && state.phase === 'choose');
      lines.push([{text: selected ? '▸ ' : '  ', tone: 'accent', bold: true}, ...row]);
    });
  }
  lines.push(...preview);
  // The outcome is what must stay visible when space runs out: the preview gives way first.
  const keep = Math.max(0, height - tail.length);
  return [...lines.slice(0, keep), ...tail].slice(-height);
}
