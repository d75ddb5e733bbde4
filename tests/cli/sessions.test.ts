// status, report, metrics and resume through the real binary.
import {execa} from 'execa';
import {describe, expect, it} from 'vitest';
import {readRunbookFile} from '../../source/runbook/index.js';
import {createSession, outlineOf} from '../../source/session/persistence.js';
import {CLI, SHIPPED_GUIDE} from '../helpers/paths.js';
import {testTempDir} from '../helpers/temp.js';

const run = (...args: string[]) => execa(process.execPath, [CLI, ...args], {reject: false, env: {NO_COLOR: '1'}});

function recordedSession(stateDir: string) {
  const guide = readRunbookFile(SHIPPED_GUIDE);
  const store = createSession({stateDir, runbook: {path: SHIPPED_GUIDE, hash: guide.hash, title: guide.title}, kind: 'deploy', ...outlineOf(guide)});
  const step = guide.sections[2]!.children[0]!;
  const at = (s: number) => new Date(Date.UTC(2026, 10, 27, 14, 0, s)).toISOString();
  const by = {user: 'alice', host: 'laptop'};
  store.append({type: 'session-started', at: at(0), by, runbook: {path: SHIPPED_GUIDE, hash: guide.hash, title: guide.title}});
  store.append({type: 'check-toggled', at: at(5), by, stepId: step.id, itemId: step.checklist[0]!.id, checked: true});
  store.append({type: 'run-started', at: at(6), by, runId: 'r1', stepId: step.id, blockId: step.blocks[0]!.id, command: 'make lint', outputFile: null, interactive: false});
  store.append({type: 'run-finished', at: at(8), by, runId: 'r1', exitCode: 2, signal: null, cancelled: false, durationMs: 2000, lines: 1, tail: ['no rule']});
  store.append({type: 'note', at: at(9), by, stepId: step.id, text: 'lint runs in CI instead'});
  store.close();
  return store.id;
}

describe('session commands', () => {
  it('status --json lists sessions with id, runbook, checked, total, finished', async () => {
    const stateDir = testTempDir('cli');
    const id = recordedSession(stateDir);
    const r = await run('status', '--json', '--state-dir', stateDir);
    expect(r.exitCode).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([expect.objectContaining({id, runbook: 'Production Deployment Guide', checked: 1, total: 89, finished: false})]);
  });

  it('report gives the timeline in markdown and json; unknown ids are exit 2', async () => {
    const stateDir = testTempDir('cli');
    const id = recordedSession(stateDir);
    const md = await run('report', id, '--state-dir', stateDir);
    expect(md.exitCode).toBe(0);
    expect(md.stdout).toMatch(/make lint.*exit 2/);
    expect(md.stdout).toContain('lint runs in CI instead');
    expect(md.stdout).toContain('All unit tests passing (100%)');
    const json = await run('report', id, '--format', 'json', '--state-dir', stateDir);
    expect(JSON.parse(json.stdout)).toBeTypeOf('object');
    const missing = await run('report', 'nope', '--state-dir', stateDir);
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('metrics works on an empty state dir and on history', async () => {
    const empty = await run('metrics', '--state-dir', testTempDir('cli'));
    expect(empty.exitCode).toBe(0);
    expect(empty.stdout).toMatch(/nothing to measure yet/);
    const stateDir = testTempDir('cli');
    recordedSession(stateDir);
    const r = await run('metrics', '--state-dir', stateDir);
    expect(r.stdout).toMatch(/Rollback rate/);
  });

  it('resume without an unfinished session says so, exit 2', async () => {
    const r = await run('resume', '--state-dir', testTempDir('cli'));
    expect(r.exitCode).toBe(2);
  });
});
