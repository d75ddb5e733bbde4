// Runs one shell block of a runbook in the background of the UI: its own process group (so cancel reaches every
// descendant), output recorded to a file and summarised as a bounded tail, environment and directory carried to the
// next block.

import type {Duplex} from 'node:stream';
import {finished} from 'node:stream/promises';
import {execa} from 'execa';
import {OutputSink} from './output-sink.js';
import {isGroupAlive, liveRunGroups, processIdentity, registerGroup, signalGroup, unregisterGroup} from './process-groups.js';
import {isSecretName} from './redact.js';
import {findBash, wrapScript, type WrappedScript} from './shell-state.js';
import {superviseGroup, type Supervisor} from './supervisor.js';
import type {RunHandle, RunOptions, RunProgress, RunResult, ShellState} from './types.js';

const DEFAULT_TAIL_LINES = 200;
const DEFAULT_MAX_LINE_LENGTH = 2000;
const DEFAULT_FLUSH_INTERVAL_MS = 100;
const DEFAULT_KILL_GRACE_MS = 2000;
const DEFAULT_DRAIN_GRACE_MS = 1500;
// After SIGKILL the pipes close at once; this only guards against a descendant that left the group (setsid).
const AFTER_KILL_MS = 1000;

// Added to the block's environment: without a TTY Python block-buffers stdout, and the operator would see nothing
// until the script ends.
const INJECTED_ENV: Record<string, string> = {PYTHONUNBUFFERED: '1'};

/**
 * Values of secret-looking variables in the shell (DB_PASSWORD, GITHUB_TOKEN…), masked wherever they are printed.
 * Short values ("true", "1") and paths (KEY_FILE=/…) are skipped: masking them would blank ordinary output.
 */
export function secretValuesFromEnv(env: Record<string, string>): string[] {
	return Object.entries(env)
		.filter(([name, value]) => isMaskedSecret(name, value))
		.map(([, value]) => value);
}

const isMaskedSecret = (name: string, value: string) => isSecretName(name) && value.length >= 8 && !value.startsWith('/');

/**
 * A value the block itself assigns to a secret-named variable is masked from six characters (`hunter2`), as the store
 * masks what it records; paths and plain numbers (`KEY_FILE=/…`, `TOKEN_TTL=3600`) are not, or ordinary output blanks.
 */
const isOwnSecret = (name: string, value: string) => isSecretName(name) && value.length >= 6 && !value.startsWith('/') && !/^\d+$/.test(value);

type Exit = {code: number | null; signal: string | null; error?: string};

export function startRun(options: RunOptions): RunHandle {
	const startedAtMs = Date.now();
	const tailLines = options.tailLines ?? DEFAULT_TAIL_LINES;
	const maxLineLength = options.maxLineLength ?? DEFAULT_MAX_LINE_LENGTH;
	const flushIntervalMs = options.flushIntervalMs ?? DEFAULT_FLUSH_INTERVAL_MS;
	const killGraceMs = options.killGraceMs ?? DEFAULT_KILL_GRACE_MS;
	const drainGraceMs = options.drainGraceMs ?? DEFAULT_DRAIN_GRACE_MS;
	const {onProgress} = options;
	const previous = options.shell;

	const secrets = [...(options.secrets ?? [])];
	if (options.redactEnvSecrets ?? true) secrets.push(...secretValuesFromEnv(previous.env));

	const env = {...previous.env, ...INJECTED_ENV};

	// Progress is batched: a flood would otherwise re-render the UI thousands of times a second.
	let progressTimer: NodeJS.Timeout | undefined;
	let lastReport = Number.NEGATIVE_INFINITY;
	let dirty = false;
	let reporting = true;
	const report = () => {
		progressTimer = undefined;
		if (!dirty || !reporting || !onProgress) return;
		dirty = false;
		lastReport = performance.now();
		onProgress(progress());
	};
	const onData = onProgress
		? () => {
				dirty = true;
				if (progressTimer || !reporting) return;
				const wait = Math.max(0, lastReport + flushIntervalMs - performance.now());
				progressTimer = setTimeout(report, wait);
			}
		: undefined;

	const sink = new OutputSink({file: options.outputFile, secrets, tailLines, maxLineLength, onData});
	const progress = (): RunProgress => ({
		tail: sink.tailLines(),
		partial: sink.partial(),
		lines: sink.lines,
		bytes: sink.bytes,
		elapsedMs: Date.now() - startedAtMs,
	});


	let resolveExit!: (exit: Exit) => void;
	const exited = new Promise<Exit>((resolve) => (resolveExit = resolve));
	let pid = 0;
	let wrapped: WrappedScript | undefined;
	let supervisor: Supervisor | undefined;
	let recorded = true;
	let asked = false;
	const askToRecord = (process: {pid: number; identity: string | null}) => {
		asked = true;
		return options.beforeStart?.(process) ?? true;
	};
	try {
		// The only step here that can throw before the spawn (an unwritable state directory): it then fails the run.
		wrapped = wrapScript(options.script, previous, INJECTED_ENV, {
			channel: true,
			...(options.scratchDir ? {dir: options.scratchDir} : {}),
			...(options.exitFile ? {exitFile: options.exitFile} : {}),
		});
		const subprocess = execa(findBash(env), ['-euo', 'pipefail', '-c', wrapped.script], {
			env,
			extendEnv: false,
			cwd: previous.cwd,
			// Own process group: cancel signals the group, reaching pipes and background jobs too.
			detached: true,
			// fd 3: the go, and the block's secrets as it assigns them (see wrapScript's channel).
			stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
			all: true,
			buffer: false,
			reject: false,
		});
		pid = subprocess.pid ?? 0;
		registerGroup(pid);
		if (pid > 0) supervisor = superviseGroup({group: pid, exitFile: options.exitFile, dumpDir: wrapped.dir});
		subprocess.once('exit', (code, signal) => resolveExit({code, signal}));
		const channel = subprocess.stdio[3] as Duplex | undefined;
		if (channel) {
			channel.on('error', () => {});
			listenForSecrets(channel, (name, value) => {
				if (!isOwnSecret(name, value) || secrets.includes(value)) return;
				secrets.push(value);
				sink.addSecrets([value]);
				options.onSecrets?.([value]);
			});
		}
		// Nothing runs before the caller has recorded the run: without the go byte the shell exits unrun.
		recorded = askToRecord({pid, identity: pid > 0 ? processIdentity(pid) : null});
		if (recorded) channel?.write('g');
		else channel?.destroy();
		// A spawn failure (missing cwd, no bash) never emits 'exit'; execa reports it on its promise instead.
		void subprocess.then((result) => {
			if (result.failed && result.exitCode === undefined && result.signal === undefined) {
				resolveExit({code: null, signal: null, error: result.originalMessage || result.message});
			}
		});
		const all = subprocess.all;
		if (all) {
			all.pipe(sink, {end: false});
			// End the sink however `all` stops (end, error, destroy), so the file is always closed.
			finished(all).then(
				() => sink.end(),
				() => sink.end(),
			);
		} else {
			sink.end();
		}
	} catch (error) {
		const message = error instanceof Error ? error.message : String(error);
		// Recorded even so: the run then ends as a failed one saying why.
		if (!asked) recorded = askToRecord({pid: 0, identity: null});
		resolveExit({code: null, signal: null, error: wrapped ? message : `could not prepare the block's shell: ${message}`});
		sink.end();
	}
	const outputDone = finished(sink).then(
		() => undefined,
		() => undefined,
	);

	let cancelled = false;
	let hasExited = false;
	let settled = false;
	let killTimer: NodeJS.Timeout | undefined;
	let detachTimer: NodeJS.Timeout | undefined;
	let detach!: () => void;
	const detachSignal = new Promise<void>((resolve) => (detach = resolve));
	const armDetach = (ms: number) => {
		clearTimeout(detachTimer);
		detachTimer = setTimeout(detach, ms);
	};

	const cancel = () => {
		if (settled) {
			// Only background jobs the block left behind remain; a group no longer tracked may have had its id reused.
			if (liveRunGroups().includes(pid)) killLeftovers(pid, killGraceMs, supervisor);
			return;
		}
		if (cancelled) return;
		cancelled = true;
		if (pid <= 0) return;
		signalGroup(pid, 'SIGTERM');
		killTimer = setTimeout(() => signalGroup(pid, 'SIGKILL'), killGraceMs);
		if (hasExited) armDetach(killGraceMs + AFTER_KILL_MS);
	};

	const done = (async (): Promise<RunResult> => {
		const exit = await exited;
		hasExited = true;
		armDetach(cancelled ? killGraceMs + AFTER_KILL_MS : drainGraceMs);
		// Normally the output ends with bash. A background job (`port-forward &`) keeps the pipe open: report the
		// block as done anyway, as a shell prompt would, and let the job's output keep flowing to the file.
		const backgroundOutput = await Promise.race([outputDone.then(() => false), detachSignal.then(() => true)]);
		clearTimeout(detachTimer);
		reporting = false;
		clearTimeout(progressTimer);
		// Always one last report, so the UI's final frame matches the result whatever the batching skipped.
		onProgress?.(progress());

		let shell: ShellState = previous;
		if (!cancelled && !exit.error && recorded) shell = wrapped?.read() ?? previous;
		const failedLine = !cancelled && exit.code !== 0 ? (wrapped?.failedLine() ?? null) : null;
		wrapped?.cleanup();
		if (!isGroupAlive(pid)) {
			clearTimeout(killTimer);
			unregisterGroup(pid);
			supervisor?.done();
		}

		settled = true;
		const endedAtMs = Date.now();
		const error =
			exit.error ??
			(!recorded ? 'not started: the run could not be recorded' : undefined) ??
			(sink.fileError ? `could not write ${options.outputFile}: ${sink.fileError.message}` : undefined);
		return {
			exitCode: exit.code,
			signal: exit.signal,
			cancelled,
			startedAt: new Date(startedAtMs).toISOString(),
			endedAt: new Date(endedAtMs).toISOString(),
			durationMs: endedAtMs - startedAtMs,
			shell,
			outputFile: options.outputFile,
			lines: sink.lines,
			bytes: sink.bytes,
			tail: finalTail(sink.tailLines(), sink.partial(), backgroundOutput, tailLines),
			...(error === undefined ? {} : {error}),
			...(backgroundOutput ? {backgroundOutput} : {}),
			...(failedLine === null ? {} : {failedLine}),
		};
	})();

	return {pid, done, cancel};
}

function killLeftovers(pgid: number, graceMs: number, supervisor: Supervisor | undefined): void {
	signalGroup(pgid, 'SIGTERM');
	setTimeout(() => {
		if (isGroupAlive(pgid)) signalGroup(pgid, 'SIGKILL');
		unregisterGroup(pgid);
		supervisor?.done();
	}, graceMs).unref();
}

/**
 * Reads `NAME=value\0` reports from the block's shell and answers each with one byte, after `onSecret` has run: the
 * shell waits for that byte before its next command, so the value is masked before anything can print it.
 */
function listenForSecrets(channel: Duplex, onSecret: (name: string, value: string) => void): void {
	let pending: Buffer = Buffer.alloc(0);
	channel.on('data', (chunk: Buffer) => {
		pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
		let answers = 0;
		for (let end = pending.indexOf(0); end !== -1; end = pending.indexOf(0)) {
			const record = pending.subarray(0, end).toString('utf8');
			pending = pending.subarray(end + 1);
			const eq = record.indexOf('=');
			if (eq > 0) onSecret(record.slice(0, eq), record.slice(eq + 1));
			answers++;
		}
		if (answers > 0) channel.write('a'.repeat(answers));
	});
}

/** While a background job still writes, its unterminated line belongs in the tail too. */
function finalTail(tail: string[], partial: string, stillWriting: boolean, max: number): string[] {
	if (!stillWriting || partial === '') return tail;
	return [...tail, partial].slice(-max);
}
