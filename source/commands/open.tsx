// `runbook [FILE]`: the guided session. Mounts the Ink app, and unmounts it whenever a block needs the whole
// terminal (an editor, watch, logs -f), re-mounting it with the same view when that command ends.

import {randomBytes} from 'node:crypto';
import {join, resolve} from 'node:path';
import {render, type Instance} from 'ink';
import {killAllRuns} from '../exec/process-groups.js';
import {initialShellState} from '../exec/shell-state.js';
import type {RunResult} from '../exec/types.js';
import {currentKubeTarget, looksLikeProduction} from '../kube/current-context.js';
import {InputError} from '../runbook/errors.js';
import {loadRunbook} from '../runbook/cache.js';
import {SessionController, type Handover} from '../session/controller.js';
import {MemorySessionStore} from '../session/store.js';
import {App} from '../ui/app.js';
import {initialViewState, type ViewState} from '../ui/use-session-view-state.js';
import type {Target} from '../ui/status-bar.js';
import {enterAlternateScreen, leaveAlternateScreen} from './terminal.js';

export interface OpenOptions {
  file: string;
  stateDir: string;
}

export async function openCommand(options: OpenOptions): Promise<number> {
  if (!process.stdin.isTTY || !process.stdout.isTTY)
    throw new InputError("the guided session needs a terminal; in scripts use 'runbook show FILE [--json]'");
  // Raw mode at once, not when Ink mounts: keys typed while the runbook loads are kept instead of echoed and lost.
  process.stdin.setRawMode(true);
  const runbook = await loadRunbook(options.file, join(options.stateDir, 'cache'));
  const id = `${new Date().toISOString().slice(0, 10)}-${randomBytes(3).toString('hex')}`;
  const store = new MemorySessionStore(id, resolve(join(options.stateDir, 'runs', id)));
  const shell = initialShellState();

  const pendingHandover: {current: {job: Parameters<Handover>[0]; resolve: (r: RunResult) => void} | null} = {current: null};
  let instance: Instance | null = null;
  let quit = false;
  const handover: Handover = job =>
    new Promise(resolveRun => {
      pendingHandover.current = {job, resolve: resolveRun};
      instance?.unmount();
    });

  const controller = new SessionController({
    runbook,
    store,
    shell,
    handover,
    context: env => {
      const kube = currentKubeTarget(env);
      return kube ? {kubeContext: kube.context, namespace: kube.namespace} : {};
    },
  });
  const target = (): Target => {
    const kube = currentKubeTarget(controller.shell().env);
    return {
      mode: null,
      context: kube?.context ?? null,
      namespace: kube?.namespace ?? null,
      production: looksLikeProduction(kube?.context) || looksLikeProduction(kube?.namespace),
    };
  };

  const firstStep = Math.max(0, controller.steps.findIndex(s => s.id === controller.session.currentStepId));
  let view: ViewState = initialViewState(firstStep, (process.stdout.columns ?? 80) >= 100);
  const onView = (next: ViewState) => {
    view = next;
  };

  const shutdown = () => {
    void killAllRuns('SIGKILL', 0);
    leaveAlternateScreen();
  };
  for (const signal of ['SIGTERM', 'SIGHUP'] as const)
    process.once(signal, () => {
      shutdown();
      process.exit(128 + (signal === 'SIGTERM' ? 15 : 1));
    });

  enterAlternateScreen();
  // Between an unmount and the next mount nothing else may hold the event loop open (Ink unrefs stdin), and
  // Ink unmounts itself on 'beforeExit': keep the process alive for the whole session.
  const keepAlive = setInterval(() => {}, 60_000);
  try {
    while (!quit) {
      instance = render(<App controller={controller} target={target()} initialView={{...view, pending: null}} onView={onView} onQuit={() => (quit = true)} />, {
        exitOnCtrlC: false,
        patchConsole: false,
      });
      await instance.waitUntilExit();
      const next = pendingHandover.current;
      if (next) {
        pendingHandover.current = null;
        leaveAlternateScreen();
        process.stdout.write(`\n── runbook: ${next.job.command.split('\n')[0]} — the runbook comes back when it ends (Ctrl-C ends watch and -f) ──\n\n`);
        const {runAttached} = await import('../exec/run-attached.js');
        const result = await runAttached({script: next.job.script, shell: next.job.shell});
        // A command that failed on the terminal must not vanish with its error under the returning screen.
        if (result.exitCode !== 0 && result.exitCode !== 130 && !result.cancelled) await pressEnter(`exit ${result.exitCode ?? result.signal}`);
        enterAlternateScreen();
        next.resolve(result);
      } else quit = true;
    }
  } finally {
    clearInterval(keepAlive);
    shutdown();
    process.stdin.setRawMode(false);
  }
  const progress = controller.session;
  const ticked = Object.values(progress.checks).filter(Boolean).length;
  process.stdout.write(`runbook: left ${runbook.title} with ${ticked} items ticked and ${progress.runs.length} commands run (session ${id}).\n`);
  return 0;
}

function pressEnter(status: string): Promise<void> {
  process.stdout.write(`\n── ${status} — press Enter to return to the runbook ──`);
  return new Promise(resolveKey => {
    process.stdin.setRawMode(true);
    const onData = (data: Buffer | string) => {
      // Ink leaves stdin decoding strings; accept either.
      if (!/[\r\n\x03]/.test(data.toString())) return;
      process.stdin.off('data', onData);
      process.stdin.pause();
      resolveKey();
    };
    process.stdin.on('data', onData);
    // Ink unrefs stdin when it unmounts; without a ref the process would simply end here.
    process.stdin.ref();
    process.stdin.resume();
  });
}
