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
  it('says which command stopped a block and how many did not run, and lists what became of each', () => {
    const view = outputView(run('make build\nmake deploy\n./verify.sh', {exitCode: 2, failedLine: 2, tail: ['make: *** [deploy] Error 2'], lines: 1}), null, 1, 0)!;
    expect(view.status).toBe('✗ exit 2 · command 2 of 3 · 1 command did not run · 1.2 s');
    expect(view.tone).toBe('failed');
    expect(view.lines).toEqual(['make: *** [deploy] Error 2']);
    expect(view.notes).toEqual([]);
    expect(view.commands).toEqual([
      {mark: '✓', label: '', text: 'make build', tone: 'done'},
      {mark: '✗', label: '', text: 'make deploy', tone: 'failed'},
      {mark: '·', label: 'not run', text: './verify.sh', tone: 'muted'},
    ]);
  });

  it('counts commands, not lines: a compound command of several lines is one', () => {
    const script = 'kubectl get pods\nif true; then\n  kubectl rollout status deploy/api \\\n    --timeout=60s\nfi\n./smoke.sh\n./notify.sh';
    const view = outputView(run(script, {exitCode: 1, failedLine: 3}), null, 1, 0)!;
    expect(view.status).toBe('✗ exit 1 · command 2 of 4 · 2 commands did not run · 1.2 s');
    expect(view.title).toBe('kubectl get pods (+3 more)');
    expect(view.commands![1]).toEqual({mark: '✗', label: '', text: 'if true; then …', tone: 'failed'});
  });

  it('lists a search that found nothing and a follower stopped by the operator as done, the block going on', () => {
    const script = 'kubectl logs -l app=x | grep -i error\nkubectl logs -f deploy/x\n./smoke.sh';
    const view = outputView(run(script, {commandNotes: [{index: 0, note: 'no-match'}, {index: 1, note: 'stopped'}]}), null, 1, 0)!;
    expect(view.status).toBe('✓ exit 0 · 1.2 s');
    expect(view.commands!.map(c => `${c.mark} ${c.label}`)).toEqual(['✓ no matches', '✓ stopped by you', '✓ ']);
  });

  it('lists nothing for a block of one command', () => {
    expect(outputView(run('make deploy', {exitCode: 2, failedLine: 1}), null, 1, 0)).toMatchObject({status: '✗ exit 2 at line 1 · 1.2 s', commands: []});
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

  it('shows the recorded tail of an interactive run, and says so for older records that kept none', () => {
    const interactive = {...run('kubectl exec -it api -- alembic current', {tail: ['INFO  [alembic] head: 3f2a'], lines: 1}), interactive: true};
    expect(outputView(interactive, null, 1, 0)!.lines).toEqual(['INFO  [alembic] head: 3f2a']);
    expect(outputView({...interactive, outputFile: null}, null, 1, 0)!.lines).toEqual(['(ran on the terminal; its output was not recorded)']);
  });
});
