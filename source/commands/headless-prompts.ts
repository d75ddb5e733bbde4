// What a command run headless on a pseudo-terminal asks is answered as the app's own questions are: with its default.
// When the block has printed nothing for a second and one of its processes waits reading the terminal (where /proc
// says; without it, the silence alone), Enter is pressed — `read -p "continue? [Y/n]"` takes its default, gh's
// "Select a workflow run" its first, most recent run. At most a few times; then Ctrl-D (end of input); and if the
// block still waits once the bounded total since the first key is over, Ctrl-C, and it fails "waited for input".

import {readdirSync, readFileSync, readlinkSync} from 'node:fs';
import type {Member} from './headless-followers.js';

/** How long the output must have been quiet before a key, how many Enters, and how long in all before Ctrl-C. */
export const IDLE_MS = 1000;
export const MAX_ENTERS = 3;
export const INPUT_WAIT_MS = 60_000;
const ENTER = '\r';
const CTRL_D = '\x04';
const CTRL_C = '\x03';

/** What the block was given, for its line and its record. */
export interface Answered {
  enters: number;
  endOfInput: boolean;
  /** It still waited after all that: ended with Ctrl-C. */
  waited: boolean;
}

export class PromptWatch {
  readonly answered: Answered = {enters: 0, endOfInput: false, waited: false};
  private lastOutput = Date.now();
  private lastKey = 0;
  private firstKey = 0;

  constructor(
    private readonly waitMs: number,
    private readonly press: (keys: string) => void,
  ) {}

  /** The block printed something. */
  output(now = Date.now()): void {
    this.lastOutput = now;
  }

  /** Looks once; `reading` says whether a process of the block reads the terminal now (null: cannot tell). */
  look(reading: boolean | null, now = Date.now()): void {
    if (this.answered.waited || reading === false) return;
    if (now - this.lastOutput < IDLE_MS || now - this.lastKey < IDLE_MS) return;
    if (this.answered.enters < MAX_ENTERS) {
      this.answered.enters++;
      return this.key(ENTER, now);
    }
    if (!this.answered.endOfInput) {
      this.answered.endOfInput = true;
      return this.key(CTRL_D, now);
    }
    if (now - this.firstKey >= this.waitMs) {
      this.answered.waited = true;
      this.key(CTRL_C, now);
    }
  }

  private key(keys: string, now: number): void {
    this.firstKey ||= now;
    this.lastKey = now;
    this.press(keys);
  }
}

/** `answered 1 prompt with Enter`, `answered 3 prompts with Enter, then Ctrl-D`; null when nothing was asked. */
export function answeredWords(a: Answered): string | null {
  if (!a.enters && !a.endOfInput) return null;
  const enters = a.enters ? `answered ${a.enters} prompt${a.enters === 1 ? '' : 's'} with Enter` : '';
  return [enters, a.endOfInput ? 'then Ctrl-D' : ''].filter(Boolean).join(', ');
}

/** The system calls that read, by architecture (read, pread64, readv); others cannot be told apart here. */
const READS: Partial<Record<NodeJS.Architecture, readonly number[]>> = {x64: [0, 17, 19], arm64: [63, 65, 67]};

/**
 * Whether a process of the block (any of its threads: gh reads on one of its own) is blocked reading the block's
 * terminal; null when that cannot be known (no /proc, another architecture, its files unreadable).
 */
export function readsTerminal(members: readonly Member[] | null): boolean | null {
  const reads = READS[process.arch];
  const leader = members?.find(m => m.leader);
  if (!reads || !leader) return null;
  try {
    const terminal = readlinkSync(`/proc/${leader.pid}/fd/0`);
    if (!terminal.startsWith('/dev/pts/')) return null;
    const seen = members!.flatMap(m => threadsOf(m.pid).map(tid => readsFrom(m.pid, tid, reads, terminal)));
    // Every thread's system call unreadable (another user's, a hardened /proc): nothing is known.
    if (seen.length > 0 && seen.every(s => s === null)) return null;
    return seen.some(s => s === true);
  } catch {
    return null;
  }
}

function threadsOf(pid: number): string[] {
  try {
    return readdirSync(`/proc/${pid}/task`);
  } catch {
    return [];
  }
}

function readsFrom(pid: number, tid: string, reads: readonly number[], terminal: string): boolean | null {
  let call: string;
  try {
    call = readFileSync(`/proc/${pid}/task/${tid}/syscall`, 'utf8');
  } catch {
    return null;
  }
  // `NR arg0 …` while blocked in a system call; `running` or `-1 …` otherwise.
  const [nr, fd] = call.trim().split(' ');
  if (!reads.includes(Number(nr))) return false;
  try {
    return readlinkSync(`/proc/${pid}/fd/${Number.parseInt(fd!, 16)}`) === terminal;
  } catch {
    return false;
  }
}
