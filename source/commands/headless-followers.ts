// Followers in a headless rehearsal. An interactive block whose commands follow output (`gh run watch`,
// `kubectl logs -f`, `kubectl get -w`, `watch`, `tail -f`) runs as the guided session runs it — in a pseudo-terminal
// of its own (headless-terminal.ts), here with nobody's keyboard — and each follower is stopped as the operator stops
// it: Ctrl-C once it has followed for a few seconds. The record is the one the guided screen makes: that command
// `stopped`, a success, and the rest of the block run. (Cancelling the block in the background runner would record it
// cancelled and drop its later commands; `watch` and `gh run watch` also refuse to follow without a terminal.)

import {readdirSync, readFileSync} from 'node:fs';
import {basename} from 'node:path';
import {liveRunGroups} from '../exec/process-groups.js';
import {isFollower} from '../runbook/danger.js';

/** How long a follower that ignored Ctrl-C gets before another. */
const AGAIN_MS = 2000;

export interface Member {
  pid: number;
  argv: string[];
  /** The block's shell itself, which leads the group. */
  leader: boolean;
}

/** Watches the block's processes for followers, and presses Ctrl-C for each once it has followed long enough. */
export class FollowerWatch {
  private readonly firstSeen = new Map<number, number>();
  private readonly stopped = new Set<number>();
  private startedAt = Date.now();
  private lastCtrlC = 0;
  /** The last time the block was asked something: a follower follows for followMs after its prompt is answered. */
  private askedAt = 0;

  constructor(
    private readonly followMs: number,
    private readonly onStopped: (command: string) => void,
    private readonly ctrlC: () => void,
  ) {}

  /** The block is asking something (`gh run watch` first asks which run): nothing follows yet. */
  asking(now = Date.now()): void {
    this.askedAt = now;
    this.startedAt = now;
  }

  /** Looks at the block's processes (null: no /proc); says whether a follower is running. */
  look(members: readonly Member[] | null, now = Date.now()): boolean {
    if (now - this.lastCtrlC < AGAIN_MS) return true;
    // Without /proc nothing can be told apart: a Ctrl-C every followMs, as an operator would press it blind.
    if (members === null) {
      if (now - Math.max(this.startedAt, this.lastCtrlC) >= this.followMs) this.press(now, 'the running command');
      return false;
    }
    let following = false;
    for (const {pid, argv, leader} of members) {
      if (leader || !followsOutput(argv)) continue;
      following = true;
      const first = this.firstSeen.get(pid) ?? now;
      this.firstSeen.set(pid, first);
      if (now - Math.max(first, this.askedAt) < this.followMs) continue;
      if (!this.stopped.has(pid)) this.onStopped(argv.join(' '));
      this.stopped.add(pid);
      this.press(now, null);
      break;
    }
    return following;
  }

  private press(now: number, blind: string | null): void {
    this.lastCtrlC = now;
    if (blind) this.onStopped(blind);
    this.ctrlC();
  }
}

/** The group the block leads: the run group started since `before` was taken. */
export function newGroup(before: ReadonlySet<number>): number | undefined {
  return liveRunGroups().find(g => !before.has(g));
}

/** The processes of the block's group, its shell first; null where there is no /proc. */
export function groupMembers(group: number | undefined): Member[] | null {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return null;
  }
  if (group === undefined) return [];
  const out: Member[] = [];
  for (const entry of entries) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    try {
      const stat: string = readFileSync(`/proc/${pid}/stat`, 'utf8');
      // After the command name: state ppid pgrp.
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]) !== group) continue;
      const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
      if (argv.length) out.push({pid, argv, leader: pid === group});
    } catch {
      // gone meanwhile
    }
  }
  return out.sort((a, b) => Number(b.leader) - Number(a.leader));
}

const SHELLS = new Set(['sh', 'bash', 'dash', 'zsh']);

/** Whether a running process is a follower, by the rule the runbook's reading uses (isFollower). */
export function followsOutput(argv: readonly string[]): boolean {
  // A program installed as a script runs as `sh /usr/local/bin/kubectl logs -f …`.
  const words = SHELLS.has(basename(argv[0] ?? '')) && argv[1] && !argv[1].startsWith('-') ? argv.slice(1) : argv;
  const [first, ...args] = words;
  if (!first) return false;
  return isFollower({assignments: [], words: [...words], raw: [...words], program: basename(first), args, nested: false});
}
