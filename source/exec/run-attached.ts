// Runs an interactive block (nano, `watch`, `kubectl logs -f`, `exec -it`) on the operator's terminal. The UI must
// have handed the terminal over first (raw mode off, alternate screen left).
//
// On a terminal the block runs as a job, as a shell would run it: `bash -m` puts the block's shell in a process group
// of its own and makes that the terminal's foreground group, then gives the terminal back when it ends. The
// terminal's Ctrl-C therefore reaches the block (how an operator leaves `watch` or `logs -f`) and not the app, any
// signal the app gets comes from outside, and ending the block means ending its group, `watch` included. Without a
// terminal (tests) it simply runs in the app's group.

import {readFileSync} from 'node:fs';
import {execa, type Result} from 'execa';
import {isGroupAlive, registerGroup, registerGroupLookup, registerPid, unregisterPid} from './process-groups.js';
import {findBash, wrapScript, type WrappedScript} from './shell-state.js';
import {superviseGroup} from './supervisor.js';
import type {RunResult, ShellState} from './types.js';

export type AttachedOptions = {
	script: string;
	shell: ShellState;
	/** Where the environment dump goes while the block runs (see RunOptions.scratchDir). */
	scratchDir?: string;
	/** Where the block's shell notes its exit (see RunOptions.exitFile). */
	exitFile?: string;
};

// Without a job (no terminal), Ctrl-C and Ctrl-\ go to the whole foreground group, the app included; Node's default
// would kill the app and leave the operator without their session. (The app's own handlers, see commands/signals.ts,
// take over when it has them.)
const GUARDED_SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGQUIT'];

export async function runAttached(options: AttachedOptions): Promise<RunResult> {
	const startedAtMs = Date.now();
	const previous = options.shell;
	const asJob = process.stdin.isTTY === true && process.stdout.isTTY === true;
	const wrapped = wrapScript(options.script, previous, {}, {
		...(options.scratchDir ? {dir: options.scratchDir} : {}),
		...(options.exitFile ? {exitFile: options.exitFile} : {}),
		announceGroup: asJob,
	});
	const ignore = () => {};
	for (const signal of GUARDED_SIGNALS) process.on(signal, ignore);
	let pid = 0;
	const jobGroup = followJobGroup(asJob ? wrapped.groupFile : null, () => pid);
	const forgetLookup = registerGroupLookup(jobGroup);
	const bash = findBash(previous.env);
	// `"$0" … ; exit $?`: a second command keeps the outer shell from exec'ing the inner one, which would skip the job.
	const args = asJob ? ['-m', '-c', '"$0" -euo pipefail -c "$1"; exit $?', bash, wrapped.script] : ['-euo', 'pipefail', '-c', wrapped.script];
	const supervisor = superviseGroup({...(asJob ? {groupFile: wrapped.groupFile} : {}), exitFile: options.exitFile, dumpDir: wrapped.dir});
	let leftovers = false;
	try {
		const subprocess = execa(bash, args, {
			env: previous.env,
			extendEnv: false,
			cwd: previous.cwd,
			stdio: 'inherit',
			reject: false,
		});
		pid = subprocess.pid ?? 0;
		registerPid(pid);
		const result = await subprocess;
		// Something the block started in the background (`watch … &`) is ended with the app, as a group from startRun is.
		const known = jobGroup();
		if (known !== null && isGroupAlive(known)) {
			leftovers = true;
			registerGroup(known);
		}
		return attachedResult(result, startedAtMs, previous, wrapped);
	} finally {
		unregisterPid(pid);
		forgetLookup();
		for (const signal of GUARDED_SIGNALS) process.off(signal, ignore);
		wrapped.cleanup();
		if (!leftovers) supervisor.done();
	}
}

/** The job's process group, once its shell has announced it (never, without a job); `pidOf` is the outer shell's. */
function followJobGroup(groupFile: string | null, pidOf: () => number): () => number | null {
	let group: number | null = null;
	return () => {
		if (group === null && groupFile) {
			try {
				const read = Number(readFileSync(groupFile, 'utf8'));
				if (Number.isInteger(read) && read > 1) group = read;
			} catch {
				// not started yet
			}
		}
		// Once the job's group is known, ending it is what ends the block; the outer shell then gives the terminal
		// back and leaves by itself (signalling it could leave the terminal to a group that no longer exists).
		if (group !== null) unregisterPid(pidOf());
		return group;
	};
}

/** How the block ended, with the environment and directory it left (the one it started from if bash never ran). */
function attachedResult(result: Result, startedAtMs: number, previous: ShellState, wrapped: WrappedScript): RunResult {
	const spawnFailed = result.failed && result.exitCode === undefined && result.signal === undefined;
	const endedAtMs = Date.now();
	return {
		exitCode: result.exitCode ?? null,
		signal: result.signal ?? null,
		cancelled: false,
		startedAt: new Date(startedAtMs).toISOString(),
		endedAt: new Date(endedAtMs).toISOString(),
		durationMs: endedAtMs - startedAtMs,
		shell: spawnFailed ? previous : (wrapped.read() ?? previous),
		outputFile: null,
		lines: 0,
		bytes: 0,
		tail: [],
		...(spawnFailed ? {error: result.originalMessage || result.message} : {}),
	};
}
