// The shape of a logical command above its simple commands: which compound commands (`if…fi`, loops, `case…esac`,
// `{ … }`, `( … )`) are open, and the pipelines at its top level with the list operators between them. Read from the
// one tokenizer's tokens (shell-words.ts), with reserved words counted only in command position, as a shell does:
// `echo done` ends nothing.

import {lex, type Token} from './shell-words.js';
import {simpleCommand, type SimpleCommand} from './shell-commands.js';

type Frame = 'if' | 'loop' | 'case' | 'brace' | 'paren';

const OPENS: Record<string, Frame> = {if: 'if', for: 'loop', while: 'loop', until: 'loop', select: 'loop', case: 'case', '{': 'brace'};
const CLOSES: Record<string, Frame> = {fi: 'if', done: 'loop', esac: 'case', '}': 'brace'};
/** Reserved words after which a command follows (`for`, `select` and `case` take a name or a word first). */
const COMMAND_FOLLOWS = new Set(['if', 'then', 'else', 'elif', 'while', 'until', 'do', '{', '!', 'time']);
const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*(\[[^\]]*\])?\+?=/;

/**
 * Which compound commands are open, fed one complete line (or run of joined lines) at a time: a compound spanning
 * lines keeps it open until its closing word.
 */
export class Compounds {
  private readonly stack: Frame[] = [];
  /** In a `case`, between `in` (or `;;`) and the `)` ending a pattern: words there are patterns. */
  private pattern = false;
  private commandPosition = true;
  /** After `function`: the next word is the function's name. */
  private functionName = false;

  get open(): boolean {
    return this.stack.length > 0;
  }

  get depth(): number {
    return this.stack.length;
  }

  /** Feeds the tokens of text that starts at the beginning of a line. */
  feedText(text: string): void {
    this.commandPosition = true;
    for (const token of lex(text, 0, false, 0).tokens) this.feed(token);
  }

  /** Feeds one token; true when it is a reserved word or parenthesis of a compound rather than part of a command. */
  feed(token: Token): boolean {
    if (token.kind === 'redirect') return false;
    if (token.kind === 'op') return this.operator(token.op);
    const top = this.stack.at(-1);
    if (top === 'case' && this.pattern) {
      if (token.raw === 'esac') this.close();
      return true;
    }
    if (this.functionName) {
      this.functionName = false;
      this.commandPosition = true;
      return true;
    }
    if (!this.commandPosition) return false;
    const word = token.raw;
    const opens = OPENS[word];
    if (opens) {
      this.stack.push(opens);
      this.pattern = opens === 'case';
      this.commandPosition = COMMAND_FOLLOWS.has(word);
      return true;
    }
    if (CLOSES[word] && top === CLOSES[word]) {
      this.close();
      return true;
    }
    if (COMMAND_FOLLOWS.has(word)) return true;
    if (word === 'function') {
      this.functionName = true;
      return true;
    }
    this.commandPosition = ASSIGNMENT.test(word);
    return false;
  }

  private close() {
    this.stack.pop();
    this.pattern = false;
    this.commandPosition = false;
  }

  private operator(op: string): boolean {
    const top = this.stack.at(-1);
    this.commandPosition = true;
    if (op === '(') {
      // `(a|b) cmd;;`: a case pattern may open with a parenthesis of its own.
      if (top === 'case' && this.pattern) return true;
      this.stack.push('paren');
      return true;
    }
    if (op === ')') {
      if (top === 'case' && this.pattern) this.pattern = false;
      else if (top === 'paren') this.stack.pop();
      return true;
    }
    if (op === ';;' && top === 'case') this.pattern = true;
    return false;
  }
}

export interface Pipeline {
  /** One simple command per stage, in order; null for a stage that is a compound command or empty. */
  stages: Array<SimpleCommand | null>;
  /** The list operator before it ('' for the first) and after it ('' for the last): `;` `&` `&&` `||` or a newline. */
  before: string;
  after: string;
  /** `! cmd`: its status is inverted, a condition rather than a command that can fail. */
  negated: boolean;
}

export interface CommandShape {
  /** The pipelines at the top level, in order; what runs inside a compound command is not among them. */
  pipelines: Pipeline[];
  /** It is, or holds at its top level, a compound command. */
  compound: boolean;
  /** It feeds a heredoc to something. */
  heredoc: boolean;
}

const LIST_OPERATORS = new Set([';', '&', '&&', '||', '\n', ';;']);

/** The top-level pipelines of a logical command (as scanShell gives it) and whether it holds compound commands. */
export function commandShape(text: string): CommandShape {
  const compounds = new Compounds();
  const pipelines: Pipeline[] = [];
  let compound = false;
  let heredoc = false;
  let stage: Extract<Token, {kind: 'word'}>[] = [];
  let stageCompound = false;
  let current: Pipeline = {stages: [], before: '', after: '', negated: false};
  const endStage = () => {
    if (stage.length || stageCompound) current.stages.push(stageCompound ? null : simpleCommand(stage));
    stage = [];
    stageCompound = false;
  };
  const endPipeline = (after: string) => {
    endStage();
    current.after = after;
    if (current.stages.length) pipelines.push(current);
    current = {stages: [], before: after, negated: false, after: ''};
  };
  for (const token of lex(text, 0, false, 0).tokens) {
    const depth = compounds.depth;
    const structural = compounds.feed(token);
    if (token.kind === 'redirect' && (token.op === '<<' || token.op === '<<-')) heredoc = true;
    if (depth > 0 || compounds.depth > 0 || (structural && token.kind === 'word' && token.raw !== '!' && token.raw !== 'time')) {
      compound = stageCompound = true;
      continue;
    }
    if (token.kind === 'word') {
      if (token.raw === '!' && stage.length === 0 && current.stages.length === 0) current.negated = true;
      else if (!(token.raw === 'time' && stage.length === 0)) stage.push(token);
    } else if (token.kind === 'op') {
      if (token.op === '|' || token.op === '|&') endStage();
      else if (token.op === '\n' && stage.length === 0) continue; // after `|`, `&&`…: the command goes on
      else if (LIST_OPERATORS.has(token.op)) endPipeline(token.op);
      else compound = stageCompound = true; // a parenthesis: a subshell
    }
  }
  endPipeline('');
  return {pipelines, compound, heredoc};
}
