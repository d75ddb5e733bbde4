// Whole-program tests in a real terminal, with nothing outside the repository: the bundled CLI runs in a
// pseudo-terminal of its own (@lydell/node-pty) and an in-process xterm (@xterm/headless) is the screen, read
// as text and colours. The program runs under a shell, as from an operator's prompt: its last words stay on the
// screen after it exits, followed by `[runbook exited N]`.
import {mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {setTimeout as sleep} from 'node:timers/promises';
import pty from '@lydell/node-pty';
import xterm from '@xterm/headless';
import {onTestFailed} from 'vitest';
import {CLI, ROOT} from './paths.js';

export {sleep};

/** tmux's key names, as the tests have always written them, to the bytes a terminal sends. */
const NAMED_KEYS: Record<string, string> = {
  Enter: '\r', Space: ' ', Escape: '\u001B', Tab: '\t', BSpace: '\u007F',
  Up: '\u001B[A', Down: '\u001B[B', Right: '\u001B[C', Left: '\u001B[D',
  Home: '\u001B[H', End: '\u001B[F', PageUp: '\u001B[5~', PageDown: '\u001B[6~', PPage: '\u001B[5~', NPage: '\u001B[6~',
};

export function keyBytes(key: string): string {
  if (key in NAMED_KEYS) return NAMED_KEYS[key]!;
  const ctrl = /^C-([a-z@[\\\]^_])$/i.exec(key);
  if (ctrl) return String.fromCharCode(ctrl[1]!.toUpperCase().charCodeAt(0) & 0x1f);
  return key;
}

export interface CellStyle {
  /** Palette index (0–255), 0xRRGGBB, or null for the terminal's default. */
  fg: number | null;
  bg: number | null;
  bold: boolean;
  inverse: boolean;
}

export interface TerminalOptions {
  /** COLSxROWS, as tmux wrote it. */
  size?: string;
  env?: Record<string, string>;
  unset?: string[];
  cwd?: string;
  /** What runs the program, the arguments following it: `node dist/cli.js` unless given (`npm run --silent runbook --`). */
  command?: string[];
}

const live = new Set<Terminal>();
process.once('exit', () => {
  for (const t of live) t.kill('SIGKILL');
});

/** A temporary directory that is removed when the test's terminals stop (see `Terminal.stopAll`). */
const scratch: string[] = [];
export function tempDir(prefix = 'e2e'): string {
  const dir = mkdtempSync(join(tmpdir(), `runbook-${prefix}-`));
  scratch.push(dir);
  return dir;
}

export class Terminal {
  private readonly pty: pty.IPty;
  private readonly term: xterm.Terminal;
  private written = '';
  private lastData = Date.now();
  private exit: {code: number; signal: number} | null = null;
  private readonly exited: Promise<void>;

  constructor(args: string[], options: TerminalOptions = {}) {
    const [cols, rows] = (options.size ?? '100x30').split('x').map(Number) as [number, number];
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(process.env)) if (v !== undefined) env[k] = v;
    for (const name of options.unset ?? []) delete env[name];
    Object.assign(env, {TERM: 'xterm-256color', COLORTERM: 'truecolor', NO_COLOR: '1'}, options.env);
    for (const [k, v] of Object.entries(env)) if (v === '') delete env[k];
    this.term = new xterm.Terminal({cols, rows, allowProposedApi: true, scrollback: 1000});
    // As from an operator's shell; bash stays so the screen keeps its last words and the exit status.
    const script = '"$@"; echo "[runbook exited $?]"; exec sleep 600';
    const command = options.command ?? [process.execPath, CLI];
    this.pty = pty.spawn('bash', ['-c', script, 'shell', ...command, ...args], {name: 'xterm-256color', cols, rows, cwd: options.cwd ?? ROOT, env});
    this.pty.onData(data => {
      this.lastData = Date.now();
      if (this.written.length < 16 * 1024 * 1024) this.written += data;
      this.term.write(data);
    });
    // The terminal answers the program's queries (cursor position, device attributes) as a real one does.
    this.term.onData(data => {
      if (!this.exit) this.pty.write(data);
    });
    this.exited = new Promise(resolve => this.pty.onExit(({exitCode, signal}) => {
      this.exit = {code: exitCode, signal: signal ?? 0};
      resolve();
    }));
    live.add(this);
    try {
      onTestFailed(() => {
        console.error(`last screen of \`runbook ${args.join(' ')}\`:\n${this.frame()}`);
      });
    } catch {
      // created outside a test (beforeAll): the wait's own failure message still carries the screen
    }
  }

  /** Keys by tmux name (`Enter`, `Down`, `C-c`, `Escape`) or literally (`n`, `/`). */
  keys(...keys: string[]) {
    for (const key of keys) this.pty.write(keyBytes(key));
  }

  /** Literal text, no Enter. */
  type(text: string) {
    this.pty.write(text);
  }

  resize(size: string) {
    const [cols, rows] = size.split('x').map(Number) as [number, number];
    this.pty.resize(cols, rows);
    this.term.resize(cols, rows);
  }

  /** The visible screen as plain text, each row right-trimmed. */
  screen(): string {
    return this.frame();
  }

  /**
   * The rows of the screen that continue the row above: where the program wrote a line wider than the terminal and
   * the terminal wrapped it (a frame that no longer lines up).
   */
  wrappedRows(): number[] {
    const buffer = this.term.buffer.active;
    const rows: number[] = [];
    for (let i = 0; i < this.term.rows; i++) if (buffer.getLine(buffer.viewportY + i)?.isWrapped) rows.push(i);
    return rows;
  }

  private frame(): string {
    const buffer = this.term.buffer.active;
    const rows: string[] = [];
    for (let i = 0; i < this.term.rows; i++) rows.push(buffer.getLine(buffer.viewportY + i)?.translateToString(true) ?? '');
    return rows.join('\n');
  }

  /** Everything the program wrote to the terminal, raw (escape sequences included), up to 16 MB. */
  raw(): string {
    return this.written;
  }

  /** Resolves once the terminal has parsed everything the program wrote so far. */
  settled(): Promise<void> {
    return new Promise(resolve => this.term.write('', resolve));
  }

  /** The style of the first cell of the first place `text` shows on screen, or null when it does not. */
  styleOf(text: string): CellStyle | null {
    const buffer = this.term.buffer.active;
    for (let i = 0; i < this.term.rows; i++) {
      const line = buffer.getLine(buffer.viewportY + i);
      if (!line) continue;
      const at = line.translateToString(false).indexOf(text);
      if (at < 0) continue;
      // translateToString skips the placeholder cell after a wide character: walk cells to find the column.
      let column = 0;
      for (let chars = 0; column < this.term.cols && chars < at; column++) chars += line.getCell(column)?.getChars().length ?? 0;
      const cell = line.getCell(column)!;
      const colour = (isDefault: boolean, value: number) => (isDefault ? null : value);
      return {
        fg: colour(cell.isFgDefault(), cell.getFgColor()),
        bg: colour(cell.isBgDefault(), cell.getBgColor()),
        bold: cell.isBold() !== 0,
        inverse: cell.isInverse() !== 0,
      };
    }
    return null;
  }

  /**
   * Waits until the screen matches (a line, as grep -E would); the failure message carries the last screen.
   * Like a person, it lets a screen that just changed settle (up to 200 ms) before the test types: keys sent
   * within a millisecond of a new screen would race the program's own start-up of its key handling.
   */
  async wait(pattern: string | RegExp, seconds = 15): Promise<string> {
    const re = typeof pattern === 'string' ? new RegExp(pattern, 'm') : pattern;
    const deadline = Date.now() + seconds * 1000;
    for (;;) {
      await this.settled();
      if (re.test(this.frame())) {
        const settleBy = Date.now() + 200;
        while (Date.now() - this.lastData < 50 && Date.now() < settleBy) await sleep(10);
        await this.settled();
        const screen = this.frame();
        if (re.test(screen)) return screen;
      }
      const screen = this.frame();
      if (Date.now() >= deadline) throw new Error(`the screen never matched ${re} in ${seconds} s; it shows:\n${screen}`);
      await sleep(30);
    }
  }

  /** Waits until the screen no longer matches. */
  async gone(pattern: string | RegExp, seconds = 15): Promise<void> {
    const re = typeof pattern === 'string' ? new RegExp(pattern, 'm') : pattern;
    const deadline = Date.now() + seconds * 1000;
    for (;;) {
      await this.settled();
      if (!re.test(this.frame())) return;
      if (Date.now() >= deadline) throw new Error(`the screen still matches ${re} after ${seconds} s:\n${this.frame()}`);
      await sleep(30);
    }
  }

  /** The program is still running (its exit line has not appeared). */
  alive(): boolean {
    return !/\[runbook exited \d+\]/.test(this.frame());
  }

  /** The app's pid: the shell's child (for kill -9). */
  appPid(): number {
    const children = readFileSync(`/proc/${this.pty.pid}/task/${this.pty.pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean);
    if (children.length === 0) throw new Error('the app is not running');
    return Number(children[0]);
  }

  /** Signals the terminal's whole foreground group (shell and app). */
  kill(signal: NodeJS.Signals) {
    try {
      process.kill(-this.pty.pid, signal);
    } catch {}
  }

  /** Closes the terminal as a window close does (SIGHUP), then makes sure nothing of it is left. */
  async stop() {
    live.delete(this);
    if (!this.exit) {
      this.kill('SIGHUP');
      await Promise.race([this.exited, sleep(2000)]);
      this.kill('SIGKILL');
      await Promise.race([this.exited, sleep(1000)]);
    }
    this.term.dispose();
  }

  /** Stops every terminal still open and removes the directories made with `tempDir`. */
  static async stopAll() {
    await Promise.all([...live].map(t => t.stop()));
    for (const dir of scratch.splice(0)) rmSync(dir, {recursive: true, force: true});
  }
}
