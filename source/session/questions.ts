// What the operator must answer before a block runs, and the script that results. Pure.

import {isSecretName} from '../runbook/secret-names.js';
import type {Block, Runbook} from '../runbook/model.js';
import {shellWord} from '../runbook/shell-words.js';
import type {SessionState} from './session-state.js';

export type Question =
  | {kind: 'variable'; name: string; suggestion: string; secret: boolean}
  | {kind: 'placeholder'; text: string; variable: string | null; suggestion: string}
  | {kind: 'confirm'; expected: string; target: string; dangers: string[]};

export interface Answers {
  variables: Record<string, string>;
  placeholders: Record<string, string>;
  confirmed: boolean;
}

/**
 * Variables the block reads that neither the session nor the environment has, every placeholder not yet answered
 * (KUBECONFIG for staging and for production are different answers), then the typed confirmation of a dangerous block.
 * `placeholderDefault` proposes an answer for a placeholder that stands for no variable (a rehearsal's checkout for
 * `/path/to/<repository>`).
 */
export function questionsFor(block: Block, runbook: Runbook, state: SessionState, env: Record<string, string>, placeholderDefault?: (text: string) => string | undefined): Question[] {
  const out: Question[] = [];
  for (const p of block.placeholders) {
    if (state.placeholders[p.text] !== undefined) continue;
    const current = p.variable ? (state.variables[p.variable] ?? env[p.variable]) : undefined;
    out.push({kind: 'placeholder', text: p.text, variable: p.variable, suggestion: current ?? placeholderDefault?.(p.text) ?? p.text});
  }
  const placeheld = new Set(block.placeholders.map(p => p.variable).filter(Boolean));
  for (const name of block.uses) {
    if (placeheld.has(name) || state.variables[name] !== undefined || env[name] !== undefined) continue;
    const known = runbook.variables.find(v => v.name === name);
    out.push({kind: 'variable', name, suggestion: known?.suggestion ?? '', secret: known?.secret ?? isSecretName(name)});
  }
  if (block.dangerous && block.confirm) {
    out.push({kind: 'confirm', expected: block.confirm.value, target: block.confirm.kind, dangers: block.dangers});
  }
  return out;
}

/** Replaces each answered placeholder in the script; values that are not a plain word are quoted for the shell. */
export function substitute(script: string, placeholders: Record<string, string>, only: readonly string[]): string {
  let out = script;
  for (const text of only) {
    const value = placeholders[text];
    if (value === undefined) continue;
    out = out.split(text).join(shellWord(value));
  }
  return out;
}
