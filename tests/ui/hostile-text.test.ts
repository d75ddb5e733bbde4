// The hostile fixture through the pure line builders: the step's lines, the outline `show` prints and the status
// table hold nothing a terminal would act on, and every line fits its width measured in columns.
import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import stringWidth from 'string-width';
import {describe, expect, it} from 'vitest';
import {formatStatus} from '../../source/commands/status.js';
import {formatOutline, parseRunbook, walkSteps} from '../../source/runbook/index.js';
import type {SessionSummary} from '../../source/session/summary.js';
import {stepLines} from '../../source/ui/step-lines.js';
import {ROOT} from '../helpers/paths.js';

const LIVE = /[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/;
const runbook = parseRunbook(readFileSync(join(ROOT, 'tests/fixtures/hostile-escapes.md'), 'utf8'));

describe('the hostile fixture', () => {
  it('really hides escape sequences in the model (stored as written)', () => {
    expect(runbook.title).toContain('\x1b]52;c;');
    expect(JSON.stringify(runbook)).toMatch(/\\u001b\]0;PWN-step/);
  });

  it('renders every step to lines with nothing live in them, none wider than the pane', () => {
    const idle = () => ({state: 'idle' as const, detail: ''});
    for (const step of walkSteps(runbook)) {
      for (const width of [24, 60, 100]) {
        const focusId = step.blocks[0]?.id ?? null;
        const {lines} = stepLines(step, {width, checks: {}, blockState: idle, focusId});
        for (const line of lines) {
          for (const segment of line) expect(segment.text).not.toMatch(LIVE);
          // The block's header carries the app's own labels, cut by the view; everything else is wrapped to fit.
          const text = line.map(s => s.text).join('');
          if (!/[$◐✓✗⊘] (bash|sh)|code|template/.test(text)) expect(stringWidth(text), text).toBeLessThanOrEqual(width);
        }
      }
    }
  });

  it('prints an outline for `show` with visible, inert titles lined up in columns', () => {
    const out = formatOutline(runbook, 100);
    expect(out).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/);
    expect(out).toContain('Step ␛]0;PWN-step␇ one');
    const rows = out.split('\n').filter(l => / {2}1 command block/.test(l));
    expect(rows).toHaveLength(2);
    const column = rows.map(r => stringWidth(r.slice(0, r.indexOf('1 command block'))));
    expect(new Set(column).size).toBe(1);
  });
});

describe('the status table', () => {
  const summary = (id: string, title: string, host = 'ops-1'): SessionSummary => ({
    id,
    runbook: {path: '/r.md', hash: 'h', title},
    kind: 'deploy',
    createdAt: '2025-03-01T10:00:00.000Z',
    updatedAt: '2025-03-01T10:05:00.000Z',
    finished: false,
    checked: 1,
    total: 3,
    steps: 3,
    stepsDone: 1,
    failed: 0,
    skipped: 0,
    lastStepId: null,
    eventCount: 4,
    inUse: {pid: 42, host, user: 'op', since: '2025-03-01T10:00:00.000Z'},
  });

  it('cuts a hostile title in columns, never inside a sequence, and shows it inert', () => {
    const title = `${'x'.repeat(30)} \x1b]0;PWN-title\x07\x1b]52;c;SGk=\x07 tail`;
    const out = formatStatus([summary('s1', title, 'host\x1b]0;PWN-host\x07')]);
    expect(out).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f-\x9f]/);
    expect(out).toContain(`${'x'.repeat(30)} ␛]0;PWN-…`);
    expect(out).toContain('in use by pid 42@host␛]0;PWN-host␇');
  });

  it('lines its columns up by display width, wide titles included', () => {
    const out = formatStatus([summary('s1', '漢字のランブック 👩‍💻'), summary('s2', 'plain runbook')]);
    const lines = out.split('\n').slice(0, 3);
    const kindAt = lines.map(l => stringWidth(l.slice(0, l.search(/KIND|deploy/))));
    expect(new Set(kindAt).size).toBe(1);
  });
});
