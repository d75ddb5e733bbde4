// The approval reducer: a/r, the required comment, integer ids, Esc before sending, outcomes.
import {describe, expect, it} from 'vitest';
import {approvalReducer, COMMENT_REQUIRED, initialApprovalState, reviewTargets, type ApprovalAction, type ApprovalState} from '../../../source/ui/pipeline/use-approval-state.js';
import {PRODUCTION} from './fixtures.js';

const run = (actions: ApprovalAction[], state: ApprovalState = initialApprovalState(7)) => actions.reduce(approvalReducer, state);
const typed = (text: string): ApprovalAction[] => [...text].map(ch => ({type: 'type', text: ch}));
const STAGING = {...PRODUCTION, environmentId: 4170000001, name: 'staging', canApprove: false, reviewers: ['tech-lead']};

describe('approvalReducer', () => {
  it('loads, approves with a comment, and asks to send the integer ids', () => {
    const s = run([{type: 'loaded', environments: [PRODUCTION]}, {type: 'decide', decision: 'approve'}, ...typed('LGTM'), {type: 'enter'}]);
    expect(s.phase).toBe('sending');
    expect(s.request).toEqual({state: 'approved', environmentIds: [4170000002], environments: ['production'], comment: 'LGTM'});
    const done = approvalReducer(s, {type: 'sent', environments: ['production']});
    expect(done.phase).toBe('done');
    expect(done.result).toEqual({outcome: 'approved', message: 'Approved the deployment to production: the run continues.'});
  });

  it('never sends an empty comment: Enter only hints, and typing clears the hint', () => {
    let s = run([{type: 'loaded', environments: [PRODUCTION]}, {type: 'decide', decision: 'reject'}, ...typed('   '), {type: 'enter'}]);
    expect(s.phase).toBe('comment');
    expect(s.request).toBeNull();
    expect(s.notice).toBe(COMMENT_REQUIRED);
    s = run([...typed('x'), {type: 'erase'}, {type: 'erase'}], s);
    expect(s.notice).toBeNull();
    expect(s.comment).toBe('  ');
    s = run([...typed('bad build'), {type: 'enter'}], s);
    expect(s.request).toMatchObject({state: 'rejected', comment: 'bad build'});
  });

  it('a and r are keys only while choosing; pasted line breaks become spaces', () => {
    let s = run([{type: 'loaded', environments: [PRODUCTION]}, {type: 'enter'}]);
    expect(s).toMatchObject({phase: 'choose', notice: 'Press a to approve or r to reject.'});
    s = run([{type: 'decide', decision: 'approve'}, {type: 'decide', decision: 'reject'}, {type: 'type', text: 'ok\r\nship'}], s);
    expect(s).toMatchObject({decision: 'approve', comment: 'ok ship'});
  });

  it('Esc before sending cancels with nothing sent; after, it is ignored', () => {
    for (const before of [[], [{type: 'loaded', environments: [PRODUCTION]}], [{type: 'loaded', environments: [PRODUCTION]}, {type: 'decide', decision: 'approve'}]] as ApprovalAction[][]) {
      const s = run([...before, {type: 'escape'}]);
      expect(s.phase).toBe('cancelled');
      expect(s.request).toBeNull();
      expect(s.result?.outcome).toBe('cancelled');
    }
    const sending = run([{type: 'loaded', environments: [PRODUCTION]}, {type: 'decide', decision: 'approve'}, ...typed('go'), {type: 'enter'}]);
    expect(approvalReducer(sending, {type: 'escape'})).toBe(sending);
  });

  it('refusals and failures end the dialog with the message; nothing pending is said plainly', () => {
    const sending = run([{type: 'loaded', environments: [PRODUCTION]}, {type: 'decide', decision: 'approve'}, ...typed('go'), {type: 'enter'}]);
    expect(approvalReducer(sending, {type: 'refused', message: 'Approval refused: not a reviewer'})).toMatchObject({phase: 'refused', result: {outcome: 'refused', message: 'Approval refused: not a reviewer'}});
    expect(approvalReducer(sending, {type: 'send-failed', message: 'network'}).phase).toBe('failed');
    expect(run([{type: 'loaded', environments: []}])).toMatchObject({phase: 'empty', result: {outcome: 'empty'}});
    expect(run([{type: 'load-failed', message: 'no token'}])).toMatchObject({phase: 'failed', notice: 'no token'});
  });

  it('reviews the environments the operator may approve; if none, all (GitHub then says why not)', () => {
    expect(reviewTargets([STAGING, PRODUCTION]).map(e => e.name)).toEqual(['production']);
    expect(reviewTargets([STAGING]).map(e => e.name)).toEqual(['staging']);
  });
});
