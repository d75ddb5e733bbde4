// Simple commands from the one shell tokenizer (shell-words.ts): a logical command → the commands it runs, each
// with its leading assignments, its words, and the program that really runs once `sudo`, `env`, `time`… are peeled
// off. Every reader of commands (variables, dangers, namespaces, targets, the guide's gh steps) asks here rather
// than splitting text on its own.

import {lex, shellWord, type Token, type Word} from './shell-words.js';

export interface SimpleCommand {
  /** `NAME=value` words before the command, values as written (quotes kept). */
  assignments: Array<{name: string; value: string}>;
  /** Every word after those, quotes removed, wrappers (`sudo`, `env`, `time`…) included. */
  words: string[];
  /** The same words as written in the source. */
  raw: string[];
  /** What actually runs once `sudo`, `env`, `time` and the like are peeled off: its basename, '' if nothing. */
  program: string;
  /** Its arguments, quotes removed. */
  args: string[];
  /** Runs inside `$(…)` or backquotes, to give its output to the command around it. */
  nested: boolean;
}

const NAME_ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*=/;

/** The simple commands of a logical command, in the order they run: a substitution before the command around it. */
export function shellCommands(text: string): SimpleCommand[] {
  const out: SimpleCommand[] = [];
  collect(lex(text, 0, false, 0).tokens, false, out);
  return out;
}

/**
 * The commands a logical command runs, looking through `watch CMD`, `watch "CMD"` and `sh -c "CMD"` as well:
 * `watch -n 2 "kubectl get pods -n prod"` runs kubectl in `prod`.
 */
export function commandsRun(text: string): SimpleCommand[] {
  return lookThrough(text, 0);
}

function lookThrough(text: string, depth: number): SimpleCommand[] {
  const out: SimpleCommand[] = [];
  for (const command of shellCommands(text)) {
    const inner = depth < 4 ? innerScript(command) : null;
    if (inner === null) out.push(command);
    else out.push(...lookThrough(inner, depth + 1).map(c => (command.nested ? {...c, nested: true} : c)));
  }
  return out;
}

const SHELLS = new Set(['sh', 'bash', 'zsh', 'dash', 'ksh']);
/** `watch` options that take a value. */
const WATCH_VALUE_OPTIONS = new Set(['-n', '--interval', '-q', '--equexit']);

function innerScript(command: SimpleCommand): string | null {
  const {program, args} = command;
  if (program === 'watch') {
    let j = 0;
    while (j < args.length && args[j]!.startsWith('-')) j += WATCH_VALUE_OPTIONS.has(args[j]!) ? 2 : 1;
    const rest = args.slice(j);
    if (rest.length === 0) return null;
    // `watch "kubectl …"` runs its single argument through sh -c; several are one command.
    return rest.length === 1 ? rest[0]! : rest.map(shellWord).join(' ');
  }
  if (SHELLS.has(program)) {
    const c = args.findIndex(a => /^-[a-z]*c[a-z]*$/.test(a));
    return c >= 0 && args[c + 1] !== undefined ? args[c + 1]! : null;
  }
  return null;
}

/** Wrappers that run the rest of their line as a command, with their options that take a value. */
const WRAPPERS: Record<string, {values: string[]; operands?: number}> = {
  sudo: {values: ['-u', '-g', '-C', '-D', '-h', '-p', '-r', '-t', '-U', '-T', '--user', '--group']},
  env: {values: ['-u', '--unset', '-C', '--chdir', '-S', '--split-string']},
  time: {values: ['-f', '--format', '-o', '--output']},
  nohup: {values: []},
  exec: {values: ['-a']},
  command: {values: []},
  nice: {values: ['-n', '--adjustment']},
  stdbuf: {values: ['-i', '-o', '-e']},
  timeout: {values: ['-s', '--signal', '-k', '--kill-after'], operands: 1},
};
/** Reserved words that open or close a compound command: the command proper follows them. */
const OPENERS = new Set(['!', '{', 'if', 'then', 'else', 'elif', 'do', 'while', 'until']);
const CLOSERS = new Set(['}', 'fi', 'done', 'esac']);

function collect(tokens: Token[], nested: boolean, out: SimpleCommand[]): void {
  let words: Word[] = [];
  const flush = () => {
    if (words.length) toCommand(words, nested, out);
    words = [];
  };
  for (const token of tokens) {
    if (token.kind === 'word') words.push(token);
    else {
      // A redirection's target may hold a substitution (`> "$(date).log"`): it runs all the same.
      if (token.kind === 'redirect') for (const sub of token.subs) collect(sub, true, out);
      else flush();
    }
  }
  flush();
}

function toCommand(all: Word[], nested: boolean, out: SimpleCommand[]): void {
  for (const word of all) for (const sub of word.subs) collect(sub, true, out);
  const command = simpleCommand(all, nested);
  if (command) out.push(command);
}

/** The simple command some words make (reserved words that open or close a compound peeled off); null if none. */
export function simpleCommand(all: Word[], nested = false): SimpleCommand | null {
  let i = 0;
  while (i < all.length && (OPENERS.has(all[i]!.raw) || CLOSERS.has(all[i]!.raw))) i++;
  const assignments: SimpleCommand['assignments'] = [];
  for (; i < all.length && NAME_ASSIGNMENT.test(all[i]!.raw); i++) {
    const raw = all[i]!.raw;
    const eq = raw.indexOf('=');
    assignments.push({name: raw.slice(0, eq), value: raw.slice(eq + 1)});
  }
  const rest = all.slice(i);
  if (rest.length === 0 && assignments.length === 0) return null;
  const words = rest.map(w => w.text);
  const {program, args} = unwrap(words);
  return {assignments, words, raw: rest.map(w => w.raw), program, args, nested};
}

function unwrap(words: string[]): {program: string; args: string[]} {
  let i = 0;
  for (let guard = 0; guard < 8 && i < words.length; guard++) {
    const name = basename(words[i]!);
    const wrapper = WRAPPERS[name];
    if (!wrapper) break;
    i++;
    while (i < words.length) {
      const w = words[i]!;
      if (w === '--') {
        i++;
        break;
      }
      if (wrapper.values.includes(w)) i += 2;
      else if (w.startsWith('-') && w.length > 1) i++;
      else if ((name === 'env' || name === 'sudo') && NAME_ASSIGNMENT.test(w)) i++;
      else break;
    }
    i += wrapper.operands ?? 0;
  }
  return {program: basename(words[i] ?? ''), args: words.slice(i + 1)};
}

const basename = (path: string) => path.slice(path.lastIndexOf('/') + 1);
