// status and report as the CLI will call them (the wiring in cli.tsx is someone else's): real state dirs, stdout
// captured.
import {existsSync, readFileSync, writeFileSync} from 'node:fs';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {reportCommand} from '../../source/commands/report.js';
import {statusCommand} from '../../source/commands/status.js';
import {InputError} from '../../source/runbook/errors.js';
import {lockPath, snapshotPath} from '../../source/session/session-files.js';
import {tempStateDir} from '../session/helpers.js';
import {deployTimeline, guide, incidentTimeline, T0, writeSession} from '../session/history.js';
import {capture} from '../helpers/capture.js';

const MIN = 60_000;
let state: ReturnType<typeof tempStateDir>;
beforeEach(() => (state = tempStateDir()));
afterEach(() => state.remove());

describe('statusCommand', () => {
  it('--json: one object per session, newest first, with id, runbook, checked, total, finished', async () => {
    writeSession(state.dir, {id: 'dep-1', kind: 'deploy', events: deployTimeline().events, finishedAt: T0 + 13 * MIN});
    const live = writeSession(state.dir, {id: 'inc-1', kind: 'incident', events: incidentTimeline(T0 + 60 * MIN).events, keepOpen: true});
    try {
      const {code, out, err} = await capture(() => statusCommand({stateDir: state.dir, json: true}));
      expect(code).toBe(0);
      expect(err).toBe('');
      const rows = JSON.parse(out);
      expect(rows.map((r: {id: string}) => r.id)).toEqual(['inc-1', 'dep-1']);
      expect(rows[1]).toMatchObject({
        id: 'dep-1',
        runbook: guide.title,
        kind: 'deploy',
        checked: 0,
        total: 89,
        finished: true,
        stepsDone: 1,
        failed: 1,
        skipped: 1,
        startedAt: new Date(T0).toISOString(),
        updatedAt: new Date(T0 + 10 * MIN).toISOString(),
        inUse: null,
      });
      expect(rows[0]).toMatchObject({id: 'inc-1', kind: 'incident', finished: false, inUse: {pid: process.pid}});
    } finally {
      live.close();
    }
  });

  it('prints a table, with who holds a session in use', async () => {
    writeSession(state.dir, {id: 'dep-1', kind: 'deploy', events: deployTimeline().events, finishedAt: T0 + 13 * MIN});
    const live = writeSession(state.dir, {id: 'dep-2', kind: 'deploy', events: deployTimeline(T0 + 60 * MIN).events, keepOpen: true});
    try {
      const {out} = await capture(() => statusCommand({stateDir: state.dir, json: false}));
      const lines = out.split('\n');
      expect(lines[0]).toMatch(/^ID +RUNBOOK +KIND +STARTED +UPDATED +CHECKED +STEPS D\/F\/S +INCIDENT +ROLLBACK +LAST FAILURE +STATE$/);
      expect(lines[1]).toMatch(new RegExp(`^dep-2 .* deploy .* 0/89 +1/1/1 of \\d+ +— +— +\\S.* +in use by pid ${process.pid}@`));
      expect(lines[2]).toMatch(/^dep-1 .* finished$/);
      expect(out).toMatch(/Times are local \(UTC[+-]\d\d:\d\d\)/);
    } finally {
      live.close();
    }
  });

  it('no sessions: says so, and [] for json', async () => {
    expect((await capture(() => statusCommand({stateDir: state.dir, json: false}))).out).toBe(`No sessions in ${state.dir}.\n`);
    expect(JSON.parse((await capture(() => statusCommand({stateDir: state.dir, json: true}))).out)).toEqual([]);
  });

  it('a corrupt session is one line on stderr, moved aside; the rest are listed and the exit code is 0', async () => {
    writeSession(state.dir, {id: 'good', kind: 'deploy', events: deployTimeline().events});
    writeFileSync(snapshotPath(state.dir, 'bad'), '{"version": 1, "id": "bad", "ev');
    const {code, out, err} = await capture(() => statusCommand({stateDir: state.dir, json: true}));
    expect(code).toBe(0);
    expect(JSON.parse(out).map((r: {id: string}) => r.id)).toEqual(['good']);
    expect(err.trim().split('\n')).toHaveLength(1);
    expect(err).toContain('bad.json');
    expect(existsSync(snapshotPath(state.dir, 'bad'))).toBe(false);
  });
});

describe('reportCommand', () => {
  it('reports a session whose lock another writer holds, without taking or disturbing the lock', async () => {
    const writer = writeSession(state.dir, {id: '20250303-090000-abc123', kind: 'deploy', events: deployTimeline().events, keepOpen: true});
    try {
      const lockBefore = readFileSync(lockPath(state.dir, writer.id), 'utf8');
      const md = await capture(() => reportCommand({stateDir: state.dir, id: writer.id, format: 'md'}));
      expect(md.code).toBe(0);
      expect(md.out).toContain(`# ${guide.title} — session ${writer.id}`);
      expect(md.out).toContain('| Last update (not finished) |');
      expect(md.out).toContain('Set GITHUB_TOKEN = •••');
      expect(readFileSync(lockPath(state.dir, writer.id), 'utf8')).toBe(lockBefore);
      // The writer is unaffected: it can still record, and a json report (by unique prefix) sees the new event.
      writer.append({type: 'note', stepId: 'x', text: 'recorded after the report', at: new Date(T0 + 30 * MIN).toISOString()});
      const json = await capture(() => reportCommand({stateDir: state.dir, id: '20250303', format: 'json'}));
      const report = JSON.parse(json.out);
      expect(report.id).toBe(writer.id);
      expect(report.entries.at(-1)).toMatchObject({kind: 'note', text: 'recorded after the report'});
      expect(report.entries.find((e: {kind: string; exitCode?: number}) => e.kind === 'run' && e.exitCode === 1).command).toContain('\n');
    } finally {
      writer.close();
    }
  });

  it('an unknown id is an InputError (exit 2) pointing at status; an ambiguous prefix names the candidates', async () => {
    writeSession(state.dir, {id: 'dep-1', kind: 'deploy', events: deployTimeline().events});
    writeSession(state.dir, {id: 'dep-2', kind: 'deploy', events: deployTimeline().events});
    const unknown = reportCommand({stateDir: state.dir, id: 'nope', format: 'md'});
    await expect(unknown).rejects.toThrow(InputError);
    await expect(unknown).rejects.toThrow(`no session nope in ${state.dir}; 'runbook status' lists them`);
    await expect(reportCommand({stateDir: state.dir, id: '../etc', format: 'md'})).rejects.toMatchObject({exitCode: 2});
    await expect(reportCommand({stateDir: state.dir, id: 'x', format: 'md'})).rejects.toMatchObject({exitCode: 2});
    await expect(reportCommand({stateDir: `${state.dir}/missing`, id: 'dep-1', format: 'md'})).rejects.toThrow(InputError);
    await expect(reportCommand({stateDir: state.dir, id: 'dep', format: 'md'})).rejects.toThrow(/matches 2 sessions .*\(dep-1, dep-2\)/);
  });
});
