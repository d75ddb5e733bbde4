// `npx tsx bench/pods-frame.tsx [--json]`: key-to-frame latency of the cluster panes. PodsPane and
// RolloutPane are mounted with useCluster through Ink's real (throttled, 30 fps) renderer on a
// 120x40 fake terminal, beside a 37-line stand-in for the step. A key (↓/↑) moves the pods pane's
// scroll offset; the time is taken from writing the key to stdin until the frame whose first pod
// row is the new offset's is written to stdout. Loads compared:
// - busy: overlord-production grown to 5,000 pods, 200 pod updates/s (sandbox churn);
// - idle: overlord-staging grown to 10 pods, no updates.
// The sandbox runs in a child process (bench/pods-watch.ts --child), so this process's event loop
// is the TUI's alone, as it would be against a real cluster.
import {EventEmitter} from 'node:events';
import path from 'node:path';
import {monitorEventLoopDelay} from 'node:perf_hooks';
import {fileURLToPath} from 'node:url';
import {Box, render, Text, useInput} from 'ink';
import {useState} from 'react';
import {PodsPane} from '../source/ui/cluster/pods-pane.js';
import {RolloutPane} from '../source/ui/cluster/rollout-pane.js';
import {useCluster} from '../source/ui/cluster/use-cluster.js';
import {Sandbox} from './pods-watch.js';
import {report, type Result} from './report.js';

const SELF = fileURLToPath(import.meta.url);
const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));
const KEYS = 100;
const PODS_HEIGHT = 8;

/** A terminal for Ink: 120x40, TTY, every write handed to `onWrite`. */
class FakeStdout extends EventEmitter {
  readonly isTTY = true;
  readonly columns = 120;
  readonly rows = 40;
  onWrite: (chunk: string) => void = () => {};
  write = (chunk: string) => {
    this.onWrite(chunk);
    return true;
  };
}

/** Keys as Ink reads them: a 'readable' event, then read(). */
class FakeStdin extends EventEmitter {
  readonly isTTY = true;
  private data: string | null = null;
  write(data: string) {
    this.data = data;
    this.emit('readable');
  }
  read = () => {
    const d = this.data;
    this.data = null;
    return d;
  };
  setEncoding() {}
  setRawMode() {}
  resume() {}
  pause() {}
  ref() {}
  unref() {}
}

const STEP = Array.from({length: 37}, (_, i) => `  step text line ${i + 1}: kubectl rollout status deployment/overlord -n overlord-production`);

function Screen({env, namespace, probe}: {env: Record<string, string>; namespace: string; probe: (total: number, live: boolean) => void}) {
  const [offset, setOffset] = useState(0);
  const snapshot = useCluster({env, namespace, window: {offset, rows: PODS_HEIGHT}});
  probe(snapshot.podsTotal, snapshot.podsStatus.status === 'live');
  useInput((_, key) => {
    if (key.downArrow) setOffset(o => o + 1);
    if (key.upArrow) setOffset(o => Math.max(0, o - 1));
  });
  return (
    <Box flexDirection="row" height={39}>
      <Box flexDirection="column" width={71}>
        {STEP.map((l, i) => (
          <Text key={i} wrap="truncate-end">
            {l}
          </Text>
        ))}
      </Box>
      <Box width={1} />
      <Box flexDirection="column" width={48}>
        <PodsPane snapshot={snapshot} width={48} height={PODS_HEIGHT} offset={offset} />
        <RolloutPane snapshot={snapshot} width={48} height={29} />
      </Box>
    </Box>
  );
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
};
const ANSI = /\u001B\[[0-9;?]*[A-Za-z]/g;
/** The pod name in the row under the pods pane's header (the pane sits at a column of its own). */
function firstPod(chunk: string): string | null {
  const lines = chunk.replace(ANSI, '').split('\n');
  const at = lines.findIndex(l => /\bNAME +READY\b/.test(l));
  if (at < 0 || at + 1 >= lines.length) return null;
  const column = lines[at]!.search(/\bNAME +READY\b/);
  return /^\S+/.exec(lines[at + 1]!.slice(column))?.[0] ?? null;
}

interface Measured {
  p50: number;
  p95: number;
  max: number;
  keys: number;
  framesPerSecond: number;
  loopDelayP99: number;
}

async function measure(kubeconfig: string, namespace: string, expectPods: number): Promise<Measured> {
  const stdout = new FakeStdout();
  const stdin = new FakeStdin();
  let total = 0;
  let live = false;
  const app = render(<Screen env={{KUBECONFIG: kubeconfig}} namespace={namespace} probe={(t, l) => ((total = t), (live = l))} />, {
    stdout: stdout as unknown as NodeJS.WriteStream,
    stdin: stdin as unknown as NodeJS.ReadStream,
    exitOnCtrlC: false,
    patchConsole: false,
  });
  try {
    const deadline = Date.now() + 60_000;
    while (!(live && total >= expectPods)) {
      if (Date.now() > deadline) throw new Error(`${namespace}: the panes never showed ${expectPods} pods live (${total}, live ${live})`);
      await sleep(50);
    }
    await sleep(1000); // warm-up: first renders, JIT
    const latencies: number[] = [];
    let frames = 0;
    let expected: string | null = null;
    let pressedAt = 0;
    let done: (() => void) | null = null;
    stdout.onWrite = chunk => {
      // Ink also writes cursor and synchronized-update sequences on their own: only frames count.
      if (chunk.includes('PODS ')) frames++;
      if (expected && firstPod(chunk)?.startsWith(expected)) {
        latencies.push(performance.now() - pressedAt);
        expected = null;
        done?.();
      }
    };
    const loop = monitorEventLoopDelay({resolution: 5});
    loop.enable();
    const started = performance.now();
    let offset = 0;
    for (let i = 0; i < KEYS; i++) {
      // ↓ four times, ↑ four times: offsets 1..4 and back, the same windows under both loads.
      const down = Math.floor(i / 4) % 2 === 0;
      offset += down ? 1 : -1;
      expected = `churn-${String(offset).padStart(5, '0')}`;
      const shown = new Promise<void>(resolve => (done = resolve));
      pressedAt = performance.now();
      stdin.write(down ? '\u001B[B' : '\u001B[A');
      await Promise.race([shown, sleep(2000)]);
      if (expected) throw new Error(`${namespace}: no frame with ${expected} first within 2 s`);
      // Keys land at every phase of the watches' 100 ms batching.
      await sleep(40 + Math.random() * 80);
    }
    loop.disable();
    const seconds = (performance.now() - started) / 1000;
    return {p50: percentile(latencies, 50), p95: percentile(latencies, 95), max: Math.max(...latencies), keys: latencies.length, framesPerSecond: frames / seconds, loopDelayP99: loop.percentile(99) / 1e6};
  } finally {
    app.unmount();
    app.cleanup();
  }
}

export async function benchPodsFrame(): Promise<Result[]> {
  const sandbox = await Sandbox.start();
  try {
    // The seeded namespaces hold overlord's 3 pods and deployment: churn pods make up the rest.
    await sandbox.request({type: 'churn', namespace: 'overlord-staging', pods: 7, rate: 0});
    const idle = await measure(sandbox.kubeconfig, 'overlord-staging', 10);
    await sandbox.request({type: 'churn', namespace: 'overlord-production', pods: 4997, rate: 200});
    const busy = await measure(sandbox.kubeconfig, 'overlord-production', 5000);
    await sandbox.request({type: 'stop-churn', namespace: 'overlord-production'});
    const note = (m: Measured) => `${m.keys} keys, p50 ${m.p50.toFixed(1)} ms, max ${m.max.toFixed(1)} ms, ${m.framesPerSecond.toFixed(1)} frames/s`;
    return [
      {name: 'pods-watch', value: busy.p95, unit: 'ms', baseline: idle.p95, ratio: busy.p95 / idle.p95, note: `5,000 pods @200/s vs 10 idle; Ink 30 fps throttle, 120x40; target ratio ≤ 3; busy: ${note(busy)}; idle: ${note(idle)}`},
      {name: 'pods-frame event-loop delay p99', value: busy.loopDelayP99, unit: 'ms', baseline: idle.loopDelayP99, ratio: busy.loopDelayP99 / idle.loopDelayP99, note: 'while the keys were pressed'},
    ];
  } finally {
    await sandbox.stop();
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === SELF) {
  report(await benchPodsFrame(), process.argv.includes('--json'));
  process.exit(0);
}
