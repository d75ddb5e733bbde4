// Plain (unexported) shell variables a block sets carry to the next block, as in one interactive shell, and stay
// unexported there; secret-named ones are masked; nothing is dumped for a block ended by the app's death.
import {execFileSync} from 'node:child_process';
import {readdirSync, readFileSync, statSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {PassThrough} from 'node:stream';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {runInPty, startRun, type ShellState} from '../../source/exec/index.js';
import {findBash, wrapScript} from '../../source/exec/shell-state.js';
import {baseShell, makeTempDir, type TempDir} from './helpers.js';

let tmp: TempDir;
let shell: ShellState;
beforeEach(() => {
	tmp = makeTempDir();
	shell = baseShell(tmp.dir);
});
afterEach(() => tmp.remove());

const run = (script: string, from: ShellState = shell) =>
	startRun({script, shell: from, outputFile: tmp.file('runs/out.log'), scratchDir: tmp.file('state-tmp')}).done;

describe('plain shell variables', () => {
	it('carry to the next block, still unexported', async () => {
		const first = await run('X=1');
		expect(first.exitCode).toBe(0);
		expect(first.shell.vars).toEqual({X: '1'});
		expect(first.shell.env).not.toHaveProperty('X');
		const second = await run('echo "$X"; bash -c \'echo ${X-unset}\'; env | grep -c "^X=" || :', first.shell);
		expect(second.tail).toEqual(['1', 'unset', '0']);
		expect(second.shell.vars).toEqual({X: '1'});
		// Unset in a block: gone from the next.
		const third = await run('unset X', second.shell);
		expect(third.shell.vars).toEqual({});
		expect((await run('echo "${X-unset}"', third.shell)).tail).toEqual(['unset']);
	});

	it('keep newlines, quotes and backslashes exactly, and a variable named like the wrapper’s own locals', async () => {
		const value = 'two\nlines "double" \'single\' \\back $dollar `tick`\n';
		const first = await run(`V=$'two\\nlines "double" \\'single\\' \\\\back $dollar \`tick\`\\n'; rc=7; EMPTY=`);
		expect(first.shell.vars).toEqual({V: value, rc: '7', EMPTY: ''});
		const second = await run('printf "[%s]" "$V" "$rc" "$EMPTY"; echo', first.shell);
		expect(readFileSync(tmp.file('runs/out.log'), 'utf8')).toContain(`[${value}][7][]`);
		expect(second.shell.vars).toEqual(first.shell.vars);
	});

	it('leave out bash’s own, arrays and namerefs, and move to the environment when exported', async () => {
		const first = await run(
			'IFS=:; OPTIND=3; PS4=x; declare -a LIST=(a b); declare -A MAP=([k]=v); declare -n REF=N; N=n; declare -i I=4; f() { local L=1; }; f',
		);
		expect(first.exitCode).toBe(0);
		expect(first.shell.vars).toEqual({N: 'n', I: '4'});
		const second = await run('export N; M=m', first.shell);
		expect(second.shell.env.N).toBe('n');
		expect(second.shell.vars).toEqual({I: '4', M: 'm'});
		expect((await run('bash -c \'echo "$N ${M-unset}"\'', second.shell)).tail).toEqual(['n unset']);
	});

	it('that look secret are masked in the output, in this block and the next', async () => {
		const first = await run('DB_PASSWORD=plain-secret-value-42; echo "now $DB_PASSWORD"');
		expect(first.shell.vars?.DB_PASSWORD).toBe('plain-secret-value-42');
		const second = await run('echo "later $DB_PASSWORD"', first.shell);
		expect(second.tail).toEqual(['later [REDACTED]']);
		const file = readFileSync(tmp.file('runs/out.log'), 'utf8');
		expect(file).not.toContain('plain-secret-value-42');
		expect(file).toContain('now [REDACTED]');
	});

	it('carry through an interactive block too', async () => {
		const input = Object.assign(new PassThrough(), {isTTY: false});
		const output = Object.assign(new PassThrough(), {columns: 80, rows: 24});
		output.resume();
		const pty = (script: string, from: ShellState) =>
			runInPty({script, shell: from, outputFile: tmp.file('runs/pty.log'), scratchDir: tmp.file('state-tmp'), terminal: {input, output}});
		const first = await pty('SERVICE_IP=10.0.0.7', shell);
		expect(first.shell.vars).toEqual({SERVICE_IP: '10.0.0.7'});
		const second = await pty('echo "ip=$SERVICE_IP"; bash -c \'echo "child=${SERVICE_IP-unset}"\'', first.shell);
		expect(second.tail).toEqual(['ip=10.0.0.7', 'child=unset']);
	});

	it('never show in the argv of the block’s shell, and the file that brings them is 0600 and emptied once read', async () => {
		const from: ShellState = {...shell, vars: {HIDDEN: 'not-in-argv-value'}};
		const wrapped = wrapScript('echo ran', from, {}, {dir: tmp.file('state-tmp')});
		try {
			expect(wrapped.script).not.toContain('not-in-argv-value');
			const varsIn = join(wrapped.dir, 'vars-in');
			expect(statSync(varsIn).mode & 0o777).toBe(0o600);
			expect(readFileSync(varsIn, 'utf8')).toBe('HIDDEN=not-in-argv-value\0');
			const out = execFileSync(findBash(shell.env), ['-euo', 'pipefail', '-c', `${wrapped.script}; echo "$HIDDEN"`], {cwd: tmp.dir, env: shell.env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe']});
			expect(out.trim().split('\n').at(-1)).toBe('not-in-argv-value');
			expect(readFileSync(varsIn, 'utf8')).toBe('');
			expect(statSync(join(wrapped.dir, 'vars')).mode & 0o777).toBe(0o600);
			expect(wrapped.read()?.vars).toEqual({HIDDEN: 'not-in-argv-value'});
		} finally {
			wrapped.cleanup();
		}
	});

	it('are not dumped by a block ended because the app died', () => {
		const exitFile = tmp.file('run.exit');
		writeFileSync(exitFile, 'runbook-died 1700000000\n');
		const wrapped = wrapScript('X=1; export E=2', shell, {}, {dir: tmp.file('state-tmp'), exitFile});
		try {
			execFileSync(findBash(shell.env), ['-euo', 'pipefail', '-c', wrapped.script], {cwd: tmp.dir, env: shell.env, stdio: ['ignore', 'pipe', 'pipe']});
			for (const name of ['vars', 'env']) expect(readFileSync(join(wrapped.dir, name), 'utf8'), name).toBe('');
		} finally {
			wrapped.cleanup();
		}
		expect(readdirSync(tmp.file('state-tmp'))).toEqual([]);
	});
});
