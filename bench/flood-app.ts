// A block printing 1,000,000 lines through the app's runner and its live output view (the session controller
// driving the mounted Ink screen), against the same command run plainly by execa into /dev/null. The app side runs
// in a child process so that its peak memory is its own.
import {execFileSync} from 'node:child_process';
import {execa} from 'execa';
import {resolve} from 'node:path';
import {median, report, type Result} from './report.js';

const ROOT = resolve(import.meta.dirname, '..');
const LINES = 1_000_000;

async function plain(): Promise<number> {
  const started = performance.now();
  await execa('bash', ['-c', `seq 1 ${LINES}`], {stdout: {file: '/dev/null'}});
  return performance.now() - started;
}

function app(): {ms: number; rssMb: number; frames: number} {
  const out = execFileSync(process.execPath, ["--import", "tsx", "bench/flood-app-child.tsx", String(LINES)], {cwd: ROOT, encoding: "utf8"});
  return JSON.parse(out.trim().split('\n').pop()!);
}

export async function benchFloodApp(runs = 5): Promise<Result[]> {
  const ours: number[] = [];
  const base: number[] = [];
  let rss = 0;
  let frames = 0;
  for (let i = 0; i < runs; i++) {
    const r = app();
    ours.push(r.ms);
    rss = Math.max(rss, r.rssMb);
    frames = r.frames;
    base.push(await plain());
  }
  const value = median(ours);
  const baseline = median(base);
  return [
    {name: 'output-flood', value, unit: 'ms', baseline, ratio: value / baseline, note: `1M lines through the app's runner and live view, ${frames} frames (target ratio ≤ 3)`},
    {name: 'output-flood-rss', value: rss, unit: 'MB', note: 'peak RSS of the app process during the flood (target ≤ 250)'},
  ];
}

if (import.meta.url === `file://${process.argv[1]}`) report(await benchFloodApp(), process.argv.includes('--json'));
