// The help, the prompts and the failed step's hint use the width they are given and wrap: every word is there, no
// line is cut with …, none is wider than the screen.
import {cleanup, render} from 'ink-testing-library';
import stringWidth from 'string-width';
import {afterEach, describe, expect, it} from 'vitest';
import {Help, helpLines, KEYS} from '../../source/ui/help.js';
import {Prompt, promptHeight, type PromptModal} from '../../source/ui/prompt.js';
import {wrapSegments} from '../../source/ui/segment-wrap.js';
import {KEYS as PRESS, mountSession} from './harness.js';

afterEach(() => cleanup());

const plain = (frame: string) => frame.replace(/\u001B\[[0-9;]*m/g, '');
const rows = (frame: string) => plain(frame).split('\n');
/** The text inside a box, its rows joined: what a reader reads across the wrapped lines. */
const read = (frame: string) => rows(frame).map(r => r.replace(/^[│╭╰]\s?|\s?[│╮╯]$/g, '').trim()).join(' ').replace(/\s+/g, ' ');
/** Whether `text` is all there, in order, across the wrapped lines (a word wider than a line is cut between them). */
const says = (frame: string, text: string) => read(frame).replace(/\s/g, '').includes(text.replace(/\s/g, ''));

describe('the help', () => {
  for (const width of [80, 100, 160]) {
    it(`at ${width} columns: every key and its whole description, nothing cut, nothing wider`, () => {
      const frame = render(<Help width={width} height={helpLines(width).length + 3} />).lastFrame() ?? '';
      for (const row of rows(frame)) expect(stringWidth(row), row).toBeLessThanOrEqual(width);
      expect(plain(frame)).not.toContain('…');
      for (const [keys, what] of KEYS) expect(says(frame, `${keys}${what}`), keys).toBe(true);
    });
  }

  it('taller than the screen: says so, and scrolls to the rest', () => {
    const height = 12;
    const first = plain(render(<Help width={80} height={height} />).lastFrame() ?? '');
    expect(first).toMatch(/↓↑ scroll \(1–9 of \d+\)/);
    expect(rows(first)).toHaveLength(height);
    cleanup();
    const last = plain(render(<Help width={80} height={height} top={100} />).lastFrame() ?? '');
    expect(says(last, KEYS[KEYS.length - 1]![1])).toBe(true);
  });
});

describe('the prompts', () => {
  const ask = (question: Extract<PromptModal, {kind: 'ask'}>['questions'][number]): PromptModal => ({
    kind: 'ask', blockId: 'b', questions: [question], index: 0, answers: {variables: {}, placeholders: {}, confirmed: false}, input: '',
  });
  const cases: Array<[string, PromptModal, string[]]> = [
    [
      'a placeholder',
      ask({kind: 'placeholder', text: '/path/to/kubeconfig-production.yaml', variable: 'KUBECONFIG', suggestion: '/home/operator/.local/state/runbook/sandbox/cluster/kubeconfig'}),
      ['$KUBECONFIG: the runbook says /path/to/kubeconfig-production.yaml — what is it here?', 'Enter keeps: /home/operator/.local/state/runbook/sandbox/cluster/kubeconfig'],
    ],
    [
      'a dangerous block',
      ask({kind: 'confirm', expected: 'overlord-production', target: 'namespace', dangers: ['rolls back deployment/overlord', 'deletes pods in overlord-production (⚠️ all of them)']}),
      ['⚠ rolls back deployment/overlord; deletes pods in overlord-production (⚠️ all of them)', 'Type the namespace "overlord-production" to run it, anything else cancels'],
    ],
    [
      'an incident',
      {kind: 'reason', purpose: 'incident', stepId: 's', input: '', hint: 'type the severity: P0, P1, P2 or P3'},
      ['Declare an incident: severity P0 (complete outage) · P1 (major degradation) · P2 (partial outage) · P3 (minor issue)?', 'type the severity: P0, P1, P2 or P3'],
    ],
  ];
  for (const [what, modal, said] of cases)
    for (const width of [40, 80, 160])
      it(`${what} at ${width} columns: every word, wrapped, never cut`, () => {
        const frame = render(<Prompt modal={modal} width={width} />).lastFrame() ?? '';
        expect(rows(frame)).toHaveLength(promptHeight(modal, width));
        for (const row of rows(frame)) expect(stringWidth(row), row).toBeLessThanOrEqual(width);
        expect(plain(frame)).not.toContain('…');
        for (const text of said) expect(says(frame, text), text).toBe(true);
      });

  it('shows the end of a long answer as it is typed', () => {
    const modal: PromptModal = {kind: 'reason', purpose: 'note', stepId: 's', input: `${'x'.repeat(100)}THE END`, hint: null};
    const frame = plain(render(<Prompt modal={modal} width={40} />).lastFrame() ?? '');
    expect(frame).toContain('THE END');
    for (const row of rows(frame)) expect(stringWidth(row)).toBeLessThanOrEqual(40);
  });
});

describe('a failed step', () => {
  it('wraps its hint in the step’s column rather than cutting it', async () => {
    const s = mountSession('# Drill\n\n## Fail\n\n```bash\necho about to fail\nexit 3\n```\n\n## Roll back\n\n```bash\nkubectl rollout undo deployment/api -n prod\n```\n');
    await s.press(PRESS.enter);
    await s.waitFor(/✗ exit 3/);
    const text = read(s.frame());
    expect(text).toContain('✗ Failed — Enter retry · s skip · R rollback procedures · I declare an incident');
    for (const row of rows(s.frame())) expect(stringWidth(row)).toBeLessThanOrEqual(100);
  });
});

describe('styled text wrapped with a prefix and a hanging indent', () => {
  it('always returns, places every cluster once, and leaves no empty line, however narrow', () => {
    const text = 'abc 漢字 👩‍💻👩‍💻 def';
    for (const [max, hanging] of [[0, 0], [1, 0], [2, 4], [-3, 0], [3, 3], [5, 8], [12, 2]] as const) {
      const lines = wrapSegments([{text}], max, [{text: '> '}], hanging).map(l => l.map(s => s.text).join(''));
      expect(lines.slice(1).every(l => l.trim() !== ''), `${max}/${hanging}: ${JSON.stringify(lines)}`).toBe(true);
      expect(lines.join('').replace(/[ >]/g, '')).toBe(text.replace(/ /g, ''));
    }
    const fits = wrapSegments([{text: 'Squash merge to main (preserves clean history)'}], 20, [{text: '  '}], 2);
    for (const l of fits) expect(stringWidth(l.map(s => s.text).join(''))).toBeLessThanOrEqual(20);
  });
});
