// A block that failed because a program is not installed (exit 127) says so in one line; for gh, with the key that
// does the block's job through the API when GitHub is reachable.
import {describe, expect, it} from 'vitest';
import {outputView} from '../../source/ui/output-view.js';
import {missingProgram} from '../../source/session/run-outcome.js';
import type {RunRecord} from '../../source/session/session-state.js';

const run = (command: string, exitCode: number, tail: string[]): RunRecord => ({
  runId: 'r1', stepId: 's', blockId: 'b', command, outputFile: '/state/runs/r1.log', interactive: false, startedAt: '2026-11-27T03:00:00Z',
  finished: {type: 'run-finished', runId: 'r1', exitCode, signal: null, cancelled: false, durationMs: 1200, lines: tail.length, tail, at: '2026-11-27T03:00:01Z'} as NonNullable<RunRecord['finished']>,
});

describe('a program that is not installed', () => {
  it('is read from what bash or dash said, for exit 127 only', () => {
    expect(missingProgram({exitCode: 127, cancelled: false, tail: ['bash: line 3: gh: command not found']})).toBe('gh');
    expect(missingProgram({exitCode: 127, cancelled: false, tail: ['sh: 1: websocat: not found']})).toBe('websocat');
    expect(missingProgram({exitCode: 1, cancelled: false, tail: ['gh: command not found']})).toBeNull();
    expect(missingProgram({exitCode: 127, cancelled: false, tail: ['no such thing']})).toBeNull();
  });

  it('is said in one line under the run; for gh, m is offered when GitHub is reachable', () => {
    const create = run('gh pr create --base main --head release/v1.2.0 --title "Release v1.2.0"', 127, ['bash: line 1: gh: command not found']);
    expect(outputView(create, null, 1, 0, {github: true})!.notes).toEqual(['runbook: gh is not installed here: m does it via the API']);
    expect(outputView(create, null, 1, 0, {github: false})!.notes).toEqual(['runbook: gh is not installed here']);
    // gh run watch has no native twin: the note says only what is missing.
    expect(outputView(run('gh run watch', 127, ['bash: line 1: gh: command not found']), null, 1, 0, {github: true})!.notes).toEqual(['runbook: gh is not installed here']);
    expect(outputView(run('websocat ws://10.0.0.1:8000/ws', 127, ['bash: line 1: websocat: command not found']), null, 1, 0)!.notes).toEqual(['runbook: websocat is not installed here']);
    expect(outputView(run('make lint', 2, ['make: *** [lint] Error 2']), null, 1, 0)!.notes).toEqual([]);
  });
});
