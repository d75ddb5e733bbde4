// The terminal a session's screen is drawn on: Ink mounted on it, and unmounted whenever a block needs the whole
// terminal (an editor, watch, logs -f), then re-mounted with the same view when that command ends.

import type {ReactElement} from 'react';
import {render, type Instance} from 'ink';
import type {RunResult} from '../exec/types.js';
import type {Handover, SessionController} from '../session/controller.js';
import {endedByCtrlC} from '../session/run-lifecycle.js';
import {safeText} from '../terminal/safe-text.js';
import {print} from './print.js';
import {enterAlternateScreen, leaveAlternateScreen} from './terminal.js';
import {exitOnSignals} from './signals.js';
import {killAllRuns} from '../exec/process-groups.js';

/** What a signal to runbook has to end (see signals.ts), filled in as the session comes up. */
export interface Live {
  controller: SessionController | null;
  instance: Instance | null;
  stopSandbox: (() => void) | null;
  /** A shared session's last words to the cluster (published, the lease given back), before the sandbox stops. */
  finishSharing?: (() => Promise<void>) | null;
  exiting: boolean;
}

interface PendingHandover {
  job: Parameters<Handover>[0];
  resolve: (r: RunResult) => void;
  reject: (error: unknown) => void;
}

export class SessionTerminal {
  private instance: Instance | null = null;
  private pending: PendingHandover | null = null;
  private quitting = false;

  constructor(private readonly live: Live) {}

  /** Gives the terminal to an interactive block: the screen unmounts, the block runs, the screen comes back. */
  readonly handover: Handover = job =>
    new Promise((resolveRun, rejectRun) => {
      this.pending = {job, resolve: resolveRun, reject: rejectRun};
      this.instance?.unmount();
    });

  readonly quit = () => {
    this.quitting = true;
  };

  /** Shows the screen `app` draws until the operator quits; `app` is asked again at each re-mount. */
  async show(app: () => ReactElement): Promise<void> {
    enterAlternateScreen();
    // Between an unmount and the next mount nothing else may hold the event loop open (Ink unrefs stdin), and
    // Ink unmounts itself on 'beforeExit': keep the process alive for the whole session.
    const keepAlive = setInterval(() => {}, 60_000);
    try {
      while (!this.quitting) {
        this.instance = render(app(), {exitOnCtrlC: false, patchConsole: false});
        this.live.instance = this.instance;
        await this.instance.waitUntilExit();
        const next = this.pending;
        if (next) {
          this.pending = null;
          await this.runOnTerminal(next);
        } else this.quitting = true;
      }
    } finally {
      clearInterval(keepAlive);
    }
  }

  private async runOnTerminal(next: PendingHandover): Promise<void> {
    // Keys stay keys from the first moment: a Ctrl-C typed before the block's own terminal exists must not become a
    // SIGINT to the app's process group (npm's too, when npm started the app).
    if (process.stdin.isTTY) process.stdin.setRawMode(true);
    leaveAlternateScreen();
    const {job} = next;
    print(`\n── runbook: ${safeText(job.command.split('\n')[0]!)} — the runbook comes back when it ends (Ctrl-C stops the command, not runbook) ──\n\n`);
    let result: RunResult;
    try {
      const {runInPty} = await import('../exec/run-pty.js');
      const {midLine, ...ran} = await runInPty(job);
      result = ran;
      // Whatever is printed next (the quit message) starts on a line of its own.
      if (midLine) process.stdout.write('\r\n');
    } catch (error) {
      // It could not start (no writable place for its shell state): the controller records a failed run with why.
      await pressEnter(`could not start: ${safeText((error as Error).message.split('\n')[0] ?? '')}`);
      enterAlternateScreen();
      next.reject(error);
      return;
    }
    if (this.live.exiting) {
      // Ended by a signal to runbook: the run is recorded, and the signal handler gives the terminal back and exits.
      next.resolve(result);
      await new Promise(() => {});
    }
    // A command that failed on the terminal must not vanish with its error under the returning screen; one the
    // operator stopped with Ctrl-C did what they asked.
    const failed = !result.cancelled && !endedByCtrlC(result) && result.exitCode !== 0;
    if (failed) await pressEnter(result.exitCode === null && result.signal === null ? safeText(result.error ?? 'could not run') : `exit ${result.exitCode ?? result.signal}`);
    enterAlternateScreen();
    next.resolve(result);
  }
}

function pressEnter(status: string): Promise<void> {
  print(`\n── ${status} — press Enter to return to the runbook ──`);
  return new Promise(resolveKey => {
    process.stdin.setRawMode(true);
    const onData = (data: Buffer | string) => {
      // Ink leaves stdin decoding strings; accept either.
      if (!/[\r\n\x03]/.test(data.toString())) return;
      process.stdin.off('data', onData);
      process.stdin.pause();
      // The line is ended, so that what comes later (the quit message) is not glued to it.
      process.stdout.write('\r\n');
      resolveKey();
    };
    process.stdin.on('data', onData);
    // Ink unrefs stdin when it unmounts; without a ref the process would simply end here.
    process.stdin.ref();
    process.stdin.resume();
  });
}

/**
 * From here on a signal ends the session as quitting does (signals.ts): the running block cancelled and its process
 * group ended, a shared session's lease given back, the sandbox stopped, the terminal restored. What it has to end is
 * filled in on `live` as the session comes up.
 */
export function endSessionOnSignals(live: Live): void {
  exitOnSignals({
    async endRuns(signal) {
      live.exiting = true;
      live.controller?.cancel(`ended by ${signal} to runbook`);
      await killAllRuns('SIGTERM', 2000);
      await live.controller?.settled(2500);
      await live.finishSharing?.().catch(() => undefined);
      live.stopSandbox?.();
    },
    restoreTerminal() {
      live.instance?.unmount();
      leaveAlternateScreen();
      if (process.stdin.isTTY) process.stdin.setRawMode(false);
    },
  });
}
