import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {startRun, type ShellState} from '../../source/exec/index.js';
import {testTempDir} from '../helpers/temp.js';
import {baseShell, makeTempDir, waitFor, type TempDir} from './helpers.js';

let tmp: TempDir;
let shell: ShellState;
beforeEach(() => {
	tmp = makeTempDir();
	shell = baseShell(tmp.dir);
});
afterEach(() => tmp.remove());

const run = (script: string, from: ShellState = shell, extra: {secrets?: string[]} = {}) =>
	startRun({script, shell: from, outputFile: tmp.file('logs/out.log'), ...extra}).done;

describe('startRun', () => {
	it('records stdout and stderr in the tail and the file', async () => {
		const result = await run('echo hello; echo oops >&2');
		expect(result.exitCode).toBe(0);
		expect(result.signal).toBeNull();
		expect(result.cancelled).toBe(false);
		expect(result.tail).toEqual(expect.arrayContaining(['hello', 'oops']));
		expect(result.lines).toBe(2);
		expect(result.bytes).toBe('hello\noops\n'.length);
		const file = readFileSync(tmp.file('logs/out.log'), 'utf8');
		expect(file).toContain('hello\n');
		expect(file).toContain('oops\n');
		expect(Date.parse(result.endedAt)).toBeGreaterThanOrEqual(Date.parse(result.startedAt));
		expect(result.outputFile).toBe(tmp.file('logs/out.log'));
	});

	it('appends to the output file and terminates an unfinished last line', async () => {
		await run('printf first');
		const result = await run('echo second');
		expect(readFileSync(tmp.file('logs/out.log'), 'utf8')).toBe('first\nsecond\n');
		expect(result.lines).toBe(1);
	});

	it('reports exit codes under -euo pipefail', async () => {
		expect((await run('true')).exitCode).toBe(0);
		expect((await run('false')).exitCode).toBe(1);
		expect((await run('exit 7')).exitCode).toBe(7);
		expect((await run('false | true')).exitCode).not.toBe(0);
		const unset = await run('echo "$RUNBOOK_SURELY_UNSET_VAR"; echo after');
		expect(unset.exitCode).not.toBe(0);
		expect(unset.tail).not.toContain('after');
		// -e stops at the first failure.
		const stopped = await run('echo one; false; echo two');
		expect(stopped.tail).toEqual(['one']);
	});

	it('carries exported variables to the next block', async () => {
		const first = await run('export DRILL=x');
		expect(first.shell.env.DRILL).toBe('x');
		const second = await run('echo "$DRILL"', first.shell);
		expect(second.tail).toEqual(['x']);
	});

	it('carries the working directory to the next block', async () => {
		const first = await run('mkdir -p sub && cd sub');
		expect(first.shell.cwd).toBe(tmp.file('sub'));
		const second = await run('pwd', first.shell);
		expect(second.tail).toEqual([tmp.file('sub')]);
		const third = await run('cd /tmp', second.shell);
		expect((await run('pwd', third.shell)).tail).toEqual(['/tmp']);
	});

	it('keeps what a failing block exported before it failed', async () => {
		const failed = await run('export DRILL=before; cd /tmp; false; export DRILL=after');
		expect(failed.exitCode).toBe(1);
		expect(failed.shell.env.DRILL).toBe('before');
		expect(failed.shell.cwd).toBe('/tmp');
		expect((await run('echo "$DRILL"', failed.shell)).tail).toEqual(['before']);
	});

	it('carries unset and leaves bash internals and injected variables out', async () => {
		const withVar: ShellState = {...shell, env: {...shell.env, GONE: 'soon'}};
		const result = await run('unset GONE; python_unbuffered="${PYTHONUNBUFFERED:-}"; echo "$python_unbuffered"', withVar);
		// Python output is unbuffered inside the block…
		expect(result.tail).toEqual(['1']);
		// …but the runner's own additions and bash's bookkeeping do not leak into the carried state.
		expect(result.shell.env).not.toHaveProperty('GONE');
		expect(result.shell.env).not.toHaveProperty('PYTHONUNBUFFERED');
		for (const name of ['SHLVL', '_', 'PWD', 'OLDPWD']) expect(result.shell.env).not.toHaveProperty(name);
		expect(Object.keys(result.shell.env).filter((name) => name.startsWith('BASH_'))).toEqual([]);
	});

	it('carries state even from a block that breaks PATH', async () => {
		const result = await run('export DRILL=y; export PATH=/nowhere');
		expect(result.shell.env.DRILL).toBe('y');
		expect(result.shell.env.PATH).toBe('/nowhere');
	});

	it('reports a syntax error and keeps the previous state', async () => {
		const result = await run('export DRILL=no; if then fi');
		expect(result.exitCode).toBe(2);
		expect(result.shell).toEqual(shell);
		expect(result.tail.join('\n')).toMatch(/syntax error/);
	});

	it('uses exactly the given environment', async () => {
		const result = await run('echo "${HOME:-none}"; echo "$ONLY_HERE"', {cwd: tmp.dir, env: {ONLY_HERE: 'yes'}});
		expect(result.exitCode).toBe(0);
		expect(result.tail).toEqual(['none', 'yes']);
	});

	it('has no terminal on stdin or stdout', async () => {
		const result = await run('if [ -t 0 ] || [ -t 1 ]; then echo tty; else echo notty; fi; cat; echo read-done');
		expect(result.tail).toEqual(['notty', 'read-done']);
	});

	it('reports a missing working directory instead of throwing', async () => {
		const result = await run('echo hi', {...shell, cwd: tmp.file('does-not-exist')});
		expect(result.exitCode).toBeNull();
		expect(result.error).toBeTruthy();
		expect(result.shell.cwd).toBe(tmp.file('does-not-exist'));
	});

	it('does not wait for a background job that keeps the output open', async () => {
		const started = Date.now();
		const handle = startRun({
			script: 'echo now; (sleep 2; echo late) & ',
			shell,
			outputFile: tmp.file('bg.log'),
			drainGraceMs: 200,
		});
		const result = await handle.done;
		expect(result.exitCode).toBe(0);
		expect(result.backgroundOutput).toBe(true);
		expect(result.tail).toEqual(['now']);
		expect(Date.now() - started).toBeLessThan(1800);
		// The job's output still reaches the record once it comes.
		await waitFor(() => readFileSync(tmp.file('bg.log'), 'utf8').includes('late'), 15_000, 'late output');
	});
});

describe('the line that stopped a block', () => {
  it('is the failing command under set -e, and absent when the block succeeds', async () => {
    const dir = testTempDir('failed-line');
    const run = (script: string) => startRun({script, shell: {env: {PATH: process.env.PATH!, HOME: dir}, cwd: dir}, outputFile: join(dir, 'out.log')}).done;
    const stopped = await run('echo one\n# a comment\nprintf "a\\n" | grep -i error\necho never');
    expect([stopped.exitCode, stopped.failedLine, stopped.tail]).toEqual([1, 3, ['one']]);
    expect((await run('echo fine')).failedLine).toBeUndefined();
    expect((await run('false')).failedLine).toBe(1);
  });
});
