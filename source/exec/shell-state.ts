// Carrying environment and working directory from one block to the next. Each block is a fresh `bash -c`, so the
// script is wrapped with an EXIT trap that dumps what the operator would still have in an interactive shell:
// exported variables, plain shell variables (shell-vars.ts) and the current directory. The trap runs on success and on
// `set -e` failures alike, so an assignment that ran before a failing command still carries over, as at a prompt.
//
// The dump holds every value, secrets included, so it lives in the state directory (0700), is removed when the run
// ends, and what a crash left is swept on the next start. The same wrapper can also (see WrapOptions) wait for
// the app's go before running anything, report the block's own secret assignments before the next command runs,
// note the block's exit in a file its supervisor and a later resume can read, and let a search that finds nothing or a
// follower ended by Ctrl-C end without stopping the block (command-notes.ts).

import {execFileSync} from 'node:child_process';
import {closeSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {secretNameCasePattern, SECRET_PART_PREFIXES, SECRET_PARTS} from '../runbook/secret-names.js';
import type {PlannedCommand} from '../runbook/command-plan.js';
import {shellQuote} from '../runbook/shell-words.js';
import {instrument, INTERRUPT_TRAP, noteFunction, readNotes} from './command-notes.js';
import {ALL_NAMES, dumpVarsFunction, readVarsDump, restoreVars, writeVarsIn} from './shell-vars.js';
import type {CommandNote, ShellState} from './types.js';
import {which} from './which.js';

// Variables bash maintains itself; carrying them over would be wrong (SHLVL would grow each block) or redundant
// (PWD is carried as cwd). BASH_FUNC_* are exported functions, which need a bash to define them anyway.
const INTERNAL = new Set(['SHLVL', '_', 'PWD', 'OLDPWD']);
const isInternal = (name: string) => INTERNAL.has(name) || name.startsWith('BASH_') || name.startsWith('__RB_');

/** The shell state to start a session from, normally the app's own environment and directory. */
export function initialShellState(
	env: NodeJS.ProcessEnv = process.env,
	cwd: string = process.cwd(),
): ShellState {
	const clean: Record<string, string> = {};
	for (const [name, value] of Object.entries(env)) if (value !== undefined && !isInternal(name)) clean[name] = value;
	return {env: clean, cwd};
}

export type WrapOptions = {
	/** Where the shell's dump goes (a 0700 directory of its own is made inside); the temp directory if unset. */
	dir?: string;
	/**
	 * fd 3 of the shell is a socket to the app: the shell waits for a `g` on it before running anything (so the app can
	 * record the run first), then reports each secret-named variable the block assigns as `NAME=value\0` and waits for
	 * one byte back before the next command runs. See SECRET_WATCH.
	 */
	channel?: boolean;
	/**
	 * The same channel (implied) through two FIFOs in the dump directory instead of fd 3, for a pseudo-terminal, which
	 * cannot pass the shell an extra fd: `fifos` of the result, for the app to open before the spawn (openFifoChannel).
	 */
	fifoChannel?: boolean;
	/** A file the shell appends `exit <status> <epoch seconds>` to when the block ends (read after a crash). */
	exitFile?: string;
	/**
	 * The block's logical commands (runbook/command-plan.ts): each search and follower that is one pipeline gets
	 * `|| __rb_note …` at the end of its last line, so that finding nothing or being stopped by Ctrl-C is noted (see
	 * notes()) instead of stopping the block. Line numbers do not change.
	 */
	plan?: PlannedCommand[];
	/**
	 * The block runs on a terminal, its shell in the foreground group with its commands: the shell survives the
	 * operator's Ctrl-C (see INTERRUPT_TRAP) and goes on after a follower it ended.
	 */
	interactive?: boolean;
};

export type WrappedScript = {
	/** The script to pass to `bash -c`. */
	script: string;
	/** The directory holding the dump; removed by cleanup(). */
	dir: string;
	/** The channel's FIFOs, with `fifoChannel`; removed by cleanup() with the rest. */
	fifos: ChannelFifos | null;
	/** Reads the dump left by the trap; undefined if the shell never got to write it (killed, `exec`, own EXIT trap). */
	read(): ShellState | undefined;
	/** The line of the script whose failure stopped it (`set -e`), as bash's ERR trap saw it; null if none or unknown. */
	failedLine(): number | null;
	/** The commands of the plan that ended without stopping the block (no match, stopped by the operator). */
	notes(): CommandNote[];
	/** Removes the temporary files; the dump holds the variables, secrets included. */
	cleanup(): void;
};

/**
 * Wraps a block so that it leaves its environment and directory behind. `injected` lists variables the runner added
 * to the environment itself; the result has their previous value (or none) unless the block changed them.
 */
export function wrapScript(script: string, previous: ShellState, injected: Record<string, string> = {}, options: WrapOptions = {}): WrappedScript {
	const files = makeDumpFiles(options);
	const channel = options.channel || options.fifoChannel;
	const go = channel ? channelOpen(files.fifos) : '';
	const notes = options.plan?.length ? ` ${noteFunction(files.notesFile)}` : '';
	const interrupt = options.interactive ? ` ${INTERRUPT_TRAP}` : '';
	const body = options.plan?.length ? instrument(script, options.plan) : script;
	try {
		writeVarsIn(files.varsIn, previous.vars, {...previous.env, ...injected});
	} catch (error) {
		rmSync(files.dir, {recursive: true, force: true});
		throw error;
	}
	// The carried plain variables are set before the secret watch first looks, so it does not report them again.
	return {
		script: `${go}${restoreVars(files.varsIn)} ${exitTrap(files, options.exitFile)}${channel ? ` ${SECRET_WATCH}` : ''}${notes}${interrupt} ${body}`,
		dir: files.dir,
		fifos: files.fifos,
		read: () => readDump(files, previous, injected),
		failedLine() {
			try {
				const line = Number(readFileSync(files.lineFile, 'utf8'));
				return Number.isInteger(line) && line > 0 ? line : null;
			} catch {
				return null;
			}
		},
		notes: () => readNotes(files.notesFile),
		cleanup() {
			rmSync(files.dir, {recursive: true, force: true});
		},
	};
}

/** The channel's FIFOs: the shell reports to the app through `toApp`; the go and the answers come through `toShell`. */
export type ChannelFifos = {toApp: string; toShell: string};

type DumpFiles = {
	dir: string;
	envFile: string;
	/** The plain variables the block left (see shell-vars.ts), and those it starts with. */
	varsFile: string;
	varsIn: string;
	pwdFile: string;
	lineFile: string;
	notesFile: string;
	fifos: ChannelFifos | null;
};

/**
 * Opens the channel as `__rb_co` (to the app) and `__rb_ci` (from it), then waits for the app's go. On fd 3 both are one
 * socket. The FIFOs' other ends are already open in the app, so the shell's opens never wait; if the app dies, the go's
 * read sees the end of the FIFO and nothing runs.
 */
function channelOpen(fifos: ChannelFifos | null): string {
	const open = fifos
		? `{ exec {__rb_co}>${shellQuote(fifos.toApp)} {__rb_ci}<${shellQuote(fifos.toShell)}; } 2>/dev/null || exit 125; `
		: `exec {__rb_ci}>&3 3>&-; __rb_co=$__rb_ci; `;
	return `${open}IFS= read -r -d '' -n 1 -u "$__rb_ci" __rb_go 2>/dev/null || exit 125; [ "$__rb_go" = g ] || exit 125; `;
}

/** The block's own 0700 directory and the 0600 files its shell fills when it ends. */
function makeDumpFiles(options: WrapOptions): DumpFiles {
	// mkdtemp creates the directory 0700, so other users cannot read the dumped environment. The pid in its name tells
	// a later start whether its writer is gone (sweepShellDumps).
	if (options.dir) mkdirSync(options.dir, {recursive: true, mode: 0o700});
	const dir = mkdtempSync(path.join(options.dir ?? tmpdir(), `${options.dir ? '' : 'runbook-'}${DUMP_PREFIX}${process.pid}-`));
	const fifos = options.fifoChannel ? {toApp: path.join(dir, 'to-app'), toShell: path.join(dir, 'to-shell')} : null;
	const at = (name: string) => path.join(dir, name);
	const files = {dir, envFile: at('env'), varsFile: at('vars'), varsIn: at('vars-in'), pwdFile: at('pwd'), lineFile: at('line'), notesFile: at('notes'), fifos};
	// Node cannot make a FIFO; a throw here fails the run before it starts, like an unwritable directory.
	if (fifos) {
		try {
			execFileSync('mkfifo', ['-m', '600', '--', fifos.toApp, fifos.toShell], {stdio: ['ignore', 'ignore', 'pipe']});
		} catch (error) {
			rmSync(dir, {recursive: true, force: true});
			const why = String((error as {stderr?: Buffer}).stderr ?? '').trim() || (error as Error).message;
			throw new Error(`could not make the block's secret channel: ${why.split('\n')[0]}`);
		}
	}
	// Made here, 0600, for the shell to fill: a file bash creates itself gets the operator's umask (often 0644).
	const optional = options.plan?.length ? [files.notesFile] : [];
	for (const file of [files.envFile, files.varsFile, files.pwdFile, files.lineFile, ...optional]) writeFileSync(file, '', {mode: 0o600});
	if (options.exitFile) closeSync(openSync(options.exitFile, 'a', 0o600));
	return files;
}

/** The EXIT and ERR traps that dump the variables, the directory, the failing line and the exit note. */
function exitTrap({envFile, varsFile, pwdFile, lineFile}: DumpFiles, exitFile: string | undefined): string {
	// Ended by its supervisor because runbook died: nobody will read the dump, so it is never written.
	const diedCheck = exitFile ? `{ IFS= read -r __rb_died < ${shellQuote(exitFile)} || true; } 2>/dev/null; [[ "$__rb_died" == runbook-died* ]] || __rb_died=; ` : '';
	// EPOCHREALTIME (bash 5) for a duration to the millisecond; whole seconds from older bashes.
	const exitNote = exitFile ? `printf 'exit %s %s\\n' "$__rb_rc" "\${EPOCHREALTIME:-$(printf '%(%s)T' -1)}" >> ${shellQuote(exitFile)} 2>/dev/null || true; ` : '';
	// One line, so that bash's "line N:" messages about the operator's script keep their numbers. `command -p` finds
	// env on the default PATH, so a block that breaks PATH still carries its state.
	// The ERR trap notes the line of the last failing command; with `set -e` that is the one that stopped the block,
	// which in a ten-line block is the first thing the operator needs to know. No `local rc`: the dump of plain
	// variables would take it for the block's own `rc`.
	return (
		`${dumpVarsFunction()} __runbook_exit() { local __rb_died=; ${diedCheck}if [ -z "$__rb_died" ]; then command -p env -0 > ${shellQuote(envFile)} 2>/dev/null || true; ` +
		`__rb_vars > ${shellQuote(varsFile)} 2>/dev/null || true; fi; pwd > ${shellQuote(pwdFile)} 2>/dev/null || true; ` +
		`[ "$__rb_rc" -ne 0 ] && [ -n "\${__runbook_line-}" ] && printf %s "$__runbook_line" > ${shellQuote(lineFile)} 2>/dev/null; ${exitNote}exit "$__rb_rc"; }; ` +
		// Out of a `set -x` trace: the block's own commands are what the operator traced. The secret watch looks once
		// more (a last assignment) and then no longer: it would look again at every command of the dumps.
		`trap '{ __rb_rc=$?; set +x; trap - DEBUG; } 2>/dev/null; __runbook_exit' EXIT; trap '__runbook_line=$LINENO' ERR;`
	);
}

/** What the trap left: the block's variables and directory, with the runner's injected variables put back. */
function readDump({envFile, varsFile, pwdFile}: DumpFiles, previous: ShellState, injected: Record<string, string>): ShellState | undefined {
	let envDump: string;
	let pwd: string;
	try {
		envDump = readFileSync(envFile, 'utf8');
		pwd = readFileSync(pwdFile, 'utf8').replace(/\n$/, '');
	} catch {
		return undefined;
	}
	if (pwd === '') return undefined;
	const env: Record<string, string> = {};
	for (const entry of envDump.split('\0')) {
		const eq = entry.indexOf('=');
		if (eq <= 0) continue;
		const name = entry.slice(0, eq);
		if (isInternal(name)) continue;
		env[name] = entry.slice(eq + 1);
	}
	for (const [name, value] of Object.entries(injected)) {
		if (env[name] !== value) continue;
		const before = previous.env[name];
		if (before === undefined) delete env[name];
		else env[name] = before;
	}
	return {env, vars: readVarsDump(varsFile, env) ?? previous.vars ?? {}, cwd: pwd};
}

const DUMP_PREFIX = 'shell-';

/**
 * Removes environment dumps whose process is gone: a runbook killed mid-block (kill -9, power cut) never reached its
 * cleanup, and the dump holds every exported value. Dumps of live processes (another session) are left alone.
 */
export function sweepShellDumps(dir: string): void {
	let names: string[];
	try {
		names = readdirSync(dir);
	} catch {
		return;
	}
	for (const name of names) {
		const pid = Number(/^shell-(\d+)-/.exec(name)?.[1]);
		if (!Number.isInteger(pid) || pid === process.pid || pidAlive(pid)) continue;
		rmSync(path.join(dir, name), {recursive: true, force: true});
	}
}

function pidAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return (error as NodeJS.ErrnoException).code === 'EPERM';
	}
}

// Which commands may have assigned a secret-named variable: those naming one, and assigning builtins whose target is
// only known once expanded (`export $(cat .env)`, `read "$name"`). Nameref declarations make every command a candidate.
const MAY_ASSIGN = [
	...[...SECRET_PARTS, ...SECRET_PART_PREFIXES].map((part) => `*${part}*`),
	...['EXPORT', 'DECLARE', 'TYPESET', 'LOCAL', 'READONLY', 'READ', 'MAPFILE', 'READARRAY', 'PRINTF', 'LET', 'GETOPTS'].map((word) => `*${word}\\ *\\$*`),
].join('|');
const NAMEREF = ['DECLARE', 'LOCAL', 'TYPESET'].flatMap((word) => ['N', 'GN', 'NG'].map((flags) => `*${word}\\ -${flags}\\ *`)).join('|');

/**
 * The live watch over the block's own secrets (with `channel`). A DEBUG trap runs before every command, in functions,
 * subshells and command substitutions too (`set -T`); after a command that may have assigned a secret-named variable it
 * looks at all of them, reports each new value to the app and waits for the app's byte back. The app adds the value to
 * the output's redaction before answering, and output is written a whole line at a time, so `export DB_PASSWORD=…;
 * echo $DB_PASSWORD` never puts the value on disk, even if runbook is killed the next instant. The trap hides itself
 * from `set -x` and keeps `$_`, `$?` (bash keeps that one) and BASH_REMATCH (it uses no `=~`) as the block left them;
 * the cost is some 20 µs per command.
 */
const SECRET_WATCH =
	`declare -A __rb_seen=(); ` +
	`__rb_scan() { local n v IFS=' '; for n in ${ALL_NAMES}; do case "_\${n^^}_" in ${secretNameCasePattern()}) v=\${!n-}; ` +
	`if [[ \${__rb_seen[$n]+x} != x || \${__rb_seen[$n]} != "$v" ]]; then __rb_seen[$n]=$v; ` +
	`if [[ -n \${1-} ]]; then printf '%s=%s\\0' "$n" "$v" >&"$__rb_co"; IFS= read -r -d '' -n 1 -u "$__rb_ci" __rb_ack || :; fi; fi;; esac; done; }; ` +
	`__rb_debug() { if [[ -n \${__rb_dirty-} || -n \${__rb_always-} ]]; then __rb_dirty=; __rb_scan report; fi; ` +
	`case "\${BASH_COMMAND^^}" in ${NAMEREF}) __rb_always=1;; ${MAY_ASSIGN}) __rb_dirty=1;; esac; }; ` +
	`__rb_scan; set -T; ` +
	`trap '{ __rb_u=$_ __rb_x=$-; set +x; } 2>/dev/null; __rb_debug; if [[ $__rb_x == *x* ]]; then set -x; else : "$__rb_u"; fi' DEBUG;`;

const bashByPath = new Map<string, string>();

/**
 * Absolute path of bash. Looked up here because the child gets exactly the block's environment, which may have
 * lost or changed PATH, and spawn would resolve `bash` against it.
 */
export function findBash(env: Record<string, string>): string {
	const searchPath = env.PATH ?? process.env.PATH ?? '';
	const cached = bashByPath.get(searchPath);
	if (cached) return cached;
	const found = which('bash', searchPath) ?? which('bash', process.env.PATH) ?? '/bin/bash';
	bashByPath.set(searchPath, found);
	return found;
}
