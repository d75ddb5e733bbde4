// Just enough of a shell lexer to answer what a runbook author means: which logical commands a block runs
// (continuations, open quotes, $(…) and heredocs joined), which variables it reads and which it sets.
// It is not a shell parser; it errs on the side of asking the operator rather than guessing.

export interface ScannedCommand {
  text: string;
  /** Variables read, in order, with whether a default (${X:-d}) covers them. */
  reads: Array<{name: string; hasDefault: boolean}>;
  /** Variables assigned by this command: NAME=…, export NAME=…, read NAME, for NAME in. */
  assigns: Array<{name: string; value: string; exported: boolean}>;
}

type Frame = 'sq' | 'dq' | 'cmd' | 'paren' | 'brace' | 'bt';

interface Heredoc {
  delimiter: string;
  stripTabs: boolean;
  expands: boolean;
}

const SPECIAL = new Set(['@', '*', '#', '?', '-', '$', '!', '0']);

/** Splits a script into logical commands, dropping comments and blank lines. */
export function scanShell(script: string): ScannedCommand[] {
  const lines = script.replace(/\r\n?/g, '\n').split('\n');
  const commands: ScannedCommand[] = [];
  let stack: Frame[] = [];
  let current: string[] = [];
  let reads: ScannedCommand['reads'] = [];
  let pendingHeredocs: Heredoc[] = [];
  let continued = false;

  const finish = () => {
    const text = current.join('\n').trim();
    if (text) commands.push({text, reads, assigns: findAssignments(text)});
    current = [];
    reads = [];
  };

  for (let li = 0; li < lines.length; li++) {
    const line = lines[li]!;
    if (stack.length === 0 && !continued && current.length === 0 && /^\s*(#.*)?$/.test(line)) continue;
    const scanned = scanLine(line, stack, reads);
    stack = scanned.stack;
    current.push(scanned.kept);
    pendingHeredocs.push(...scanned.heredocs);
    // Heredoc bodies follow the line that opened them, verbatim.
    for (const doc of pendingHeredocs) {
      while (li + 1 < lines.length) {
        const body = lines[++li]!;
        current.push(body);
        const candidate = doc.stripTabs ? body.replace(/^\t+/, '') : body;
        if (candidate === doc.delimiter || candidate.trim() === doc.delimiter) break;
        if (doc.expands) scanLine(body, ['dq'], reads);
      }
    }
    pendingHeredocs = [];
    const trimmed = scanned.kept.trimEnd();
    continued = trimmed.endsWith('\\') || /(\|\||&&|\|)$/.test(trimmed);
    if (stack.length === 0 && !continued) finish();
  }
  finish();
  return commands;
}

interface LineScan {
  stack: Frame[];
  kept: string;
  heredocs: Heredoc[];
}

function scanLine(line: string, initial: Frame[], reads: ScannedCommand['reads']): LineScan {
  const stack = [...initial];
  const heredocs: Heredoc[] = [];
  let kept = '';
  let i = 0;
  const top = () => stack[stack.length - 1];
  while (i < line.length) {
    const c = line[i]!;
    const next = line[i + 1];
    const t = top();
    if (t === 'sq') {
      if (c === "'") stack.pop();
      kept += c;
      i++;
      continue;
    }
    if (c === '\\') {
      kept += line.slice(i, i + 2);
      i += 2;
      continue;
    }
    if (c === '$') {
      const v = readVariable(line, i);
      if (v) {
        reads.push({name: v.name, hasDefault: v.hasDefault});
        kept += line.slice(i, v.end);
        i = v.end;
        continue;
      }
      if (next === '(') {
        stack.push('cmd');
        kept += '$(';
        i += 2;
        continue;
      }
      if (next === '{') {
        stack.push('brace');
        kept += '${';
        i += 2;
        continue;
      }
    }
    if (c === '`') {
      if (t === 'bt') stack.pop();
      else stack.push('bt');
    } else if (t === 'dq') {
      if (c === '"') stack.pop();
    } else if (t === 'brace' && c === '}') {
      stack.pop();
    } else if (c === '#' && (i === 0 || /[\s;&|(]/.test(line[i - 1]!))) {
      break; // a comment runs to the end of the line
    } else if (c === "'") {
      stack.push('sq');
    } else if (c === '"') {
      stack.push('dq');
    } else if (c === '(' && (t === 'cmd' || t === 'paren')) {
      stack.push('paren');
    } else if (c === ')' && (t === 'cmd' || t === 'paren')) {
      stack.pop();
    } else if (c === '<' && next === '<' && line[i + 2] !== '<') {
      const m = /^<<(-?)\s*(['"]?)([A-Za-z_][A-Za-z0-9_]*)\2/.exec(line.slice(i));
      if (m) {
        heredocs.push({delimiter: m[3]!, stripTabs: m[1] === '-', expands: m[2] === ''});
        kept += m[0];
        i += m[0].length;
        continue;
      }
    }
    kept += c;
    i++;
  }
  return {stack, kept, heredocs};
}

function readVariable(line: string, at: number): {name: string; hasDefault: boolean; end: number} | null {
  const rest = line.slice(at + 1);
  const braced = /^\{([A-Za-z_][A-Za-z0-9_]*)(:?[-=?+][^}]*)?\}/.exec(rest);
  if (braced) {
    const op = braced[2] ?? '';
    return {name: braced[1]!, hasDefault: /^:?[-=+]/.test(op), end: at + 1 + braced[0].length};
  }
  const plain = /^[A-Za-z_][A-Za-z0-9_]*/.exec(rest);
  if (plain) return {name: plain[0], hasDefault: false, end: at + 1 + plain[0].length};
  if (rest[0] && (SPECIAL.has(rest[0]) || /[1-9]/.test(rest[0]))) return {name: '', hasDefault: true, end: at + 2};
  return null;
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const DECLARERS = new Set(['export', 'declare', 'local', 'readonly', 'typeset']);
const SEPARATORS = new Set([';', '&&', '||', '|', '&']);

/** Shell words of a command's first line, quotes and $(…) kept whole, separators as their own words. */
function words(line: string): string[] {
  const out: string[] = [];
  let rest = line;
  while (rest.length) {
    rest = rest.replace(/^\s+/, '');
    const sep = /^(&&|\|\||[;|&])/.exec(rest);
    if (sep) {
      out.push(sep[0]);
      rest = rest.slice(sep[0].length);
      continue;
    }
    const word = readWord(rest);
    if (!word) {
      rest = rest.slice(1);
      continue;
    }
    out.push(word);
    rest = rest.slice(word.length);
  }
  return out;
}

function findAssignments(text: string): ScannedCommand['assigns'] {
  const out: ScannedCommand['assigns'] = [];
  const list = words(text.split('\n')[0] ?? '');
  let atStart = true;
  for (let i = 0; i < list.length; i++) {
    const word = list[i]!;
    if (SEPARATORS.has(word)) {
      atStart = true;
      continue;
    }
    const eq = word.indexOf('=');
    if (atStart && eq > 0 && NAME.test(word.slice(0, eq))) {
      out.push({name: word.slice(0, eq), value: word.slice(eq + 1), exported: false});
      continue;
    }
    if (atStart && DECLARERS.has(word)) {
      const exported = word === 'export' || list.slice(i + 1).some(w => w === '-x');
      for (i++; i < list.length && !SEPARATORS.has(list[i]!); i++) {
        const arg = list[i]!;
        if (arg.startsWith('-')) continue;
        const at = arg.indexOf('=');
        const name = at > 0 ? arg.slice(0, at) : arg;
        if (NAME.test(name)) out.push({name, value: at > 0 ? arg.slice(at + 1) : '', exported});
      }
      i--;
      continue;
    }
    if (atStart && (word === 'read' || word === 'for')) {
      for (i++; i < list.length && !SEPARATORS.has(list[i]!) && list[i] !== 'in'; i++) if (NAME.test(list[i]!)) out.push({name: list[i]!, value: '', exported: false});
      i--;
    }
    atStart = false;
  }
  return out.filter((a, i) => out.findIndex(b => b.name === a.name) === i);
}

/** The shell word that starts at the beginning of `s`, quotes kept, $(…) balanced. */
function readWord(s: string): string {
  let depth = 0;
  let quote: string | null = null;
  let i = 0;
  for (; i < s.length; i++) {
    const c = s[i]!;
    if (quote) {
      if (c === quote) quote = null;
      else if (c === '\\' && quote === '"') i++;
      continue;
    }
    if (c === "'" || c === '"') quote = c;
    else if (c === '\\') i++;
    else if (c === '(') depth++;
    else if (c === ')') {
      if (depth === 0) break;
      depth--;
    } else if (depth === 0 && /[\s;&|]/.test(c)) break;
  }
  return s.slice(0, i);
}

/** Removes one level of shell quoting from a simple word, for showing a placeholder as a default. */
export function unquote(word: string): string {
  const m = /^(['"])([\s\S]*)\1$/.exec(word);
  return m ? m[2]! : word;
}
