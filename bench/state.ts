// State benchmark (`npx tsx bench/state.ts [--json]`): the real `runbook status` over 1,000 sessions of 200 events
// against 1 session, and listing in process, with the index cache cold and warm; and the time to persist one
// tick (median, p99) in a 200- and a 2,000-event session, against rewriting the whole snapshot per event.

import {spawnSync} from 'node:child_process';
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {openSession} from '../source/session/durable-store.js';
import type {SessionEvent} from '../source/session/events.js';
import {SESSION_FILE_VERSION, type SessionFile} from '../source/session/schema.js';
import {ensureDir, indexPath, journalPath, snapshotPath} from '../source/session/session-files.js';
import {listSessions} from '../source/session/session-index.js';
import {median, report, type Result} from './report.js';

const STEPS = 20;

/** A plausible session: steps entered, boxes ticked, commands run with output tails, the odd note. */
export function syntheticEvents(count: number, start = Date.parse('2025-03-01T14:00:00Z')): SessionEvent[] {
  const events: SessionEvent[] = [];
  const by = {user: 'op', host: 'laptop'};
  const context = {kubeContext: 'prod-eu', namespace: 'shop'};
  for (let i = 0; events.length < count; i++) {
    const at = new Date(start + events.length * 7000).toISOString();
    const stepId = `step-${i % STEPS}`;
    const base = {at, by, context};
    const batch: SessionEvent[] = [
      {...base, type: 'step-entered', stepId},
      {...base, type: 'check-toggled', stepId, itemId: `${stepId}-c${i % 3}`, checked: true},
      {...base, type: 'run-started', runId: `r${i}`, stepId, blockId: `${stepId}-b0`, command: `kubectl -n shop rollout status deploy/web-${i}`, outputFile: `state/runs/x/r${i}.log`, interactive: false},
      {...base, type: 'run-finished', runId: `r${i}`, exitCode: i % 17 === 0 ? 1 : 0, signal: null, cancelled: false, durationMs: 2300, lines: 40, tail: Array.from({length: 8}, (_, k) => `deployment "web-${i}" rollout line ${k}`)},
      {...base, type: 'note', stepId, text: `checked dashboards after step ${i}`},
    ];
    events.push(...batch.slice(0, count - events.length));
  }
  return events;
}

export function syntheticFile(id: string, events: SessionEvent[]): SessionFile {
  const outline = Array.from({length: STEPS}, (_, s) => ({id: `step-${s}`, blocks: [`step-${s}-b0`], checks: [0, 1, 2].map(c => `step-${s}-c${c}`)}));
  return {
    version: SESSION_FILE_VERSION,
    id,
    runbook: {path: 'runbooks/production-deployment-guide.md', hash: 'sha256:bench', title: 'Production deployment'},
    kind: 'deploy',
    createdAt: events[0]?.at ?? new Date().toISOString(),
    updatedAt: events.at(-1)?.at ?? new Date().toISOString(),
    finished: false,
    finishedAt: null,
    totals: {checks: STEPS * 3, steps: STEPS},
    outline,
    events,
  };
}

/** Writes `count` sessions straight to disk (no fsync: this is set-up, not the thing measured). */
export function writeSyntheticSessions(stateDir: string, count: number, eventsEach: number) {
  ensureDir(join(stateDir, 'sessions'));
  const events = syntheticEvents(eventsEach);
  for (let i = 0; i < count; i++) {
    const id = `bench-${String(i).padStart(5, '0')}`;
    writeFileSync(snapshotPath(stateDir, id), JSON.stringify(syntheticFile(id, events)));
    writeFileSync(journalPath(stateDir, id), ''); // as a closed session leaves it: compacted, journal empty
  }
}

const time = (fn: () => void) => {
  const start = performance.now();
  fn();
  return performance.now() - start;
};
const p99 = (values: number[]) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * 0.99))]!;
const dropIndex = (dir: string) => rmSync(indexPath(dir), {force: true});

const CLI = new URL('../dist/cli.js', import.meta.url).pathname;

/** The real `runbook status` (the bundled CLI an operator runs), timed from spawn to exit. */
function runStatus(stateDir: string, json = false): number {
  const start = performance.now();
  const out = spawnSync(process.execPath, [CLI, 'status', '--state-dir', stateDir, ...(json ? ['--json'] : [])], {encoding: 'utf8', maxBuffer: 64 * 1024 * 1024});
  if (out.status !== 0) throw new Error(`runbook status failed: ${out.stderr}`);
  return performance.now() - start;
}

function tickTimes(stateDir: string, id: string, base: number, ticks: number) {
  writeFileSync(snapshotPath(stateDir, id), JSON.stringify(syntheticFile(id, syntheticEvents(base))));
  const store = openSession(stateDir, id);
  const at = new Date().toISOString();
  const ticksMs: number[] = [];
  for (let i = 0; i < ticks; i++) {
    // every tick goes on top of the same-size session: the journal is emptied between samples, outside the timing
    const event: SessionEvent = {type: 'check-toggled', stepId: 'step-1', itemId: `step-1-c${i % 3}`, checked: i % 2 === 0, at, by: {user: 'op', host: 'laptop'}};
    ticksMs.push(time(() => store.append(event)));
  }
  const rewriteMs: number[] = [];
  for (let i = 0; i < Math.min(ticks, 40); i++) rewriteMs.push(time(() => store.compact(true)));
  store.close();
  return {ticksMs, rewriteMs};
}

export async function benchState(): Promise<Result[]> {
  const root = mkdtempSync(join(tmpdir(), 'runbook-bench-state-'));
  try {
    const many = join(root, 'many');
    const one = join(root, 'one');
    writeSyntheticSessions(many, 1000, 200);
    writeSyntheticSessions(one, 1, 200);

    const cold = (dir: string, runs: number) => median(Array.from({length: runs}, () => (dropIndex(dir), time(() => listSessions(dir)))));
    const warm = (dir: string, runs: number) => (listSessions(dir), median(Array.from({length: runs}, () => time(() => listSessions(dir)))));
    const coldMany = cold(many, 3);
    const coldOne = cold(one, 9);
    const warmMany = warm(many, 15);
    const warmOne = warm(one, 15);
    const sessions = listSessions(many).sessions.length;

    const procCold = (dir: string, runs: number) => median(Array.from({length: runs}, () => (dropIndex(dir), runStatus(dir))));
    // Interleaved, so a noisy moment on the machine hits both sides alike.
    runStatus(many);
    runStatus(one);
    const warmManyRuns: number[] = [];
    const warmOneRuns: number[] = [];
    for (let i = 0; i < 9; i++) {
      warmManyRuns.push(runStatus(many));
      warmOneRuns.push(runStatus(one));
    }
    const procWarmMany = median(warmManyRuns);
    const procWarmOne = median(warmOneRuns);
    const jsonMany = median(Array.from({length: 5}, () => runStatus(many, true)));
    const procColdMany = procCold(many, 3);
    const procColdOne = procCold(one, 5);

    const ticksDir = join(root, 'ticks');
    ensureDir(join(ticksDir, 'sessions'));
    const t200 = tickTimes(ticksDir, 'tick-200', 200, 300);
    const t2000 = tickTimes(ticksDir, 'tick-2000', 2000, 300);

    const ratio = (value: number, baseline: number) => ({value, baseline, ratio: value / baseline});
    return [
      {name: 'state-scale', unit: 'ms', ...ratio(procWarmMany, procWarmOne), note: `runbook status: ${sessions} sessions × 200 events vs 1; target ratio ≤ 2`},
      {name: 'status-json', unit: 'ms', ...ratio(jsonMany, procWarmOne), note: 'runbook status --json over the 1,000, vs the table over 1'},
      {name: 'status-cold', unit: 'ms', ...ratio(procColdMany, procColdOne), note: 'runbook status with no index: every file parsed and validated once'},
      {name: 'list-warm', unit: 'ms', ...ratio(warmMany, warmOne), note: 'listSessions in process, index valid (stat per file)'},
      {name: 'list-cold', unit: 'ms', ...ratio(coldMany, coldOne), note: 'listSessions in process, index deleted first'},
      {name: 'tick-200-median', unit: 'ms', value: median(t200.ticksMs), note: '1 event appended + fdatasync, 200-event session'},
      {name: 'tick-200-p99', unit: 'ms', value: p99(t200.ticksMs)},
      {name: 'tick-2000-median', unit: 'ms', value: median(t2000.ticksMs), note: 'same, 2,000-event session'},
      {name: 'tick-2000-p99', unit: 'ms', value: p99(t2000.ticksMs)},
      {name: 'rewrite-200-median', unit: 'ms', value: median(t200.rewriteMs), note: 'the alternative: whole snapshot rewritten durably per event'},
      {name: 'rewrite-200-p99', unit: 'ms', value: p99(t200.rewriteMs)},
      {name: 'rewrite-2000-median', unit: 'ms', value: median(t2000.rewriteMs)},
      {name: 'rewrite-2000-p99', unit: 'ms', value: p99(t2000.rewriteMs)},
    ];
  } finally {
    rmSync(root, {recursive: true, force: true});
  }
}

if (import.meta.url === `file://${process.argv[1]}`) report(await benchState(), process.argv.includes('--json'));
