// mdast → the small content model a terminal renders: spans, lists, tables, quotes and references to blocks.

import type {Nodes, PhrasingContent, RootContent, Table as MdTable} from 'mdast';
import type {Content, ListEntry, Span} from './model.js';

export function spansOf(nodes: readonly PhrasingContent[]): Span[] {
  const out: Span[] = [];
  const push = (span: Span) => {
    const last = out[out.length - 1];
    if (last && !last.style && !span.style) last.text += span.text;
    else out.push(span);
  };
  for (const node of nodes) {
    switch (node.type) {
      case 'text':
        push({text: node.value.replace(/\s*\n\s*/g, ' ')});
        break;
      case 'inlineCode':
        push({text: node.value, style: 'code'});
        break;
      case 'strong':
      case 'emphasis':
      case 'delete':
        push({text: plainText(node), style: node.type});
        break;
      case 'link':
        push({text: plainText(node), style: 'link', url: node.url});
        break;
      case 'break':
        push({text: '\n'});
        break;
      case 'html':
        push({text: node.value});
        break;
      case 'image':
        push({text: `[image: ${node.alt ?? node.url}]`});
        break;
      default:
        push({text: plainText(node)});
    }
  }
  return out;
}

export function plainText(node: Nodes): string {
  if ('value' in node && typeof node.value === 'string') return node.type === 'text' ? node.value.replace(/\s*\n\s*/g, ' ') : node.value;
  if ('children' in node) return (node.children as Nodes[]).map(plainText).join('');
  return '';
}

export function tableOf(node: MdTable): Extract<Content, {type: 'table'}> {
  const [head, ...body] = node.children;
  const cells = (row: typeof head) => (row?.children ?? []).map(cell => plainText(cell).trim());
  return {type: 'table', align: node.align ?? [], header: cells(head), rows: body.map(cells)};
}

export interface ContentHooks {
  /** A fenced block was met; returns the id it was given. `context` is the text just before it. */
  block(node: Extract<RootContent, {type: 'code'}>, context: string): string;
  /** A list item that is a checklist item; returns its id, or null when it is not one. */
  checkItem(item: Extract<RootContent, {type: 'listItem'}>, text: string, ordered: boolean): string | null;
}

export function contentOf(nodes: readonly RootContent[], hooks: ContentHooks, context = ''): Content[] {
  const out: Content[] = [];
  let last = context;
  for (const node of nodes) {
    switch (node.type) {
      case 'paragraph':
        out.push({type: 'paragraph', spans: spansOf(node.children)});
        last = plainText(node);
        break;
      case 'code':
        out.push({type: 'block', blockId: hooks.block(node, last)});
        break;
      case 'list': {
        const items: ListEntry[] = node.children.map(item => {
          const [first, ...rest] = item.children;
          const lead = first?.type === 'paragraph' ? first : null;
          const text = lead ? plainText(lead).trim() : '';
          const checkId = hooks.checkItem(item, text, node.ordered === true);
          const entry: ListEntry = {spans: lead ? spansOf(lead.children) : [], children: contentOf(lead ? rest : item.children, hooks, text)};
          if (checkId) entry.checkId = checkId;
          return entry;
        });
        out.push({type: 'list', ordered: node.ordered === true, start: node.start ?? 1, items});
        break;
      }
      case 'table':
        out.push(tableOf(node));
        break;
      case 'blockquote':
        out.push({type: 'quote', children: contentOf(node.children, hooks, last)});
        break;
      case 'html':
        if (!/^<!--[\s\S]*-->$/.test(node.value.trim())) out.push({type: 'html', text: node.value});
        break;
      case 'heading':
        out.push({type: 'paragraph', spans: [{text: plainText(node), style: 'strong'}]});
        break;
      case 'thematicBreak':
      case 'yaml':
      case 'definition':
        break;
      default:
        if ('children' in node) out.push(...contentOf(node.children as RootContent[], hooks, last));
    }
  }
  return out;
}
