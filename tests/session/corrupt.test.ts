import {existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {createSession, openSession} from '../../source/session/durable-store.js';
import {acquireLock} from '../../source/session/locks.js';
import {corruptDir, lockPath, SessionFileError, snapshotPath} from '../../source/session/session-files.js';
import {listSessions} from '../../source/session/session-index.js';
import {note, RUNBOOK, tempStateDir} from './helpers.js';

let state: ReturnType<typeof tempStateDir>;
beforeEach(() => (state = tempStateDir()));
afterEach(() => state.remove());

function makeSessions(...ids: string[]) {
  for (const id of ids) {
    const s = createSession({stateDir: state.dir, runbook: RUNBOOK, kind: 'deploy', id});
    s.append(note(`in ${id}`));
    s.close();
  }
}

const moved = () => (existsSync(corruptDir(state.dir)) ? readdirSync(corruptDir(state.dir)) : []);

const cases: Array<[string, string | Buffer, RegExp]> = [
  ['bad JSON', '{"version":1,"id":"bad","events":[', /bad JSON/],
  ['an empty file', '', /the file is empty/],
  ['a schema mismatch', JSON.stringify({version: 1, id: 'bad', runbook: RUNBOOK, kind: 'party', createdAt: 'x', updatedAt: 'x', finished: false, events: []}), /kind: Invalid enum value/],
  ['binary junk', Buffer.from([0xff, 0xfe, 0x00, 0x01, 0x7b]), /bad JSON/],
  ['an unknown event type', JSON.stringify({version: 1, id: 'bad', runbook: RUNBOOK, kind: 'deploy', createdAt: 'x', updatedAt: 'x', finished: false, events: [{type: 'party', at: 'x'}]}), /events\.0\.type/],
];

describe('a corrupt session file', () => {
  it.each(cases)('with %s is moved aside byte for byte, named in one line, and the others still list', (_what, bytes, reason) => {
    makeSessions('good-1', 'good-2');
    const bad = snapshotPath(state.dir, 'bad');
    writeFileSync(bad, bytes);
    const {sessions, problems} = listSessions(state.dir);
    expect(sessions.map(s => s.id).sort()).toEqual(['good-1', 'good-2']);
    expect(problems).toHaveLength(1);
    const message = problems[0] as string;
    expect(message).not.toContain('\n');
    expect(message).toContain(bad);
    expect(message).toMatch(reason);
    const [name] = moved();
    expect(name).toMatch(/^bad\.json\.\d{4}-\d\d-\d\dT/);
    expect(message).toContain(join(corruptDir(state.dir), name as string));
    expect(readFileSync(join(corruptDir(state.dir), name as string))).toEqual(Buffer.from(bytes));
    expect(existsSync(bad)).toBe(false);
    // the next listing is clean, and the good sessions still open and write
    expect(listSessions(state.dir).problems).toEqual([]);
    const good = openSession(state.dir, 'good-1');
    good.append(note('still works'));
    good.close();
  });

  it('is reported by openSession as a SessionFileError naming the file, and moved aside', () => {
    makeSessions('broken');
    const file = snapshotPath(state.dir, 'broken');
    writeFileSync(file, '{"version":1');
    let error: unknown;
    try {
      openSession(state.dir, 'broken');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SessionFileError);
    expect((error as Error).message).toMatch(new RegExp(`^session file ${file} is unreadable: bad JSON .*; moved to .*corrupt/broken\\.json\\..* and .*corrupt/broken\\.journal\\.`));
    expect(moved().sort()).toEqual([expect.stringMatching(/^broken\.journal\./), expect.stringMatching(/^broken\.json\./)]);
    expect(existsSync(lockPath(state.dir, 'broken'))).toBe(false);
  });

  it('treats an unreadable path (a directory where the file should be) the same way', () => {
    mkdirSync(snapshotPath(state.dir, 'weird'), {recursive: true});
    expect(() => openSession(state.dir, 'weird', {readOnly: true})).toThrow(/weird\.json is unreadable: cannot read it \(EISDIR.*moved to/);
  });

  // A damaged line inside a journal, or a torn last line, costs that line only: tests/session/journal-damage.test.ts.

  it('a journal whose snapshot is gone is reported and moved aside', () => {
    makeSessions('orphan');
    rmSync(snapshotPath(state.dir, 'orphan'));
    const {sessions, problems} = listSessions(state.dir);
    expect(sessions).toEqual([]);
    expect(problems[0]).toMatch(/orphan\.journal is unreadable: journal without its snapshot; moved to /);
    expect(moved()).toEqual([expect.stringMatching(/^orphan\.journal\./)]);
  });

  it('from a newer program is reported but left in place', () => {
    makeSessions('good');
    const newer = snapshotPath(state.dir, 'future');
    writeFileSync(newer, JSON.stringify({version: 2, id: 'future'}));
    const {sessions, problems} = listSessions(state.dir);
    expect(sessions.map(x => x.id)).toEqual(['good']);
    expect(problems[0]).toMatch(/future\.json is unreadable: written by a newer runbook \(file version 2.*left in place/);
    expect(existsSync(newer)).toBe(true);
  });

  it('held by a live writer is reported but not moved from under it', () => {
    makeSessions('busy');
    const lock = acquireLock(lockPath(state.dir, 'busy'), 'busy'); // this process plays the live writer
    writeFileSync(snapshotPath(state.dir, 'busy'), 'garbage');
    const {problems} = listSessions(state.dir);
    expect(problems[0]).toMatch(/left in place \(in use by pid \d+/);
    expect(existsSync(snapshotPath(state.dir, 'busy'))).toBe(true);
    lock.release();
  });
});

describe('a corrupt session in a state dir that cannot be changed', () => {
  it('is reported, left in place, and the listing goes on', () => {
    makeSessions('good');
    writeFileSync(snapshotPath(state.dir, 'bad'), 'not json');
    // a file where the corrupt/ directory would go: moving aside fails the way a read-only dir would
    writeFileSync(corruptDir(state.dir), 'in the way');
    const {sessions, problems} = listSessions(state.dir);
    expect(sessions.map(s => s.id)).toEqual(['good']);
    expect(problems[0]).toMatch(/bad\.json is unreadable: bad JSON .*; left in place \(could not move it aside: E\w+\)$/);
    expect(readFileSync(snapshotPath(state.dir, 'bad'), 'utf8')).toBe('not json');
  });
});
