// The pipeline pane and the approval dialog from hand-made snapshots: widths 40 and 60, exact
// heights, NO_COLOR, the approval marker.
import {afterEach, beforeEach, describe, expect, it, vi} from 'vitest';

// Ink's chalk decides on colour when it is loaded; the colours are only testable if it may use them.
vi.hoisted(() => {
  process.env.FORCE_COLOR = '1';
});

import {cleanup, render} from 'ink-testing-library';
import {ApprovalDialog} from '../../../source/ui/pipeline/approval-dialog.js';
import {PipelinePane} from '../../../source/ui/pipeline/pipeline-pane.js';
import {pipelineFreshness, reviewableRun} from '../../../source/ui/pipeline/pipeline-snapshot.js';
import {approvalReducer, initialApprovalState, type ApprovalAction} from '../../../source/ui/pipeline/use-approval-state.js';
import {COLOUR, GREEN, job, JOBS, lines, lineWith, plain, PRODUCTION, RED, run, snapshot, widest, YELLOW} from './fixtures.js';

let savedNoColor: string | undefined;
beforeEach(() => {
  savedNoColor = process.env.NO_COLOR;
  delete process.env.NO_COLOR;
});
afterEach(() => {
  cleanup();
  if (savedNoColor === undefined) delete process.env.NO_COLOR;
  else process.env.NO_COLOR = savedNoColor;
});

const frameOf = (node: React.ReactElement) => render(node).lastFrame() ?? '';

describe('PipelinePane', () => {
  it('at 60 columns: title with freshness, one line per job, the approval marker, the waiting line', () => {
    const f = frameOf(<PipelinePane snapshot={snapshot()} width={60} height={10} />);
    const l = lines(f);
    expect(l).toHaveLength(10);
    expect(l[0]).toMatch(/^PIPELINE CI\/CD Full Cycle · #318 +● 2s$/);
    expect(l[0]!.length).toBe(60);
    expect(l[1]).toMatch(/^✓ Quality Gates +3m12s$/);
    expect(l[1]!.length).toBe(60);
    expect(l[7]).toMatch(/^\* Production Deployment +⏸ approval$/);
    expect(l[8]).toBe('⏸ waiting for approval: production');
    expect(l[9]!.trim()).toBe('');
    expect(widest(f)).toBeLessThanOrEqual(60);
  });

  it('at 40 columns and a short height: cut to the width, the jobs give way around the one in progress', () => {
    const f = frameOf(<PipelinePane snapshot={snapshot()} width={40} height={5} />);
    const l = lines(f);
    expect(l).toHaveLength(5);
    expect(l[0]).toMatch(/^PIPELINE CI\/CD Full Cycle · #318 +● 2s$/);
    expect(l.slice(1, 4)).toEqual([expect.stringMatching(/^✓ E2E Tests +4m0s$/), expect.stringMatching(/^✓ Docker Build +1m30s$/), expect.stringMatching(/^\* Production Deployment +⏸ approval$/)]);
    expect(l[4]).toBe('⏸ waiting for approval: production');
    expect(widest(f)).toBeLessThanOrEqual(40);
  });

  it('running durations end with …; the conclusion line says how the run ended', () => {
    const jobs = [...JOBS.slice(0, 6), job('Production Deployment', '*', '12s', 'in_progress')];
    let f = frameOf(<PipelinePane snapshot={snapshot({jobs, run: run({status: 'in_progress', waitingOn: null, duration: '15m2s'})})} width={60} height={9} />);
    expect(lines(f)[7]).toMatch(/^\* Production Deployment +12s…$/);
    expect(lines(f)[8]).toBe('* in progress 15m2s');
    cleanup();
    const failed = [...JOBS.slice(0, 6), job('Production Deployment', 'X', '3m0s')];
    f = frameOf(<PipelinePane snapshot={snapshot({jobs: failed, run: run({status: 'completed', conclusion: 'failure', waitingOn: null})})} width={60} height={9} />);
    expect(lines(f)[8]).toBe('X failure in 14m40s');
    expect(lineWith(f, 'failure in')).toContain(RED);
  });

  it('colours by gh (green done, yellow waiting); NO_COLOR keeps every meaning in the text', () => {
    let f = frameOf(<PipelinePane snapshot={snapshot()} width={60} height={10} />);
    expect(lineWith(f, 'Quality Gates')).toContain(`${GREEN}✓`);
    expect(lineWith(f, 'Production Deployment')).toContain(YELLOW);
    expect(lineWith(f, 'PIPELINE')).toContain(`${GREEN}● 2s`);
    cleanup();
    process.env.NO_COLOR = '1';
    f = frameOf(<PipelinePane snapshot={snapshot()} width={40} height={10} />);
    expect(f).not.toMatch(COLOUR);
    expect(plain(lineWith(f, 'Production'))).toMatch(/⏸ approval$/);
    expect(lineWith(f, 'Quality')).toMatch(/^✓ /);
    expect(widest(f)).toBeLessThanOrEqual(40);
  });

  it('says what it follows and why it has nothing: latest on main, waiting for a commit, errors, no token', () => {
    let f = frameOf(<PipelinePane snapshot={snapshot({following: {kind: 'latest', branch: 'main'}})} width={60} height={3} />);
    expect(lines(f)[0]).toMatch(/^PIPELINE CI\/CD Full Cycle · #318 · latest on main +● 2s$/);
    cleanup();
    f = frameOf(<PipelinePane snapshot={snapshot({run: null, jobs: [], freshness: {label: 'connecting…', tone: 'muted'}})} width={60} height={3} />);
    expect(lines(f)[1]).toBe('waiting for the run of commit a1b2c3d…');
    cleanup();
    f = frameOf(<PipelinePane snapshot={snapshot({error: 'cannot reach GitHub at http://127.0.0.1:1 (ECONNREFUSED)', freshness: {label: 'stale 40s', tone: 'error'}})} width={60} height={10} />);
    expect(lines(f)[0]).toMatch(/stale 40s$/);
    expect(f).toContain('cannot reach GitHub');
    expect(lines(f)).toHaveLength(10);
    cleanup();
    f = frameOf(<PipelinePane snapshot={snapshot({configured: false, run: null, jobs: []})} width={40} height={3} />);
    expect(lines(f)[1]).toMatch(/^GitHub not configured/);
  });

  it('freshness: connecting, live age, stale after errors or silence, final once done', () => {
    const base = {lastOkAt: 1000, error: null, done: false, pollMs: 3000};
    expect(pipelineFreshness({...base, lastOkAt: null}, 5000)).toEqual({label: 'connecting…', tone: 'muted'});
    expect(pipelineFreshness(base, 3500)).toEqual({label: '● 2s', tone: 'good'});
    expect(pipelineFreshness({...base, error: 'x'}, 41_000)).toEqual({label: 'stale 40s', tone: 'error'});
    expect(pipelineFreshness(base, 31_000)).toEqual({label: 'stale 30s', tone: 'warn'});
    expect(pipelineFreshness({...base, done: true}, 99_000)).toEqual({label: '● final', tone: 'muted'});
  });

  it('reviewableRun: only a run waiting on an environment opens the approval', () => {
    expect(reviewableRun(snapshot())).toEqual({runId: 11204000004, title: 'CI/CD Full Cycle #318'});
    expect(reviewableRun(snapshot({run: run({status: 'in_progress', waitingOn: null})}))).toBeNull();
    expect(reviewableRun(snapshot({run: null}))).toBeNull();
  });
});

const state = (actions: ApprovalAction[]) => actions.reduce(approvalReducer, initialApprovalState(11204000004));
const typed = (text: string): ApprovalAction[] => [...text].map(ch => ({type: 'type', text: ch}));

describe('ApprovalDialog', () => {
  it('lists the environment with its id, reviewers and whether the operator can approve', () => {
    const f = frameOf(<ApprovalDialog state={state([{type: 'loaded', environments: [PRODUCTION, {...PRODUCTION, environmentId: 9, name: 'staging', canApprove: false, reviewers: ['tech-lead']}]}])} width={60} height={8} title="CI/CD Full Cycle #318" />);
    const l = lines(f);
    expect(l[0]).toBe('APPROVAL CI/CD Full Cycle #318 · pending deployments');
    expect(l[1]).toBe('✓ production (id 4170000002) · you can approve');
    expect(l[2]).toBe('  reviewers: devops-engineer');
    expect(l[3]).toBe('✗ staging (id 9) · you are not a reviewer');
    expect(l[5]).toBe('a approve · r reject · Esc cancel');
    expect(l).toHaveLength(8);
  });

  it('the comment prompt, the required-comment hint, and the outcome; at 40 columns nothing wraps', () => {
    process.env.NO_COLOR = '1';
    let f = frameOf(<ApprovalDialog state={state([{type: 'loaded', environments: [PRODUCTION]}, {type: 'decide', decision: 'approve'}, {type: 'enter'}])} width={40} height={9} />);
    expect(f).not.toMatch(COLOUR);
    expect(f).toContain('Approve — comment (required):');
    expect(f).toContain('A comment is required');
    expect(widest(f)).toBeLessThanOrEqual(40);
    expect(lines(f)).toHaveLength(9);
    cleanup();
    const long = 'Verified on staging for two days, metrics flat';
    f = frameOf(<ApprovalDialog state={state([{type: 'loaded', environments: [PRODUCTION]}, {type: 'decide', decision: 'approve'}, ...typed(long)])} width={40} height={9} />);
    expect(plain(lineWith(f, '> '))).toMatch(/^> ….*metrics flat▏$/);
    cleanup();
    const refused = state([{type: 'loaded', environments: [PRODUCTION]}, {type: 'decide', decision: 'approve'}, ...typed('go'), {type: 'enter'}, {type: 'refused', message: 'Approval refused: You are not a required reviewer of this environment.'}]);
    f = frameOf(<ApprovalDialog state={refused} width={40} height={6} />);
    expect(plain(f).replace(/\s*\n\s*/g, ' ')).toContain('✗ Approval refused: You are not a required reviewer');
    expect(lines(f).at(-1)).toBe('⏎/Esc close');
    expect(widest(f)).toBeLessThanOrEqual(40);
  });
});
