// The one tokenizer for shell text in the app: a logical command → tokens (words, operators, redirections), the
// way a shell would split them: quotes, escapes, `$(…)`, backquotes, heredocs, `;` `&&` `||` `|` `&`. It never
// expands anything: `$X`, `${X}` and `$(…)` stay as written inside a word. shell-commands.ts makes simple commands
// of the tokens; every reader of commands (variables, dangers, namespaces, targets, the guide's gh steps) asks there.

export type Token = {kind: 'word'; text: string; raw: string; subs: Token[][]} | {kind: 'op'; op: string} | {kind: 'redirect'; op: string; subs: Token[][]};
export type Word = Extract<Token, {kind: 'word'}>;

/** Deeper `$(…)` than this is kept as text: no runbook nests so deep, and a hostile one must not exhaust the stack. */
const MAX_DEPTH = 24;
const META = new Set([' ', '\t', '\r', '\n', '|', '&', ';', '(', ')', '<', '>']);
/** `<commit-sha>`: a runbook placeholder the operator's answer replaces before anything runs, not a redirection. */
const PLACEHOLDER = /^<[a-z][a-z0-9]*(?:[-_][a-z0-9]+)*>/i;

interface Heredoc {
  delimiter: string;
  stripTabs: boolean;
}

/** Tokens from `start` up to the end, or up to the `)` closing a `$(` when `closeParen`. */
// eslint-disable-next-line max-lines-per-function -- a lexer's state machine: one loop, one branch per kind of token, in the order a shell tries them
export function lex(s: string, start: number, closeParen: boolean, depth: number): {tokens: Token[]; end: number} {
  const tokens: Token[] = [];
  const heredocs: Heredoc[] = [];
  let parens = 0;
  let i = start;
  while (i < s.length) {
    const c = s[i]!;
    if (c === '\n') {
      tokens.push({kind: 'op', op: '\n'});
      i = heredocs.length ? skipHeredocs(s, i + 1, heredocs.splice(0)) : i + 1;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\r') {
      i++;
      continue;
    }
    if (c === '\\' && s[i + 1] === '\n') {
      i += 2;
      continue;
    }
    if (c === '#') {
      while (i < s.length && s[i] !== '\n') i++;
      continue;
    }
    if (c === ')') {
      if (closeParen && parens === 0) return {tokens, end: i + 1};
      parens = Math.max(0, parens - 1);
      tokens.push({kind: 'op', op: ')'});
      i++;
      continue;
    }
    if (c === '(') {
      parens++;
      tokens.push({kind: 'op', op: '('});
      i++;
      continue;
    }
    if ((c === '<' || c === '>') && s[i + 1] === '(') {
      // Process substitution: a word whose command runs alongside.
      const inner = depth < MAX_DEPTH ? lex(s, i + 2, true, depth + 1) : {tokens: [], end: closingParen(s, i + 2)};
      tokens.push({kind: 'word', text: s.slice(i, inner.end), raw: s.slice(i, inner.end), subs: [inner.tokens]});
      i = inner.end;
      continue;
    }
    const fd = c === '<' && PLACEHOLDER.test(s.slice(i, i + 80)) ? null : /^\d*(?=[<>])|^&(?=>)/.exec(s.slice(i, i + 12));
    if (fd && (fd[0] !== '' || c === '<' || c === '>')) {
      i = redirect(s, i + fd[0].length, depth, tokens, heredocs);
      continue;
    }
    const op = /^(&&|\|\||;;|\|&|[|;&])/.exec(s.slice(i, i + 2));
    if (op) {
      tokens.push({kind: 'op', op: op[0]});
      i += op[0].length;
      continue;
    }
    const word = readWord(s, i, depth);
    if (word.end === i) {
      i++; // an unbalanced quote at the very end, say: nothing to make of it
      continue;
    }
    tokens.push({kind: 'word', text: word.text, raw: s.slice(i, word.end), subs: word.subs});
    i = word.end;
  }
  return {tokens, end: i};
}

/** A redirection at `i` (its file descriptor already skipped); its target is consumed, a heredoc noted. */
function redirect(s: string, i: number, depth: number, tokens: Token[], heredocs: Heredoc[]): number {
  const op = /^(<<<|<<-|<<|<>|<&|>&|>>|>\||&>>|&>|<|>)/.exec(s.slice(i, i + 3))?.[0] ?? s[i]!;
  i += op.length;
  while (s[i] === ' ' || s[i] === '\t') i++;
  const target = i < s.length && !META.has(s[i]!) ? readWord(s, i, depth) : {text: '', subs: [], end: i};
  if (op === '<<' || op === '<<-') {
    if (target.text) heredocs.push({delimiter: target.text, stripTabs: op === '<<-'});
  }
  tokens.push({kind: 'redirect', op, subs: target.subs});
  return target.end;
}

/** Past the bodies of the heredocs opened on the line that just ended. */
function skipHeredocs(s: string, i: number, docs: Heredoc[]): number {
  for (const doc of docs) {
    while (i < s.length) {
      const nl = s.indexOf('\n', i);
      const line = s.slice(i, nl < 0 ? s.length : nl);
      i = nl < 0 ? s.length : nl + 1;
      const candidate = doc.stripTabs ? line.replace(/^\t+/, '') : line;
      if (candidate === doc.delimiter || candidate.trim() === doc.delimiter) break;
    }
  }
  return i;
}

interface ReadWord {
  text: string;
  subs: Token[][];
  end: number;
}

function readWord(s: string, start: number, depth: number): ReadWord {
  let text = '';
  const subs: Token[][] = [];
  let i = start;
  while (i < s.length) {
    const c = s[i]!;
    const placeholder = c === '<' ? PLACEHOLDER.exec(s.slice(i, i + 80))?.[0] : undefined;
    if (placeholder) {
      text += placeholder;
      i += placeholder.length;
      continue;
    }
    if (META.has(c)) break;
    if (c === '\\') {
      if (s[i + 1] !== '\n') text += s[i + 1] ?? '';
      i += 2;
    } else if (c === "'") {
      const end = s.indexOf("'", i + 1);
      text += s.slice(i + 1, end < 0 ? s.length : end);
      i = end < 0 ? s.length : end + 1;
    } else if (c === '$' && s[i + 1] === "'") {
      let j = i + 2;
      while (j < s.length && s[j] !== "'") j += s[j] === '\\' ? 2 : 1;
      text += s.slice(i + 2, j).replace(/\\(.)/g, '$1');
      i = Math.min(s.length, j + 1);
    } else if (c === '"') {
      const quoted = readDoubleQuoted(s, i + 1, depth, subs);
      text += quoted.text;
      i = quoted.end + 1;
    } else {
      const end = expansionEnd(s, i, depth, subs);
      text += end < 0 ? c : s.slice(i, end);
      i = end < 0 ? i + 1 : end;
    }
  }
  return {text, subs, end: Math.min(i, s.length)};
}

/** A double-quoted string's text from `start` (just past its `"`) to its closing `"` at `end` (or the end of `s`). */
function readDoubleQuoted(s: string, start: number, depth: number, subs: Token[][]): {text: string; end: number} {
  let text = '';
  let i = start;
  while (i < s.length && s[i] !== '"') {
    const d = s[i]!;
    if (d === '\\' && i + 1 < s.length) {
      const e = s[i + 1]!;
      if (e !== '\n') text += /[$`"\\]/.test(e) ? e : `\\${e}`;
      i += 2;
      continue;
    }
    const end = expansionEnd(s, i, depth, subs);
    text += end < 0 ? d : s.slice(i, end);
    i = end < 0 ? i + 1 : end;
  }
  return {text, end: i};
}

/** Just past the `$(…)`, `${…}` or backquoted text at `at` (the commands inside noted in `subs`), or -1 if none starts there. */
function expansionEnd(s: string, at: number, depth: number, subs: Token[][]): number {
  if (s[at] === '$' && s[at + 1] === '(') {
    // `$((…))` is arithmetic, not a command.
    if (s[at + 2] === '(') {
      const end = closingParen(s, at + 3);
      return s[end] === ')' ? end + 1 : end;
    }
    if (depth >= MAX_DEPTH) return closingParen(s, at + 2);
    const inner = lex(s, at + 2, true, depth + 1);
    subs.push(inner.tokens);
    return inner.end;
  }
  if (s[at] === '$' && s[at + 1] === '{') return closingBrace(s, at + 2);
  if (s[at] === '`') {
    let j = at + 1;
    while (j < s.length && s[j] !== '`') j += s[j] === '\\' ? 2 : 1;
    if (depth < MAX_DEPTH) subs.push(lex(s.slice(at + 1, j).replace(/\\([`\\$])/g, '$1'), 0, false, depth + 1).tokens);
    return Math.min(s.length, j + 1);
  }
  return -1;
}

/** Just past the `)` that closes a paren opened before `from` (quotes respected), or the end. */
function closingParen(s: string, from: number): number {
  let depth = 1;
  for (let j = from; j < s.length; j++) {
    const c = s[j];
    if (c === '\\') j++;
    else if (c === "'") j = s.indexOf("'", j + 1) < 0 ? s.length : s.indexOf("'", j + 1);
    else if (c === '"') {
      for (j++; j < s.length && s[j] !== '"'; j++) if (s[j] === '\\') j++;
    } else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return j + 1;
  }
  return s.length;
}

/** Just past the `}` that closes a `${` whose body starts at `from`, or the end (looking no further than `limit`). */
export function closingBrace(s: string, from: number, limit = s.length): number {
  let depth = 1;
  const end = Math.min(s.length, limit);
  for (let j = from; j < end; j++) {
    const c = s[j];
    if (c === '\\') j++;
    else if (c === "'" && depth > 0) {
      const close = s.indexOf("'", j + 1);
      if (close < 0 || close >= end) break;
      j = close;
    } else if (c === '$' && s[j + 1] === '{') {
      depth++;
      j++;
    } else if (c === '}' && --depth === 0) return j + 1;
  }
  return end;
}

// The way back from text to shell words, for everything the app writes for a shell to read: env files, the block's
// wrapper script, answers put into commands, a command rebuilt from its words.

/** POSIX single quotes: any text at all (spaces, newlines, PEM) reads back as exactly one word. */
export function shellQuote(text: string): string {
  return `'${text.replaceAll("'", `'\\''`)}'`;
}

// `~` stays bare, so an answer such as `~/.kube/config` means what it would typed at a prompt.
const PLAIN_WORD = /^[\w@%+=:,./~-]+$/;

/** A word as a person would type it: bare when nothing in it is special to the shell (`a/b:c`), quoted otherwise. */
export function shellWord(text: string): string {
  return PLAIN_WORD.test(text) ? text : shellQuote(text);
}
