import {describe, expect, it} from 'vitest';
import {outputView} from '../../source/ui/output-view.js';
import type {RunRecord} from '../../source/session/session-state.js';

const run = (command: string, finished: Partial<NonNullable<RunRecord['finished']>> | null): RunRecord => ({
  runId: 'r1',
  stepId: 's',
  blockId: 'b',
  command,
  outputFile: '/state/runs/r1.log',
  interactive: false,
  startedAt: '2026-11-27T03:00:00Z',
  finished: finished && ({type: 'run-finished', runId: 'r1', exitCode: 0, signal: null, cancelled: false, durationMs: 1200, lines: 0, tail: [], at: '2026-11-27T03:00:01Z', ...finished} as NonNullable<RunRecord['finished']>),
});

describe('the output pane of a finished run', () => {
  it('says which line stopped a block, and what did not run, as a note', () => {
    const view = outputView(run('make build\nmake deploy\n./verify.sh', {exitCode: 2, failedLine: 2, tail: ['make: *** [deploy] Error 2'], lines: 1}), null, 1, 0)!;
    expect(view.status).toBe('✗ exit 2 at line 2 · 1.2 s');
    expect(view.tone).toBe('failed');
    expect(view.lines).toEqual(['make: *** [deploy] Error 2']);
    expect(view.notes).toEqual(['runbook: stopped at line 2: the command after it did not run — make deploy']);
  });

  it('shows a clean search for errors as done', () => {
    const view = outputView(run('kubectl logs -l app=overlord --tail=100 | grep -i error', {exitCode: 1, failedLine: 1}), null, 2, 0)!;
    expect(view.status).toBe('✓ exit 1 · no errors found · 1.2 s');
    expect(view.tone).toBe('done');
    expect(view.which).toBe('run 2 of 2');
  });

  it('shows an interrupted run as such', () => {
    expect(outputView(run('sleep 30', null), null, 1, 0)).toMatchObject({status: 'interrupted', tone: 'warn'});
  });
});
