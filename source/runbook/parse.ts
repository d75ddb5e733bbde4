// Markdown text → Runbook. The heading tree gives sections and steps; fenced blocks, checklist items,
// tables and variables hang off the step they appear in.

import {createHash} from 'node:crypto';
import type {Heading, Root, RootContent} from 'mdast';
import remarkFrontmatter from 'remark-frontmatter';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import {unified} from 'unified';
import {parse as parseYaml} from 'yaml';
import {buildBlock, MAX_BLOCK_LINES} from './blocks.js';
import {contentOf, plainText} from './content.js';
import {InputError} from './errors.js';
import {capNesting, nestingWarning} from './nesting.js';
import {IdRegistry, slug} from './ids.js';
import type {ChecklistItem, Runbook, RunbookNode} from './model.js';
import {findRollbackPath} from './rollback-finder.js';
import {findTargets} from './targets.js';
import {placeholderTokens, VariableCollector} from './variables.js';

const processor = unified().use(remarkParse).use(remarkGfm).use(remarkFrontmatter, ['yaml']);

const CRITERION = /^\s*(✅|✔️?|☑️?)\s*/u;
const TRIGGER = /^\s*(🔴|🟡|🟠|⚠️?)\s*/u;

interface Draft {
  node: RunbookNode;
  body: RootContent[];
  slugPath: string;
}

export interface ParseOptions {
  path?: string;
  warnings?: string[];
  /** Told the share of the text parsed so far (0–1), between pieces: a large runbook takes seconds the first time. */
  onProgress?: (fraction: number) => void;
}

export function parseRunbook(text: string, options: ParseOptions = {}): Runbook {
  try {
    return parseBounded(text, options);
  } catch (error) {
    // The last guard: whatever nesting got past capNesting (inline emphasis thousands deep, say) is one line, not a crash.
    if (error instanceof RangeError && /call stack/i.test(error.message))
      throw new InputError(`${options.path || 'the runbook'}: nested too deeply to read; flatten its deepest lists, quotes or emphasis`);
    throw error;
  }
}

function parseBounded(original: string, options: ParseOptions): Runbook {
  const warnings = [...(options.warnings ?? [])];
  // Told at once, before the first piece: a single piece can take seconds, and Ctrl-C must work during it.
  options.onProgress?.(0);
  const {text, lines: deep} = capNesting(original);
  if (deep.length) warnings.push(nestingWarning(deep));
  // The markdown parser is most of the time; building the model from its tree is the last tenth.
  const tree = parseInChunks(text, options.onProgress && (fraction => options.onProgress!(fraction * 0.9)));
  const frontMatter = readFrontMatter(tree, warnings);
  const ids = new IdRegistry();
  const outline = outlineHeadings(tree, ids);
  const {title, sections} = titleAndSections(outline, ids, frontMatter, options.path, warnings);

  const variables = new VariableCollector();
  const fill = (node: RunbookNode) => {
    const draft = outline.drafts.get(node)!;
    fillStep(node, draft.body, variables, warnings, text);
    node.children.forEach(fill);
  };
  sections.forEach(fill);
  const targets = findTargets({sections, frontMatter}, warnings);
  const rollback = findRollbackPath({sections, frontMatter, title, targets}, warnings);
  options.onProgress?.(1);

  return {
    title,
    path: options.path ?? '',
    hash: createHash('sha256').update(original).digest('hex'),
    frontMatter,
    sections,
    variables: variables.variables(),
    targets,
    rollback,
    warnings,
  };
}

interface Outline {
  roots: Draft[];
  /** What comes before the first heading. */
  preamble: RootContent[];
  /** Bodies live beside the nodes while parsing, so the model stays plain data. */
  drafts: Map<RunbookNode, Draft>;
}

/** The heading tree: each heading a node under the nearest shallower one, each other block in the body of the last. */
function outlineHeadings(tree: Root, ids: IdRegistry): Outline {
  const roots: Draft[] = [];
  const stack: Draft[] = [];
  const preamble: RootContent[] = [];
  const drafts = new Map<RunbookNode, Draft>();

  for (const child of tree.children) {
    if (child.type === 'heading') {
      while (stack.length && stack[stack.length - 1]!.node.depth >= child.depth) stack.pop();
      const parent = stack[stack.length - 1];
      const title = headingTitle(child);
      const slugPath = parent ? `${parent.slugPath}/${slug(title)}` : slug(title);
      const draft: Draft = {node: emptyNode(ids.take(slugPath), title, child.depth, child.position?.start.line ?? 1), body: [], slugPath};
      (parent ? parent.node.children : null)?.push(draft.node);
      if (!parent) roots.push(draft);
      stack.push(draft);
      drafts.set(draft.node, draft);
    } else if (child.type !== 'yaml') {
      const current = stack[stack.length - 1];
      if (current) current.body.push(child);
      else preamble.push(child);
    }
  }
  return {roots, preamble, drafts};
}

/** The runbook's title and top-level sections, with an Introduction for text before the first heading. */
function titleAndSections(outline: Outline, ids: IdRegistry, frontMatter: Record<string, unknown>, path: string | undefined, warnings: string[]): {title: string; sections: RunbookNode[]} {
  const {roots, preamble, drafts} = outline;
  let title = typeof frontMatter.title === 'string' ? frontMatter.title : (roots[0]?.node.title ?? '');
  let sections = roots.map(r => r.node);
  // A document under one top heading: that heading is the title, its children are the sections.
  if (roots.length === 1 && roots[0]!.node.depth === 1) {
    const top = roots[0]!;
    if (!title) title = top.node.title;
    sections = top.node.children;
    if (hasContent(top.body)) preamble.push(...top.body);
  }
  if (hasContent(preamble)) {
    const intro = emptyNode(ids.take('introduction'), 'Introduction', 1, preamble[0]?.position?.start.line ?? 1);
    const draft: Draft = {node: intro, body: preamble, slugPath: 'introduction'};
    drafts.set(intro, draft);
    sections = [intro, ...sections];
  }
  if (roots.length === 0) warnings.push(sections.length ? 'no headings: the whole file is one step' : 'no headings and no text: nothing to walk through');
  if (!title) title = path ? path.replace(/^.*\//, '').replace(/\.(md|markdown)$/i, '') : 'Runbook';
  if (roots.length === 0) sections.forEach(s => (s.title = title));
  return {title, sections};
}

function emptyNode(id: string, title: string, depth: number, line: number): RunbookNode {
  return {id, title, depth, line, isStep: false, content: [], blocks: [], checklist: [], triggers: [], children: []};
}

function headingTitle(node: Heading): string {
  return plainText(node).replace(/\s+/g, ' ').trim() || 'Untitled';
}

function hasContent(nodes: readonly RootContent[]): boolean {
  return nodes.some(n => n.type !== 'thematicBreak' && n.type !== 'definition' && !(n.type === 'html' && /^<!--[\s\S]*-->$/.test(n.value.trim())));
}

function readFrontMatter(tree: Root, warnings: string[]): Record<string, unknown> {
  const yaml = tree.children.find(n => n.type === 'yaml');
  if (!yaml || yaml.type !== 'yaml') return {};
  try {
    const value = parseYaml(yaml.value) as unknown;
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  } catch (error) {
    warnings.push(`front matter is not valid YAML (${(error as Error).message.split('\n')[0]}); ignored`);
    return {};
  }
}

function fillStep(node: RunbookNode, body: RootContent[], variables: VariableCollector, warnings: string[], source: string) {
  node.isStep = hasContent(body);
  const itemIds = new IdRegistry();
  let blockCount = 0;
  node.content = contentOf(body, {
    block(code, context) {
      const id = `${node.id}#code-${++blockCount}`;
      const line = code.position?.start.line ?? node.line;
      const built = buildBlock(id, code.lang, code.meta, code.value, line, context);
      if (built.block.kind === 'code' && built.block.lang && ['bash', 'sh', 'shell', 'zsh', 'console'].includes(built.block.lang))
        warnings.push(`the ${built.block.lang} block at line ${line} has more than ${MAX_BLOCK_LINES} lines: shown, but not run`);
      node.blocks.push(built.block);
      if (built.block.kind === 'command') {
        variables.addBlock(node.id, built.scanned);
        for (const p of built.block.placeholders) if (p.variable) variables.addToken(node.id, p.variable);
      }
      if (isUnterminated(code, source)) warnings.push(`unterminated code fence at line ${line}: the rest of the file is read as code`);
      return id;
    },
    checkItem(item, text, ordered) {
      let kind: ChecklistItem['kind'] | null = null;
      let label = text;
      if (typeof item.checked === 'boolean') kind = 'task';
      else if (!ordered && CRITERION.test(text)) {
        kind = 'criterion';
        label = text.replace(CRITERION, '');
      }
      if (!kind && !ordered && TRIGGER.test(text)) {
        const id = itemIds.take(`${node.id}#${slug(text.replace(TRIGGER, ''))}`);
        node.triggers.push({id, text, checked: false, kind: 'trigger', line: item.position?.start.line ?? node.line});
        return id;
      }
      if (!kind) return null;
      const id = itemIds.take(`${node.id}#${slug(label)}`);
      node.checklist.push({id, text: label, checked: item.checked === true, kind, line: item.position?.start.line ?? node.line});
      return id;
    },
  });
  for (const span of walkInlineCode(node)) for (const token of placeholderTokens(span)) variables.addToken(node.id, token);
}

function* walkInlineCode(node: RunbookNode): Generator<string> {
  const visit = function* (content: RunbookNode['content']): Generator<string> {
    for (const c of content) {
      if (c.type === 'paragraph') for (const s of c.spans) if (s.style === 'code') yield s.text;
      if (c.type === 'list') for (const item of c.items) {
        for (const s of item.spans) if (s.style === 'code') yield s.text;
        yield* visit(item.children);
      }
      if (c.type === 'quote') yield* visit(c.children);
    }
  };
  yield* visit(node.content);
}

/** remark closes an unterminated fence at the end of the document; the source tells us it was never closed. */
function isUnterminated(code: Extract<RootContent, {type: 'code'}>, source: string): boolean {
  const end = code.position?.end.offset;
  const start = code.position?.start.offset;
  if (end === undefined || start === undefined) return false;
  const raw = source.slice(start, end).trimEnd();
  const fence = /^\s*(`{3,}|~{3,})/.exec(raw)?.[1];
  if (!fence) return false;
  const lastLine = raw.split('\n').pop()!.trim();
  const lines = raw.split('\n');
  return lines.length < 2 || !(lastLine.startsWith(fence[0]!) && /^(`{3,}|~{3,})$/.test(lastLine) && lastLine.length >= fence.length);
}

/**
 * micromark's cost grows faster than the input (and its syntax tree is large): a 2 MB runbook took 30 s in one
 * piece. Runbooks are sequences of heading sections, so we parse them a section group at a time, splitting only
 * at headings outside fences, and shift the positions back into the whole file's coordinates.
 */
const CHUNK = 32 * 1024;

export function parseInChunks(text: string, onProgress?: (fraction: number) => void): Root {
  if (text.length <= CHUNK * 2) return processor.parse(text) as Root;
  const root: Root = {type: 'root', children: []};
  let start = 0;
  let line = 0;
  for (const chunk of splitAtHeadings(text, CHUNK)) {
    const tree = processor.parse(chunk) as Root;
    if (start > 0) shiftPositions(tree, line, start);
    root.children.push(...tree.children);
    start += chunk.length;
    line += chunk.split('\n').length - 1;
    onProgress?.(start / text.length);
  }
  return root;
}

function splitAtHeadings(text: string, target: number): string[] {
  const chunks: string[] = [];
  let fence: string | null = null;
  let chunkStart = 0;
  let at = 0;
  while (at < text.length) {
    const end = text.indexOf('\n', at);
    const next = end < 0 ? text.length : end + 1;
    const line = text.slice(at, next);
    const marker = /^ {0,3}(`{3,}|~{3,})/.exec(line)?.[1];
    if (fence) {
      if (marker && marker[0] === fence[0] && marker.length >= fence.length && /^\s*[`~]+\s*$/.test(line)) fence = null;
    } else if (marker) fence = marker;
    else if (/^#{1,6}\s/.test(line) && at - chunkStart >= target) {
      chunks.push(text.slice(chunkStart, at));
      chunkStart = at;
    }
    at = next;
  }
  chunks.push(text.slice(chunkStart));
  return chunks;
}

function shiftPositions(node: {position?: {start: {line: number; offset?: number}; end: {line: number; offset?: number}}; children?: unknown[]}, lines: number, offset: number) {
  if (node.position) {
    node.position.start.line += lines;
    node.position.end.line += lines;
    if (node.position.start.offset !== undefined) node.position.start.offset += offset;
    if (node.position.end.offset !== undefined) node.position.end.offset += offset;
  }
  if (node.children) for (const child of node.children) shiftPositions(child as typeof node, lines, offset);
}
