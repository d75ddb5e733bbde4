// A journal damaged after it was written (a lost sector, an editor, a copy cut short) costs its bad lines and nothing
// else: the session stays listed and resumable, every good entry is kept, and the bad bytes are kept in corrupt/.
import {existsSync, readdirSync, readFileSync, writeFileSync} from 'node:fs';
import {hostname} from 'node:os';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {createSession, openSession} from '../../source/session/durable-store.js';
import type {SessionEvent} from '../../source/session/events.js';
import {corruptDir, EntryTooLargeError, journalPath, lockPath, MAX_ENTRY_BYTES, saveFailureLine} from '../../source/session/session-files.js';
import {listSessions} from '../../source/session/session-index.js';
import {testTempDir} from '../helpers/temp.js';
import {note, RUNBOOK} from './helpers.js';

const texts = (events: readonly SessionEvent[]) => events.map(e => (e.type === 'note' ? e.text : e.type));
const kept = (dir: string) => (existsSync(corruptDir(dir)) ? readdirSync(corruptDir(dir)).map(name => join(corruptDir(dir), name)) : []);

/** A session of notes left in its journal (closed without compacting), as a crash or a quit leaves it. */
function sessionOf(dir: string, id: string, notes: string[]) {
  const s = createSession({stateDir: dir, runbook: RUNBOOK, kind: 'deploy', id});
  for (const text of notes) s.append(note(text));
  s.close();
  return journalPath(dir, id);
}

const replaceLine = (file: string, index: number, line: string) => {
  const lines = readFileSync(file, 'utf8').split('\n');
  const before = lines[index]!;
  lines[index] = line;
  writeFileSync(file, lines.join('\n'));
  return before;
};

describe('a damaged line in the middle of a journal', () => {
  it('keeps the session listed with every good entry, and sets the bad bytes aside', () => {
    const dir = testTempDir('journal-damage');
    sessionOf(dir, 'other', ['fine']);
    const journal = sessionOf(dir, 'hurt', ['one', 'two', 'three', 'four']);
    const bad = '{"n":1,"e":{"type":"note","stepId":"step-1","te\u0000\u0000garbage';
    replaceLine(journal, 1, bad); // "two": the events before and after it were recorded too
    // The writer was killed: its lock stays behind, naming a process that is gone.
    writeFileSync(lockPath(dir, 'hurt'), JSON.stringify({pid: 2 ** 22 + 12345, host: hostname(), user: 'op', since: new Date().toISOString()}));

    const {sessions, problems} = listSessions(dir);
    expect(sessions.map(s => s.id).sort()).toEqual(['hurt', 'other']);
    expect(sessions.find(s => s.id === 'hurt')!.eventCount).toBe(3);
    expect(problems).toHaveLength(1);
    const said = problems[0]!;
    expect(said).not.toContain('\n');
    expect(said).toMatch(/^session hurt: line 2 of hurt\.journal was damaged \(bad JSON/);
    expect(said).toMatch(/the journal as it was is kept in .*corrupt\/hurt\.journal\.\d{4}-.*; 3 recorded entries are kept, 1 lost$/);
    const [aside] = kept(dir);
    expect(readFileSync(aside!, 'latin1')).toContain(bad);
    expect(existsSync(lockPath(dir, 'hurt'))).toBe(false); // the stale lock was taken over and released

    // Said once; the session resumes with its good entries and records on.
    expect(listSessions(dir).problems).toEqual([]);
    const store = openSession(dir, 'hurt');
    expect(store.notice).toBeNull();
    expect(texts(store.events())).toEqual(['one', 'three', 'four']);
    store.append(note('after'));
    store.close();
    expect(texts(openSession(dir, 'hurt', {readOnly: true}).events())).toEqual(['one', 'three', 'four', 'after']);
  });

  it('is set right by the writer that opens it, which says so once', () => {
    const dir = testTempDir('journal-damage');
    const journal = sessionOf(dir, 's', ['a', 'b', 'c']);
    replaceLine(journal, 0, 'not json at all');
    const view = openSession(dir, 's', {readOnly: true});
    expect(texts(view.events())).toEqual(['b', 'c']);
    expect(view.notice).toMatch(/^session s: line 1 of .*s\.journal was damaged \(bad JSON.*; shown without it$/);
    expect(kept(dir)).toEqual([]); // a reader changes nothing
    view.close();

    const store = openSession(dir, 's');
    expect(store.notice).toMatch(/^session s: line 1 of s\.journal was damaged .*kept in .*corrupt\/s\.journal\..*; 2 recorded entries are kept, 1 lost$/);
    expect(texts(store.events())).toEqual(['b', 'c']);
    store.append(note('d'));
    store.close();
    expect(texts(openSession(dir, 's', {readOnly: true}).events())).toEqual(['b', 'c', 'd']);
    expect(readFileSync(kept(dir)[0]!, 'utf8').split('\n')[0]).toBe('not json at all');
  });

  it('sets aside a line whose number goes back (a line from elsewhere) and keeps the rest', () => {
    const dir = testTempDir('journal-damage');
    const journal = sessionOf(dir, 'seq', ['a', 'b', 'c', 'd']);
    const first = readFileSync(journal, 'utf8').split('\n')[0]!;
    replaceLine(journal, 2, first); // entry 0 again where entry 2 was
    const store = openSession(dir, 'seq');
    expect(store.notice).toMatch(/line 3 of seq\.journal was damaged \(entry 0 out of sequence after entry 1\)/);
    expect(texts(store.events())).toEqual(['a', 'b', 'd']);
    store.close();
  });
});

describe('a torn last line', () => {
  it('is named, its bytes kept, and the entries before it kept', () => {
    const dir = testTempDir('journal-torn');
    const journal = sessionOf(dir, 'torn', ['kept']);
    const torn = '{"n":1,"e":{"type":"no';
    writeFileSync(journal, `${readFileSync(journal, 'utf8')}${torn}`);
    const {sessions, problems} = listSessions(dir);
    expect(sessions).toMatchObject([{id: 'torn', eventCount: 1}]);
    expect(problems).toEqual([expect.stringMatching(/^session torn: its last line \(2\) was cut short by a crash or a full disk and was never shown as saved; its bytes are kept in .*corrupt\/torn\.journal\..*\.torn; 1 recorded entry is kept$/)]);
    expect(readFileSync(kept(dir)[0]!, 'utf8')).toBe(torn);
    const again = openSession(dir, 'torn');
    again.append(note('next'));
    again.close();
    expect(texts(openSession(dir, 'torn', {readOnly: true}).events())).toEqual(['kept', 'next']);
  });
});

describe('an entry over the bound', () => {
  it('is refused with one line before anything is written, and recording goes on', () => {
    const dir = testTempDir('journal-big');
    const store = createSession({stateDir: dir, runbook: RUNBOOK, kind: 'deploy', id: 'big'});
    store.append(note('before'));
    const size = readFileSync(store.journalFile).length;
    let error: unknown;
    try {
      store.append(note('x'.repeat(MAX_ENTRY_BYTES)));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(EntryTooLargeError);
    expect(saveFailureLine(error)).toBe('not saved: the note entry is 16.0 MB, more than the 16 MB a session records in one entry (everything recorded before is kept)');
    expect(readFileSync(store.journalFile).length).toBe(size);
    store.append(note('after'));
    store.close();
    expect(texts(openSession(dir, 'big', {readOnly: true}).events())).toEqual(['before', 'after']);
  });

  it('read back (written by something else) is one line naming the file, and every session stays listed', () => {
    const dir = testTempDir('journal-big');
    sessionOf(dir, 'fine', ['fine']);
    const journal = sessionOf(dir, 'huge', ['a', 'b']);
    const lines = readFileSync(journal, 'utf8').split('\n');
    // 20 MB of one line, between two good ones
    writeFileSync(journal, `${lines[0]}\n{"n":1,"e":{"type":"note","text":"${'y'.repeat(20 * 1024 * 1024)}"}}\n${lines[1]!.replace('"n":1', '"n":2')}\n`);
    const {sessions, problems} = listSessions(dir);
    expect(sessions.map(s => s.id).sort()).toEqual(['fine', 'huge']);
    expect(problems).toEqual([expect.stringMatching(/^session huge: line 2 of huge\.journal was damaged \(20\.0 MB, longer than the 16\.0 MB an entry may hold\); the journal as it was is kept in /)]);
    expect(texts(openSession(dir, 'huge', {readOnly: true}).events())).toEqual(['a', 'b']);
  });
});
