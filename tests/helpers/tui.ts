// Whole-program tests in a real terminal: ../shared/tools/tui-drive runs the bundled CLI in a detached tmux.
import {execFileSync} from 'node:child_process';
import {existsSync} from 'node:fs';
import {fileURLToPath} from 'node:url';
import {CLI, ROOT} from './paths.js';

const DRIVE = fileURLToPath(new URL('../../../shared/tools/tui-drive', import.meta.url));

export const tuiAvailable = () => existsSync(DRIVE);

/** The pid of the app a Terminal runs with this state directory (for kill -9). */
export const appPid = (stateDir: string) => execFileSync('pgrep', ['-f', `^${process.execPath} ${CLI} .*${stateDir}`], {encoding: 'utf8'}).trim().split('\n')[0]!;

/** Waits without yielding, as the synchronous terminal calls around it do. */
export const pause = (ms: number) => void Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

let counter = 0;

export class Terminal {
  readonly name = `rb-${process.pid}-${++counter}`;

  constructor(args: string[], options: {size?: string; env?: Record<string, string>; unset?: string[]} = {}) {
    const env = [...(options.unset ?? []).flatMap(name => ['-u', name]), ...Object.entries({NO_COLOR: '1', ...options.env}).map(([k, v]) => `${k}=${v}`)];
    // As from an operator's shell: the program's last words stay on screen after it exits, followed by its status.
    const script = '"$@"; echo "[runbook exited $?]"; sleep 600';
    this.drive('start', this.name, '--size', options.size ?? '100x30', '--cwd', ROOT, '--', 'bash', '-c', script, 'shell', 'env', ...env, process.execPath, CLI, ...args);
  }

  private drive(...args: string[]): string {
    return execFileSync('bash', [DRIVE, ...args], {encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe']});
  }

  keys(...keys: string[]) {
    this.drive('keys', this.name, ...keys);
  }

  type(text: string) {
    this.drive('type', this.name, text);
  }

  screen(): string {
    return this.drive('screen', this.name);
  }

  wait(pattern: string, seconds = 15): string {
    try {
      this.drive('wait', this.name, pattern, String(seconds));
      return this.screen();
    } catch (error) {
      throw new Error(`screen never matched /${pattern}/:\n${(error as {stdout?: string}).stdout ?? ''}`);
    }
  }

  gone(pattern: string, seconds = 15) {
    this.drive('gone', this.name, pattern, String(seconds));
  }

  /** The program is still running (its exit line has not appeared). */
  alive(): boolean {
    return !/\[runbook exited \d+\]/.test(this.screen());
  }

  stop() {
    this.drive('stop', this.name);
  }
}
