// An interactive block runs in a pseudo-terminal of its own: its own session and process group, the keys of the
// terminal handed over written to it (Ctrl-C included, as a byte), its output on the terminal and in the transcript.
import {readdirSync, readFileSync} from 'node:fs';
import {PassThrough} from 'node:stream';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {AltScreenFilter, FULL_SCREEN_NOTE} from '../../source/exec/alt-screen.js';
import {liveRunGroups, runInPty, startRun, type PtyRunOptions, type ShellState} from '../../source/exec/index.js';
import {planCommands} from '../../source/runbook/command-plan.js';
import {baseShell, makeTempDir, waitFor, type TempDir} from './helpers.js';

let tmp: TempDir;
let shell: ShellState;
beforeEach(() => {
	tmp = makeTempDir();
	shell = baseShell(tmp.dir);
});
afterEach(() => tmp.remove());

/** A terminal of the test's own: keys go in through `input`, what the block shows is collected in `shown()`. */
function fakeTerminal(tty = false) {
	const raw: boolean[] = [];
	const input = Object.assign(new PassThrough(), {
		isTTY: tty,
		isRaw: false,
		setRawMode(mode: boolean) {
			raw.push(mode);
			input.isRaw = mode;
		},
	});
	const output = Object.assign(new PassThrough(), {columns: 90, rows: 20});
	let text = '';
	output.on('data', (chunk: Buffer) => (text += chunk.toString()));
	return {input, output, raw, shown: () => text, type: (keys: string) => input.write(keys)};
}

const run = (script: string, terminal = fakeTerminal(), extra: Partial<PtyRunOptions> = {}) =>
	runInPty({script, shell, outputFile: tmp.file('runs/out.log'), scratchDir: tmp.file('state-tmp'), terminal, ...extra});

describe('runInPty', () => {
	it('runs the block as the leader of a session of its own, on a terminal of the real one’s size', async () => {
		const terminal = fakeTerminal();
		const result = await run('test -t 0 && test -t 1; ps -o pid=,pgid=,sid= -p $$; stty size', terminal);
		expect(result.exitCode).toBe(0);
		const [ids, size] = result.tail;
		const [pid, pgid, sid] = ids!.trim().split(/\s+/).map(Number);
		expect(pgid).toBe(pid);
		expect(sid).toBe(pid);
		expect(pgid).not.toBe(Number(readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ')[2]));
		expect(size).toBe('20 90');
		expect(terminal.shown()).toContain('20 90');
	});

	it('carries env and cwd both ways, records the transcript and says whether it ended mid-line', async () => {
		const first = await run('export DRILL=pty; cd /tmp; echo "line one"; printf "no newline"');
		expect(first.exitCode).toBe(0);
		expect(first.shell.env.DRILL).toBe('pty');
		expect(first.shell.cwd).toBe('/tmp');
		expect(first.tail).toEqual(['line one', 'no newline']);
		expect(first.midLine).toBe(true);
		expect(first.outputFile).toBe(tmp.file('runs/out.log'));
		expect(readFileSync(tmp.file('runs/out.log'), 'utf8')).toBe('line one\r\nno newline\n');

		const next = await startRun({script: 'echo "$DRILL"; pwd', shell: first.shell, outputFile: tmp.file('next.log')}).done;
		expect(next.tail).toEqual(['pty', '/tmp']);
		const back = await run('test "$DRILL" = pty && test "$PWD" = /tmp && echo ok', fakeTerminal(), {shell: first.shell});
		expect(back.exitCode).toBe(0);
		expect(back.midLine).toBe(false);
	});

	it('gives the block the keys typed: a line it reads, and Ctrl-C as SIGINT to its group alone', async () => {
		const terminal = fakeTerminal();
		let appGotSigint = false;
		const onSigint = () => (appGotSigint = true);
		process.on('SIGINT', onSigint);
		try {
			const pending = run('read -r -p "name? " name; echo "hello $name"; sleep 30; echo never', terminal);
			await waitFor(() => terminal.shown().includes('name? '), 10_000, 'the prompt');
			terminal.type('drill\r');
			await waitFor(() => terminal.shown().includes('hello drill'), 10_000, 'the greeting');
			terminal.type('\x03');
			const result = await pending;
			expect(result.exitCode === 130 || result.signal === 'SIGINT').toBe(true);
			expect(result.tail).toContain('hello drill');
			expect(result.tail.join('\n')).not.toContain('never');
			expect(appGotSigint).toBe(false);
		} finally {
			process.off('SIGINT', onSigint);
		}
	});

	it('goes on after a follower the operator stopped with Ctrl-C, and notes it', async () => {
		const terminal = fakeTerminal();
		const script = 'echo before\ntail -f /dev/null\necho after-follower';
		const pending = run(script, terminal, {plan: planCommands(script)});
		await waitFor(() => terminal.shown().includes('before'), 10_000, 'the follower');
		await new Promise(resolve => setTimeout(resolve, 200));
		terminal.type('\x03');
		const result = await pending;
		expect(result.exitCode).toBe(0);
		// The terminal echoes the Ctrl-C as `^C`, where the cursor was.
		expect(result.tail.join('\n')).toMatch(/^before\n\^C\n?after-follower$/);
		expect(result.commandNotes).toEqual([{index: 1, note: 'stopped'}]);
	});

	it('hands a TTY over in raw mode and gives back its raw mode and listeners exactly', async () => {
		const terminal = fakeTerminal(true);
		const onReadable = () => {};
		terminal.input.on('readable', onReadable);
		const result = await run('echo done', terminal);
		expect(result.exitCode).toBe(0);
		expect(terminal.raw).toEqual([true, false]);
		expect(terminal.input.listeners('readable')).toEqual([onReadable]);
		expect(terminal.input.listeners('data')).toEqual([]);
	});

	it('follows the terminal’s resizes', async () => {
		const terminal = fakeTerminal();
		const pending = run('read -r _; stty size', terminal);
		await waitFor(() => liveRunGroups().length > 0, 10_000, 'the block');
		Object.assign(terminal.output, {columns: 120, rows: 40});
		terminal.output.emit('resize');
		terminal.type('\r');
		expect((await pending).tail.at(-1)).toBe('40 120');
	});

	it('is registered as a live group while it runs, and no longer once it has ended', async () => {
		const terminal = fakeTerminal();
		const pending = run('echo "pid=$$"; read -r _', terminal);
		const pid = Number((await waitFor(() => /pid=(\d+)/.exec(terminal.shown()) ?? undefined, 10_000, 'the pid'))[1]);
		expect(liveRunGroups()).toContain(pid);
		terminal.type('\r');
		await pending;
		expect(liveRunGroups()).not.toContain(pid);
	});

	it('masks secrets in the transcript and the tail: given ones, the env’s, and those the block assigned itself', async () => {
		shell.env.DB_PASSWORD = 'env-secret-value-1';
		const result = await run('echo "given vault-secret-value-2 env $DB_PASSWORD"; export API_TOKEN=own-secret-value-3; echo "own $API_TOKEN"', fakeTerminal(), {
			secrets: ['vault-secret-value-2'],
		});
		expect(result.exitCode).toBe(0);
		const recorded = readFileSync(tmp.file('runs/out.log'), 'utf8') + result.tail.join('\n');
		for (const secret of ['env-secret-value-1', 'vault-secret-value-2', 'own-secret-value-3']) expect(recorded).not.toContain(secret);
		expect(result.tail).toEqual(['given [REDACTED] env [REDACTED]', 'own [REDACTED]']);
	});

	it('masks a secret the block assigns itself before it prints it: never on disk, even while the block still runs', async () => {
		const terminal = fakeTerminal();
		const reported: string[][] = [];
		let ended = false;
		const pending = run('export DB_PASSWORD=hunter2-secret-value; echo "$DB_PASSWORD"; sleep 5', terminal, {onSecrets: values => reported.push(values)}).finally(
			() => (ended = true),
		);
		// The transcript is written in the same step as the terminal is: once the terminal shows the line, the file has it.
		await waitFor(() => terminal.shown().includes('hunter2-secret-value'), 10_000, 'the echo');
		expect(readFileSync(tmp.file('runs/out.log'), 'utf8')).toBe('[REDACTED]\r\n');
		expect(ended).toBe(false);
		expect(reported).toEqual([['hunter2-secret-value']]);
		// The channel's FIFOs are in the block's dump directory while it runs, and go with it.
		expect(readdirSync(tmp.file('state-tmp'))).toHaveLength(1);
		const result = await pending;
		expect(result.exitCode).toBe(0);
		expect(result.shell.env.DB_PASSWORD).toBe('hunter2-secret-value');
		expect(readFileSync(tmp.file('runs/out.log'), 'utf8')).toBe('[REDACTED]\r\n');
		expect(result.tail).toEqual(['[REDACTED]']);
		expect(readdirSync(tmp.file('state-tmp'))).toEqual([]);
	}, 20_000);

	it('records the normal screen, with one line where a full-screen display was', async () => {
		const terminal = fakeTerminal();
		const result = await run("printf 'before\\n\\033[?1049hdrawn on the alternate screen\\033[?1049l\\rafter\\n'", terminal);
		expect(terminal.shown()).toContain('drawn on the alternate screen');
		expect(result.tail).toEqual(['before', FULL_SCREEN_NOTE, 'after']);
		expect(readFileSync(tmp.file('runs/out.log'), 'utf8')).not.toContain('drawn');

		// However the chunks cut the escape sequences.
		const filter = new AltScreenFilter();
		const kept = ['mid', '\x1b[?10', '49hframe\x1b', '[?1049', 'l\x1b', '[0mtail\n'].map(chunk => filter.push(Buffer.from(chunk)).toString());
		expect(kept.join('') + filter.end().toString()).toBe(`mid\r\n${FULL_SCREEN_NOTE}\r\n\x1b[0mtail\n`);
	});

	it('reports failures with the failing line and keeps the env exported before them', async () => {
		const result = await run('export DRILL=partial\nfalse\necho never');
		expect(result.exitCode).toBe(1);
		expect(result.failedLine).toBe(2);
		expect(result.shell.env.DRILL).toBe('partial');
	});

	it('reports a block that cannot start in its directory without running it', async () => {
		const result = await run('true', fakeTerminal(), {shell: {...shell, cwd: tmp.file('missing')}});
		expect(result.exitCode).toBeNull();
		expect(result.error).toMatch(/could not start in .*missing: no such directory/);
		expect(result.shell.cwd).toBe(tmp.file('missing'));
	});
});
