// A full disk mid-session: the write that fails says so, and everything recorded before it stays readable.
import {readFileSync, writeFileSync, writeSync} from 'node:fs';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {createSession, openSession} from '../../source/session/durable-store.js';
import {loadSession} from '../../source/session/session-load.js';
import {journalPath, SessionWriteError, snapshotPath, type WriteFn} from '../../source/session/session-files.js';
import {note, RUNBOOK, tempStateDir} from './helpers.js';

let state: ReturnType<typeof tempStateDir>;
beforeEach(() => (state = tempStateDir()));
afterEach(() => state.remove());

/** A disk that fills up on demand; `partial` lets the failing write land a few bytes first, like a real short write. */
function disk() {
  const d = {full: false, partial: false};
  const write: WriteFn = (fd, buffer, offset, length) => {
    if (d.full) {
      if (d.partial && length > 8) {
        d.partial = false;
        return writeSync(fd, buffer, offset, 8);
      }
      throw Object.assign(new Error('ENOSPC: no space left on device, write'), {code: 'ENOSPC', errno: -28});
    }
    return writeSync(fd, buffer, offset, length);
  };
  return Object.assign(d, {write});
}

const texts = (id: string) => loadSession(state.dir, id).events.map(e => (e.type === 'note' ? e.text : e.type));

describe('a full disk', () => {
  it('makes append throw a clear error and leaves everything before it intact, torn bytes included', () => {
    const d = disk();
    const store = createSession({stateDir: state.dir, runbook: RUNBOOK, kind: 'deploy', id: 'full', write: d.write});
    for (let i = 0; i < 10; i++) store.append(note(`ok ${i}`));
    d.full = true;
    d.partial = true; // 8 bytes of the line land, then ENOSPC
    let error: unknown;
    try {
      store.append(note('lost'));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SessionWriteError);
    expect((error as Error).message).toBe(
      `could not save to ${journalPath(state.dir, 'full')}: ENOSPC: no space left on device, write; earlier entries are intact`,
    );
    expect(store.events()).toHaveLength(10);
    // on disk: exactly the ten, the partial line rolled back
    expect(readFileSync(journalPath(state.dir, 'full'), 'utf8').split('\n')).toHaveLength(11);
    expect(texts('full')).toEqual(Array.from({length: 10}, (_, i) => `ok ${i}`));
    // space comes back: recording resumes where it was
    d.full = false;
    store.append(note('ok 10'));
    store.close();
    expect(texts('full')).toHaveLength(11);
  });

  it('fails a compaction without touching the snapshot or the journal', () => {
    const d = disk();
    const store = createSession({stateDir: state.dir, runbook: RUNBOOK, kind: 'deploy', id: 'cf', write: d.write});
    for (let i = 0; i < 5; i++) store.append(note(`e${i}`));
    const snapshotBefore = readFileSync(snapshotPath(state.dir, 'cf'));
    d.full = true;
    expect(() => store.compact()).toThrow(/could not save to .*cf\.json: ENOSPC/);
    expect(() => store.markFinished()).toThrow(SessionWriteError);
    expect(store.meta.finished).toBe(false);
    expect(readFileSync(snapshotPath(state.dir, 'cf'))).toEqual(snapshotBefore);
    store.close();
    expect(texts('cf')).toHaveLength(5);
    expect(JSON.parse(readFileSync(snapshotPath(state.dir, 'cf'), 'utf8')).finished).toBe(false);
  });

  it('still opens a session when the disk is full at start-up, and keeps its data', () => {
    const store = createSession({stateDir: state.dir, runbook: RUNBOOK, kind: 'deploy', id: 'boot'});
    for (let i = 0; i < 5; i++) store.append(note(`e${i}`));
    store.close();
    const d = disk();
    d.full = true;
    const reopened = openSession(state.dir, 'boot', {write: d.write}); // compaction fails quietly: the journal holds it all
    expect(reopened.events()).toHaveLength(5);
    expect(() => reopened.append(note('no room'))).toThrow(/ENOSPC/);
    reopened.close();
    expect(texts('boot')).toHaveLength(5);
  });

  it('cuts a torn journal tail when it cannot compact at start-up, so later lines stay readable', () => {
    const store = createSession({stateDir: state.dir, runbook: RUNBOOK, kind: 'deploy', id: 'torn'});
    store.append(note('whole'));
    store.close();
    const journal = journalPath(state.dir, 'torn');
    writeFileSync(journal, `${readFileSync(journal, 'utf8')}{"n":1,"e":{"ty`);
    const d = disk();
    d.full = true;
    const reopened = openSession(state.dir, 'torn', {write: d.write});
    d.full = false; // space freed while it runs
    reopened.append(note('later'));
    reopened.close();
    expect(texts('torn')).toEqual(['whole', 'later']);
  });

  it('a session cannot even be created on a full disk, and leaves no lock behind', () => {
    const d = disk();
    d.full = true;
    expect(() => createSession({stateDir: state.dir, runbook: RUNBOOK, kind: 'deploy', id: 'nope', write: d.write})).toThrow(/ENOSPC/);
    expect(() => openSession(state.dir, 'nope')).toThrow(/no session nope/);
  });
});
