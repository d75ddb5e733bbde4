// A bound on how deeply lists and block quotes nest, applied to the text before the markdown parser sees it.
//
// micromark's work per line grows with the containers open on it, and remark's tree walks recurse once per level: a
// 20 KB line of 10,000 `- ` markers took 28 s and then overflowed the stack; 10,000 `>` overflowed in 0.6 s. No
// runbook nests a list 32 deep, so deeper containers are flattened: their markers are dropped and their text joins
// the 32nd level, every byte of text kept. (Bounding the model builder instead would leave the parser's own cost and
// recursion.) The container structure is tracked line by line as CommonMark defines it (quotes continue with `>`,
// list items with their content's indentation, fenced code until its closing fence or its container ends), so text
// inside fenced code (a heredoc's YAML, a `>>>>` in sample output) is never touched.

export const MAX_NESTING = 32;

interface Container {
  quote: boolean;
  /** For a list item: the indentation, relative to where the item's marker line began, its content needs. */
  width: number;
}

interface Fence {
  char: string;
  length: number;
  /** The containers it sits in. */
  depth: number;
}

const SPACE = 32;
const TAB = 9;

/** The column after `ch` at `column` (tabs stop every 4). */
const advance = (code: number, column: number) => (code === TAB ? column + 4 - (column % 4) : column + 1);

/** Skips spaces and tabs from `at`: where they end and the column there. */
function skipBlanks(line: string, at: number, column: number): [number, number] {
  while (at < line.length) {
    const code = line.charCodeAt(at);
    if (code !== SPACE && code !== TAB) break;
    column = advance(code, column);
    at++;
  }
  return [at, column];
}

/** Consumes up to `columns` columns of indentation. */
function consume(line: string, at: number, column: number, columns: number): [number, number] {
  const stop = column + columns;
  while (at < line.length && column < stop) {
    const code = line.charCodeAt(at);
    if (code !== SPACE && code !== TAB) break;
    column = advance(code, column);
    at++;
  }
  return [at, column];
}

const isBlank = (line: string, at: number) => skipBlanks(line, at, 0)[0] === line.length;

/**
 * Whether the line from `at` is a thematic break (`---`, `* * *`, `___`), which starts no list. Where the line's
 * last run of that character and blanks begins is found once per line: asking at each of 10,000 markers on one
 * line must not rescan the line each time.
 */
let tailsOf = '';
const tails = new Map<string, number>();
function isThematic(line: string, at: number): boolean {
  const [p] = skipBlanks(line, at, 0);
  const c = line[p];
  if (c !== '-' && c !== '*' && c !== '_') return false;
  if (tailsOf !== line) {
    tailsOf = line;
    tails.clear();
  }
  let start = tails.get(c);
  if (start === undefined) {
    start = line.length;
    while (start > 0 && (line[start - 1] === c || line[start - 1] === ' ' || line[start - 1] === '\t')) start--;
    tails.set(c, start);
  }
  if (p < start) return false;
  let count = 0;
  for (let i = p; i < line.length && count < 3; i++) if (line[i] === c) count++;
  return count >= 3;
}

/** A list marker at `at`: its width, or 0. It must be followed by a blank or the end of the line. */
function listMarker(line: string, at: number): number {
  const c = line[at];
  let end = at;
  if (c === '-' || c === '+' || c === '*') end = at + 1;
  else {
    while (end < line.length && end - at < 9 && line.charCodeAt(end) >= 48 && line.charCodeAt(end) <= 57) end++;
    if (end === at || (line[end] !== '.' && line[end] !== ')')) return 0;
    end++;
  }
  if (end < line.length && line.charCodeAt(end) !== SPACE && line.charCodeAt(end) !== TAB) return 0;
  if ((c === '-' || c === '*') && isThematic(line, at)) return 0;
  return end - at;
}

function fenceAt(line: string, at: number): {char: string; length: number} | null {
  const char = line[at];
  if (char !== '`' && char !== '~') return null;
  let end = at;
  while (end < line.length && line[end] === char) end++;
  if (end - at < 3) return null;
  // A backtick fence's info string may not contain a backtick (that is inline code).
  if (char === '`' && line.indexOf('`', end) !== -1) return null;
  return {char, length: end - at};
}

/** Whether the rest of the line would start a block of its own, rather than continue a paragraph lazily. */
function startsBlock(line: string, at: number, column: number): boolean {
  const [p, c] = skipBlanks(line, at, column);
  if (c - column >= 4 || p === line.length) return false;
  const ch = line[p];
  return ch === '>' || ch === '#' || listMarker(line, p) > 0 || fenceAt(line, p) !== null || isThematic(line, p);
}

const WARNING = `lists or quotes nested deeper than ${MAX_NESTING} levels`;

/** The runbook's warning about flattened lines (one line), and how to tell it among the others. */
export const nestingWarning = (lines: readonly number[]) => `${WARNING} at line ${lines[0]}${lines.length > 1 ? ` and ${lines.length - 1} more` : ''}: flattened to ${MAX_NESTING}`;
export const isNestingWarning = (warning: string) => warning.startsWith(WARNING);

export interface Flattened {
  text: string;
  /** 1-based lines whose nesting went past the bound. */
  lines: number[];
}

/** The text with lists and quotes nested deeper than `max` flattened to `max` (see the top of this file). */
// eslint-disable-next-line max-lines-per-function -- one pass of CommonMark's container rules: the open containers, fence and paragraph carry from line to line, and read best in one place
export function capNesting(text: string, max = MAX_NESTING): Flattened {
  // Most runbooks never come near the bound: skip the work when no line could reach it.
  if (!couldBeDeep(text, max)) return {text, lines: []};
  const lines = text.split('\n');
  const flattened: number[] = [];
  let stack: Container[] = [];
  let fence: Fence | null = null;
  let paragraph = false;
  for (let n = 0; n < lines.length; n++) {
    let line = expandTabs(lines[n]!);
    let at = 0;
    let column = 0;
    let matched = 0;
    for (const container of stack) {
      if (container.quote) {
        const [p, c] = skipBlanks(line, at, column);
        if (c - column > 3 || line[p] !== '>') break;
        [at, column] = consume(line, p + 1, c + 1, 1);
      } else if (isBlank(line, at)) {
        // a blank line continues a list item
      } else {
        const [, c] = skipBlanks(line, at, column);
        if (c - column < container.width) break;
        [at, column] = consume(line, at, column, container.width);
      }
      matched++;
    }

    if (fence) {
      if (matched === stack.length && fence.depth === stack.length) {
        const [p, c] = skipBlanks(line, at, column);
        const closing = c - column <= 3 ? fenceAt(line, p) : null;
        if (closing && closing.char === fence.char && closing.length >= fence.length && isBlank(line, p + closing.length)) fence = null;
        continue; // a line of code: never touched
      }
      fence = null; // its container ended, and the fence with it
    } else if (matched < stack.length && paragraph && !isBlank(line, at) && !startsBlock(line, at, column)) {
      continue; // a lazy continuation of the paragraph: its containers stay open
    }
    stack = stack.slice(0, matched);

    let flattenedHere = false;
    for (;;) {
      const [p, c] = skipBlanks(line, at, column);
      if (c - column >= 4 || p === line.length) {
        // At the bound, a line indented far past it (a ladder of list items) gets no deeper either.
        if (stack.length >= max && c - column > 4 && p < line.length) {
          line = `${line.slice(0, at)}    ${line.slice(p)}`;
          flattenedHere = true;
        }
        break;
      }
      const quote = line[p] === '>';
      const marker = quote ? 1 : listMarker(line, p);
      if (!marker) break;
      if (stack.length >= max) {
        line = `${line.slice(0, p)}${line.slice(endOfMarkers(line, p))}`;
        flattenedHere = true;
        break;
      }
      const afterMarker = c + marker;
      if (quote) {
        stack.push({quote: true, width: 0});
        [at, column] = consume(line, p + 1, afterMarker, 1);
        continue;
      }
      const [q, d] = skipBlanks(line, p + marker, afterMarker);
      // Content after 1–4 blanks starts there; after 5 or more (indented code) or none, one blank after the marker.
      const gap = q === line.length || d - afterMarker > 4 ? 1 : d - afterMarker;
      stack.push({quote: false, width: c - column + marker + gap});
      [at, column] = consume(line, p + marker, afterMarker, gap);
    }
    if (flattenedHere) {
      lines[n] = line;
      flattened.push(n + 1);
    }

    const [p, c] = skipBlanks(line, at, column);
    if (p === line.length) paragraph = false;
    else if (c - column >= 4) {
      // indented code, unless it continues a paragraph
    } else {
      const opened = fenceAt(line, p);
      if (opened) {
        fence = {...opened, depth: stack.length};
        paragraph = false;
      } else paragraph = !(line[p] === '#' || isThematic(line, p));
    }
  }
  return flattened.length ? {text: lines.join('\n'), lines: flattened} : {text, lines: []};
}

/**
 * Tabs in the part of a line that holds container markers, as the spaces they stand for (stops every 4 columns): a
 * tab can be split between two containers' indentation. The expanded line is only written back if it is flattened.
 */
function expandTabs(line: string): string {
  const tab = line.indexOf('\t');
  if (tab === -1 || !/^[ \t>*+\-.)0-9]*$/.test(line.slice(0, tab))) return line;
  let out = '';
  let i = 0;
  for (; i < line.length; i++) {
    const ch = line[i]!;
    if (ch === '\t') out += ' '.repeat(4 - (out.length % 4));
    else if (' >*+-.)0123456789'.includes(ch)) out += ch;
    else break;
  }
  return out + line.slice(i);
}

/** Where a run of container markers (and the blanks between them) that starts at `at` ends. */
function endOfMarkers(line: string, at: number): number {
  for (;;) {
    const [p] = skipBlanks(line, at, 0);
    const marker = line[p] === '>' ? 1 : listMarker(line, p);
    if (!marker || p === line.length) return p;
    at = p + marker;
  }
}

/**
 * A cheap look for anything that could nest past the bound. A line's containers each need a marker on it (`>`, `-`,
 * `1.`) or, for a list item it continues, at least two columns of indentation: a line with fewer than that cannot
 * be `max` deep.
 */
function couldBeDeep(text: string, max: number): boolean {
  let weight = 0;
  let leading = true;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 10) {
      weight = 0;
      leading = true;
      continue;
    }
    if (!leading) continue;
    if (code === SPACE) weight += 1;
    else if (code === TAB) weight += 4;
    else if (code === 62 || code === 45 || code === 42 || code === 43 || code === 46 || code === 41) weight += 2;
    else if (code < 48 || code > 57) leading = false;
    if (weight >= max * 2) return true;
  }
  return false;
}
