// The runbook picker (L): its reducer's policy and its drawing. Titles and file names come from files anyone may
// have written: drawn inert.
import {cleanup, render} from 'ink-testing-library';
import {afterEach, describe, expect, it} from 'vitest';
import type {LibraryEntry} from '../../../source/session/runbook-library.js';
import {firstVisible, RunbookPicker} from '../../../source/ui/library/runbook-picker.js';
import {initialPickerState, pickerReducer, type PickerAction} from '../../../source/ui/library/use-runbook-picker-state.js';

afterEach(() => cleanup());

const entry = (name: string, o: Partial<LibraryEntry> = {}): LibraryEntry => ({
  path: `/p/runbooks/${name}.md`,
  file: `runbooks/${name}.md`,
  source: 'folder',
  title: name,
  steps: 3,
  checks: 2,
  problem: null,
  last: null,
  ...o,
});
const ENTRIES = [entry('alpha'), entry('beta', {last: {id: 's1', kind: 'deploy', updatedAt: '', finished: false, state: 'in progress 1/3 steps'}}), entry('gone', {problem: 'no longer there'})];
const run = (...actions: PickerAction[]) => actions.reduce(pickerReducer, initialPickerState('/p/runbooks/beta.md'));

describe('the picker state', () => {
  it('starts on the open runbook and moves within the list', () => {
    expect(run({type: 'loaded', entries: ENTRIES})).toMatchObject({phase: 'choose', selected: 1, notice: null});
    expect(run({type: 'loaded', entries: ENTRIES}, {type: 'move', delta: -5}).selected).toBe(0);
    expect(run({type: 'loaded', entries: ENTRIES}, {type: 'move', delta: 5}).selected).toBe(2);
  });

  it('chooses another runbook; says why not for the open one and for one that cannot be read', () => {
    expect(run({type: 'loaded', entries: ENTRIES}, {type: 'move', delta: -1}, {type: 'enter'})).toMatchObject({phase: 'chosen', chosen: '/p/runbooks/alpha.md'});
    expect(run({type: 'loaded', entries: ENTRIES}, {type: 'enter'})).toMatchObject({phase: 'choose', chosen: null, notice: expect.stringMatching(/open now/)});
    expect(run({type: 'loaded', entries: ENTRIES}, {type: 'move', delta: 1}, {type: 'enter'})).toMatchObject({chosen: null, notice: 'Cannot open runbooks/gone.md: no longer there'});
  });

  it('says when there is nothing else, or the listing failed', () => {
    expect(run({type: 'loaded', entries: [entry('beta')]}).notice).toMatch(/No other runbook/);
    expect(run({type: 'load-failed', message: 'EACCES'})).toMatchObject({phase: 'failed', notice: 'The runbooks could not be listed: EACCES'});
    expect(run({type: 'enter'}).chosen).toBeNull(); // still loading
  });

  it('keeps the selected row in view', () => {
    expect(firstVisible(0, 50, 10)).toBe(0);
    expect(firstVisible(25, 50, 10)).toBe(20);
    expect(firstVisible(49, 50, 10)).toBe(40);
    expect(firstVisible(3, 4, 10)).toBe(0);
  });
});

describe('the picker', () => {
  it('draws file, title and the last session, the open one marked, hostile text inert', () => {
    const hostile = entry('evil', {file: 'runbooks/evil\x1b[2J.md', title: 'Pwned \x1b]52;c;aGk=\x07'});
    const state = run({type: 'loaded', entries: [...ENTRIES, hostile]});
    const {lastFrame} = render(<RunbookPicker state={state} width={90} height={10} />);
    const frame = lastFrame() ?? '';
    expect(frame).toMatch(/runbooks\/alpha\.md +alpha +never opened/);
    expect(frame).toMatch(/› runbooks\/beta\.md +beta +open now/);
    expect(frame).toMatch(/runbooks\/gone\.md +gone +no longer there/);
    expect(frame).toContain('runbooks/evil␛[2J.md');
    expect(frame).toContain('Pwned ␛]52;c;aGk=␇');
    expect(frame).not.toMatch(/\x1b\]|\x07|\x1b\[2J/);
  });
});
