// Always visible: where commands go (context, namespace; production in red), progress, and the keys.

import {Text} from 'ink';
import {looksLikeProduction} from '../kube/current-context.js';
import type {Progress} from '../session/session-state.js';
import {safeText} from '../terminal/safe-text.js';
import {fitHeader} from './header-fit.js';
import {truncate, width as textWidth} from './text.js';
import {color, type Tone} from './theme.js';

export interface Target {
  mode: string | null;
  context: string | null;
  namespace: string | null;
  production: boolean;
  /** The GitHub repository GitHub actions go to, when configured. */
  repository?: string | null;
}

/**
 * The target with the namespace the cluster panes show: the header and the panes never disagree about where the
 * step works (the kubeconfig's namespace is only the default the panes fall back to).
 */
export function headerTarget(target: Target, panesNamespace: string | null | undefined): Target {
  if (!target.context || !panesNamespace || panesNamespace === target.namespace) return target;
  return {...target, namespace: panesNamespace, production: looksLikeProduction(target.context) || looksLikeProduction(panesNamespace)};
}

export function Header({title, target, width}: {title: string; target: Target; width: number}) {
  // The context and namespace come from a kubeconfig, the repository from the runbook: shown, never obeyed.
  const safe = (p: string | null | undefined) => (p ? safeText(p) : null);
  const {left, right, gap} = fitHeader(safeText(title), {
    mode: safe(target.mode),
    context: target.context ? `ctx ${safeText(target.context)}` : 'no cluster configured',
    namespace: target.namespace ? `ns ${safeText(target.namespace)}` : null,
    repository: safe(target.repository),
  }, width);
  // An incident is never just another mode: the whole label stands out.
  const incident = /^(INCIDENT|FAILURE SEEN)/.test(target.mode ?? '');
  return (
    <Text wrap="truncate-end">
      <Text bold>{left}</Text>
      {' '.repeat(gap)}
      <Text color={color(target.production || incident ? 'danger' : target.mode ? 'warn' : 'muted')} bold={target.production || !!target.mode} inverse={target.production || incident}>
        {right}
      </Text>
    </Text>
  );
}

/** The keys the status bar names, in the order shown, with the rank in which they give way (highest first). */
const KEYS: Array<[string, number]> = [
  ['←→ step', 0],
  ['↑↓ item', 4],
  ['⏎ run/tick', 1],
  ['␣ tick', 6],
  ['s skip', 5],
  ['d done', 7],
  // Only while the panes are hidden: how to bring them back.
  ['c panes', 3],
  ['? help', 2],
  ['q quit', 2],
];

/** Keys that record nothing: all a read-only view offers. */
const VIEWING = new Set(['←→ step', '↑↓ item', 'c panes', '? help', 'q quit']);

/**
 * The keys that fit in `room` columns: whole ones, the least needed dropped first (`? help` says the rest). A
 * read-only view names only what it can do; `wheel` is a shared session's key of the moment (`T ask for the wheel`).
 */
export function statusKeys(room: number, options: {running: boolean; panesHidden: boolean; readOnly?: boolean; wheel?: string | null}): string {
  if (options.running) return textWidth('Ctrl-C cancel  ? help') <= room ? 'Ctrl-C cancel  ? help' : 'Ctrl-C cancel';
  let keys = KEYS.filter(([k]) => (k !== 'c panes' || options.panesHidden) && (!options.readOnly || VIEWING.has(k)));
  if (options.wheel) keys.splice(keys.length - 2, 0, [options.wheel, 1]);
  const text = () => keys.map(([k]) => k).join('  ');
  while (keys.length > 1 && textWidth(text()) > room) {
    const drop = Math.max(...keys.map(([, rank]) => rank));
    const at = keys.map(([, rank]) => rank).lastIndexOf(drop);
    keys = keys.filter((_, i) => i !== at);
  }
  return textWidth(text()) <= room ? text() : '';
}

/** `followUp`: the next follow-up after the deploy (ui/follow-ups.ts); it comes before the keys, which give way. */
export function StatusBar({progress, running, width, panesHidden = false, followUp = null, readOnly = false, wheel = null}: {progress: Progress; running: boolean; width: number; panesHidden?: boolean; followUp?: {text: string; tone: Tone} | null; readOnly?: boolean; wheel?: string | null}) {
  const counts = `${progress.checked}/${progress.checks} checks · ${progress.stepsDone}/${progress.steps} steps${progress.failed ? ` · ${progress.failed} failed` : ''}${progress.skipped ? ` · ${progress.skipped} skipped` : ''}`;
  const next = followUp ? truncate(safeText(followUp.text), Math.max(0, width - textWidth(counts) - 6)) : '';
  const room = Math.max(0, width - textWidth(counts) - 4 - (next ? textWidth(next) + 2 : 0));
  const keys = statusKeys(room, {running, panesHidden, readOnly, wheel});
  return (
    <Text wrap="truncate-end">
      <Text color={color(progress.failed ? 'failed' : 'muted')}> {counts}</Text>
      {'  '}
      {next ? <Text color={color(followUp?.tone)}>{`${next}  `}</Text> : null}
      <Text color={color('accent')}>{' '.repeat(Math.max(0, room - textWidth(keys))) + keys}</Text>
    </Text>
  );
}
