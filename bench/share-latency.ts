// `npx tsx bench/run.ts share-latency`: issue 18's publish latency. Two real processes of the built CLI
// (dist/cli.js) in pseudo-terminals, each read by an in-process xterm: a driver (`--share`) and a follower
// (`runbook join ID`), on the in-process sandbox cluster at speed 10. Space on the driver ticks and unticks
// `Tell the channel` in turn; for each key two times are taken from writing it to the driver's pty:
// - local tick: until the driver's own screen shows the new box;
// - publish: until the follower's screen shows it (publish to ConfigMaps, watch event, follower's frame).
// A time is the arrival of the pty chunk after which the parsed screen first shows the box (the screen is checked
// on every chunk, once xterm has parsed it), so neither side is rounded up to a polling period.
// The CLI runs from a copy of dist/ taken at the start: a rebuild meanwhile removes the chunks a running app loads
// lazily (`node scripts/build.mjs` first when dist/ is older than the source).
import {execFile} from 'node:child_process';
import {cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join, resolve} from 'node:path';
import {setTimeout as sleep} from 'node:timers/promises';
import {promisify} from 'node:util';
import pty from '@lydell/node-pty';
import xterm from '@xterm/headless';
import {startSandboxCluster} from '../source/sandbox/cluster/index.js';
import {report, type Result} from './report.js';

const ROOT = resolve(import.meta.dirname, '..');
// Under the repository, so the copy resolves node_modules (the external clients, node-pty) as dist/ does.
const SNAPSHOT = join(ROOT, 'node_modules', '.cache', 'runbook-bench', `share-dist-${process.pid}`);
const CLI = join(SNAPSHOT, 'cli.js');
const UNSET = ['KUBECONFIG', 'GH_TOKEN', 'GITHUB_TOKEN', 'GH_ENTERPRISE_TOKEN', 'GITHUB_REPOSITORY', 'GITHUB_API_URL'];
const ITEM = 'Tell the channel';
const WARMUP = 4;

const RUNBOOK = `---
namespace: warehouse
---
# Warehouse release drill

A drill of our own, shared with the team.

## Step 1: Announce

- [ ] ${ITEM}
- [ ] Freeze merges
- [ ] Page the on-call

## Step 2: Ship

- [ ] Watch the dashboard
`;

interface Waiter {
  re: RegExp;
  done: (at: number) => void;
  fail: (error: Error) => void;
}

/** The app in a pty of its own, its screen an xterm; `at` resolves with the time of the chunk that first shows a pattern. */
class Pane {
  private readonly pty: pty.IPty;
  private readonly term: xterm.Terminal;
  private readonly waiters = new Set<Waiter>();
  lastData = performance.now();
  exited = false;

  constructor(args: string[], env: Record<string, string>) {
    const vars: Record<string, string> = {};
    for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !UNSET.includes(k)) vars[k] = v;
    Object.assign(vars, {TERM: 'xterm-256color', COLORTERM: 'truecolor', NO_COLOR: '1'}, env);
    this.term = new xterm.Terminal({cols: 120, rows: 40, allowProposedApi: true});
    this.pty = pty.spawn(process.execPath, [CLI, ...args], {name: 'xterm-256color', cols: 120, rows: 40, cwd: ROOT, env: vars});
    this.pty.onData(data => {
      const arrived = performance.now();
      this.lastData = arrived;
      this.term.write(data, () => this.check(arrived));
    });
    // Answers the program's terminal queries as a real terminal does.
    this.term.onData(data => this.exited || this.pty.write(data));
    this.pty.onExit(({exitCode}) => {
      this.exited = true;
      // A program that died fails its waits now, not at their deadlines.
      this.term.write('', () => {
        for (const w of this.waiters) w.fail(new Error(`runbook ${args[0]} exited ${exitCode}; its screen:\n${this.screen()}`));
        this.waiters.clear();
      });
    });
  }

  screen(): string {
    const buffer = this.term.buffer.active;
    const rows: string[] = [];
    for (let i = 0; i < this.term.rows; i++) rows.push(buffer.getLine(buffer.viewportY + i)?.translateToString(true) ?? '');
    return rows.join('\n');
  }

  private check(arrived: number) {
    if (this.waiters.size === 0) return;
    const screen = this.screen();
    for (const w of this.waiters) {
      if (!w.re.test(screen)) continue;
      this.waiters.delete(w);
      w.done(arrived);
    }
  }

  /** Time (performance.now) of the chunk after which the screen matches; armed before the key is sent. */
  at(re: RegExp, ms = 5000): Promise<number> {
    return new Promise((done, fail) => {
      const timer = setTimeout(() => {
        this.waiters.delete(w);
        fail(new Error(`the screen never matched ${re} in ${ms} ms; it shows:\n${this.screen()}`));
      }, ms);
      const w: Waiter = {re, done: at => (clearTimeout(timer), done(at)), fail: error => (clearTimeout(timer), fail(error))};
      this.waiters.add(w);
    });
  }

  /** Waits for a pattern and then for the screen to be quiet for 50 ms, as a person would before the next key. */
  async wait(re: RegExp, ms = 30_000): Promise<void> {
    if (!re.test(this.screen())) await this.at(re, ms);
    await this.quiet();
  }

  async quiet(ms = 50) {
    while (performance.now() - this.lastData < ms) await sleep(5);
  }

  key(bytes: string) {
    this.pty.write(bytes);
  }

  async stop() {
    if (!this.exited) {
      try {
        process.kill(-this.pty.pid, 'SIGTERM');
      } catch {}
      for (let i = 0; i < 40 && !this.exited; i++) await sleep(50);
      try {
        process.kill(-this.pty.pid, 'SIGKILL');
      } catch {}
    }
    this.term.dispose();
  }
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
};
const box = (ticked: boolean) => new RegExp(`\\[${ticked ? 'x' : ' '}\\] ${ITEM}`);

function place(dir: string, name: string) {
  const home = join(dir, name);
  mkdirSync(home);
  writeFileSync(join(home, 'drill.md'), RUNBOOK);
  return {home, file: join(home, 'drill.md'), stateDir: join(home, 'state')};
}

async function sharedId(home: string, kubeconfig: string): Promise<string> {
  const env: NodeJS.ProcessEnv = {...process.env, HOME: home, KUBECONFIG: kubeconfig};
  for (const name of UNSET.slice(1)) delete env[name];
  const {stdout} = await promisify(execFile)(process.execPath, [CLI, 'status', '--cluster', '--json'], {env, timeout: 20_000});
  const sessions = JSON.parse(stdout) as Array<{id: string}>;
  if (sessions.length !== 1) throw new Error(`expected one shared session on the sandbox, found ${sessions.length}`);
  return sessions[0]!.id;
}

async function measureTicks(driver: Pane, follower: Pane, ticks: number) {
  const local: number[] = [];
  const publish: number[] = [];
  let ticked = false;
  for (let i = 0; i < WARMUP + ticks; i++) {
    ticked = !ticked;
    const onDriver = driver.at(box(ticked));
    const onFollower = follower.at(box(ticked));
    const sent = performance.now();
    driver.key(' ');
    const [d, f] = await Promise.all([onDriver, onFollower]);
    if (i >= WARMUP) {
      local.push(d - sent);
      publish.push(f - sent);
    }
    await Promise.all([driver.quiet(), follower.quiet()]);
    // A varying pause, so the keys do not fall in step with a render throttle or a watch's rhythm.
    await sleep(50 + Math.random() * 100);
  }
  return {local, publish};
}

function results(local: number[], publish: number[]): Result[] {
  const over = publish.map((p, i) => p - local[i]!);
  const n = `${local.length} ticks/unticks`;
  const [l50, l95, p50, p95] = [percentile(local, 50), percentile(local, 95), percentile(publish, 50), percentile(publish, 95)];
  return [
    {name: 'share-local-tick-p50', value: l50, unit: 'ms', note: `Space on the driver → its own screen shows the box (${n})`},
    {name: 'share-local-tick-p95', value: l95, unit: 'ms'},
    {name: 'share-publish-p50', value: p50, unit: 'ms', baseline: l50, ratio: p50 / l50, note: 'same key → the follower\'s screen shows it; baseline: the local tick'},
    {name: 'share-publish-p95', value: p95, unit: 'ms', baseline: l95, ratio: p95 / l95, note: `max ${Math.max(...publish).toFixed(0)} ms (tests require < 1000)`},
    {name: 'share-publish-over-local-p50', value: percentile(over, 50), unit: 'ms', note: 'per key: follower frame − driver frame'},
    {name: 'share-publish-over-local-p95', value: percentile(over, 95), unit: 'ms'},
  ];
}

export async function benchShareLatency(ticks = 50): Promise<Result[]> {
  const dir = mkdtempSync(join(tmpdir(), 'runbook-bench-share-'));
  const panes: Pane[] = [];
  let cluster: Awaited<ReturnType<typeof startSandboxCluster>> | undefined;
  try {
    cpSync(join(ROOT, 'dist'), SNAPSHOT, {recursive: true});
    cluster = await startSandboxCluster({speed: 10, port: 0, dir: join(dir, 'cluster')});
    const kubeconfig = cluster.kubeconfigPath;
    const a = place(dir, 'driver');
    const driver = new Pane([a.file, '--share', '--state-dir', a.stateDir], {HOME: a.home, KUBECONFIG: kubeconfig});
    panes.push(driver);
    await driver.wait(/SHARED · you drive/);
    // The checklist is on the first step after the introduction.
    driver.key('\u001B[C');
    await driver.wait(/▶ \[ \] Tell the channel/);
    const b = place(dir, 'follower');
    const follower = new Pane(['join', await sharedId(a.home, kubeconfig), '--state-dir', b.stateDir], {HOME: b.home, KUBECONFIG: kubeconfig});
    panes.push(follower);
    await follower.wait(/FOLLOWING \S+ · read-only/);
    await follower.wait(/\[ \] Tell the channel/);
    const {local, publish} = await measureTicks(driver, follower, ticks);
    return results(local, publish);
  } finally {
    await Promise.all(panes.map(p => p.stop()));
    await cluster?.stop();
    rmSync(dir, {recursive: true, force: true});
    rmSync(SNAPSHOT, {recursive: true, force: true});
  }
}

if (import.meta.url === `file://${process.argv[1]}`) report(await benchShareLatency(), process.argv.includes('--json'));
