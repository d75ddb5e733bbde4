import type {Key} from 'ink';
import {describe, expect, it} from 'vitest';
import {GUARDS, keyName, resolveKey, type KeyState, type Mode, type Resolved} from '../../source/ui/key-map.js';
import {splitPaste} from '../../source/ui/paste.js';

const idle: KeyState = {
  readOnly: false,
  running: false,
  focus: 'command',
  nativeFocus: false,
  reviewable: false,
  cluster: false,
  incidentDeclared: false,
  hasRollback: false,
  canSwitch: false,
};
const READ_ONLY = {refusal: GUARDS.writer.refusal!};
const RUNNING = {refusal: GUARDS.idle.refusal!};
const act = (action: string): Resolved => ({action}) as Resolved;

// mode × key × situation → action, refusal (each guard's words, once) or nothing.
const table: [Mode, string, Partial<KeyState>, Resolved][] = [
  // walking
  ['step', 'Right', {}, act('next-step')],
  ['step', 'n', {}, act('next-step')],
  ['step', 'l', {}, act('next-step')],
  ['step', 'Left', {}, act('previous-step')],
  ['step', 'p', {}, act('previous-step')],
  ['step', 'Down', {}, act('focus-next')],
  ['step', 'Tab', {}, act('focus-next')],
  ['step', 'k', {}, act('focus-previous')],
  ['step', 'PageDown', {}, act('page-down')],
  ['step', 'g', {}, act('first-step')],
  ['step', 'G', {}, act('last-step')],
  // Enter and Space follow what has focus
  ['step', 'Enter', {focus: 'check'}, act('tick')],
  ['step', 'Space', {focus: 'check'}, act('tick')],
  ['step', 'Enter', {focus: 'check', running: true}, act('tick')],
  ['step', 'Enter', {focus: 'template'}, act('fill-template')],
  ['step', 'Enter', {focus: 'command'}, act('run')],
  ['step', 'Enter', {focus: 'command', running: true}, RUNNING],
  ['step', 'Enter', {focus: null}, null],
  ['step', 'Space', {focus: null}, null],
  ['step', 'Space', {focus: 'command'}, {refusal: {text: 'Space ticks checklist items; Enter runs a command block', tone: 'muted'}}],
  ['step', 'Space', {focus: 'command', running: true}, {refusal: {text: 'Space ticks checklist items; Enter runs a command block', tone: 'muted'}}],
  // recording keys
  ['step', 's', {}, act('skip')],
  ['step', 'd', {}, act('mark-done')],
  ['step', 'N', {}, act('note')],
  ['step', 'I', {}, act('declare-incident')],
  ['step', 'I', {incidentDeclared: true}, {refusal: GUARDS['no-incident'].refusal!}],
  ['step', 'm', {nativeFocus: true}, act('run-natively')],
  ['step', 'm', {nativeFocus: false}, {refusal: GUARDS['native-focused'].refusal!}],
  ['step', 'm', {nativeFocus: true, running: true}, RUNNING],
  // where to go, what to open
  ['step', 'R', {hasRollback: true}, act('go-to-rollback')],
  ['step', 'R', {hasRollback: false}, {refusal: {text: 'This runbook has no rollback section', tone: 'warn'}}],
  ['step', 'A', {reviewable: true}, act('open-approval')],
  ['step', 'A', {reviewable: false}, {refusal: GUARDS.reviewable.refusal!}],
  ['step', 'u', {cluster: true}, act('open-undo')],
  ['step', 'u', {cluster: false}, {refusal: GUARDS.cluster.refusal!}],
  ['step', 'u', {cluster: true, running: true}, RUNNING],
  ['step', 'L', {canSwitch: true}, act('open-runbooks')],
  ['step', 'L', {canSwitch: false}, null],
  ['step', 'L', {canSwitch: true, running: true}, RUNNING],
  ['step', '[', {}, act('older-run')],
  ['step', ']', {}, act('newer-run')],
  ['step', '/', {}, act('search')],
  ['step', 'o', {}, act('toggle-outline')],
  ['step', 'c', {}, act('toggle-panes')],
  ['step', 'J', {}, act('pods-down')],
  ['step', 'K', {}, act('pods-up')],
  ['step', '?', {}, act('help')],
  ['step', 'x', {}, null],
  ['step', 'Esc', {}, null],
  // quitting and Ctrl-C
  ['step', 'q', {}, act('quit')],
  ['step', 'q', {running: true}, RUNNING],
  ['step', 'C-c', {}, act('quit')],
  ['step', 'C-c', {running: true}, act('cancel-run')],
  // a read-only view walks and looks, never records
  ['read-only', 'n', {readOnly: true}, act('next-step')],
  ['read-only', 'Enter', {readOnly: true}, READ_ONLY],
  ['read-only', 'Enter', {readOnly: true, focus: null}, READ_ONLY],
  ['read-only', 'Space', {readOnly: true, focus: 'check'}, READ_ONLY],
  ['read-only', 'Enter', {readOnly: true, focus: 'template'}, READ_ONLY],
  ['read-only', 's', {readOnly: true}, READ_ONLY],
  ['read-only', 'd', {readOnly: true}, READ_ONLY],
  ['read-only', 'N', {readOnly: true}, READ_ONLY],
  ['read-only', 'I', {readOnly: true}, READ_ONLY],
  ['read-only', 'm', {readOnly: true}, READ_ONLY],
  ['read-only', 'A', {readOnly: true, reviewable: true}, READ_ONLY],
  ['read-only', 'u', {readOnly: true, cluster: true}, READ_ONLY],
  ['read-only', 'R', {readOnly: true, hasRollback: true}, act('go-to-rollback')],
  ['read-only', '/', {readOnly: true}, act('search')],
  ['read-only', 'q', {readOnly: true}, act('quit')],
  // a prompt takes text
  ['prompt', 'Enter', {}, act('submit')],
  ['prompt', 'Esc', {}, act('close')],
  ['prompt', 'Backspace', {}, act('erase')],
  ['prompt', 'text', {}, act('type')],
  ['prompt', 'C-c', {}, act('close')],
  ['prompt', 'C-c', {running: true}, act('cancel-run')],
  // the help closes, nothing else
  ['overlay', '?', {}, act('close')],
  ['overlay', 'q', {}, act('close')],
  ['overlay', 'Esc', {}, act('close')],
  ['overlay', 'n', {}, null],
  ['overlay', 'Enter', {}, null],
  ['overlay', 'C-c', {running: true}, act('cancel-run')],
  // a dialog owns the keyboard
  ['dialog', 'Enter', {}, null],
  ['dialog', 'q', {}, null],
];

describe('the key dispatcher', () => {
  it.each(table)('%s mode, %s (%o) → %o', (mode, key, state, expected) => {
    expect(resolveKey(mode, key, {...idle, ...state})).toEqual(expected);
  });

  it('says that a command is running, and that a view is read-only, in one set of words each', () => {
    const texts = new Set<string>();
    for (const [mode, key, state] of table) {
      const r = resolveKey(mode, key, {...idle, ...state});
      if (r && 'refusal' in r && /running|read-only/.test(r.refusal.text)) texts.add(r.refusal.text);
    }
    expect([...texts].sort()).toEqual([GUARDS.idle.refusal!.text, GUARDS.writer.refusal!.text].sort());
  });
});

const none: Key = {
  upArrow: false, downArrow: false, leftArrow: false, rightArrow: false, pageDown: false, pageUp: false, return: false, escape: false,
  ctrl: false, shift: false, tab: false, backspace: false, delete: false, meta: false,
} as Key;

describe('key names', () => {
  it('names Ink’s keys as the key maps do', () => {
    expect(keyName('c', {...none, ctrl: true}, 'step')).toBe('C-c');
    expect(keyName('', {...none, return: true}, 'step')).toBe('Enter');
    expect(keyName(' ', none, 'step')).toBe('Space');
    expect(keyName('', {...none, rightArrow: true}, 'step')).toBe('Right');
    expect(keyName('\t', {...none, tab: true}, 'step')).toBe('Tab');
    expect(keyName('n', none, 'step')).toBe('n');
    expect(keyName('', {...none, backspace: true}, 'prompt')).toBe('Backspace');
  });

  it('reads anything typed into a prompt as text, arrows as nothing', () => {
    expect(keyName('n', none, 'prompt')).toBe('text');
    expect(keyName(' ', none, 'prompt')).toBe('text');
    expect(keyName('eu-west-1', none, 'prompt')).toBe('text');
    expect(keyName('', {...none, upArrow: true}, 'prompt')).toBeNull();
  });
});

describe('a paste', () => {
  it('is text then a trailing Enter, read at once', () => {
    expect(splitPaste('overlord-production\r')).toEqual({text: 'overlord-production', enter: true});
    expect(splitPaste('ok\r\r')).toEqual({text: 'ok', enter: true});
  });

  it('submits only at its end: a line break inside never sends half of it', () => {
    expect(splitPaste('ok\rship')).toBeNull();
    expect(splitPaste('ok\rship\r')).toEqual({text: 'ok\rship', enter: true});
  });

  it('is not a lone key, nor an escape sequence', () => {
    expect(splitPaste('\r')).toBeNull();
    expect(splitPaste('abc')).toBeNull();
    expect(splitPaste('\x1b[A\r')).toBeNull();
  });
});
