// Carrying a block's plain (unexported) shell variables to the next block, as one interactive shell would:
// `SERVICE_IP=$(kubectl get svc …)` in one block is still set in the next, and still not exported, so no command the
// block starts sees it. The values go in and out through 0600 files in the block's own 0700 dump directory: never in
// argv (the script given to `bash -c` shows in ps) nor in the environment (one long `$(kubectl … -o json)` value there
// would make the next spawn fail with E2BIG, and every child would get it).
//
// Scalars only: arrays, associative arrays and namerefs are not carried, nor is an integer or readonly attribute (the
// value is). Needs bash 4.4 (`${name@a}`); an older bash carries none and keeps the previous ones.

import {readFileSync, writeFileSync} from 'node:fs';
import {shellQuote} from '../runbook/shell-words.js';

// Every variable name, without a fork: `${!A*}` lists the names starting with A.
export const ALL_NAMES = [...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_'].map((c) => `\${!${c}*}`).join(' ');

// Bash's own variables, and the wrapper's. Those bash sets at start with a value of its own (PATH, TERM, a BASH_ENV
// file's) are left out by value, as long as the block leaves them as they were (see snapshot).
const BASH_OWN = [
	'BASH*', '_', 'IFS', 'PS[0-9]', 'OPTIND', 'OPTARG', 'OPTERR', 'PIPESTATUS', 'FUNCNAME', 'LINENO', 'RANDOM', 'SRANDOM',
	'SECONDS', 'EPOCHREALTIME', 'EPOCHSECONDS', 'HISTCMD', 'HIST*', 'PPID', 'UID', 'EUID', 'GROUPS', 'SHELLOPTS', 'SHLVL',
	'PWD', 'OLDPWD', 'DIRSTACK', 'HOSTNAME', 'HOSTTYPE', 'MACHTYPE', 'OSTYPE', 'COLUMNS', 'LINES', 'COMP_*', 'READLINE_*',
	'MAILCHECK', 'COPROC*', 'MAPFILE', '__rb_*', '__runbook_*', '__RB_*',
].join('|');
const BASH_OWN_NAME = new RegExp(`^(?:${BASH_OWN.replace(/\*/g, '.*')})$`);
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

const BASH_44 = `((BASH_VERSINFO[0] * 100 + BASH_VERSINFO[1] >= 404))`;

/** Whether a plain variable by this name may be carried at all (a name bash keeps for itself may not). */
export const carriable = (name: string) => NAME.test(name) && !BASH_OWN_NAME.test(name);

/** Writes the variables the next block starts with (none that the environment also has: exported wins), 0600. */
export function writeVarsIn(file: string, vars: Record<string, string> | undefined, env: Record<string, string>): void {
	const records = Object.entries(vars ?? {})
		.filter(([name]) => carriable(name) && !(name in env))
		.map(([name, value]) => `${name}=${value}\0`);
	writeFileSync(file, records.join(''), {mode: 0o600});
}

/**
 * The preamble, before the block: notes the plain variables bash itself started with (the dump leaves them out while
 * they keep that value), then sets each carried variable, unexported, and empties the file that held them. Restores
 * `set -u` as it found it.
 */
export function restoreVars(varsIn: string): string {
	const file = shellQuote(varsIn);
	return (
		`declare -A __rb_own=(); if ${BASH_44}; then __rb_o=$-; set +u; ` +
		`for __rb_n in ${ALL_NAMES}; do [[ \${!__rb_n@a} == *x* ]] || __rb_own[$__rb_n]=\${!__rb_n}; done; [[ $__rb_o != *u* ]] || set -u; ` +
		`{ while IFS= read -r -d '' __rb_l; do printf -v "\${__rb_l%%=*}" %s "\${__rb_l#*=}" || :; done < ${file}; : > ${file}; } 2>/dev/null || :; fi;`
	);
}

/**
 * The shell function the EXIT trap calls (its output to the dump file): `vars\0`, then `NAME=value\0` for each plain
 * scalar that is not bash's own. NUL-separated, so newlines in a value survive. Prints nothing on a bash before 4.4.
 */
export function dumpVarsFunction(): string {
	return (
		`__rb_vars() { ${BASH_44} || return 0; local __rb_n; set +u; printf 'vars\\0'; for __rb_n in ${ALL_NAMES}; do ` +
		`case $__rb_n in ${BASH_OWN}) continue;; esac; [[ \${!__rb_n@a} != *[xaA]* && ! -R $__rb_n ]] || continue; ` +
		`[[ \${__rb_own[$__rb_n]+x} != x || \${__rb_own[$__rb_n]} != "\${!__rb_n}" ]] || continue; ` +
		`printf '%s=%s\\0' "$__rb_n" "\${!__rb_n}"; done; };`
	);
}

/**
 * The plain variables the dump holds, leaving out any the environment has (exported wins); undefined when the shell
 * wrote none (a bash before 4.4): the caller keeps the previous ones.
 */
export function readVarsDump(file: string, env: Record<string, string>): Record<string, string> | undefined {
	let dump: string;
	try {
		dump = readFileSync(file, 'utf8');
	} catch {
		return undefined;
	}
	if (!dump.startsWith('vars\0')) return undefined;
	const vars: Record<string, string> = {};
	for (const entry of dump.slice(5).split('\0')) {
		const eq = entry.indexOf('=');
		if (eq <= 0) continue;
		const name = entry.slice(0, eq);
		if (carriable(name) && !(name in env)) vars[name] = entry.slice(eq + 1);
	}
	return vars;
}
