import {describe, expect, it} from 'vitest';
import type {Question} from '../../source/session/questions.js';
import {initialViewState, viewReducer, type ViewAction, type ViewState} from '../../source/ui/use-session-view-state.js';

const run = (state: ViewState, ...actions: ViewAction[]) => actions.reduce(viewReducer, state);
const typed = (text: string): ViewAction[] => [{type: 'type', text}, {type: 'submit'}];

describe('the session view reducer', () => {
  it('moves between steps within bounds and resets focus and scroll', () => {
    let s = run(initialViewState(), {type: 'focus', delta: 2, count: 5}, {type: 'go', stepIndex: 3, steps: 10});
    expect(s).toMatchObject({stepIndex: 3, focus: 0, scroll: null});
    s = run(s, {type: 'go', stepIndex: 99, steps: 10});
    expect(s.stepIndex).toBe(9);
    s = run(s, {type: 'go', stepIndex: -4, steps: 10});
    expect(s.stepIndex).toBe(0);
  });

  it('keeps focus on the step’s items', () => {
    const s = run(initialViewState(), {type: 'focus', delta: 5, count: 3});
    expect(s.focus).toBe(2);
    expect(run(s, {type: 'focus', delta: -9, count: 3}).focus).toBe(0);
  });

  it('runs at once when there is nothing to ask', () => {
    const s = run(initialViewState(), {type: 'ask', blockId: 'b', questions: []});
    expect(s.pending).toEqual({kind: 'run', blockId: 'b', answers: {variables: {}, placeholders: {}, confirmed: false}});
  });

  it('asks each question in turn, taking the suggestion on an empty answer', () => {
    const questions: Question[] = [
      {kind: 'placeholder', text: '/path/to/kubeconfig.yaml', variable: 'KUBECONFIG', suggestion: '/path/to/kubeconfig.yaml'},
      {kind: 'variable', name: 'REGION', suggestion: '', secret: false},
    ];
    let s = run(initialViewState(), {type: 'ask', blockId: 'b', questions}, {type: 'submit'});
    expect(s.modal).toMatchObject({kind: 'ask', index: 1});
    s = run(s, {type: 'submit'});
    expect(s.modal).toMatchObject({kind: 'ask', index: 1}); // a variable without a value cannot be skipped
    s = run(s, {type: 'type', text: 'eu-wes'}, {type: 'type', text: 'tt'}, {type: 'erase'}, {type: 'submit'});
    expect(s.modal).toBeNull();
    expect(s.pending).toEqual({kind: 'run', blockId: 'b', answers: {variables: {REGION: 'eu-west'}, placeholders: {'/path/to/kubeconfig.yaml': '/path/to/kubeconfig.yaml'}, confirmed: false}});
  });

  it('runs a dangerous block only when the typed target matches', () => {
    const questions: Question[] = [{kind: 'confirm', expected: 'overlord-production', target: 'namespace', dangers: ['rolls back deployment/overlord']}];
    const ok = run(initialViewState(), {type: 'ask', blockId: 'b', questions}, ...typed('overlord-production'));
    expect(ok.pending).toMatchObject({kind: 'run', answers: {confirmed: true}});
    const refused = run(initialViewState(), {type: 'ask', blockId: 'b', questions}, ...typed('overlord-prod'));
    expect(refused.pending).toEqual({kind: 'refuse', blockId: 'b', reason: 'typed "overlord-prod" instead of "overlord-production"'});
    expect(refused.message?.tone).toBe('failed');
  });

  it('requires a reason to skip or mark done', () => {
    let s = run(initialViewState(), {type: 'reason', purpose: 'skip', stepId: 'x'}, {type: 'submit'});
    expect(s.modal).toMatchObject({kind: 'reason', hint: expect.stringMatching(/reason is required/)});
    s = run(s, ...typed('no repo here'));
    expect(s.pending).toEqual({kind: 'mark', purpose: 'skip', stepId: 'x', text: 'no repo here'});
  });

  it('closes prompts with Esc and keeps nothing pending', () => {
    const s = run(initialViewState(), {type: 'reason', purpose: 'done', stepId: 'x'}, {type: 'type', text: 'abc'}, {type: 'close'});
    expect(s.modal).toBeNull();
    expect(s.pending).toBeNull();
  });

  it('walks back through earlier runs within bounds', () => {
    const s = run(initialViewState(), {type: 'run-back', delta: 1, runs: 3}, {type: 'run-back', delta: 5, runs: 3});
    expect(s.runBack).toBe(2);
    expect(run(s, {type: 'go', stepIndex: 1, steps: 4}).runBack).toBe(0);
  });
});
