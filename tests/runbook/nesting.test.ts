// Nesting bounded: lists and quotes deeper than 32 levels are flattened with one warning (their text kept), the parser
// never overflows the stack, and code inside fences is never touched.
import {describe, expect, it} from 'vitest';
import {InputError} from '../../source/runbook/errors.js';
import {parseRunbook, walkSteps} from '../../source/runbook/index.js';
import type {Content, Runbook} from '../../source/runbook/model.js';
import {capNesting, MAX_NESTING} from '../../source/runbook/nesting.js';

/** How deep the step's content nests (lists and quotes), as the screen will draw it. */
function depthOf(content: readonly Content[]): number {
  let deepest = 0;
  for (const c of content) {
    if (c.type === 'list') for (const item of c.items) deepest = Math.max(deepest, 1 + depthOf(item.children));
    if (c.type === 'quote') deepest = Math.max(deepest, 1 + depthOf(c.children));
  }
  return deepest;
}

const stepOf = (rb: Runbook) => {
  const steps = walkSteps(rb);
  expect(steps).toHaveLength(1);
  return steps[0]!;
};

const textOf = (content: readonly Content[]): string =>
  content
    .map(c =>
      c.type === 'paragraph' ? c.spans.map(s => s.text).join('') : c.type === 'list' ? c.items.map(i => i.spans.map(s => s.text).join('') + textOf(i.children)).join(' ') : c.type === 'quote' ? textOf(c.children) : '',
    )
    .join(' ');

describe('nesting deeper than the bound', () => {
  it('a 10,000-deep list on one line (20 KB) is read, flattened to 32 levels, with one warning', () => {
    const rb = parseRunbook(`# T\n\n## S\n\n${'- '.repeat(10_000)}deep\n\nafter\n`);
    const step = stepOf(rb);
    expect(depthOf(step.content)).toBe(MAX_NESTING);
    expect(textOf(step.content)).toContain('deep');
    expect(textOf(step.content)).toContain('after');
    expect(rb.warnings).toEqual([`lists or quotes nested deeper than 32 levels at line 5: flattened to 32`]);
  });

  it('a 10,000-deep block quote is read the same way', () => {
    const rb = parseRunbook(`# T\n\n## S\n\n${'>'.repeat(10_000)} deep\n`);
    expect(depthOf(stepOf(rb).content)).toBe(MAX_NESTING);
    expect(textOf(stepOf(rb).content)).toContain('deep');
    expect(rb.warnings).toEqual([`lists or quotes nested deeper than 32 levels at line 5: flattened to 32`]);
  });

  it('quotes and lists mixed, ordered lists, and a ladder of indented items are bounded too', () => {
    for (const body of [
      `${'> - '.repeat(5_000)}deep`,
      `${'1. '.repeat(5_000)}deep`,
      Array.from({length: 300}, (_, i) => `${'  '.repeat(i)}- item ${i}`).join('\n'),
    ]) {
      const rb = parseRunbook(`# T\n\n## S\n\n${body}\n`);
      expect(depthOf(stepOf(rb).content)).toBeLessThanOrEqual(MAX_NESTING);
      expect(rb.warnings.join()).toMatch(/nested deeper than 32 levels at line \d+/);
    }
  });

  it('the ladder keeps every item’s text', () => {
    const rb = parseRunbook(`# T\n\n## S\n\n${Array.from({length: 100}, (_, i) => `${'  '.repeat(i)}- item ${i}`).join('\n')}\n`);
    const text = textOf(stepOf(rb).content);
    for (const i of [0, 31, 32, 50, 99]) expect(text).toContain(`item ${i}`);
  });

  it('leaves nesting up to the bound, and everything inside fenced code, exactly as written', () => {
    const deep = `${Array.from({length: MAX_NESTING}, (_, i) => `${'  '.repeat(i)}- level ${i + 1}`).join('\n')}\n`;
    const fenced = `- apply:\n\n  \`\`\`bash\n  kubectl apply -f - <<EOF\n${'  '.repeat(60)}key: value\n  ${'>'.repeat(100)} sample output\n  ${'- '.repeat(100)}x\n  EOF\n  \`\`\`\n`;
    for (const text of [deep, fenced]) expect(capNesting(text)).toEqual({text, lines: []});
    const rb = parseRunbook(`# T\n\n## S\n\n${fenced}`);
    expect(rb.warnings).toEqual([]);
    const [block] = stepOf(rb).blocks;
    expect(block!.code).toContain(`${' '.repeat(118)}key: value`);
    expect(block!.code).toContain(`${'>'.repeat(100)} sample output`);
  });

  it('whatever else nests past what the parser can take is one line of bad input, never a stack overflow', () => {
    let error: unknown;
    try {
      parseRunbook(`# T\n\n## S\n\n${'*'.repeat(7000)}deep${'*'.repeat(7000)}\n`, {path: 'hostile.md'});
    } catch (e) {
      error = e;
    }
    if (error === undefined) return; // the parser took it: nothing to report
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toBe('hostile.md: nested too deeply to read; flatten its deepest lists, quotes or emphasis');
  });
});
