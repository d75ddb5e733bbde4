// The first screen of a new session: one line under the title that says what the runbook is for, how many steps it
// has and where to start. Pure.

import type {Content, Runbook} from '../runbook/model.js';
import type {Line} from './step-lines.js';
import {truncate, width as textWidth} from './text.js';

const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim();

/** The first paragraph in reading order, as plain text. */
function firstParagraph(content: readonly Content[]): string | null {
  for (const c of content) {
    if (c.type === 'paragraph') {
      const text = oneLine(c.spans.map(s => s.text).join(''));
      if (text) return text;
    }
    if (c.type === 'quote') {
      const inner = firstParagraph(c.children);
      if (inner) return inner;
    }
  }
  return null;
}

/** What the runbook is for: its front matter's description (or summary, purpose), else its first paragraph. */
export function runbookPurpose(runbook: Pick<Runbook, 'frontMatter' | 'sections'>): string | null {
  for (const key of ['description', 'summary', 'purpose']) {
    const value = runbook.frontMatter[key];
    if (typeof value === 'string' && oneLine(value)) return oneLine(value);
  }
  const visit = (nodes: Runbook['sections']): string | null => {
    for (const node of nodes) {
      const found = firstParagraph(node.content) ?? visit(node.children);
      if (found) return found;
    }
    return null;
  };
  return visit(runbook.sections);
}

/**
 * The line: ` {purpose} · 51 steps · → to begin`, the purpose cut to what the width leaves (the count and where to
 * start are never cut).
 */
export function introLine(purpose: string | null, steps: number, width: number): Line {
  const tail = `${steps} step${steps === 1 ? '' : 's'} · `;
  const begin = '→ to begin';
  const room = width - 1 - textWidth(tail) - textWidth(begin) - 1;
  const what = purpose && room >= 12 ? `${truncate(purpose, room - 3)} · ` : '';
  return [{text: ` ${what}`}, {text: tail, tone: 'muted'}, {text: begin, tone: 'accent', bold: true}];
}
