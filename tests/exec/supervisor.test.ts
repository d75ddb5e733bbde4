// The blocks' supervisor (a small bash outside every block's group, see source/exec/supervisor.ts): when the app dies
// it ends the groups it still watches. Killing real runners mid-block is tested in tests/session/run-outlive.test.ts
// and tests/e2e/runs-outlive.test.ts.
import {spawn} from 'node:child_process';
import {existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {startRun, type ShellState} from '../../source/exec/index.js';
import {markerProcesses, uniqueMarker, within} from '../helpers/outlive.js';
import {baseShell, makeTempDir, type TempDir} from './helpers.js';

let tmp: TempDir;
let shell: ShellState;
beforeEach(() => {
	tmp = makeTempDir();
	shell = baseShell(tmp.dir);
});
afterEach(() => tmp.remove());

describe('the supervisor of the blocks', () => {
	it('ends every group it watches when the app dies, notes it in the exit file and removes the dump; a group the app said was over is left alone', async () => {
		const watched = uniqueMarker('watched');
		const over = uniqueMarker('over');
		const exitFile = tmp.file('run.exit');
		const dumpDir = tmp.file('shell-dump');
		mkdirSync(dumpDir);
		writeFileSync(join(dumpDir, 'env'), 'DB_PASSWORD=dumped\0');
		const app = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./supervised-child.ts', import.meta.url)), exitFile, dumpDir], {
			stdio: ['ignore', 'pipe', 'inherit'],
			env: {...process.env, WATCHED: watched, OVER: over},
		});
		try {
			await new Promise<void>((resolve, reject) => {
				app.stdout.on('data', (d: Buffer) => d.toString().includes('ready') && resolve());
				app.on('exit', (code) => reject(new Error(`the app ended first (${code})`)));
			});
			expect(markerProcesses(watched)).toHaveLength(1);
			app.kill('SIGKILL');
			expect(await within(5000, () => markerProcesses(watched).length === 0)).toBe(true);
			expect(await within(5000, () => !existsSync(dumpDir))).toBe(true);
			expect(readFileSync(exitFile, 'utf8')).toMatch(/^runbook-died \d+(?:[.,]\d+)?\n$/);
			expect(markerProcesses(over)).toHaveLength(1);
		} finally {
			app.kill('SIGKILL');
			for (const pid of markerProcesses(over)) process.kill(pid, 'SIGKILL');
		}
	});

	it('is one process for all the blocks of an app, not one per block', async () => {
		const handles = [1, 2, 3].map((n) => startRun({script: `echo ${n}; sleep 0.3`, shell, outputFile: tmp.file(`out-${n}.log`)}));
		const supervisors = readdirSync('/proc').filter((entry) => {
			try {
				const args = readFileSync(`/proc/${entry}/cmdline`, 'latin1').split('\0');
				return args.includes('runbook-supervisor') && Number(readFileSync(`/proc/${entry}/stat`, 'utf8').split(') ')[1]!.split(' ')[1]) === process.pid;
			} catch {
				return false;
			}
		});
		expect(supervisors).toHaveLength(1);
		for (const handle of handles) expect((await handle.done).exitCode).toBe(0);
	});

	it('notes the exit of the block in its exit file', async () => {
		const exitFile = tmp.file('run.exit');
		await startRun({script: 'exit 3', shell, outputFile: tmp.file('out.log'), exitFile}).done;
		expect(readFileSync(exitFile, 'utf8')).toMatch(/^exit 3 \d+(?:[.,]\d+)?\n$/);
	});
});
