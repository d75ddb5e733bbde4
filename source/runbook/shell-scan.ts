// Just enough of a shell lexer to answer what a runbook author means: which logical commands a block runs
// (continuations, open quotes, $(…) and heredocs joined), which variables it reads and which it sets.
// It is not a shell parser; it errs on the side of asking the operator rather than guessing. Words and simple
// commands come from shell-words.ts (the one tokenizer) through shell-commands.ts.

import {shellCommands} from './shell-commands.js';
import {Compounds} from './shell-structure.js';
import {closingBrace} from './shell-words.js';

export {commandsRun, shellCommands, type SimpleCommand} from './shell-commands.js';

export interface ScannedCommand {
  text: string;
  /** First and last line of the script (1-based) it spans, heredoc bodies included. */
  line: number;
  endLine: number;
  /** Variables read, in order, with whether a default (${X:-d}) covers them. */
  reads: Array<{name: string; hasDefault: boolean}>;
  /** Variables assigned by this command: NAME=…, export NAME=…, read NAME, for NAME in. */
  assigns: Array<{name: string; value: string; exported: boolean}>;
  /**
   * The same, line by line (a line with its continuations): in `for c in a b; do` ⏎ `echo $c` ⏎ `done`, c is set
   * before it is read.
   */
  parts: Array<Pick<ScannedCommand, 'reads' | 'assigns'>>;
}

type Frame = 'sq' | 'dq' | 'cmd' | 'paren' | 'brace' | 'bt';

interface Heredoc {
  delimiter: string;
  stripTabs: boolean;
  expands: boolean;
}

const SPECIAL = new Set(['@', '*', '#', '?', '-', '$', '!', '0']);

/**
 * Splits a script into logical commands, dropping comments and blank lines: continuations, open quotes, `$(…)`,
 * heredocs and compound commands spanning lines (`if…fi`, loops, `case…esac`, `{ … }`, `( … )`) are one command.
 */
export function scanShell(script: string): ScannedCommand[] {
  const lines = script.replace(/\r\n?/g, '\n').split('\n');
  const commands: ScannedCommand[] = [];
  const compounds = new Compounds();
  let stack: Frame[] = [];
  let current: string[] = [];
  let parts: ScannedCommand['parts'] = [];
  let reads: ScannedCommand['reads'] = [];
  let pendingHeredocs: Heredoc[] = [];
  let continued = false;
  let first = 0;
  let part = 0;

  const finish = () => {
    const text = current.join('\n').trim();
    if (text) {
      // current holds one entry per line from `first` on: the command ends at the last that holds anything.
      let last = first + current.length - 1;
      while (current[last - first]!.trim() === '') last--;
      const assigns = parts.flatMap(p => p.assigns).filter((a, i, all) => all.findIndex(b => b.name === a.name) === i);
      commands.push({text, line: first + 1, endLine: last + 1, reads: parts.flatMap(p => p.reads), assigns, parts});
    }
    current = [];
    parts = [];
    part = 0;
  };

  for (let li = 0; li < lines.length; li++) {
    const line = lines[li]!;
    if (stack.length === 0 && !continued && current.length === 0 && /^\s*(#.*)?$/.test(line)) continue;
    if (current.length === 0) first = li;
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
    if (stack.length > 0 || continued) continue;
    // A line ends here (with its continuations): one part of the command, which goes on while a compound is open.
    const text = current.slice(part).join('\n');
    parts.push({reads, assigns: findAssignments(text)});
    reads = [];
    part = current.length;
    compounds.feedText(text);
    if (!compounds.open) finish();
  }
  if (current.length) {
    if (part < current.length) parts.push({reads, assigns: findAssignments(current.slice(part).join('\n'))});
    finish();
  }
  return commands;
}

/**
 * Where the code of a logical command spanning `lines[from..to]` (0-based, `from` at the top level) ends on its last
 * line: before a trailing comment and the blanks before it. Something appended there runs right after the command.
 */
export function codeEnd(lines: readonly string[], from: number, to: number): number {
  let stack: Frame[] = [];
  let kept = '';
  for (let li = from; li <= to; li++) ({stack, kept} = scanLine(lines[li]!.replace(/\r$/, ''), stack, []));
  return kept.trimEnd().length;
}

interface LineScan {
  stack: Frame[];
  kept: string;
  heredocs: Heredoc[];
}

// eslint-disable-next-line max-lines-per-function -- a lexer's state machine: one loop over the characters, one branch per quoting state
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
        if (v.operand) {
          // `${X:-$Y}` needs Y only when X is unset: covered like X; `${X%$SUFFIX}` needs it.
          const inner: ScannedCommand['reads'] = [];
          scanLine(v.operand, ['dq'], inner);
          for (const r of inner) reads.push({name: r.name, hasDefault: r.hasDefault || v.hasDefault});
        }
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

interface VariableRead {
  name: string;
  hasDefault: boolean;
  end: number;
  /** What follows the name inside `${…}` (`:-default`, `%.*`, `:0:7`): it may read variables of its own. */
  operand?: string;
}

/**
 * `$X`, `${X}`, and every parameter expansion that reads X: `${X:-d}` `${X:0:7}` `${X%…}` `${X#…}` `${X/a/b}`
 * `${#X}` `${X^^}` `${!X}`. Only the `-`, `=` and `+` forms cover an unset X (`:?` insists on it).
 */
function readVariable(line: string, at: number): VariableRead | null {
  const rest = line.slice(at + 1);
  if (rest[0] === '{') {
    // A parameter expansion is short; looking further would make a line of unclosed `${` quadratic.
    const end = closingBrace(line, at + 2, at + 2 + 1024);
    if (line[end - 1] !== '}') return null; // continues on a later line: the brace frame takes it
    const inner = line.slice(at + 2, end - 1);
    const m = /^([#!]?)([A-Za-z_][A-Za-z0-9_]*)([\s\S]*)$/.exec(inner);
    if (m) {
      const [, prefix, name, operand] = m as unknown as [string, string, string, string];
      // `${!PREFIX*}` lists names, it reads none.
      if (prefix === '!' && /^[*@]$/.test(operand)) return {name: '', hasDefault: true, end};
      return {name, hasDefault: prefix === '' && /^:?[-=+]/.test(operand), end, operand};
    }
    if (/^#?([@*#?$!0-9-]|\d+)?$/.test(inner) || /^[@*#?$!0-9-]/.test(inner)) return {name: '', hasDefault: true, end};
    return null;
  }
  const plain = /^[A-Za-z_][A-Za-z0-9_]*/.exec(rest);
  if (plain) return {name: plain[0], hasDefault: false, end: at + 1 + plain[0].length};
  if (rest[0] && (SPECIAL.has(rest[0]) || /[1-9]/.test(rest[0]))) return {name: '', hasDefault: true, end: at + 2};
  return null;
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const DECLARERS = new Set(['export', 'declare', 'local', 'readonly', 'typeset']);

function findAssignments(text: string): ScannedCommand['assigns'] {
  const out: ScannedCommand['assigns'] = [];
  // What this shell sets: not what a `$(…)` subshell sets for itself.
  for (const command of shellCommands(text)) {
    if (command.nested) continue;
    for (const a of command.assignments) out.push({name: a.name, value: a.value, exported: false});
    const [first, ...rest] = command.raw;
    if (first && DECLARERS.has(first)) {
      const exported = first === 'export' || rest.includes('-x');
      for (const arg of rest) {
        if (arg.startsWith('-')) continue;
        const at = arg.indexOf('=');
        const name = at > 0 ? arg.slice(0, at) : arg;
        if (NAME.test(name)) out.push({name, value: at > 0 ? arg.slice(at + 1) : '', exported});
      }
    } else if (first === 'read' || first === 'for') {
      for (const arg of rest) {
        if (arg === 'in') break;
        if (NAME.test(arg)) out.push({name: arg, value: '', exported: false});
      }
    }
  }
  return out.filter((a, i) => out.findIndex(b => b.name === a.name) === i);
}

/** Removes one level of shell quoting from a simple word, for showing a placeholder as a default. */
export function unquote(word: string): string {
  const m = /^(['"])([\s\S]*)\1$/.exec(word);
  return m ? m[2]! : word;
}
