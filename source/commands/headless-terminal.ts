// The handover of a headless rehearsal: an interactive block runs as the guided screen runs it — in a pseudo-terminal
// of its own (run-pty.ts) — with nobody's keyboard and without touching the real terminal. Three things stand in for
// the operator: followers are stopped with Ctrl-C after a few seconds (headless-followers.ts), what the block asks is
// answered with its default (headless-prompts.ts), and editors make the change their comment describes
// (headless-editor.ts). What each did is told to the walk, which says it on the block's line.

import {PassThrough, Writable} from 'node:stream';
import {liveRunGroups, signalGroup} from '../exec/process-groups.js';
import type {Handover} from '../session/controller.js';
import {editorShims} from './headless-editor.js';
import {FollowerWatch, groupMembers, newGroup} from './headless-followers.js';
import {PromptWatch, readsTerminal, type Answered} from './headless-prompts.js';

/** How often the block's processes are looked at; how long after the Ctrl-C a block still waiting gets SIGTERM (twice that: SIGKILL). */
const LOOK_MS = 200;
const TERM_AFTER_MS = 2000;

/** What stood in for the operator during one block. */
export interface TerminalLog {
  /** Followers stopped with Ctrl-C, their command lines as they ran. */
  stopped: string[];
  answered: Answered;
  /** What the editors did: `editor: pyproject.toml: version = "1.2.0"`. */
  edits: string[];
}

export interface HeadlessTerminal {
  /** How long each follower follows before its Ctrl-C. */
  followMs: number;
  /** How long a block may wait for input, since the first key, before its Ctrl-C. */
  inputWaitMs: number;
  /** Told what happened, once the block has ended. */
  onEnded(log: TerminalLog): void;
}

export const emptyLog = (): TerminalLog => ({stopped: [], answered: {enters: 0, endOfInput: false, waited: false}, edits: []});

export function headlessHandover(options: HeadlessTerminal): Handover {
  return async job => {
    const log = emptyLog();
    const input = new PassThrough();
    const press = (keys: string) => input.write(keys);
    const prompts = new PromptWatch(options.inputWaitMs, press);
    // What the block prints goes to its transcript (the run's output file); there is no screen to show it on.
    const write = (_chunk: unknown, _encoding: unknown, done: () => void) => {
      prompts.output();
      done();
    };
    const output = Object.assign(new Writable({write}), {columns: 120, rows: 40});
    const followers = new FollowerWatch(options.followMs, command => log.stopped.push(command), () => press('\x03'));
    const shims = editorShims(job.script, job.plan ?? [], job.shell, job.scratchDir);
    const before = new Set(liveRunGroups());
    let group: number | undefined;
    let waitedAt = 0;
    const timer = setInterval(() => {
      group ??= newGroup(before);
      const members = groupMembers(group);
      const reading = readsTerminal(members);
      // A prompt is answered even a follower's (`gh run watch` asks which run first); it follows from then on.
      if (reading) followers.asking();
      if (reading || !followers.look(members)) prompts.look(reading);
      waitedAt ||= prompts.answered.waited ? Date.now() : 0;
      // What ignores Ctrl-C (a pager, a loop that asks again) would hold the rehearsal forever: ended as a cancel is.
      const since = waitedAt ? Date.now() - waitedAt : 0;
      if (group !== undefined && since > TERM_AFTER_MS) signalGroup(group, since > 2 * TERM_AFTER_MS ? 'SIGKILL' : 'SIGTERM');
    }, LOOK_MS);
    try {
      const {runInPty} = await import('../exec/run-pty.js');
      const {midLine: _midLine, ...result} = await runInPty({...job, shell: shims.shell, terminal: {input, output}});
      log.answered = prompts.answered;
      log.edits = shims.said();
      const waited = prompts.answered.waited ? {error: `waited for input: still waiting ${Math.round(options.inputWaitMs / 1000)} s after the first key, ended with Ctrl-C`} : {};
      return {...result, ...waited, shell: shims.restore(result.shell, job.shell)};
    } finally {
      clearInterval(timer);
      input.end();
      shims.remove();
      options.onEnded(log);
    }
  };
}
