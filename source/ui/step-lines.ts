// A step rendered to terminal lines, once per change, so the view can scroll a window of them and keep the
// focused item in sight. Pure: the component only draws the lines it is given.

import {guideActionFor, guideActionLabel} from '../github/guide-actions.js';
import type {Block, Content, RunbookNode, Span} from '../runbook/model.js';
import {fitColumns, graphemes} from '../terminal/columns.js';
import {safeText} from '../terminal/safe-text.js';
import {truncate, width, wrapWords} from './text.js';
import type {Tone} from './theme.js';

export interface Segment {
  text: string;
  tone?: Tone;
  bold?: boolean;
  italic?: boolean;
  dim?: boolean;
  inverse?: boolean;
  underline?: boolean;
}

export type Line = Segment[];

export interface Actionable {
  kind: 'block' | 'check';
  id: string;
  /** First and last line of the item, for scrolling it into view. */
  first: number;
  last: number;
}

export type BlockState = {state: 'idle' | 'running' | 'ok' | 'failed' | 'cancelled'; detail: string};

export interface StepRenderContext {
  width: number;
  checks: Record<string, boolean>;
  blockState: (blockId: string) => BlockState;
  focusId: string | null;
  /** A cluster is configured: blocks that watch or roll back point at the live panes and `u`. */
  cluster?: boolean;
  /** GitHub is configured: the guide's gh blocks can be done natively with `m`. */
  github?: boolean;
  /** Where `u` would roll back to now (`v1.1.0 (rev 1)`), from the live history. */
  undoTo?: string | null;
}

const GUTTER = 2;

export function stepLines(step: RunbookNode, ctx: StepRenderContext): {lines: Line[]; actionables: Actionable[]} {
  const lines: Line[] = [];
  const actionables: Actionable[] = [];
  const blocks = new Map(step.blocks.map(b => [b.id, b]));
  const checks = new Map([...step.checklist, ...step.triggers].map(c => [c.id, c]));
  const inner = Math.max(10, ctx.width - GUTTER);

  const push = (line: Line, focused = false) => lines.push([{text: focused ? '▶ ' : '  ', tone: focused ? 'accent' : undefined, bold: focused}, ...line]);

  const spansToLines = (spans: Span[], max: number, prefix: Segment[] = [], hanging = 0): Line[] =>
    wrapSegments(
      spans.map(span => ({text: span.text, ...spanStyle(span)})),
      max + width(prefix.map(p => p.text).join('')) - hanging,
      prefix,
      hanging,
    );

  const renderBlock = (block: Block, indent: string) => {
    const first = lines.length;
    const focused = ctx.focusId === block.id;
    const status = ctx.blockState(block.id);
    const header: Line = [{text: indent}];
    if (block.kind === 'command') {
      const icon = {idle: '$', running: '◐', ok: '✓', failed: '✗', cancelled: '⊘'}[status.state];
      const tone: Tone | undefined = {idle: 'accent', running: 'running', ok: 'done', failed: 'failed', cancelled: 'warn'}[status.state] as Tone;
      header.push({text: `${icon} ${block.lang || 'sh'}`, tone, bold: true});
      if (status.detail) header.push({text: ` · ${status.detail}`, tone});
      if (block.interactive) header.push({text: ' · takes the terminal', tone: 'muted'});
      const native = ctx.github ? guideActionFor(block.commands) : null;
      const nativeLabel = native ? guideActionLabel(native) : null;
      const live = nativeLabel ?? (ctx.cluster ? liveHint(block.commands, ctx.undoTo ?? null) : null);
      if (live) header.push({text: ` · ${live}`, tone: 'accent'});
      header.push({text: focused ? '   ⏎ run' : '', tone: 'accent'});
    } else {
      header.push({text: {output: 'expected output', template: 'message template', config: block.lang || 'config', code: block.lang || 'code', command: ''}[block.kind], tone: 'muted'});
      if (block.kind === 'template' && focused) header.push({text: '   ⏎ fill from this session and copy', tone: 'accent'});
    }
    push(header, focused);
    if (block.dangerous) {
      const target = block.confirm ? ` — you will type the ${block.confirm.kind} "${block.confirm.value}"` : '';
      for (const l of wrapSegments([{text: `⚠ DANGEROUS: ${block.dangers.join('; ')}${target}`, tone: 'danger', bold: true}], inner, [{text: indent}], width(indent) + 2)) push(l);
    }
    const codeWidth = inner - width(indent) - 2;
    for (const raw of block.code.split('\n')) {
      const comment = /^\s*#/.test(raw) && block.kind === 'command';
      push([{text: `${indent}│ `, tone: 'muted'}, {text: truncate(raw.replace(/\t/g, '  '), codeWidth), tone: block.kind === 'command' && !comment ? 'code' : 'muted', dim: comment}]);
    }
    if (block.kind === 'command' || block.kind === 'template') actionables.push({kind: 'block', id: block.id, first, last: lines.length - 1});
  };

  // Nesting indents until a third of the width is taken, then stays there: text always keeps room to wrap in (the
  // parser allows 32 levels, far more than a terminal can indent).
  const deeper = (indent: string, step: string) => (width(indent + step) <= inner / 3 ? indent + step : indent);

  const renderContent = (content: readonly Content[], indent: string) => {
    for (const c of content) {
      switch (c.type) {
        case 'paragraph':
          for (const l of spansToLines(c.spans, inner - width(indent), [{text: indent}], width(indent))) push(l);
          push([]);
          break;
        case 'block': {
          const block = blocks.get(c.blockId);
          if (block) renderBlock(block, indent);
          push([]);
          break;
        }
        case 'list':
          c.items.forEach((item, i) => {
            const check = item.checkId ? checks.get(item.checkId) : undefined;
            if (check) {
              const ticked = ctx.checks[check.id] ?? false;
              const focused = ctx.focusId === check.id;
              // A trigger ticked means "true now": shown as a warning, not as work done.
              const trigger = check.kind === 'trigger';
              const box: Segment = {text: ticked ? (trigger ? '[!] ' : '[x] ') : '[ ] ', tone: ticked ? (trigger ? 'danger' : 'done') : undefined, bold: focused};
              const spans: Span[] = [{text: check.text}];
              const first = lines.length;
              const wrapped = spansToLines(spans, inner - width(indent), [{text: indent}, box], width(indent) + 4);
              wrapped.forEach((l, k) => push(ticked && !trigger ? l.map(s => (s === box ? s : {...s, tone: s.tone ?? 'done'})) : l, focused && k === 0));
              if (focused) for (const l of lines.slice(first)) for (const s of l.slice(1)) s.inverse = s.text.trim() !== '' && s !== l[1];
              actionables.push({kind: 'check', id: check.id, first, last: lines.length - 1});
            } else {
              const bullet = c.ordered ? `${c.start + i}. ` : '• ';
              for (const l of spansToLines(item.spans, inner - width(indent), [{text: indent}, {text: bullet, tone: 'muted'}], width(indent) + width(bullet))) push(l);
            }
            if (item.children.length) renderContent(item.children, deeper(indent, '   '));
          });
          push([]);
          break;
        case 'table':
          for (const row of tableLines(c.header, c.rows, inner - width(indent))) push([{text: indent}, ...row]);
          push([]);
          break;
        case 'quote':
          renderContent(c.children, deeper(indent, '┃ '));
          break;
        case 'rule':
          push([{text: indent + '─'.repeat(Math.min(20, inner)), tone: 'muted'}]);
          break;
        case 'html':
          for (const l of wrapWords(c.text, inner - width(indent))) push([{text: indent + l, tone: 'muted'}]);
          break;
      }
    }
  };

  renderContent(step.content, '');
  while (lines.length && lines[lines.length - 1]!.length <= 1) lines.pop();
  return {lines, actionables};
}

function spanStyle(span: Span): Omit<Segment, 'text'> {
  switch (span.style) {
    case 'strong':
      return {bold: true};
    case 'emphasis':
      return {italic: true};
    case 'code':
      return {tone: 'code'};
    case 'link':
      return {tone: 'link', underline: true};
    case 'delete':
      return {dim: true};
    default:
      return {};
  }
}

/**
 * Greedy word wrap over styled segments: the first line starts with `prefix`, the others with `hanging` spaces,
 * and no line is wider than `max` columns. A word wider than a line is cut.
 */
export function wrapSegments(segments: Segment[], max: number, prefix: Segment[] = [], hanging = 0): Line[] {
  const out: Line[] = [];
  let line: Line = [...prefix];
  let used = width(prefix.map(p => p.text).join(''));
  let atStart = true;
  const newline = () => {
    out.push(line);
    line = hanging ? [{text: ' '.repeat(hanging)}] : [];
    used = hanging;
    atStart = true;
  };
  const append = (token: Segment) => {
    const last = line[line.length - 1];
    if (last && last !== prefix[prefix.length - 1] && sameStyle(last, token)) last.text += token.text;
    else line.push({...token});
    used += width(token.text);
  };
  for (const segment of segments) {
    for (const part of safeText(segment.text, {keep: '\n\t'}).split(/(\n|[ \t]+)/)) {
      if (!part) continue;
      if (part === '\n') {
        newline();
        continue;
      }
      const w = width(part);
      if (/^\s+$/.test(part)) {
        if (!atStart && used + w < max) append({...segment, text: ' '});
        continue;
      }
      if (used + w > max && !atStart) {
        const last = line[line.length - 1];
        if (last && last.text.endsWith(' ')) last.text = last.text.trimEnd();
        newline();
      }
      let word = part;
      // At least one column per line, however narrow the room: an empty word must end the loop.
      while (width(word) > Math.max(1, max - hanging)) {
        const head = fitColumns(word, max - used) || graphemes(word)[0]!;
        append({...segment, text: head});
        word = word.slice(head.length);
        newline();
      }
      append({...segment, text: word});
      atStart = false;
    }
  }
  out.push(line);
  return out;
}

const sameStyle = (a: Omit<Segment, 'text'>, b: Omit<Segment, 'text'>) =>
  a.tone === b.tone && a.bold === b.bold && a.italic === b.italic && a.underline === b.underline && a.dim === b.dim && a.inverse === b.inverse;

function tableLines(header: string[], rows: string[][], max: number): Line[] {
  const cols = header.length;
  const widths = header.map((h, i) => Math.max(width(h), ...rows.map(r => width(r[i] ?? ''))));
  const sep = 3;
  let total = widths.reduce((a, b) => a + b, 0) + sep * (cols - 1);
  // Shrink the widest column first until the table fits.
  while (total > max && Math.max(...widths) > 4) {
    const i = widths.indexOf(Math.max(...widths));
    widths[i]!--;
    total--;
  }
  const cell = (text: string, i: number) => {
    const t = truncate(text, widths[i]!);
    return t + ' '.repeat(Math.max(0, widths[i]! - width(t)));
  };
  const out: Line[] = [[{text: header.map(cell).join(' │ '), bold: true}], [{text: widths.map(w => '─'.repeat(w)).join('─┼─'), tone: 'muted'}]];
  for (const row of rows) out.push([{text: header.map((_, i) => cell(row[i] ?? '', i)).join(' │ ')}]);
  return out;
}

/** Ids of the step's actionable items in reading order: command blocks and checklist items. */
export function actionableIds(step: RunbookNode): string[] {
  const ids: string[] = [];
  // Templates are actionable too: Enter fills one from the session's facts and copies it.
  const commands = new Set(step.blocks.filter(b => b.kind === 'command' || b.kind === 'template').map(b => b.id));
  const visit = (content: readonly Content[]) => {
    for (const c of content) {
      if (c.type === 'block' && commands.has(c.blockId)) ids.push(c.blockId);
      if (c.type === 'list')
        for (const item of c.items) {
          if (item.checkId) ids.push(item.checkId);
          visit(item.children);
        }
      if (c.type === 'quote') visit(c.children);
    }
  };
  visit(step.content);
  return ids;
}

/** What the live panes already show, or do natively, for this block's commands. */
function liveHint(commands: readonly string[], undoTo: string | null): string | null {
  const text = commands.join('\n');
  if (/\bkubectl\b[^\n]*\brollout\s+undo\b/.test(text)) return undoTo ? `u rolls back natively to ${undoTo}` : 'u rolls back natively';
  if (/\bkubectl\b[^\n]*\brollout\s+status\b/.test(text) || /\bwatch\b[^\n]*kubectl[^\n]*\bget\s+pods\b/.test(text)) return 'live in the panes';
  return null;
}
