// A step rendered to terminal lines, once per change, so the view can scroll a window of them and keep the
// focused item in sight. Pure: the component only draws the lines it is given.

import {guideActionFor, guideActionLabel} from '../github/guide-actions.js';
import type {Block, Content, RunbookNode, Span} from '../runbook/model.js';
import {tableLines, wrapSegments} from './segment-wrap.js';
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

export {wrapSegments};

const GUTTER = 2;

type Check = RunbookNode['checklist'][number] | RunbookNode['triggers'][number];

/** A step being rendered: the lines so far, where its actionable items are, and what it is drawn with. */
interface Render {
  ctx: StepRenderContext;
  lines: Line[];
  actionables: Actionable[];
  blocks: Map<string, Block>;
  checks: Map<string, Check>;
  /** The room right of the focus gutter. */
  inner: number;
}

export function stepLines(step: RunbookNode, ctx: StepRenderContext): {lines: Line[]; actionables: Actionable[]} {
  const r: Render = {
    ctx,
    lines: [],
    actionables: [],
    blocks: new Map(step.blocks.map(b => [b.id, b])),
    checks: new Map([...step.checklist, ...step.triggers].map(c => [c.id, c])),
    inner: Math.max(10, ctx.width - GUTTER),
  };
  renderContent(r, step.content, '');
  while (r.lines.length && r.lines[r.lines.length - 1]!.length <= 1) r.lines.pop();
  return {lines: r.lines, actionables: r.actionables};
}

const push = (r: Render, line: Line, focused = false) => r.lines.push([{text: focused ? '▶ ' : '  ', tone: focused ? 'accent' : undefined, bold: focused}, ...line]);

const spansToLines = (spans: Span[], max: number, prefix: Segment[] = [], hanging = 0): Line[] =>
  wrapSegments(
    spans.map(span => ({text: span.text, ...spanStyle(span)})),
    max + width(prefix.map(p => p.text).join('')) - hanging,
    prefix,
    hanging,
  );

// Nesting indents until a third of the width is taken, then stays there: text always keeps room to wrap in (the
// parser allows 32 levels, far more than a terminal can indent).
const deeper = (r: Render, indent: string, step: string) => (width(indent + step) <= r.inner / 3 ? indent + step : indent);

function renderContent(r: Render, content: readonly Content[], indent: string) {
  const room = r.inner - width(indent);
  for (const c of content) {
    switch (c.type) {
      case 'paragraph':
        for (const l of spansToLines(c.spans, room, [{text: indent}], width(indent))) push(r, l);
        push(r, []);
        break;
      case 'block': {
        const block = r.blocks.get(c.blockId);
        if (block) renderBlock(r, block, indent);
        push(r, []);
        break;
      }
      case 'list':
        renderList(r, c, indent);
        push(r, []);
        break;
      case 'table':
        for (const row of tableLines(c.header, c.rows, room)) push(r, [{text: indent}, ...row]);
        push(r, []);
        break;
      case 'quote':
        renderContent(r, c.children, deeper(r, indent, '┃ '));
        break;
      case 'rule':
        push(r, [{text: indent + '─'.repeat(Math.min(20, r.inner)), tone: 'muted'}]);
        break;
      case 'html':
        for (const l of wrapWords(c.text, room)) push(r, [{text: indent + l, tone: 'muted'}]);
        break;
    }
  }
}

function renderList(r: Render, list: Extract<Content, {type: 'list'}>, indent: string) {
  list.items.forEach((item, i) => {
    const check = item.checkId ? r.checks.get(item.checkId) : undefined;
    if (check) renderCheck(r, check, indent);
    else {
      const bullet = list.ordered ? `${list.start + i}. ` : '• ';
      for (const l of spansToLines(item.spans, r.inner - width(indent), [{text: indent}, {text: bullet, tone: 'muted'}], width(indent) + width(bullet))) push(r, l);
    }
    if (item.children.length) renderContent(r, item.children, deeper(r, indent, '   '));
  });
}

function renderCheck(r: Render, check: Check, indent: string) {
  const ticked = r.ctx.checks[check.id] ?? false;
  const focused = r.ctx.focusId === check.id;
  // A trigger ticked means "true now": shown as a warning, not as work done.
  const trigger = check.kind === 'trigger';
  const box: Segment = {text: ticked ? (trigger ? '[!] ' : '[x] ') : '[ ] ', tone: ticked ? (trigger ? 'danger' : 'done') : undefined, bold: focused};
  const first = r.lines.length;
  const wrapped = spansToLines([{text: check.text}], r.inner - width(indent), [{text: indent}, box], width(indent) + 4);
  wrapped.forEach((l, k) => push(r, ticked && !trigger ? l.map(s => (s === box ? s : {...s, tone: s.tone ?? 'done'})) : l, focused && k === 0));
  if (focused) for (const l of r.lines.slice(first)) for (const s of l.slice(1)) s.inverse = s.text.trim() !== '' && s !== l[1];
  r.actionables.push({kind: 'check', id: check.id, first, last: r.lines.length - 1});
}

function renderBlock(r: Render, block: Block, indent: string) {
  const first = r.lines.length;
  const focused = r.ctx.focusId === block.id;
  push(r, [{text: indent}, ...blockHeader(r.ctx, block, focused)], focused);
  if (block.dangerous) {
    const target = block.confirm ? ` — you will type the ${block.confirm.kind} "${block.confirm.value}"` : '';
    for (const l of wrapSegments([{text: `⚠ DANGEROUS: ${block.dangers.join('; ')}${target}`, tone: 'danger', bold: true}], r.inner, [{text: indent}], width(indent) + 2)) push(r, l);
  }
  const codeWidth = r.inner - width(indent) - 2;
  for (const raw of block.code.split('\n')) {
    const comment = /^\s*#/.test(raw) && block.kind === 'command';
    push(r, [{text: `${indent}│ `, tone: 'muted'}, {text: truncate(raw.replace(/\t/g, '  '), codeWidth), tone: block.kind === 'command' && !comment ? 'code' : 'muted', dim: comment}]);
  }
  if (block.kind === 'command' || block.kind === 'template') r.actionables.push({kind: 'block', id: block.id, first, last: r.lines.length - 1});
}

/** A block's first line: a command's state and what else can do it, or what kind of text the block is. */
function blockHeader(ctx: StepRenderContext, block: Block, focused: boolean): Segment[] {
  const header: Segment[] = [];
  if (block.kind !== 'command') {
    header.push({text: {output: 'expected output', template: 'message template', config: block.lang || 'config', code: block.lang || 'code', command: ''}[block.kind], tone: 'muted'});
    if (block.kind === 'template' && ctx.blockState(block.id).state === 'ok') header.push({text: ` · ✓ ${ctx.blockState(block.id).detail}`, tone: 'done'});
    if (block.kind === 'template' && focused) header.push({text: '   ⏎ fill from this session and copy', tone: 'accent'});
    return header;
  }
  const status = ctx.blockState(block.id);
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
  return header;
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
