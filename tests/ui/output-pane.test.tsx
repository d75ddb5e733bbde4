import {render} from 'ink-testing-library';
import {expect, it} from 'vitest';
import {OutputPane} from '../../source/ui/output-pane.js';

it('wraps the app\'s notes under the output instead of cutting them, keeping the newest output above', () => {
  const view = {
    title: 'kubectl logs -l app=overlord | grep -i error',
    status: '✗ exit 1 at line 2 · 157 ms',
    tone: 'failed' as const,
    lines: ['old line 1', 'old line 2', 'newest line'],
    notes: ['runbook: stopped at line 2: its grep matched nothing (no errors, unless the output shows the command feeding it failed)'],
    which: '',
    file: null,
  };
  const {lastFrame} = render(<OutputPane view={view} width={40} height={5} />);
  const lines = lastFrame()!.split('\n');
  expect(lines).toHaveLength(5);
  expect(lines[0]).toContain('✗ exit 1 at line 2');
  expect(lines[1]).toBe('newest line');
  expect(lines.slice(2).join(' ').replace(/\s+/g, ' ')).toContain('runbook: stopped at line 2: its grep matched nothing (no');
  for (const line of lines) expect(line.length).toBeLessThanOrEqual(40);
});
