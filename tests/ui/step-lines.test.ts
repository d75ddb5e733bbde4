import {describe, expect, it} from 'vitest';
import {parseRunbook, walkSteps} from '../../source/runbook/index.js';
import {actionableIds, stepLines, wrapSegments, type Line} from '../../source/ui/step-lines.js';
import {width} from '../../source/ui/text.js';

const text = (lines: Line[]) => lines.map(l => l.map(s => s.text).join(''));
const step = walkSteps(
  parseRunbook(`# T

## S

A **bold** paragraph with \`code\` and a [link](https://example.com) that is long enough to wrap at a narrow width.

| Level | Description | Response Time |
|---|---|---|
| **P0** | Complete outage | 5 minutes |

\`\`\`bash
kubectl rollout undo deployment/overlord -n overlord-production
\`\`\`

- [ ] First item
- ✅ A criterion 🔴 with emoji
`),
)[0]!;
const idle = () => ({state: 'idle' as const, detail: ''});

describe('step lines', () => {
  it('never produces a line wider than the pane', () => {
    for (const w of [30, 50, 80]) {
      const {lines} = stepLines(step, {width: w, checks: {}, blockState: idle, focusId: null});
      for (const line of text(lines)) expect(width(line), line).toBeLessThanOrEqual(w);
    }
  });

  it('lists the block and checklist items as actionable, in reading order, with their lines', () => {
    const ids = actionableIds(step);
    expect(ids).toHaveLength(3);
    const {lines, actionables} = stepLines(step, {width: 80, checks: {}, blockState: idle, focusId: ids[0]!});
    expect(actionables.map(a => a.id)).toEqual(ids);
    expect(text(lines)[actionables[0]!.first]).toMatch(/^▶ \$ bash/);
    expect(text(lines).join(' ').replace(/\s+/g, ' ')).toMatch(/⚠ DANGEROUS: rolls back deployment\/overlord — you will type the namespace "overlord-production"/);
  });

  it('renders tables as aligned columns and ticks as [x]', () => {
    const checkId = step.checklist[0]!.id;
    const all = text(stepLines(step, {width: 80, checks: {[checkId]: true}, blockState: idle, focusId: null}).lines).join('\n');
    expect(all).toContain('Level │ Description     │ Response Time');
    expect(all).toContain('P0    │ Complete outage │ 5 minutes');
    expect(all).toContain('[x] First item');
    expect(all).toContain('[ ] A criterion 🔴 with emoji');
  });

  it('wraps styled words greedily and cuts words wider than a line', () => {
    const lines = wrapSegments([{text: 'aaaa bbbb '}, {text: 'cccccccccccccccc', bold: true}], 8);
    expect(text(lines)).toEqual(['aaaa', 'bbbb', 'cccccccc', 'cccccccc']);
    expect(lines[2]![0]!.bold).toBe(true);
  });
});
