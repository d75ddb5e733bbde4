// Runs an interactive block (nano, `watch`, `kubectl logs -f`, `exec -it`) on the operator's terminal. The UI must
// have handed the terminal over first (raw mode off, alternate screen left). Unlike startRun, the child stays in
// the app's process group: it is the foreground group, so the terminal's Ctrl-C reaches the child, which is how an
// operator leaves `watch` or `logs -f`.

import {execa} from 'execa';
import {registerPid, unregisterPid} from './process-groups.js';
import {findBash, wrapScript} from './shell-state.js';
import type {RunResult, ShellState} from './types.js';

export type AttachedOptions = {
	script: string;
	shell: ShellState;
};

// Ctrl-C and Ctrl-\ go to the whole foreground group, the app included; Node's default would kill the app and
// leave the operator without their session.
const GUARDED_SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGQUIT'];

export async function runAttached(options: AttachedOptions): Promise<RunResult> {
	const startedAtMs = Date.now();
	const previous = options.shell;
	const wrapped = wrapScript(options.script, previous);
	const ignore = () => {};
	for (const signal of GUARDED_SIGNALS) process.on(signal, ignore);
	let pid = 0;
	try {
		const subprocess = execa(findBash(previous.env), ['-euo', 'pipefail', '-c', wrapped.script], {
			env: previous.env,
			extendEnv: false,
			cwd: previous.cwd,
			stdio: 'inherit',
			reject: false,
		});
		pid = subprocess.pid ?? 0;
		registerPid(pid);
		const result = await subprocess;
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
	} finally {
		unregisterPid(pid);
		for (const signal of GUARDED_SIGNALS) process.off(signal, ignore);
		wrapped.cleanup();
	}
}
