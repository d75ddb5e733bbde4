// Time to the first frame of `runbook` on the guide, against a minimal bundled Ink app that renders one line
// (the floor on this machine). All run in a real pty (util-linux `script`), interleaved, median of several runs.
// The floor is bundled two ways: stock (the floor), and with the same build-time patches to Ink's
// dependencies as the app (scripts/bundle-patches.mjs), so the second ratio is the app's own cost over Ink's.
import {spawn} from 'node:child_process';
import {mkdirSync, mkdtempSync} from 'node:fs';
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
  const state = mkdtempSync(join(tmpdir(), 'runbook-bench-startup-'));
  const app = `node dist/cli.js --state-dir ${state}`;
  await timeToFrame(app, /Overview/); // fills the model cache, as any earlier use of the runbook would
  const ours: number[] = [];
  const floor: number[] = [];
  const floorPatched: number[] = [];
  for (let i = 0; i < runs; i++) {
    ours.push(await timeToFrame(app, /Overview/));
    floor.push(await timeToFrame(`node ${hello}`, /hello/));
    floorPatched.push(await timeToFrame(`node ${helloPatched}`, /hello/));
  }
  const value = median(ours);
  const baseline = median(floor);
  const baselinePatched = median(floorPatched);
  return [
    {name: 'startup', value, unit: 'ms', baseline, ratio: value / baseline, note: 'first frame of the guide vs a stock bundled Ink hello (target ratio ≤ 1.25)'},
    {name: 'startup-same-patches', value, unit: 'ms', baseline: baselinePatched, ratio: value / baselinePatched, note: 'the same, vs an Ink hello bundled with the app\'s dependency patches: the app\'s own cost'},
  ];
}

if (import.meta.url === `file://${process.argv[1]}`) report(await benchStartup(), process.argv.includes('--json'));
