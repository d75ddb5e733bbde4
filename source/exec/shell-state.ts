// Carrying environment and working directory from one block to the next. Each block is a fresh `bash -c`, so the
// script is wrapped with an EXIT trap that dumps what the operator would still have in an interactive shell:
// exported variables and the current directory. The trap runs on success and on `set -e` failures alike, so an
// `export` that ran before a failing command still carries over, as it would at a prompt.

import {accessSync, constants, mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import type {ShellState} from './types.js';

// Variables bash maintains itself; carrying them over would be wrong (SHLVL would grow each block) or redundant
// (PWD is carried as cwd). BASH_FUNC_* are exported functions, which need a bash to define them anyway.
const INTERNAL = new Set(['SHLVL', '_', 'PWD', 'OLDPWD']);
const isInternal = (name: string) => INTERNAL.has(name) || name.startsWith('BASH_');

/** The shell state to start a session from, normally the app's own environment and directory. */
export function initialShellState(
	env: NodeJS.ProcessEnv = process.env,
	cwd: string = process.cwd(),
): ShellState {
	const clean: Record<string, string> = {};
	for (const [name, value] of Object.entries(env)) if (value !== undefined && !isInternal(name)) clean[name] = value;
	return {env: clean, cwd};
}

const quote = (text: string) => `'${text.replaceAll("'", `'\\''`)}'`;

export type WrappedScript = {
	/** The script to pass to `bash -c`. */
	script: string;
	/** Reads the dump left by the trap; undefined if the shell never got to write it (killed, `exec`, own EXIT trap). */
	read(): ShellState | undefined;
	/** The line of the script whose failure stopped it (`set -e`), as bash's ERR trap saw it; null if none or unknown. */
	failedLine(): number | null;
	/** Removes the temporary files; the dump holds the environment, secrets included. */
	cleanup(): void;
};

/**
 * Wraps a block so that it leaves its environment and directory behind. `injected` lists variables the runner added
 * to the environment itself; the result has their previous value (or none) unless the block changed them.
 */
export function wrapScript(script: string, previous: ShellState, injected: Record<string, string> = {}): WrappedScript {
	// mkdtemp creates the directory 0700, so other users cannot read the dumped environment.
	const dir = mkdtempSync(path.join(tmpdir(), 'runbook-shell-'));
	const envFile = path.join(dir, 'env');
	const pwdFile = path.join(dir, 'pwd');
	const lineFile = path.join(dir, 'line');
	// One line, so that bash's "line N:" messages about the operator's script keep their numbers. `command -p` finds
	// env on the default PATH, so a block that breaks PATH still carries its state.
	// The ERR trap notes the line of the last failing command; with `set -e` that is the one that stopped the block,
	// which in a ten-line block is the first thing the operator needs to know.
	const prelude =
		`__runbook_exit() { local rc=$?; command -p env -0 > ${quote(envFile)} 2>/dev/null || true; ` +
		`pwd > ${quote(pwdFile)} 2>/dev/null || true; ` +
		`[ "$rc" -ne 0 ] && [ -n "\${__runbook_line-}" ] && printf %s "$__runbook_line" > ${quote(lineFile)} 2>/dev/null; exit "$rc"; }; ` +
		`trap __runbook_exit EXIT; trap '__runbook_line=$LINENO' ERR;`;
	return {
		script: `${prelude} ${script}`,
		read() {
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
			return {env, cwd: pwd};
		},
		failedLine() {
			try {
				const line = Number(readFileSync(lineFile, 'utf8'));
				return Number.isInteger(line) && line > 0 ? line : null;
			} catch {
				return null;
			}
		},
		cleanup() {
			rmSync(dir, {recursive: true, force: true});
		},
	};
}

const bashByPath = new Map<string, string>();

/**
 * Absolute path of bash. Looked up here because the child gets exactly the block's environment, which may have
 * lost or changed PATH, and spawn would resolve `bash` against it.
 */
export function findBash(env: Record<string, string>): string {
	const searchPath = env.PATH ?? process.env.PATH ?? '';
	const cached = bashByPath.get(searchPath);
	if (cached) return cached;
	let found = '/bin/bash';
	for (const dir of [...searchPath.split(path.delimiter), ...(process.env.PATH ?? '').split(path.delimiter)]) {
		if (!dir) continue;
		const candidate = path.join(dir, 'bash');
		try {
			accessSync(candidate, constants.X_OK);
			found = candidate;
			break;
		} catch {
			// Not in this directory.
		}
	}
	bashByPath.set(searchPath, found);
	return found;
}
