// A search that finds nothing, or a follower ended by Ctrl-C, ends without stopping its block: real bash, as the
// runner wraps a block (wrapScript with a plan), and through startRun.
import {spawn} from 'node:child_process';
import {statSync} from 'node:fs';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {instrument} from '../../source/exec/command-notes.js';
import {startRun, type ShellState} from '../../source/exec/index.js';
import {findBash, wrapScript} from '../../source/exec/shell-state.js';
import {planCommands} from '../../source/runbook/command-plan.js';
import {baseShell, makeTempDir, waitFor, type TempDir} from './helpers.js';

let tmp: TempDir;
let shell: ShellState;
beforeEach(() => {
	tmp = makeTempDir();
	shell = baseShell(tmp.dir);
});
afterEach(() => tmp.remove());

/** Runs a block as the background runner does, with its plan; stdout and the notes. */
function runWrapped(script: string, options: {interactive?: boolean; onStart?: (pid: number) => void} = {}) {
	const plan = planCommands(script);
	const wrapped = wrapScript(script, shell, {}, {dir: tmp.dir, plan, ...(options.interactive ? {interactive: true} : {})});
	const child = spawn(findBash(shell.env), ['-euo', 'pipefail', '-c', wrapped.script], {cwd: tmp.dir, env: shell.env, detached: true, stdio: ['ignore', 'pipe', 'pipe']});
	let out = '';
	let started = false;
	child.stdout.on('data', (chunk: Buffer) => {
		out += chunk.toString();
		if (started || !out.includes('started\n') || !child.pid) return;
		started = true;
		options.onStart?.(child.pid);
	});
	child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
	return new Promise<{code: number | null; signal: string | null; out: string; notes: ReturnType<typeof wrapped.notes>; line: number | null; notesMode: number}>((resolve) =>
		child.on('close', (code, signal) => {
			const notesMode = statSync(`${wrapped.dir}/notes`).mode & 0o777;
			resolve({code, signal, out, notes: wrapped.notes(), line: wrapped.failedLine(), notesMode});
			wrapped.cleanup();
		}),
	);
}

describe('a search that finds nothing', () => {
	it('goes on to the next command when in the middle of a block, and is noted', async () => {
		const result = await runWrapped('echo one\nprintf "a\\nb\\n" | grep -i error   # clean?\necho two');
		expect(result.code).toBe(0);
		expect(result.out).toBe('one\ntwo\n');
		expect(result.notes).toEqual([{index: 1, note: 'no-match'}]);
		expect(result.notesMode).toBe(0o600);
	});

	it('still stops the block when the command feeding it failed, on its own line', async () => {
		const result = await runWrapped('echo one\nfalse | grep x\necho two');
		expect(result.code).toBe(1);
		expect(result.out).toBe('one\n');
		expect(result.notes).toEqual([]);
		expect(result.line).toBe(2);
	});

	it('still stops the block when it asserts presence (grep -q), or fails (a missing file)', async () => {
		const quiet = await runWrapped('echo one\necho abc | grep -q zzz\necho two');
		expect([quiet.code, quiet.out, quiet.notes]).toEqual([1, 'one\n', []]);
		const missing = await runWrapped('grep x ./no-such-file\necho two');
		expect(missing.code).toBe(2);
		expect(missing.out).not.toContain('two');
	});

	it('keeps the lines of a search spanning lines, so bash names the right one', async () => {
		const script = 'echo abc \\\n  | grep -v abc\necho "$LINENO"\nfalse';
		expect(instrument(script, planCommands(script)).split('\n')).toHaveLength(4);
		const result = await runWrapped(script);
		expect(result.out).toBe('3\n');
		expect(result.line).toBe(4);
		expect(result.notes).toEqual([{index: 0, note: 'no-match'}]);
	});

	it('instruments nothing from a plan of another script', () => {
		expect(instrument('echo a\necho b | grep c', planCommands('echo b | grep c'))).toBe('echo a\necho b | grep c');
		expect(instrument('echo a\necho b | grep c', planCommands('echo a\necho b | grep c'))).toBe('echo a\necho b | grep c || __rb_note 1 search "$?" "${PIPESTATUS[*]}"');
	});

	it('leaves a found match, a grep in a condition and a search after && as they were', async () => {
		const found = await runWrapped('echo abc | grep b\necho two');
		expect([found.code, found.out, found.notes]).toEqual([0, 'abc\ntwo\n', []]);
		const condition = await runWrapped('if echo abc | grep -q z; then echo yes; else echo no; fi\necho two');
		expect([condition.code, condition.out]).toEqual([0, 'no\ntwo\n']);
		const chained = await runWrapped('true && echo abc | grep z\necho two');
		expect([chained.code, chained.out]).toEqual([1, '']);
	});
});

/** Ctrl-C as a terminal sends it, to the whole foreground group, until the block ends (the first may come before the follower starts). */
function ctrlC(group: number) {
	const timer = setInterval(() => {
		try {
			process.kill(-group, 'SIGINT');
		} catch {
			clearInterval(timer);
		}
	}, 250);
}

describe('a follower ended by Ctrl-C', () => {
	const block = 'echo started\ntail -f /dev/null\necho next';

	it('on a terminal: the shell outlives the Ctrl-C to its group and runs the next command', async () => {
		const result = await runWrapped(block, {interactive: true, onStart: ctrlC});
		// The shell ends the ^C line the terminal echoed, so what follows starts on a line of its own.
		expect(result.out).toMatch(/^started\n\n+next\n$/);
		expect([result.code, result.signal]).toEqual([0, null]);
		expect(result.notes).toEqual([{index: 1, note: 'stopped'}]);
	});

	it('a Ctrl-C during a plain command still stops the block there', async () => {
		const result = await runWrapped('echo started\nsleep 30\necho next', {interactive: true, onStart: ctrlC});
		expect(result.out).toMatch(/^started\n\n*$/);
		expect(result.code).toBe(130);
		expect(result.line).toBe(2);
		expect(result.notes).toEqual([]);
	});

	it('off a terminal (no handler) the Ctrl-C ends the block, as before', async () => {
		const result = await runWrapped(block, {onStart: ctrlC});
		expect(result.out).toBe('started\n');
		expect(result.signal).toBe('SIGINT');
	});
});

describe('startRun', () => {
	it('reports the notes with the result', async () => {
		const script = 'echo one\necho abc | grep zzz\necho two';
		const result = await startRun({script, shell, outputFile: tmp.file('out.log'), scratchDir: tmp.file('scratch'), plan: planCommands(script)}).done;
		expect(result.exitCode).toBe(0);
		expect(result.tail).toEqual(['one', 'two']);
		expect(result.commandNotes).toEqual([{index: 1, note: 'no-match'}]);
	});

	it('has no notes when none were made, and keeps the failing line', async () => {
		const script = 'echo one\nfalse | grep zzz\necho two';
		const result = await startRun({script, shell, outputFile: tmp.file('out.log'), plan: planCommands(script)}).done;
		expect(result.exitCode).toBe(1);
		expect(result.failedLine).toBe(2);
		expect(result.commandNotes).toBeUndefined();
	});

	it('keeps set -x traces of the block free of the note function', async () => {
		const script = 'set -x\necho abc | grep zzz\necho two';
		const result = await startRun({script, shell, outputFile: tmp.file('out.log'), plan: planCommands(script)}).done;
		expect(result.exitCode).toBe(0);
		expect(result.tail.filter(line => line.includes('__rb_s'))).toEqual([]);
		await waitFor(() => result.tail.includes('two'));
	});
});
