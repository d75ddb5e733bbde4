import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {runAttached, startRun, type ShellState} from '../../source/exec/index.js';
import {baseShell, makeTempDir, type TempDir} from './helpers.js';

let tmp: TempDir;
let shell: ShellState;
beforeEach(() => {
	tmp = makeTempDir();
	shell = baseShell(tmp.dir);
});
afterEach(() => tmp.remove());

describe('runAttached', () => {
	it('runs on the inherited terminal and carries env and cwd both ways', async () => {
		const sigintListeners = process.listenerCount('SIGINT');
		const result = await runAttached({script: 'export DRILL=attached; cd /tmp; true', shell});
		expect(result.exitCode).toBe(0);
		expect(result.cancelled).toBe(false);
		expect(result.outputFile).toBeNull();
		expect(result.shell.env.DRILL).toBe('attached');
		expect(result.shell.cwd).toBe('/tmp');
		expect(process.listenerCount('SIGINT')).toBe(sigintListeners);

		const next = await startRun({script: 'echo "$DRILL"; pwd', shell: result.shell, outputFile: tmp.file('out.log')}).done;
		expect(next.tail).toEqual(['attached', '/tmp']);

		const back = await runAttached({script: 'test "$DRILL" = attached && test "$PWD" = /tmp', shell: result.shell});
		expect(back.exitCode).toBe(0);
	});

	it('guards the app against SIGINT only while the command runs', async () => {
		const before = process.listeners('SIGINT');
		const pending = runAttached({script: 'sleep 1', shell});
		expect(process.listeners('SIGINT').length).toBeGreaterThan(before.length);
		// A Ctrl-C reaches the whole foreground group, the app included; the app must survive it.
		process.kill(process.pid, 'SIGINT');
		const result = await pending;
		expect(result.exitCode).toBe(0);
		expect(process.listeners('SIGINT')).toEqual(before);
	});

	it('reports a command that cannot start and restores the SIGINT handlers', async () => {
		const before = process.listeners('SIGINT');
		const result = await runAttached({script: 'true', shell: {...shell, cwd: tmp.file('missing')}});
		expect(result.exitCode).toBeNull();
		expect(result.error).toBeTruthy();
		expect(result.shell.cwd).toBe(tmp.file('missing'));
		expect(process.listeners('SIGINT')).toEqual(before);
	});

	it('reports failures and keeps the env exported before them', async () => {
		const result = await runAttached({script: 'export DRILL=partial; false', shell});
		expect(result.exitCode).toBe(1);
		expect(result.shell.env.DRILL).toBe('partial');
	});
});
