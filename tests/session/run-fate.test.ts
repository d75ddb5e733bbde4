// What a start says, and records, about runs a killed runbook left without an end: finished (the exit its shell
// noted), ended with runbook, still running (adopted: shown running, Ctrl-C ends it), or gone. Old journals, whose
// run-started has no process group, still read.
import {spawn} from 'node:child_process';
import {mkdirSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {isGroupAlive, processIdentity} from '../../source/exec/process-groups.js';
import {parseRunbook} from '../../source/runbook/index.js';
import {SessionController} from '../../source/session/controller.js';
import {buildReport, formatReportMarkdown} from '../../source/session/report.js';
import {exitFileFor} from '../../source/session/run-fate.js';
import {eventSchema} from '../../source/session/schema.js';
import {MemorySessionStore} from '../../source/session/store.js';
import {within} from '../helpers/outlive.js';
import {testTempDir} from '../helpers/temp.js';

const RUNBOOK = parseRunbook('# R\n\n## Deploy\n\n```bash\n./deploy.sh\n```\n');

function sessionWithRun(extra: Record<string, unknown> = {}) {
  const dir = testTempDir('fate');
  const store = new MemorySessionStore('s', join(dir, 'runs'));
  mkdirSync(store.outputDir, {recursive: true});
  const probe = new SessionController({runbook: RUNBOOK, store, shell: {env: {PATH: process.env.PATH!}, cwd: dir}});
  const step = probe.steps.find(s => s.blocks.length)!;
  const at = new Date(Date.now() - 65_000).toISOString();
  store.append({type: 'run-started', runId: 'r1', stepId: step.id, blockId: step.blocks[0]!.id, command: './deploy.sh', outputFile: join(store.outputDir, 'r1.log'), interactive: false, at, ...extra});
  writeFileSync(join(store.outputDir, 'r1.log'), 'deploying\nrolled out\n');
  const controller = new SessionController({runbook: RUNBOOK, store, shell: {env: {PATH: process.env.PATH!}, cwd: dir}});
  return {dir, store, controller, exitFile: exitFileFor(store.outputDir, 'r1')};
}

describe('a run a killed runbook left without an end', () => {
  it('finished on its own: recorded with the exit its shell noted, and the report says so', () => {
    const {controller, store, exitFile} = sessionWithRun({processGroup: 999_999});
    writeFileSync(exitFile, `exit 0 ${Math.floor(Date.now() / 1000)}\n`);
    expect(controller.resolveInterruptedRuns()).toEqual(['finished while runbook was not running: exit 0 — ./deploy.sh']);
    const run = controller.session.runs[0]!;
    expect(run.finished).toMatchObject({exitCode: 0, cancelled: false, lines: 2, tail: ['deploying', 'rolled out']});
    const report = formatReportMarkdown(buildReport({version: 1, id: 's', kind: 'deploy', runbook: {path: 'r.md', hash: 'h', title: 'R'}, createdAt: run.startedAt, updatedAt: run.startedAt, finished: false, finishedAt: null, totals: null, outline: null}, store.events(), RUNBOOK));
    expect(report).toContain('finished while runbook was not running: exit 0');
    expect(report).not.toContain('no exit recorded');
  });

  it('ended by its supervisor when runbook died: recorded as stopped, saying so', () => {
    const {controller, exitFile} = sessionWithRun({processGroup: 999_999});
    writeFileSync(exitFile, 'runbook-died 1700000000\nexit 143 1700000001\n');
    expect(controller.resolveInterruptedRuns()).toEqual(['ended when runbook was killed — ./deploy.sh']);
    expect(controller.session.runs[0]!.finished).toMatchObject({exitCode: null, cancelled: true, recovered: 'ended when runbook was killed'});
  });

  it('gone without a word: said, and recorded so it is no longer shown interrupted', () => {
    const {controller} = sessionWithRun({processGroup: 999_999});
    expect(controller.resolveInterruptedRuns()).toEqual(['gone: not running when runbook restarted, and no exit was recorded — ./deploy.sh']);
    expect(controller.session.runs[0]!.finished).toMatchObject({cancelled: true, recovered: expect.stringMatching(/^gone/)});
  });

  it('still running: adopted, shown with its pid and elapsed time, and Ctrl-C ends its whole group', async () => {
    const dir = testTempDir('fate-live');
    const job = spawn('bash', ['-c', 'sleep 300 & sleep 300; wait'], {detached: true, stdio: 'ignore', cwd: dir});
    const pgid = job.pid!;
    try {
      const {controller} = sessionWithRun({processGroup: pgid, processStart: processIdentity(pgid)});
      const [note] = controller.resolveInterruptedRuns();
      expect(note).toMatch(new RegExp(`^still running \\(pid ${pgid}, 1m0[0-9]s\\) — wait for it, or Ctrl-C to end it — ./deploy.sh$`));
      expect(controller.activeRun).toMatchObject({runId: 'r1', adoptedPid: pgid});
      expect(await within(3000, () => controller.activeRun?.progress?.tail.includes('rolled out') === true)).toBe(true);
      expect(controller.cancel()).toBe(true);
      expect(await within(5000, () => !isGroupAlive(pgid) && controller.activeRun === null)).toBe(true);
      expect(controller.session.runs[0]!.finished).toMatchObject({cancelled: true, recovered: 'ended with Ctrl-C after runbook restarted'});
    } finally {
      try {
        process.kill(-pgid, 'SIGKILL');
      } catch {}
    }
  });

  it('is not mistaken for a later process that reuses its pid', () => {
    const {controller} = sessionWithRun({processGroup: process.pid, processStart: 'another-boot:12345'});
    expect(controller.resolveInterruptedRuns()[0]).toMatch(/^gone/);
  });
});

describe('run-started with a process group', () => {
  it('is read by older and newer journals alike: the fields are optional', () => {
    const base = {type: 'run-started', runId: 'r', stepId: 's', blockId: 'b', command: 'x', outputFile: null, interactive: false, at: '2025-01-01T00:00:00Z'};
    expect(eventSchema.safeParse(base).success).toBe(true);
    expect(eventSchema.safeParse({...base, processGroup: 4242, processStart: 'boot:77'}).success).toBe(true);
    expect(eventSchema.safeParse({...base, processGroup: -1}).success).toBe(false);
  });
});
