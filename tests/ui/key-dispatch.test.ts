import type {Key} from 'ink';
import {describe, expect, it} from 'vitest';
import {dialogKeyState, GUARDS, keyName, resolveKey, type KeyState, type Mode, type Resolved} from '../../source/ui/key-map.js';
import {dialogKey, type DialogKeys} from '../../source/ui/use-dialog-keys.js';
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

// A dialog's keys: the same dispatcher, with each dialog's own map (the dialog's hook only does the actions).
const undoOpen = dialogKeyState({kind: 'undo', ended: false, choosing: false});
const undoEnded = dialogKeyState({kind: 'undo', ended: true, choosing: false});
const choosing = dialogKeyState({kind: 'approval', ended: false, choosing: true});
const commenting = dialogKeyState({kind: 'approval', ended: false, choosing: false});
const approvalEnded = dialogKeyState({kind: 'approval', ended: true, choosing: false});

const dialogTable: [string, KeyState, string, string, Resolved][] = [
  // the native rollback
  ['undo', undoOpen, 'Up', '', act('choose-previous')],
  ['undo', undoOpen, 'Down', '', act('choose-next')],
  ['undo', undoOpen, 'Enter', '', act('confirm')],
  ['undo', undoOpen, 'Esc', '', act('cancel')],
  ['undo', undoOpen, 'Backspace', '', act('erase')],
  ['undo', undoOpen, 'text', 'overlord-production', act('type')],
  ['undo', undoOpen, 'text', 'a', act('type')],
  ['undo', undoOpen, 'Tab', '', null],
  ['undo', undoOpen, 'C-c', '', null],
  ['undo', undoEnded, 'Enter', '', act('dismiss')],
  ['undo', undoEnded, 'Esc', '', act('dismiss')],
  ['undo', undoEnded, 'Up', '', null],
  ['undo', undoEnded, 'text', 'x', null],
  ['undo', undoEnded, 'Backspace', '', null],
  // a deployment review
  ['approval', choosing, 'text', 'a', act('approve')],
  ['approval', choosing, 'text', 'r', act('reject')],
  ['approval', choosing, 'text', 'x', null],
  ['approval', choosing, 'text', 'approve', null],
  ['approval', choosing, 'Enter', '', act('confirm')],
  ['approval', choosing, 'Esc', '', act('cancel')],
  ['approval', choosing, 'Up', '', null],
  ['approval', commenting, 'text', 'a', act('type')],
  ['approval', commenting, 'text', 'r', act('type')],
  ['approval', commenting, 'text', 'looks good', act('type')],
  ['approval', commenting, 'Backspace', '', act('erase')],
  ['approval', commenting, 'Enter', '', act('confirm')],
  ['approval', commenting, 'C-c', '', null],
  ['approval', approvalEnded, 'Enter', '', act('dismiss')],
  ['approval', approvalEnded, 'Esc', '', act('dismiss')],
  ['approval', approvalEnded, 'text', 'a', null],
];

describe('the dialogs’ key maps', () => {
  it.each(dialogTable)('%s dialog (%o), %s %j → %o', (_kind, state, key, typed, expected) => {
    expect(resolveKey('dialog', key, state, typed)).toEqual(expected);
  });

  it('are not the session’s: with no dialog named, the dialog mode maps no key', () => {
    expect(resolveKey('dialog', 'Enter', idle)).toBeNull();
    expect(resolveKey('dialog', 'text', idle, 'a')).toBeNull();
  });

  it('name what is typed into a dialog as text, a space too, and arrows as arrows', () => {
    expect(keyName('a', none, 'dialog')).toBe('text');
    expect(keyName(' ', none, 'dialog')).toBe('text');
    expect(keyName('', {...none, upArrow: true}, 'dialog')).toBe('Up');
    expect(keyName('\t', {...none, tab: true}, 'dialog')).toBe('Tab');
    expect(keyName('x', {...none, ctrl: true}, 'dialog')).toBeNull();
    expect(keyName('', {...none, escape: true}, 'dialog')).toBe('Esc');
  });

  it('reach the dialog’s hook only as actions: a paste is typed, then confirmed', () => {
    const done: string[] = [];
    let phase: 'choose' | 'comment' = 'choose';
    const keys: DialogKeys = {
      kind: 'approval',
      state: () => ({ended: false, choosing: phase === 'choose'}),
      handlers: {
        approve: () => {
          done.push('approve');
          phase = 'comment';
        },
        type: text => done.push(`type ${text}`),
        confirm: () => done.push('confirm'),
      },
    };
    dialogKey('a', none, keys);
    dialogKey('a', none, keys);
    dialogKey('', {...none, return: true}, keys);
    expect(done).toEqual(['approve', 'type a', 'confirm']);
  });
});
