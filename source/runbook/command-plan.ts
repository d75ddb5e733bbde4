// The logical commands of a block as the runner treats them: where each stands in the script, and what kind of
// command it is, so that each can have its own outcome (✓, ✗, not run, no matches, stopped by you) and a search that
// finds nothing or a follower the operator ends with Ctrl-C does not stop the rest of the block.
//
// The rule, in the README's "Running a block": a search is grep/egrep/fgrep/rg/ag/ack alone or last in the pipeline
// that ends a command, not in a condition (`if`, `&&`, `||`, `!`); it asserts presence when quiet (`-q`) or when a
// sentence of the step says its literal pattern should/must be there; a search for trouble (errors, panics…) never
// asserts. A follower is what isFollower (danger.ts) says.

import {isFollower} from './danger.js';
import type {Content, RunbookNode, Span} from './model.js';
import type {SimpleCommand} from './shell-commands.js';
import {scanShell} from './shell-scan.js';
import {commandShape, type CommandShape} from './shell-structure.js';

/**
 * - `search`: a grep/rg/ag/ack (alone or last in a pipeline) whose finding nothing is an answer ("no matches"): the
 *   block goes on.
 * - `assert`: a search that asserts presence (`grep -q`, or a pattern the step's text says must be there): finding
 *   nothing fails, as any command.
 * - `follower`: follows output until stopped (`logs -f`, `--watch`, `watch`, `gh run watch`, `tail -f`): ended by
 *   Ctrl-C it is a success ("stopped by you") and the block goes on.
 * - `plain`: everything else.
 */
export type CommandRole = 'search' | 'assert' | 'follower' | 'plain';

export interface PlannedCommand {
  /** 0-based, in the order of the block. */
  index: number;
  /** The logical command as written (comments dropped), as scanShell gives it. */
  text: string;
  /** First and last line of the script (1-based) it spans. */
  line: number;
  endLine: number;
  role: CommandRole;
}

/** The logical commands of a block's script (as run), each with its lines and role; `stepText` is the step's prose. */
export function planCommands(script: string, stepText = ''): PlannedCommand[] {
  // The output pane asks for the same block's plan several times a frame (its outcomes, its status, its title):
  // the last answer is kept (callers only read it).
  if (lastPlan?.script === script && lastPlan.stepText === stepText) return lastPlan.plan;
  const plan: PlannedCommand[] = scanShell(script).map((command, index) => ({
    index,
    text: command.text,
    line: command.line,
    endLine: command.endLine,
    role: roleOf(commandShape(command.text), stepText),
  }));
  lastPlan = {script, stepText, plan};
  return plan;
}

let lastPlan: {script: string; stepText: string; plan: PlannedCommand[]} | null = null;

/**
 * Whether the runner can tell this command's own end from the block's: one pipeline, nothing after it on its line
 * or lines but a comment, no heredoc. Only then does `|| note` after its last line see that pipeline's statuses.
 */
export function canInstrument(command: PlannedCommand): boolean {
  if (command.role !== 'search' && command.role !== 'follower') return false;
  const shape = commandShape(command.text);
  return !shape.compound && !shape.heredoc && shape.pipelines.length === 1 && shape.pipelines[0]!.after === '' && !shape.pipelines[0]!.negated;
}

const SEARCHES = new Set(['grep', 'egrep', 'fgrep', 'rg', 'ag', 'ack']);
/** What a search for trouble looks for: finding none of it is the good answer, never a failed assertion. */
export const TROUBLE = /err|crit|fatal|fail|panic|exception|oom|killed|denied/i;

function roleOf(shape: CommandShape, stepText: string): CommandRole {
  if (shape.compound) return 'plain';
  const foreground = shape.pipelines.filter(p => p.after !== '&');
  if (foreground.some(p => p.stages.some(s => s !== null && isFollower(s)))) return 'follower';
  const last = shape.pipelines.at(-1);
  // A search in a condition (`grep -q x f && …`, `! grep`) already never stops the block.
  if (!last || last.after === '&' || last.negated) return 'plain';
  const search = last.stages.at(-1);
  if (!search || !SEARCHES.has(search.program)) return 'plain';
  const {patterns, quiet, inverted} = searchOf(search);
  if (!inverted && patterns.some(p => TROUBLE.test(p))) return 'search';
  if (quiet || patterns.some(p => stepAsserts(p, stepText))) return 'assert';
  return 'search';
}

/** Short options that take a value, in the same word or the next (`-e` gives a pattern). */
const SHORT_VALUES: Record<string, string> = {grep: 'efmABCdD', egrep: 'efmABCdD', fgrep: 'efmABCdD', rg: 'efmABCgtTEMj', ag: 'mABCGg', ack: 'mABCg'};
/** Long options that take a value when written apart from it (`--context 3`). */
const LONG_VALUES = new Set([
  '--file', '--max-count', '--after-context', '--before-context', '--context', '--glob', '--type', '--type-not',
  '--include', '--exclude', '--exclude-dir', '--label', '--binary-files', '--devices', '--directories',
  '--max-columns', '--encoding', '--threads', '--replace',
]);

/** A search's patterns (`-e` ones, else its first operand), whether it is quiet (`-q`) and inverted (`-v`). */
function searchOf(command: SimpleCommand): {patterns: string[]; quiet: boolean; inverted: boolean} {
  const values = SHORT_VALUES[command.program] ?? '';
  const explicit: string[] = [];
  const operands: string[] = [];
  let quiet = false;
  let inverted = false;
  const {args} = command;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') {
      operands.push(...args.slice(i + 1));
      break;
    }
    if (arg === '--regexp') explicit.push(args[++i] ?? '');
    else if (arg.startsWith('--regexp=')) explicit.push(arg.slice('--regexp='.length));
    else if (arg === '--quiet' || arg === '--silent') quiet = true;
    else if (arg === '--invert-match') inverted = true;
    else if (LONG_VALUES.has(arg)) i++;
    else if (/^-[^-]/.test(arg)) {
      // Short options together (`-iq`, `-A3`): one that takes a value takes the rest of the word, or the next.
      for (let j = 1; j < arg.length; j++) {
        const letter = arg[j]!;
        quiet ||= letter === 'q';
        inverted ||= letter === 'v';
        if (!values.includes(letter)) continue;
        const value = j + 1 < arg.length ? arg.slice(j + 1) : (args[++i] ?? '');
        if (letter === 'e') explicit.push(value);
        break;
      }
    } else if (!arg.startsWith('-')) operands.push(arg);
  }
  return {patterns: explicit.length ? explicit : operands.slice(0, 1), quiet, inverted};
}

const ASSERTING = /\b(should|must|expect(ed|s)?|verify|ensure|confirm|make sure)\b/i;
/** A pattern the operator could find in prose: no regular-expression syntax beyond a dot. */
const LITERAL = /^[^[\](){}|*+?^$\\]{2,}$/;

/** Whether a sentence of the step says the pattern must be there: "The pod should show Running." */
function stepAsserts(pattern: string, stepText: string): boolean {
  if (!stepText || !LITERAL.test(pattern)) return false;
  const wanted = pattern.toLowerCase();
  return stepText.split(/(?<=[.!?])\s+|\n+/).some(sentence => ASSERTING.test(sentence) && sentence.toLowerCase().includes(wanted));
}

/** A step's prose, a sentence or list item a line: what planCommands reads for what the step asserts. */
export function stepProse(step: Pick<RunbookNode, 'content'>): string {
  return step.content.flatMap(proseOf).join('\n');
}

const spansText = (spans: Span[]) => spans.map(s => s.text).join('');

function proseOf(content: Content): string[] {
  switch (content.type) {
    case 'paragraph':
      return [spansText(content.spans)];
    case 'list':
      return content.items.flatMap(item => [spansText(item.spans), ...item.children.flatMap(proseOf)]);
    case 'quote':
      return content.children.flatMap(proseOf);
    default:
      return [];
  }
}
