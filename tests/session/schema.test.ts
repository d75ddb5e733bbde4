import {readFileSync, writeFileSync} from 'node:fs';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {createSession, openSession} from '../../source/session/durable-store.js';
import {decodeSessionFile, migrations, SESSION_FILE_VERSION, SchemaError, type Migration} from '../../source/session/schema.js';
import {ensureDir, snapshotPath} from '../../source/session/session-files.js';
import {note, RUNBOOK, tempStateDir} from './helpers.js';

let state: ReturnType<typeof tempStateDir>;
beforeEach(() => (state = tempStateDir()));
afterEach(() => state.remove());

// A made-up version 0: no version field, `log` instead of `events`, the runbook as a bare path, times as epoch ms.
const v0 = {
  id: 'old-1',
  runbook: 'runbooks/deploy.md',
  started: Date.parse('2024-06-01T10:00:00Z'),
  log: [{type: 'note', stepId: 'intro', text: 'from v0', at: '2024-06-01T10:01:00Z'}],
};
const v0to1: Migration = old => ({
  version: 1,
  id: old.id,
  runbook: {path: old.runbook, hash: '', title: ''},
  kind: 'deploy',
  createdAt: new Date(old.started as number).toISOString(),
  updatedAt: new Date(old.started as number).toISOString(),
  finished: false,
  events: old.log,
});

describe('the session file schema', () => {
  it('is at version 1 with no migrations yet', () => {
    expect(SESSION_FILE_VERSION).toBe(1);
    expect(Object.keys(migrations)).toEqual([]);
  });

  it('migrates an older file through the table, then validates it', () => {
    const file = decodeSessionFile(structuredClone(v0), {0: v0to1});
    expect(file).toMatchObject({version: 1, id: 'old-1', runbook: {path: 'runbooks/deploy.md'}, createdAt: '2024-06-01T10:00:00.000Z', totals: null});
    expect(file.events).toEqual(v0.log);
  });

  it('checks what a migration produced: the next version, and a valid file', () => {
    expect(() => decodeSessionFile({id: 'x'}, {0: old => ({...old, version: 3})})).toThrow(/migration from version 0 produced version 3/);
    expect(() => decodeSessionFile({id: 'x'}, {0: old => ({...old, version: 1})})).toThrow(SchemaError);
  });

  it('reports a version with no migration path, and a newer version, on one line', () => {
    expect(() => decodeSessionFile({id: 'x'})).toThrow(/file version 0 has no migration to 1/);
    expect(() => decodeSessionFile({version: 7})).toThrow(/written by a newer runbook \(file version 7/);
  });

  it('openSession reads a v0 file through the table and writes it back as v1', () => {
    ensureDir(`${state.dir}/sessions`);
    writeFileSync(snapshotPath(state.dir, 'old-1'), JSON.stringify(v0));
    const store = openSession(state.dir, 'old-1', {migrations: {0: v0to1}});
    expect(store.events()).toEqual(v0.log);
    store.append(note('written by v1'));
    store.close();
    const onDisk = JSON.parse(readFileSync(snapshotPath(state.dir, 'old-1'), 'utf8'));
    expect(onDisk.version).toBe(1); // compaction at open rewrote it in the current format
    const again = openSession(state.dir, 'old-1');
    expect(again.events()).toHaveLength(2);
    again.close();
  });

  it('keeps fields it does not know inside events (a newer program may have added them)', () => {
    const store = createSession({stateDir: state.dir, runbook: RUNBOOK, kind: 'deploy', id: 'extra'});
    store.append({...note('x'), severity: 'high'} as never);
    store.close();
    expect(openSession(state.dir, 'extra', {readOnly: true}).events()[0]).toMatchObject({severity: 'high'});
  });
});
