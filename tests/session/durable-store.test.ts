import {readFileSync, readdirSync, writeFileSync} from 'node:fs';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {createSession, openSession, ReadOnlySessionError} from '../../source/session/durable-store.js';
import {loadSession} from '../../source/session/session-load.js';
import {journalPath, snapshotPath} from '../../source/session/session-files.js';
import {finished, note, RUNBOOK, tempStateDir, tick} from './helpers.js';

let state: ReturnType<typeof tempStateDir>;
beforeEach(() => (state = tempStateDir()));
afterEach(() => state.remove());

/** What another process would see: the files read from scratch, no shared objects. */
const fromDisk = (id: string) => loadSession(state.dir, id).events;

describe('DurableSessionStore', () => {
  it('round-trips events in order, through close and reopen', () => {
    const store = createSession({stateDir: state.dir, runbook: RUNBOOK, kind: 'deploy', id: 'rt-1'});
    const events = [note('first'), tick('c1'), finished('r1', 0, ['ok']), tick('c1', 'step-1', false), note('last')];
    for (const e of events) store.append(e);
    expect(store.events()).toEqual(events);
    store.close();
    const again = openSession(state.dir, 'rt-1');
    expect(again.events()).toEqual(events);
    expect(again.meta).toMatchObject({id: 'rt-1', runbook: RUNBOOK, kind: 'deploy', finished: false, version: 1});
    again.append(note('after reopen'));
    again.close();
    expect(fromDisk('rt-1').map(e => e.type)).toEqual(['note', 'check-toggled', 'run-finished', 'check-toggled', 'note', 'note']);
  });

  it('has each event on disk the moment append returns', () => {
    const store = createSession({stateDir: state.dir, runbook: RUNBOOK, kind: 'incident', id: 'dur-1'});
    for (let i = 0; i < 25; i++) {
      store.append(note(`n${i}`));
      const seen = fromDisk('dur-1');
      expect(seen).toHaveLength(i + 1);
      expect(seen.at(-1)).toMatchObject({type: 'note', text: `n${i}`});
      // and the raw journal ends on a whole line
      expect(readFileSync(journalPath(state.dir, 'dur-1'), 'utf8').endsWith('\n')).toBe(true);
    }
    store.close();
  });

  it('folds the journal into the snapshot on open and compact, never duplicating', () => {
    const store = createSession({stateDir: state.dir, runbook: RUNBOOK, kind: 'deploy', id: 'cmp-1'});
    for (let i = 0; i < 10; i++) store.append(note(`a${i}`));
    store.compact();
    expect(JSON.parse(readFileSync(snapshotPath(state.dir, 'cmp-1'), 'utf8')).events).toHaveLength(10);
    expect(readFileSync(journalPath(state.dir, 'cmp-1'), 'utf8')).toBe('');
    for (let i = 0; i < 5; i++) store.append(note(`b${i}`));
    store.close();
    const reopened = openSession(state.dir, 'cmp-1');
    expect(reopened.events()).toHaveLength(15);
    const snap = JSON.parse(readFileSync(snapshotPath(state.dir, 'cmp-1'), 'utf8'));
    expect(snap.events).toHaveLength(15);
    expect(snap.updatedAt).toBe(reopened.events().at(-1)?.at);
    reopened.close();
  });

  it('skips journal entries the snapshot already has (a crash between compaction rename and truncate)', () => {
    const store = createSession({stateDir: state.dir, runbook: RUNBOOK, kind: 'deploy', id: 'dup-1'});
    for (let i = 0; i < 4; i++) store.append(note(`x${i}`));
    const journal = readFileSync(journalPath(state.dir, 'dup-1'));
    store.compact();
    store.close();
    // put the pre-compaction journal back, as if the truncate never happened
    writeFileSync(journalPath(state.dir, 'dup-1'), journal);
    expect(fromDisk('dup-1').map(e => (e.type === 'note' ? e.text : ''))).toEqual(['x0', 'x1', 'x2', 'x3']);
  });

  it('marks a session finished durably', () => {
    const store = createSession({stateDir: state.dir, runbook: RUNBOOK, kind: 'deploy', id: 'fin-1'});
    store.append(note('done'));
    store.markFinished();
    store.close();
    expect(JSON.parse(readFileSync(snapshotPath(state.dir, 'fin-1'), 'utf8'))).toMatchObject({finished: true, events: [{text: 'done'}]});
  });

  it('opens read-only without a lock, and refuses to write', () => {
    const writer = createSession({stateDir: state.dir, runbook: RUNBOOK, kind: 'deploy', id: 'ro-1'});
    writer.append(note('by the writer'));
    const reader = openSession(state.dir, 'ro-1', {readOnly: true});
    expect(reader.events()).toHaveLength(1);
    expect(() => reader.append(note('sneaky'))).toThrow(ReadOnlySessionError);
    expect(() => reader.compact()).toThrow(ReadOnlySessionError);
    writer.append(note('later'));
    writer.compact();
    writer.append(note('after compaction'));
    reader.refresh();
    expect(reader.events().map(e => (e.type === 'note' ? e.text : ''))).toEqual(['by the writer', 'later', 'after compaction']);
    reader.close();
    writer.close();
    expect(fromDisk('ro-1')).toHaveLength(3);
  });

  it('rejects ids that could escape the sessions directory, and refuses to create a session twice', () => {
    expect(() => createSession({stateDir: state.dir, runbook: RUNBOOK, kind: 'deploy', id: '../evil'})).toThrow(/invalid session id/);
    createSession({stateDir: state.dir, runbook: RUNBOOK, kind: 'deploy', id: 'twice'}).close();
    expect(() => createSession({stateDir: state.dir, runbook: RUNBOOK, kind: 'deploy', id: 'twice'})).toThrow(/already exists/);
    expect(readdirSync(`${state.dir}/sessions`).filter(n => n.endsWith('.lock'))).toEqual([]);
  });

  it('refuses a malformed event instead of writing it', () => {
    const store = createSession({stateDir: state.dir, runbook: RUNBOOK, kind: 'deploy', id: 'bad-ev'});
    expect(() => store.append({type: 'note', at: 'x'} as never)).toThrow(/malformed note event: stepId/);
    expect(store.events()).toHaveLength(0);
    store.close();
  });
});
