// Where sessions go: beside the runbooks in a runbook project (as in this repository), in the XDG state directory
// anywhere else, and wherever --state-dir or RUNBOOK_STATE_DIR say in both.
import {mkdirSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {parseCli} from '../../source/commands/args.js';
import {isRunbookProject, placeOf, stateDirFor} from '../../source/commands/state-dir.js';
import {InputError} from '../../source/runbook/errors.js';
import {ROOT} from '../helpers/paths.js';
import {testTempDir} from '../helpers/temp.js';

const HOME = '/home/op';
const project = {home: HOME, project: true};
const elsewhere = {home: HOME, project: false};

describe('stateDirFor', () => {
  it('in a runbook project: ./state, as always', () => {
    expect(stateDirFor(undefined, {}, project)).toBe('state');
    expect(stateDirFor(undefined, {XDG_STATE_HOME: '/xdg'}, project)).toBe('state');
  });

  it('outside one: $XDG_STATE_HOME/runbook, else ~/.local/state/runbook', () => {
    expect(stateDirFor(undefined, {XDG_STATE_HOME: '/xdg/state'}, elsewhere)).toBe('/xdg/state/runbook');
    expect(stateDirFor(undefined, {}, elsewhere)).toBe('/home/op/.local/state/runbook');
    expect(stateDirFor(undefined, {XDG_STATE_HOME: ''}, elsewhere)).toBe('/home/op/.local/state/runbook');
    // The XDG spec: a relative path there is invalid and ignored.
    expect(stateDirFor(undefined, {XDG_STATE_HOME: 'relative/state'}, elsewhere)).toBe('/home/op/.local/state/runbook');
  });

  it('a directory that already keeps sessions in ./state keeps them there: nothing recorded drops out of view', () => {
    expect(stateDirFor(undefined, {XDG_STATE_HOME: '/xdg'}, {...elsewhere, localState: true})).toBe('state');
  });

  it('--state-dir, then RUNBOOK_STATE_DIR, win everywhere', () => {
    for (const place of [project, elsewhere]) {
      expect(stateDirFor('/flag', {RUNBOOK_STATE_DIR: '/env', XDG_STATE_HOME: '/xdg'}, place)).toBe('/flag');
      expect(stateDirFor(undefined, {RUNBOOK_STATE_DIR: '/env', XDG_STATE_HOME: '/xdg'}, place)).toBe('/env');
    }
  });
});

describe('a runbook project', () => {
  it('is a directory with a runbooks/ folder; this repository is one', () => {
    const dir = testTempDir('state-dir');
    expect(isRunbookProject(dir)).toBe(false);
    writeFileSync(join(dir, 'runbooks'), 'a file, not a folder');
    expect(isRunbookProject(dir)).toBe(false);
    const other = testTempDir('state-dir');
    mkdirSync(join(other, 'runbooks'));
    expect(isRunbookProject(other)).toBe(true);
    expect(placeOf(ROOT, HOME)).toMatchObject({cwd: ROOT, home: HOME, project: true});
    expect(placeOf(dir, HOME)).toEqual({cwd: dir, home: HOME, project: false, localState: false});
    mkdirSync(join(dir, 'state', 'sessions'), {recursive: true});
    expect(placeOf(dir, HOME)).toEqual({cwd: dir, home: HOME, project: false, localState: true});
  });
});

describe('parseCli', () => {
  it('carries the decision: no FILE in a project opens (the guide); elsewhere the CLI lists instead', () => {
    expect(parseCli([], {}, project)).toMatchObject({command: 'open', file: null, project: true, stateDir: 'state'});
    expect(parseCli([], {XDG_STATE_HOME: '/xdg'}, elsewhere)).toMatchObject({command: 'open', file: null, project: false, stateDir: '/xdg/runbook'});
    expect(parseCli(['status'], {}, elsewhere).stateDir).toBe('/home/op/.local/state/runbook');
    expect(parseCli(['status', '--state-dir', 'mine'], {}, elsewhere).stateDir).toBe('mine');
  });

  it('list [--json], and nothing more', () => {
    expect(parseCli(['list'], {}, project)).toMatchObject({command: 'list', json: false});
    expect(parseCli(['list', '--json'], {}, project)).toMatchObject({command: 'list', json: true});
    expect(() => parseCli(['list', 'runbooks'], {}, project)).toThrow(InputError);
  });
});
