// Runs one shell block of a runbook in the background of the UI: its own process group (so cancel reaches every
// descendant), output recorded to a file and summarised as a bounded tail, environment and directory carried to the
// next block.

import type {Duplex, Readable} from 'node:stream';
import {finished} from 'node:stream/promises';
import {execa} from 'execa';
import {OutputSink} from './output-sink.js';
import {isGroupAlive, liveRunGroups, processIdentity, registerGroup, signalGroup, unregisterGroup} from './process-groups.js';
import {isSecretValue} from '../runbook/secret-names.js';
import {findBash, wrapScript, type WrappedScript} from './shell-state.js';
import {superviseGroup, type Supervisor} from './supervisor.js';
import {ProgressReports} from './progress-reports.js';
import {listenForSecrets} from './secret-channel.js';
import type {CommandNote, RunHandle, RunOptions, RunProgress, RunResult, ShellState} from './types.js';

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
 * Values of secret-looking variables in the shell (DB_PASSWORD, GITHUB_TOKEN…), masked wherever they are printed; by
 * the same rule as the block's own assignments and the store's record (isSecretValue).
 */
export function secretValuesFromEnv(env: Record<string, string>): string[] {
	return Object.entries(env)
		.filter(([name, value]) => isSecretValue(name, value))
		.map(([, value]) => value);
}

/** The secret values of a shell's variables, exported or not. */
export const secretValuesOf = (shell: ShellState): string[] => secretValuesFromEnv({...shell.vars, ...shell.env});

type Exit = {code: number | null; signal: string | null; error?: string};

export function startRun(options: RunOptions): RunHandle {
	const run = new BlockRun(options);
	run.spawn();
	return {pid: run.pid, done: run.finish(), cancel: () => run.cancel()};
}

/**
 * One block's run, from spawn to result, in the order it happens: spawn (the shell, its secret channel, its output),
 * cancel, the exit and the output's end, the shell state carried on, the result.
 */
class BlockRun {
	pid = 0;
	private readonly startedAtMs = Date.now();
	private readonly tailLines: number;
	private readonly killGraceMs: number;
	private readonly secrets: string[];
	private readonly reports: ProgressReports;
	private readonly sink: OutputSink;
	private wrapped: WrappedScript | undefined;
	private supervisor: Supervisor | undefined;
	private recorded = true;
	private asked = false;
	private outputDone: Promise<void> = Promise.resolve();
	private resolveExit!: (exit: Exit) => void;
	private readonly exited = new Promise<Exit>((resolve) => (this.resolveExit = resolve));
	private cancelled = false;
	private hasExited = false;
	private settled = false;
	private killTimer: NodeJS.Timeout | undefined;
	private detachTimer: NodeJS.Timeout | undefined;
	private detach!: () => void;
	private readonly detachSignal = new Promise<void>((resolve) => (this.detach = resolve));

	constructor(private readonly options: RunOptions) {
		this.tailLines = options.tailLines ?? DEFAULT_TAIL_LINES;
		this.killGraceMs = options.killGraceMs ?? DEFAULT_KILL_GRACE_MS;
		this.secrets = [...(options.secrets ?? [])];
		if (options.redactEnvSecrets ?? true) this.secrets.push(...secretValuesOf(options.shell));
		this.reports = new ProgressReports(options.onProgress, options.flushIntervalMs ?? DEFAULT_FLUSH_INTERVAL_MS, () => this.progress());
		const {secrets, tailLines} = this;
		const maxLineLength = options.maxLineLength ?? DEFAULT_MAX_LINE_LENGTH;
		this.sink = new OutputSink({file: options.outputFile, secrets, tailLines, maxLineLength, onData: this.reports.onData});
	}

	spawn(): void {
		try {
			this.startShell();
		} catch (error) {
			const message = error instanceof Error ? error.message : String(error);
			// Recorded even so: the run then ends as a failed one saying why.
			if (!this.asked) this.recorded = this.askToRecord({pid: 0, identity: null});
			this.resolveExit({code: null, signal: null, error: this.wrapped ? message : `could not prepare the block's shell: ${message}`});
			this.sink.end();
		}
		this.outputDone = finished(this.sink).then(
			() => undefined,
			() => undefined,
		);
	}

	private startShell(): void {
		const {options} = this;
		const previous = options.shell;
		// The only step here that can throw before the spawn (an unwritable state directory): it then fails the run.
		this.wrapped = wrapScript(options.script, previous, INJECTED_ENV, {
			channel: true,
			...(options.scratchDir ? {dir: options.scratchDir} : {}),
			...(options.exitFile ? {exitFile: options.exitFile} : {}),
			...(options.plan ? {plan: options.plan} : {}),
		});
		const env = {...previous.env, ...INJECTED_ENV};
		const subprocess = execa(findBash(env), ['-euo', 'pipefail', '-c', this.wrapped.script], {
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
		const pid = (this.pid = subprocess.pid ?? 0);
		registerGroup(pid);
		if (pid > 0) this.supervisor = superviseGroup({group: pid, exitFile: options.exitFile, dumpDir: this.wrapped.dir});
		subprocess.once('exit', (code, signal) => this.resolveExit({code, signal}));
		const channel = subprocess.stdio[3] as Duplex | undefined;
		if (channel) this.watchOwnSecrets(channel);
		// Nothing runs before the caller has recorded the run: without the go byte the shell exits unrun.
		this.recorded = this.askToRecord({pid, identity: pid > 0 ? processIdentity(pid) : null});
		if (this.recorded) channel?.write('g');
		else channel?.destroy();
		// A spawn failure (missing cwd, no bash) never emits 'exit'; execa reports it on its promise instead.
		void subprocess.then((result) => {
			if (result.failed && result.exitCode === undefined && result.signal === undefined) {
				this.resolveExit({code: null, signal: null, error: result.originalMessage || result.message});
			}
		});
		this.pipeOutput(subprocess.all);
	}

	private askToRecord(process: {pid: number; identity: string | null}): boolean {
		this.asked = true;
		return this.options.beforeStart?.(process) ?? true;
	}

	/** The secret channel: each secret the block assigns is masked before the shell may go on to print it. */
	private watchOwnSecrets(channel: Duplex): void {
		channel.on('error', () => {});
		listenForSecrets(channel, (answers) => channel.write(answers), (name, value) => {
			if (!isSecretValue(name, value) || this.secrets.includes(value)) return;
			this.secrets.push(value);
			this.sink.addSecrets([value]);
			this.options.onSecrets?.([value]);
		});
	}

	private pipeOutput(all: Readable | undefined): void {
		if (!all) {
			this.sink.end();
			return;
		}
		all.pipe(this.sink, {end: false});
		// End the sink however `all` stops (end, error, destroy), so the file is always closed.
		finished(all).then(
			() => this.sink.end(),
			() => this.sink.end(),
		);
	}

	cancel(): void {
		const {pid, killGraceMs} = this;
		if (this.settled) {
			// Only background jobs the block left behind remain; a group no longer tracked may have had its id reused.
			if (liveRunGroups().includes(pid)) killLeftovers(pid, killGraceMs, this.supervisor);
			return;
		}
		if (this.cancelled) return;
		this.cancelled = true;
		if (pid <= 0) return;
		signalGroup(pid, 'SIGTERM');
		this.killTimer = setTimeout(() => signalGroup(pid, 'SIGKILL'), killGraceMs);
		if (this.hasExited) this.armDetach(killGraceMs + AFTER_KILL_MS);
	}

	private armDetach(ms: number): void {
		clearTimeout(this.detachTimer);
		this.detachTimer = setTimeout(this.detach, ms);
	}

	async finish(): Promise<RunResult> {
		const exit = await this.exited;
		this.hasExited = true;
		const backgroundOutput = await this.outputEnded();
		this.reports.final();
		const {shell, failedLine, commandNotes} = this.closeShell(exit);
		this.settled = true;
		return {...this.result(exit, shell, failedLine, backgroundOutput), ...(commandNotes.length ? {commandNotes} : {})};
	}

	/**
	 * Normally the output ends with bash. A background job (`port-forward &`) keeps the pipe open: the block is reported
	 * done anyway (true), as a shell prompt would, and the job's output keeps flowing to the file.
	 */
	private async outputEnded(): Promise<boolean> {
		this.armDetach(this.cancelled ? this.killGraceMs + AFTER_KILL_MS : (this.options.drainGraceMs ?? DEFAULT_DRAIN_GRACE_MS));
		const backgroundOutput = await Promise.race([this.outputDone.then(() => false), this.detachSignal.then(() => true)]);
		clearTimeout(this.detachTimer);
		return backgroundOutput;
	}

	/** The shell state to carry to the next block (only from a run that ended by itself); the shell's leftovers released. */
	private closeShell(exit: Exit): {shell: ShellState; failedLine: number | null; commandNotes: CommandNote[]} {
		const previous = this.options.shell;
		let shell: ShellState = previous;
		if (!this.cancelled && !exit.error && this.recorded) shell = this.wrapped?.read() ?? previous;
		const failedLine = !this.cancelled && exit.code !== 0 ? (this.wrapped?.failedLine() ?? null) : null;
		// What ended without stopping the block: a cancelled one's too (they ran before the cancel).
		const commandNotes = this.wrapped?.notes() ?? [];
		this.wrapped?.cleanup();
		if (!isGroupAlive(this.pid)) {
			clearTimeout(this.killTimer);
			unregisterGroup(this.pid);
			this.supervisor?.done();
		}
		return {shell, failedLine, commandNotes};
	}

	private result(exit: Exit, shell: ShellState, failedLine: number | null, backgroundOutput: boolean): RunResult {
		const {sink, options, startedAtMs} = this;
		const endedAtMs = Date.now();
		const error =
			exit.error ??
			(!this.recorded ? 'not started: the run could not be recorded' : undefined) ??
			(sink.fileError ? `could not write ${options.outputFile}: ${sink.fileError.message}` : undefined);
		return {
			exitCode: exit.code,
			signal: exit.signal,
			cancelled: this.cancelled,
			startedAt: new Date(startedAtMs).toISOString(),
			endedAt: new Date(endedAtMs).toISOString(),
			durationMs: endedAtMs - startedAtMs,
			shell,
			outputFile: options.outputFile,
			lines: sink.lines,
			bytes: sink.bytes,
			tail: finalTail(sink.tailLines(), sink.partial(), backgroundOutput, this.tailLines),
			...(error === undefined ? {} : {error}),
			...(backgroundOutput ? {backgroundOutput} : {}),
			...(failedLine === null ? {} : {failedLine}),
		};
	}

	private progress(): RunProgress {
		const {sink} = this;
		return {tail: sink.tailLines(), partial: sink.partial(), lines: sink.lines, bytes: sink.bytes, elapsedMs: Date.now() - this.startedAtMs};
	}
}

function killLeftovers(pgid: number, graceMs: number, supervisor: Supervisor | undefined): void {
	signalGroup(pgid, 'SIGTERM');
	setTimeout(() => {
		if (isGroupAlive(pgid)) signalGroup(pgid, 'SIGKILL');
		unregisterGroup(pgid);
		supervisor?.done();
	}, graceMs).unref();
}

/** While a background job still writes, its unterminated line belongs in the tail too. */
function finalTail(tail: string[], partial: string, stillWriting: boolean, max: number): string[] {
	if (!stillWriting || partial === '') return tail;
	return [...tail, partial].slice(-max);
}
