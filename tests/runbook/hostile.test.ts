// Hostile runbooks: whatever the markdown, a usable model or a clear error, in bounded time and memory.
import {describe, expect, it} from 'vitest';
import {parseRunbook, walkSteps} from '../../source/runbook/index.js';

const FRAGMENTS = [
  '# ', '## ', '### ', '- ', '- [ ] ', '- [x] ', '1. ', '> ', '```bash\n', '```\n', '~~~\n', '`', '**', '_', '[', '](', ')',
  '<details>', '</details>', '<!-- ', ' -->', '| a | b |\n|---|---|\n', '\\', '$VAR ', '${X:-y} ', '$(', 'export A=/path/to/x ',
  '<commit-sha>', '✅ ', '🔴 ', '‚úÖ', '\t', '\n', '\n\n', '    indented\n', '---\n', 'kubectl rollout undo -n prod\n', '"', "'", '\u0000', '\u200b',
];

/** A deterministic generator, so a failure is reproducible from its seed. */
function fuzz(seed: number, length: number): string {
  let x = seed;
  const next = () => (x = (x * 1103515245 + 12345) % 2 ** 31);
  let out = '';
  while (out.length < length) out += FRAGMENTS[next() % FRAGMENTS.length]! + (next() % 3 === 0 ? 'word ' : '');
  return out;
}

describe('hostile runbooks', () => {
  it('reads 300 fuzzed documents without throwing, each giving steps with unique ids', () => {
    const started = Date.now();
    for (let seed = 1; seed <= 300; seed++) {
      const rb = parseRunbook(fuzz(seed, 400 + (seed % 7) * 300));
      const ids = walkSteps(rb).flatMap(s => [s.id, ...s.blocks.map(b => b.id), ...s.checklist.map(c => c.id), ...s.triggers.map(t => t.id)]);
      expect(new Set(ids).size, `seed ${seed}`).toBe(ids.length);
    }
    expect(Date.now() - started).toBeLessThan(60_000);
  });

  it('survives deeply nested lists and quotes', () => {
    let nested = '# T\n\n## S\n\n';
    for (let i = 0; i < 300; i++) nested += `${'  '.repeat(i)}- item ${i}\n`;
    expect(walkSteps(parseRunbook(nested))).toHaveLength(1);
    const quotes = `# T\n\n## S\n\n${'>'.repeat(2000)} deep\n`;
    expect(walkSteps(parseRunbook(quotes))).toHaveLength(1);
  });

  it('shows but never runs a block too long to be a step, with a warning', () => {
    const rb = parseRunbook(`# T\n\n## S\n\n\`\`\`bash\n${'echo line\n'.repeat(25_000)}\`\`\`\n`);
    const [block] = walkSteps(rb)[0]!.blocks;
    expect(block!.kind).toBe('code');
    expect(block!.commands).toEqual([]);
    expect(rb.warnings.join()).toMatch(/more than 20000 lines: shown, but not run/);
  });

  it('keeps memory bounded on a 2 MB runbook', () => {
    const before = process.memoryUsage().heapUsed;
    const text = '# Big\n\n' + Array.from({length: 4000}, (_, i) => `## Step ${i}\n\nText ${'word '.repeat(60)}\n\n\`\`\`bash\necho ${i}\n\`\`\`\n\n- [ ] done ${i}\n`).join('\n');
    const rb = parseRunbook(text);
    expect(walkSteps(rb)).toHaveLength(4000);
    expect((process.memoryUsage().heapUsed - before) / 1024 / 1024).toBeLessThan(600);
  });
});
