// The command line of a shared session: --share on a session being opened, --share-namespace, `join [ID]`,
// `share --print-rbac [--for X]`, `status --cluster`; each misplaced option refused with one line and exit code 2.
import {describe, expect, it} from 'vitest';
import {parseCli} from '../../source/commands/args.js';
import {InputError} from '../../source/runbook/errors.js';

const place = {home: '/home/op', project: true};
const parse = (...argv: string[]) => parseCli(argv, {}, place);

/** The InputError `argv` is refused with (exit code 2), its message matched against `said`. */
function refused(argv: string[], said: RegExp) {
  let error: unknown;
  try {
    parse(...argv);
  } catch (caught) {
    error = caught;
  }
  expect(error, argv.join(' ')).toBeInstanceOf(InputError);
  expect((error as InputError).exitCode).toBe(2);
  expect((error as InputError).message).toMatch(said);
}

describe('--share and --share-namespace', () => {
  it('off unless asked; on for a session being opened, rehearsed, rolled back or resumed', () => {
    expect(parse('drill.md').share).toEqual({on: false, namespace: null, cluster: false, printRbac: false, subject: null});
    expect(parse('drill.md', '--share')).toMatchObject({command: 'open', file: 'drill.md', share: {on: true, namespace: null}});
    expect(parse('rehearse', 'drill.md', '--share')).toMatchObject({command: 'rehearse', share: {on: true}});
    expect(parse('rollback', '--share')).toMatchObject({command: 'rollback', share: {on: true}});
    expect(parse('resume', 'abc', '--share')).toMatchObject({command: 'resume', id: 'abc', share: {on: true}});
  });

  it('--share-namespace takes a namespace name', () => {
    for (const ns of ['team-a', 'runbook-sessions', 'a', '0ps', 'x'.repeat(63)]) {
      expect(parse('drill.md', '--share', '--share-namespace', ns).share).toMatchObject({on: true, namespace: ns});
    }
    expect(parse('join', '--share-namespace', 'team-a').share.namespace).toBe('team-a');
  });

  it('--share-namespace refuses what is not a namespace name', () => {
    for (const ns of ['Team', 'team_a', '-team', 'team-', 'a.b', 'x'.repeat(64), '', 'a b']) {
      // `=` so that parseArgs takes '-team' as the value, as a shell user writing it so would mean.
      refused(['drill.md', '--share', `--share-namespace=${ns}`], /--share-namespace takes a namespace name/);
    }
  });

  it('--share is refused where no session is opened, and with --headless', () => {
    for (const argv of [['status', '--share'], ['list', '--share'], ['join', '--share'], ['show', 'drill.md', '--share'], ['metrics', '--share']]) {
      refused(argv, /--share shares a session you open/);
    }
    refused(['rehearse', 'drill.md', '--headless', '--share'], /--share needs the guided session/);
  });
});

describe('join [ID]', () => {
  it('with or without an id; nothing more', () => {
    expect(parse('join')).toMatchObject({command: 'join', id: null});
    expect(parse('join', 'sess-1')).toMatchObject({command: 'join', id: 'sess-1', share: {on: false}});
    expect(parse('join', 'sess-1', '--share-namespace', 'ops')).toMatchObject({command: 'join', id: 'sess-1', share: {namespace: 'ops'}});
    refused(['join', 'a', 'b'], /unexpected argument 'b'/);
  });
});

describe('share --print-rbac [--for X]', () => {
  it('prints for the local user, or for whom --for names', () => {
    expect(parse('share', '--print-rbac')).toMatchObject({command: 'share', share: {printRbac: true, subject: null}});
    expect(parse('share', '--print-rbac', '--for', 'group:sre')).toMatchObject({command: 'share', share: {printRbac: true, subject: 'group:sre'}});
    expect(parse('share', '--print-rbac', '--for', 'alice', '--share-namespace', 'ops')).toMatchObject({share: {subject: 'alice', namespace: 'ops'}});
  });

  it('share without --print-rbac is refused, pointing at --share', () => {
    refused(['share'], /share takes --print-rbac.*runbook FILE --share/);
    refused(['share', '--for', 'alice'], /share takes --print-rbac/);
    refused(['share', '--print-rbac', 'extra'], /unexpected argument 'extra'/);
  });

  it('--print-rbac and --for are refused elsewhere', () => {
    for (const argv of [['drill.md', '--print-rbac'], ['status', '--print-rbac'], ['join', '--for', 'alice'], ['status', '--for', 'group:sre']]) {
      refused(argv, /--print-rbac and --for are share's/);
    }
  });
});

describe('status --cluster', () => {
  it('is status only', () => {
    expect(parse('status', '--cluster')).toMatchObject({command: 'status', share: {cluster: true}});
    expect(parse('status', '--cluster', '--json', '--share-namespace', 'ops')).toMatchObject({command: 'status', json: true, share: {cluster: true, namespace: 'ops'}});
    for (const argv of [['drill.md', '--cluster'], ['list', '--cluster'], ['join', '--cluster'], ['share', '--print-rbac', '--cluster']]) {
      refused(argv, /--cluster is status's/);
    }
  });
});
