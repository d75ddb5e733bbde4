// Which variables the operator must supply or a step computes, gathered across the whole runbook.

import {isSecretName} from './secret-names.js';
import type {Variable} from './model.js';
import type {ScannedCommand} from './shell-scan.js';
import {unquote} from './shell-scan.js';

/** Set by the shell or the login environment: never asked for. */
const AMBIENT = new Set([
  'HOME', 'PATH', 'USER', 'LOGNAME', 'PWD', 'OLDPWD', 'SHELL', 'TERM', 'HOSTNAME', 'LANG', 'LC_ALL', 'TMPDIR', 'RANDOM',
  'LINENO', 'SECONDS', 'BASH_SOURCE', 'BASHPID', 'BASH_VERSION', 'UID', 'EUID', 'PPID', 'IFS', 'EDITOR', 'VISUAL',
  'PAGER', 'OSTYPE', 'HOSTTYPE', 'PIPESTATUS', 'FUNCNAME', 'REPLY', 'COLUMNS', 'LINES', 'DISPLAY', 'CI',
]);

const PLACEHOLDER_VALUE = /\/path\/to\/|<[^>]+>|\byour[-_]|\bYOUR_|\bexample\.(com|org)|\bchangeme\b|\bxxx+\b|\.\.\.|…|\bTODO\b|\bREPLACE/i;

export function isPlaceholderValue(value: string): boolean {
  return PLACEHOLDER_VALUE.test(value);
}

/** `<commit-sha>`-style tokens in prose or code; HTML tags are not placeholders. */
const HTML_TAGS = new Set(['br', 'p', 'b', 'i', 'u', 'a', 'em', 'strong', 'div', 'span', 'code', 'pre', 'details', 'summary', 'sup', 'sub', 'kbd', 'img', 'hr', 'ul', 'ol', 'li', 'table', 'tr', 'td', 'th', 'tbody', 'thead', 'small', 'center', 'eof']);

export function placeholderTokens(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/<([a-z][a-z0-9]*(?:[-_][a-z0-9]+)*)>/gi)) {
    if (!HTML_TAGS.has(m[1]!.toLowerCase())) out.push(m[1]!.toUpperCase().replace(/-/g, '_'));
  }
  return out;
}

interface Use {
  stepId: string;
  kind: 'read' | 'set-computed' | 'set-literal' | 'placeholder';
  suggestion?: string;
}

export class VariableCollector {
  private readonly uses = new Map<string, Use[]>();

  private add(name: string, use: Use) {
    if (!name || AMBIENT.has(name)) return;
    const list = this.uses.get(name) ?? [];
    list.push(use);
    this.uses.set(name, list);
  }

  addBlock(stepId: string, scanned: ScannedCommand[]) {
    for (const command of scanned) {
      for (const r of command.reads) if (!r.hasDefault) this.add(r.name, {stepId, kind: 'read'});
      for (const a of command.assigns) {
        const value = unquote(a.value);
        if (isPlaceholderValue(value)) this.add(a.name, {stepId, kind: 'placeholder', suggestion: value});
        else if (/^\$\(|^`/.test(value)) this.add(a.name, {stepId, kind: 'set-computed'});
        else this.add(a.name, {stepId, kind: 'set-literal'});
      }
    }
  }

  addToken(stepId: string, name: string) {
    this.add(name, {stepId, kind: 'placeholder'});
  }

  variables(): Variable[] {
    const out: Variable[] = [];
    for (const [name, uses] of this.uses) {
      const readers = uses.filter(u => u.kind === 'read' || u.kind === 'placeholder').map(u => u.stepId);
      const setters = uses.filter(u => u.kind === 'set-computed' || u.kind === 'set-literal').map(u => u.stepId);
      const placeholder = uses.find(u => u.kind === 'placeholder');
      const computed = uses.some(u => u.kind === 'set-computed');
      // A literal assignment read only where it is made is the block's own business, not a variable to track.
      const readElsewhere = uses.some(u => u.kind === 'read' && !setters.includes(u.stepId));
      let kind: Variable['kind'];
      if (placeholder) kind = 'placeholder';
      else if (computed) kind = 'computed';
      else if (setters.length === 0) kind = 'input';
      else if (readElsewhere) kind = 'computed';
      else continue;
      out.push({
        name,
        kind,
        suggestion: placeholder?.suggestion ?? null,
        secret: isSecretName(name),
        steps: [...new Set(readers)],
        setBy: [...new Set(setters)],
      });
    }
    return out;
  }
}
