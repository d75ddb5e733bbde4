import {render} from 'ink-testing-library';
import stringWidth from 'string-width';
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

it('lists the commands of a block above the output, each cut to the width, the failure and what did not run in view', () => {
  const view = {
    title: 'kubectl get pods (+3 more)',
    status: '✗ exit 1 · command 2 of 4 · 2 commands did not run · 1.2 s',
    tone: 'failed' as const,
    lines: ['old line', 'error: deployment "api" exceeded its progress deadline'],
    commands: [
      {mark: '✓', label: 'no matches', text: 'kubectl logs -l app=overlord -n overlord-staging --tail=100 | grep -i error', tone: 'done' as const},
      {mark: '✗', label: '', text: 'kubectl rollout status deploy/api -n prod …', tone: 'failed' as const},
      {mark: '·', label: 'not run', text: './scripts/smoke-tests.sh staging', tone: 'muted' as const},
      {mark: '·', label: 'not run', text: '\x1b]52;c;cHduZWQ=\x07./notify.sh 界界界界界界界界界界界界', tone: 'muted' as const},
    ],
    which: '',
    file: null,
  };
  const {lastFrame} = render(<OutputPane view={view} width={48} height={8} />);
  const lines = lastFrame()!.split('\n');
  expect(lines).toHaveLength(8);
  expect(lines[1]).toBe(' ✓ no matches  kubectl logs -l app=overlord -n …');
  expect(lines[2]).toBe(' ✗ kubectl rollout status deploy/api -n prod …');
  expect(lines[3]).toBe(' · not run  ./scripts/smoke-tests.sh staging');
  // Nothing in a command can act on the terminal, and wide characters are cut by the columns they take.
  expect(lines[4]).not.toContain('\x1b]52');
  expect(lines[4]!.startsWith(' · not run  ')).toBe(true);
  expect(lines.slice(5).map(l => l.trimEnd())).toEqual(['old line', 'error: deployment "api" exceeded its progress d…', '']);
  for (const line of lines) expect(stringWidth(line)).toBeLessThanOrEqual(48);
});

it('keeps room for the end of the output when the commands are many, saying how many are not shown', () => {
  const commands = Array.from({length: 12}, (_, i) => ({mark: i < 6 ? '✓' : i === 6 ? '✗' : '·', label: i > 6 ? 'not run' : '', text: `step-${i + 1}.sh`, tone: (i < 6 ? 'done' : i === 6 ? 'failed' : 'muted') as 'done' | 'failed' | 'muted'}));
  const view = {title: 'step-1.sh (+11 more)', status: '✗ exit 1', tone: 'failed' as const, lines: ['a', 'b', 'the error'], commands, which: '', file: null};
  const {lastFrame} = render(<OutputPane view={view} width={40} height={7} />);
  const lines = lastFrame()!.split('\n');
  expect(lines).toHaveLength(7);
  expect(lines.slice(1, 5)).toEqual([' ✓ step-6.sh', ' ✗ step-7.sh', ' · not run  step-8.sh', ' … 9 more commands']);
  expect(lines.slice(5)).toEqual(['b', 'the error']);
});
