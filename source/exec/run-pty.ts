// Runs an interactive block (an editor, `watch`, `kubectl logs -f`, `exec -it`) in a pseudo-terminal of its own,
// with the operator's terminal handed over to it. The UI must have let go of the terminal first (Ink unmounted).
//
// The block's bash leads a new session on the pty, so its pid is its process group. The real terminal stays in raw
// mode and its bytes are written to the pty: the operator's Ctrl-C is a byte, which the pty's line discipline turns
// into SIGINT for the block's group alone. The app, and npm when it started the app, never see a signal; a shell job
// (`bash -m`) could not promise that, as the app may not own its terminal's foreground. What the block prints goes to
// the real terminal and, redacted, into the run's output file and tail, so it is still there when the screen returns.
// The secrets the block assigns itself are reported as it assigns them, as a background block's are, through FIFOs in
// its dump directory instead of fd 3 (a pty passes no extra fd): masked before the next command can print them.
//
// node-pty is loaded with the first interactive block: most sessions never need it, and start-up time matters.

import {readFileSync, statSync} from 'node:fs';
import {constants} from 'node:os';
import type {Readable} from 'node:stream';
import {finished} from 'node:stream/promises';
import {setTimeout as sleep} from 'node:timers/promises';
import type {IPty} from '@lydell/node-pty';
import type {PlannedCommand} from '../runbook/command-plan.js';
import {AltScreenFilter} from './alt-screen.js';
import {OutputSink} from './output-sink.js';
import {isGroupAlive, registerGroup, unregisterGroup} from './process-groups.js';
import {isSecretValue} from '../runbook/secret-names.js';
import {redactLine} from './redact.js';
import {secretValuesOf} from './run-block.js';
import {scrubTranscript} from './scrub-transcript.js';
import {openFifoChannel, type FifoChannel} from './secret-channel.js';
import {findBash, wrapScript, type WrappedScript} from './shell-state.js';
import {superviseGroup} from './supervisor.js';
import type {CommandNote, RunResult, ShellState} from './types.js';

const DEFAULT_TAIL_LINES = 200;
const MAX_LINE_LENGTH = 2000;

/** The terminal's input as the handover needs it: process.stdin, or a stream of a test's own. */
export type TerminalInput = Readable & {isTTY?: boolean; isRaw?: boolean; setRawMode?: (raw: boolean) => unknown};
/** The terminal's output: process.stdout, or a stream of a test's own. */
export type TerminalOutput = NodeJS.WritableStream & {columns?: number; rows?: number};

export type PtyRunOptions = {
	script: string;
	shell: ShellState;
	/** Where the transcript goes (redacted), as a background run's output does. */
	outputFile: string;
	/** Known secret values to mask in the transcript; the env's secret-looking values are masked too. */
	secrets?: readonly string[];
	/** The block's own secrets, as it assigns them (already masked in the transcript). */
	onSecrets?: (values: string[]) => void;
	/** The block's logical commands: followers ended by Ctrl-C and searches that find nothing are noted, not fatal. */
	plan?: PlannedCommand[];
	/** Where the environment dump goes while the block runs (see RunOptions.scratchDir). */
	scratchDir?: string;
	/** Where the block's shell notes its exit (see RunOptions.exitFile). */
	exitFile?: string;
	tailLines?: number;
	/** The terminal handed over; the process's own unless a test gives one. */
	terminal?: {input: TerminalInput; output: TerminalOutput};
};

export type PtyRunResult = RunResult & {
	/** The block's output stopped partway through a line: whoever prints next ends that line first. */
	midLine: boolean;
};

type Exit = {code: number | null; signal: string | null; error?: string};

export async function runInPty(options: PtyRunOptions): Promise<PtyRunResult> {
	const startedAtMs = Date.now();
	const previous = options.shell;
	// With the block's own secrets added as it reports them.
	const known = [...(options.secrets ?? []), ...secretValuesOf(previous)];
	const sink = new OutputSink({
		file: options.outputFile,
		secrets: known,
		tailLines: options.tailLines ?? DEFAULT_TAIL_LINES,
		maxLineLength: MAX_LINE_LENGTH,
	});
	const at = {startedAtMs, previous, outputFile: options.outputFile, known};
	const missing = missingDirectory(previous.cwd);
	if (missing) return ended(sink, {code: null, signal: null, error: missing}, {...at, wrapped: null, midLine: false});
	const {wrapped, channel} = prepare(options, sink, known);
	try {
		const {exit, midLine} = await runOnPty(options, wrapped, channel, sink);
		return await ended(sink, exit, {...at, wrapped, midLine});
	} finally {
		channel.close();
		wrapped.cleanup();
	}
}

/**
 * The wrapped block and its secret channel, open before the spawn. The only step that can throw before it (an
 * unwritable state directory): the caller records why.
 */
function prepare(options: PtyRunOptions, sink: OutputSink, known: string[]): {wrapped: WrappedScript; channel: FifoChannel} {
	let wrapped: WrappedScript | undefined;
	try {
		wrapped = wrapScript(options.script, options.shell, {}, {
			...(options.scratchDir ? {dir: options.scratchDir} : {}),
			...(options.exitFile ? {exitFile: options.exitFile} : {}),
			plan: options.plan ?? [],
			interactive: true,
			fifoChannel: true,
		});
		const channel = openFifoChannel(wrapped.fifos!, (name, value) => {
			if (!isSecretValue(name, value) || known.includes(value)) return;
			known.push(value);
			sink.addSecrets([value]);
			options.onSecrets?.([value]);
		});
		return {wrapped, channel};
	} catch (error) {
		wrapped?.cleanup();
		sink.end();
		throw error;
	}
}

/** Spawns the wrapped block on a new pty, hands the terminal over until it exits, and gives the terminal back. */
async function runOnPty(options: PtyRunOptions, wrapped: WrappedScript, channel: FifoChannel, sink: OutputSink): Promise<{exit: Exit; midLine: boolean}> {
	const {input, output} = options.terminal ?? {input: process.stdin, output: process.stdout};
	const env = options.shell.env;
	const {spawn} = await import('@lydell/node-pty');
	let child: IPty;
	try {
		child = spawn(findBash(env), ['-euo', 'pipefail', '-c', wrapped.script], {
			name: env.TERM || 'xterm-256color',
			cols: output.columns || 80,
			rows: output.rows || 24,
			cwd: options.shell.cwd,
			env,
			// Bytes, not strings: the transcript and the terminal get exactly what the block wrote.
			encoding: null,
		});
	} catch (error) {
		return {exit: {code: null, signal: null, error: `could not start a terminal for the block: ${(error as Error).message}`}, midLine: false};
	}
	const group = child.pid;
	registerGroup(group);
	// So that the block never outlives the app, even one killed with -9.
	const supervisor = superviseGroup({group, exitFile: options.exitFile, dumpDir: wrapped.dir});
	// The shell waits for this before running anything of the block, so that nothing runs unsupervised.
	channel.go();
	const copy = copyOutput(child, output, sink);
	const giveBack = handOver(input, output, child);
	let exit: Exit;
	try {
		exit = await new Promise<Exit>(resolve => child.onExit(({exitCode, signal}) => resolve(exitOf(exitCode, signal))));
	} finally {
		giveBack();
	}
	copy.end();
	// The session's end hung up on what the block left running; anything that ignored that is ended with the app.
	if (!isGroupAlive(group)) {
		unregisterGroup(group);
		supervisor.done();
	}
	return {exit, midLine: copy.midLine()};
}

/** The pty's output to the terminal and (its normal screen) into the transcript; whether it stopped mid-line. */
function copyOutput(child: IPty, output: TerminalOutput, sink: OutputSink): {midLine: () => boolean; end: () => void} {
	let last = 0x0a;
	const screen = new AltScreenFilter();
	child.onData((data: string | Buffer) => {
		const bytes = typeof data === 'string' ? Buffer.from(data) : data;
		if (bytes.length === 0) return;
		last = bytes[bytes.length - 1]!;
		output.write(bytes);
		const recorded = screen.push(bytes);
		// The sink writes synchronously; if it ever buffers, the block waits for it as it would for a slow terminal.
		if (recorded.length > 0 && !sink.write(recorded)) {
			child.pause();
			sink.once('drain', () => child.resume());
		}
	});
	return {
		midLine: () => last !== 0x0a,
		end: () => {
			const rest = screen.end();
			if (rest.length > 0) sink.write(rest);
		},
	};
}

/**
 * Gives the terminal to the pty: raw mode (on a TTY), every key to the block, resizes followed. Returns the
 * giving back, which restores the raw mode and the input's listeners exactly as they were (Ink mounts again after).
 */
function handOver(input: TerminalInput, output: TerminalOutput, child: IPty): () => void {
	const tty = input.isTTY === true && typeof input.setRawMode === 'function';
	const wasRaw = input.isRaw === true;
	const wasFlowing = input.readableFlowing === true;
	const saved = {data: input.listeners('data'), readable: input.listeners('readable')};
	input.removeAllListeners('data');
	input.removeAllListeners('readable');
	if (tty) input.setRawMode!(true);
	// Keys typed before the block's shell has made the pty its terminal would be echoed with no one to signal (a Ctrl-C
	// then lost): they wait until it leads the pty's foreground group. (node-pty's socket takes bytes as well as
	// strings, whatever its typings say.)
	const write = child.write as (data: string | Buffer) => void;
	let held: Array<string | Buffer> | null = [];
	let given = false;
	void leadsItsTerminal(child.pid).then(() => {
		if (!given) for (const keys of held ?? []) write.call(child, keys);
		held = null;
	});
	const onKeys = (data: string | Buffer) => (held ? held.push(data) : write.call(child, data));
	input.on('data', onKeys);
	input.resume();
	const onResize = () => {
		try {
			if (output.columns && output.rows) child.resize(output.columns, output.rows);
		} catch {
			// The block ended between the resize and now.
		}
	};
	output.on('resize', onResize);
	return () => {
		given = true;
		output.removeListener('resize', onResize);
		input.off('data', onKeys);
		if (!wasFlowing) input.pause();
		for (const listener of saved.readable) input.on('readable', listener as () => void);
		for (const listener of saved.data) input.on('data', listener as () => void);
		if (tty) input.setRawMode!(wasRaw);
	};
}

/** Resolves once `pid` leads the foreground group of its controlling terminal (or after a second, or without /proc). */
async function leadsItsTerminal(pid: number): Promise<void> {
	for (const deadline = Date.now() + 1000; Date.now() < deadline; await sleep(5)) {
		try {
			// After the command name: state ppid pgrp session tty_nr tpgid.
			const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
			if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[5]) === pid) return;
		} catch {
			return;
		}
	}
}

/** node-pty reports a death by signal as exit 0 with the signal's number. */
function exitOf(exitCode: number, signal: number | undefined): Exit {
	if (!signal) return {code: exitCode, signal: null};
	const name = Object.entries(constants.signals).find(([, number]) => number === signal)?.[0] ?? `signal ${signal}`;
	return {code: null, signal: name};
}

/** A start in a directory that is gone fails as a spawn would, saying why (the pty's child could only exit 1). */
function missingDirectory(cwd: string): string | null {
	try {
		if (statSync(cwd).isDirectory()) return null;
		return `could not start in ${cwd}: not a directory`;
	} catch (error) {
		return `could not start in ${cwd}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such directory' : (error as Error).message}`;
	}
}

type Context = {startedAtMs: number; previous: ShellState; outputFile: string; known: readonly string[]; wrapped: WrappedScript | null; midLine: boolean};

/** How the block ended, once its transcript is closed: with the environment and directory it left. */
async function ended(sink: OutputSink, exit: Exit, {startedAtMs, previous, outputFile, known, wrapped, midLine}: Context): Promise<PtyRunResult> {
	sink.end();
	await finished(sink).catch(() => undefined);
	const shell = (!exit.error && wrapped?.read()) || previous;
	// A second line of defence: a secret the channel did not report (the block replaced the DEBUG trap that watches
	// its assignments) is masked once the block has ended.
	const own = secretValuesOf(shell).filter(value => !known.includes(value));
	const lines = sink.tailLines();
	// What a full-screen program leaves behind (its last carriage return, the cursor put back) shows as blank lines.
	while (lines.length > 0 && lines.at(-1)!.trim() === '') lines.pop();
	const tail = own.length ? lines.map(line => redactLine(line, own)) : lines;
	if (own.length) scrubTranscript(outputFile, own);
	const endedAtMs = Date.now();
	const failedLine = exit.code !== 0 && wrapped ? wrapped.failedLine() : null;
	const notes: CommandNote[] = wrapped ? wrapped.notes() : [];
	const error = exit.error ?? (sink.fileError ? `could not write the transcript: ${sink.fileError.message}` : undefined);
	return {
		exitCode: exit.code,
		signal: exit.signal,
		cancelled: false,
		startedAt: new Date(startedAtMs).toISOString(),
		endedAt: new Date(endedAtMs).toISOString(),
		durationMs: endedAtMs - startedAtMs,
		shell,
		outputFile,
		lines: sink.lines,
		bytes: sink.bytes,
		tail,
		midLine,
		...(error === undefined ? {} : {error}),
		...(failedLine === null ? {} : {failedLine}),
		...(notes.length ? {commandNotes: notes} : {}),
	};
}
