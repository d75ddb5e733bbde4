// The commands of a block that end without stopping it (see runbook/command-plan.ts): a search that found nothing, a
// follower the operator ended with Ctrl-C. Under `set -e` either would stop the block, so each such command gets
// `|| __rb_note …` appended to its last line; the shell function decides from the pipeline's statuses whether this
// was that kind of end (noted in a file, the block goes on) or a real failure (its status returned: the block stops
// as before, on the same line).

import {readFileSync} from 'node:fs';
import {canInstrument, type PlannedCommand} from '../runbook/command-plan.js';
import {codeEnd} from '../runbook/shell-scan.js';
import {shellQuote} from '../runbook/shell-words.js';
import type {CommandNote} from './types.js';

/**
 * The shell function, on one line. `__rb_note INDEX ROLE STATUS "${PIPESTATUS[*]}"`: a search whose last stage
 * exited 1 with every earlier one 0 found nothing (an earlier failure, say kubectl's, is a failure); a follower with a
 * stage ended by SIGINT (130), or that ended while the operator's Ctrl-C reached the shell (kubectl logs -f catches
 * SIGINT and exits 1), was stopped by the operator. Hidden from `set -x`; IFS set for the statuses alone.
 */
export function noteFunction(notesFile: string): string {
	const note = (what: string) => `printf '%s ${what}\\n' "$1" >> ${shellQuote(notesFile)} 2>/dev/null || :`;
	return (
		`__rb_note() { { local IFS=' ' __rb_x=$- __rb_r=$3 __rb_s __rb_i __rb_n; set +x; } 2>/dev/null; __rb_s=($4); __rb_n=\${#__rb_s[@]}; ` +
		`case $2 in search) if [ "\${__rb_s[__rb_n-1]}" = 1 ]; then __rb_r=0; for ((__rb_i = 0; __rb_i < __rb_n - 1; __rb_i++)); do [ "\${__rb_s[__rb_i]}" = 0 ] || __rb_r=$3; done; ` +
		`[ "$__rb_r" != 0 ] || ${note('no-match')}; fi;; ` +
		`follower) [ -z "\${__rb_int-}" ] || __rb_r=0; for __rb_i in "\${__rb_s[@]}"; do [ "$__rb_i" != 130 ] || __rb_r=0; done; [ "$__rb_r" != 0 ] || ${note('stopped')};; esac; __rb_int=; ` +
		`[[ $__rb_x != *x* ]] || set -x; return "$__rb_r"; };`
	);
}

/**
 * On a terminal, bash shares the foreground process group with the command it waits for, so the operator's Ctrl-C
 * reaches it too and, by default, ends it when the command dies of it. With a handler it goes on: a follower's 130 is
 * then noted, and a plain command's 130 still stops the block through `set -e` (with its line). Not an ignore: an
 * ignored SIGINT would be ignored by every command the block starts, and Ctrl-C could end nothing. (A Ctrl-C in a
 * condition, `until curl …`, now ends only that command, as in an interactive shell.)
 */
export const INTERRUPT_TRAP = `trap '__rb_int=1; printf "\\n"' INT;`;

/** The script with `|| __rb_note …` after each search and follower it can be told apart in; every line keeps its number. */
export function instrument(script: string, plan: readonly PlannedCommand[]): string {
	const lines = script.split('\n');
	for (const command of plan) {
		if (!canInstrument(command)) continue;
		const last = command.endLine - 1;
		const line = lines[last];
		// A plan of another script (its lines elsewhere) instruments nothing rather than the wrong line.
		const first = lines[command.line - 1]?.trimStart() ?? '';
		if (line === undefined || !first.startsWith(command.text.split('\n')[0]!.trimEnd())) continue;
		const at = codeEnd(lines, command.line - 1, last);
		lines[last] = `${line.slice(0, at)} || __rb_note ${command.index} ${command.role} "$?" "\${PIPESTATUS[*]}"${line.slice(at)}`;
	}
	return lines.join('\n');
}

/** What the shell noted, one note per command (the last, should a command have been noted twice). */
export function readNotes(notesFile: string): CommandNote[] {
	let text: string;
	try {
		text = readFileSync(notesFile, 'utf8');
	} catch {
		return [];
	}
	const byIndex = new Map<number, CommandNote['note']>();
	for (const line of text.split('\n')) {
		const m = /^(\d+) (no-match|stopped)$/.exec(line);
		if (m) byIndex.set(Number(m[1]), m[2] as CommandNote['note']);
	}
	return [...byIndex].sort(([a], [b]) => a - b).map(([index, note]) => ({index, note}));
}
