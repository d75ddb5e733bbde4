// Always visible: where commands go (context, namespace; production in red), progress, and the keys.

import {Text} from 'ink';
import {looksLikeProduction} from '../kube/current-context.js';
import type {Progress} from '../session/session-state.js';
import {safeText} from '../terminal/safe-text.js';
import {truncate, width as textWidth} from './text.js';
import {color} from './theme.js';

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
  const repository = target.repository ? truncate(target.repository, 28) : null;
  // The context and namespace come from a kubeconfig, the repository from the runbook: shown, never obeyed.
  const parts = [target.mode, target.context ? `ctx ${target.context}` : 'no cluster configured', target.namespace ? `ns ${target.namespace}` : null, repository].map(p => p && safeText(p));
  // On a narrow terminal the cluster target matters most: the repository gives way first.
  let right = parts.filter(Boolean).join(' · ');
  if (textWidth(right) > width - 16) right = parts.slice(0, 3).filter(Boolean).join(' · ');
  // Then the sandbox's details (REHEARSAL says enough), so the namespace stays readable at 80 columns.
  if (textWidth(right) > width - 12) right = right.replace(/ · sandbox \([^)]*\)/, '');
  const left = truncate(` runbook · ${title}`, Math.max(10, width - textWidth(right) - 2));
  const gap = Math.max(1, width - textWidth(left) - textWidth(right) - 1);
  // An incident is never just another mode: the whole label stands out.
  const incident = target.mode?.startsWith('INCIDENT') ?? false;
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

export function StatusBar({progress, running, width}: {progress: Progress; running: boolean; width: number}) {
  const counts = `${progress.checked}/${progress.checks} checks · ${progress.stepsDone}/${progress.steps} steps${progress.failed ? ` · ${progress.failed} failed` : ''}${progress.skipped ? ` · ${progress.skipped} skipped` : ''}`;
  const keys = running ? 'Ctrl-C cancel  ? help' : '←→ step  ↑↓ item  ⏎ run/tick  ␣ tick  s skip  d done  ? help  q quit';
  const room = Math.max(0, width - textWidth(counts) - 3);
  return (
    <Text wrap="truncate-end">
      <Text color={color(progress.failed ? 'failed' : 'muted')}> {counts}</Text>
      {'  '}
      <Text color={color('accent')}>{textWidth(keys) > room ? truncate(keys, room) : keys.padStart(room)}</Text>
    </Text>
  );
}
