// Time to the first frame of `runbook` on the guide, against a minimal bundled Ink app that renders one line
// (the floor on this machine). All run in a real pty (util-linux `script`), interleaved, median of several runs.
// The floor is bundled two ways: stock (the floor), and with the same build-time patches to Ink's
// dependencies as the app (scripts/bundle-patches.mjs), so the second ratio is the app's own cost over Ink's.
import {spawn} from 'node:child_process';
import {cpSync, mkdirSync, mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join, resolve} from 'node:path';
import {build} from 'esbuild';
import {bundlePatches, stubDevtools} from '../scripts/bundle-patches.mjs';
import {median, report, type Result} from './report.js';

const ROOT = resolve(import.meta.dirname, '..');

function timeToFrame(command: string, marker: RegExp): Promise<number> {
  return new Promise((done, fail) => {
    const started = performance.now();
    const child = spawn('script', ['-qfec', command, '/dev/null'], {cwd: ROOT, env: {...process.env, COLUMNS: '120', LINES: '40', TERM: 'xterm-256color'}});
    let out = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      fail(new Error(`no frame from ${command}: ${out.slice(0, 200)}`));
    }, 20_000);
    child.stdout.on('data', chunk => {
      out += chunk;
      if (!marker.test(out)) return;
      const ms = performance.now() - started;
      clearTimeout(timer);
      child.kill('SIGKILL');
      done(ms);
    });
  });
}

async function bundleHello(patched: boolean): Promise<string> {
  const dir = join(ROOT, 'node_modules', '.cache', 'runbook-bench');
  mkdirSync(dir, {recursive: true});
  const outfile = join(dir, patched ? 'hello-patched.mjs' : 'hello.mjs');
  await build({
    entryPoints: [join(ROOT, 'bench/fixtures/hello.tsx')],
    outfile,
    bundle: true,
    minify: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    jsx: 'automatic',
    logLevel: 'warning',
    define: {'process.env.NODE_ENV': '"production"'},
    plugins: patched ? bundlePatches : [stubDevtools],
    banner: {js: "import {createRequire as __cr} from 'node:module'; const require = __cr(import.meta.url);"},
  });
  return outfile;
}

export async function benchStartup(runs = 11): Promise<Result[]> {
  const hello = await bundleHello(false);
  const helloPatched = await bundleHello(true);
  const seeded = mkdtempSync(join(tmpdir(), 'runbook-bench-startup-'));
  const fresh: number[] = [];
  const resume: number[] = [];
  const floor: number[] = [];
  const floorPatched: number[] = [];
  try {
    // The first run parses the guide into the model cache, as any earlier use of the runbook would; it also leaves
    // an unfinished session, so later runs on this state directory open on the resume question.
    await timeToFrame(`node dist/cli.js --state-dir ${seeded}`, /Overview/);
    for (let i = 0; i < runs; i++) {
      // `npm start` on a machine that has opened the guide before: a new session's whole first screen.
      const dir = mkdtempSync(join(tmpdir(), 'runbook-bench-startup-'));
      try {
        cpSync(join(seeded, 'cache'), join(dir, 'cache'), {recursive: true});
        fresh.push(await timeToFrame(`node dist/cli.js --state-dir ${dir}`, /0\/89 checks/));
      } finally {
        rmSync(dir, {recursive: true, force: true});
      }
      resume.push(await timeToFrame(`node dist/cli.js --state-dir ${seeded}`, /Resume session started/));
      floor.push(await timeToFrame(`node ${hello}`, /hello/));
      floorPatched.push(await timeToFrame(`node ${helloPatched}`, /hello/));
    }
  } finally {
    rmSync(seeded, {recursive: true, force: true});
  }
  const value = median(fresh);
  const baseline = median(floor);
  const baselinePatched = median(floorPatched);
  return [
    {name: 'startup', value, unit: 'ms', baseline, ratio: value / baseline, note: 'first frame of a new session on the guide vs a stock bundled Ink hello (target ratio ≤ 1.25)'},
    {name: 'startup-resume', value: median(resume), unit: 'ms', baseline, ratio: median(resume) / baseline, note: 'first frame when an unfinished session exists: the resume question'},
    {name: 'startup-same-patches', value, unit: 'ms', baseline: baselinePatched, ratio: value / baselinePatched, note: "a new session vs an Ink hello bundled with the app's dependency patches: the app's own cost"},
  ];
}

if (import.meta.url === `file://${process.argv[1]}`) report(await benchStartup(), process.argv.includes('--json'));
