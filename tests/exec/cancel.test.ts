import {readFileSync} from 'node:fs';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {isProcessAlive, killAllRuns, liveRunGroups, startRun, type ShellState} from '../../source/exec/index.js';
import {baseShell, makeTempDir, waitFor, type TempDir} from './helpers.js';

let tmp: TempDir;
let shell: ShellState;
beforeEach(() => {
	tmp = makeTempDir();
	shell = baseShell(tmp.dir);
});
afterEach(async () => {
	await killAllRuns('SIGKILL');
	tmp.remove();
});

const readPid = (file: string) => {
	try {
		const pid = Number(readFileSync(file, 'utf8').trim());
		return pid > 0 ? pid : undefined;
	} catch {
		return undefined;
	}
};

describe('cancel', () => {
	it('stops a sleeping block promptly and keeps the previous shell state', async () => {
		let seen: string[] = [];
		const handle = startRun({
			script: 'export DRILL=changed; echo started; sleep 30',
			shell,
			outputFile: tmp.file('out.log'),
			onProgress: (progress) => (seen = progress.tail),
		});
		expect(handle.pid).toBeGreaterThan(0);
		await waitFor(() => seen.includes('started'), 15_000, 'start');
		const cancelledAt = Date.now();
		handle.cancel();
		handle.cancel(); // idempotent
		const result = await handle.done;
		expect(Date.now() - cancelledAt).toBeLessThan(5000);
		expect(result.cancelled).toBe(true);
		expect(result.exitCode === 0).toBe(false);
		expect(result.shell).toEqual(shell);
		// bash may also report the killed job ("Terminated") if it sees sleep die before its own signal arrives.
		expect(result.tail[0]).toBe('started');
	});

	it('kills grandchildren: background jobs and pipes', async () => {
		const pidFile = tmp.file('pid');
		const handle = startRun({
			script: `bash -c 'sleep 300 & echo $! > ${pidFile}; wait' | cat`,
			shell,
			outputFile: tmp.file('out.log'),
		});
		const grandchild = await waitFor(() => readPid(pidFile), 15_000, 'grandchild pid');
		expect(isProcessAlive(grandchild)).toBe(true);
		handle.cancel();
		const result = await handle.done;
		expect(result.cancelled).toBe(true);
		await waitFor(() => !isProcessAlive(grandchild), 10_000, 'grandchild to die');
		expect(liveRunGroups()).not.toContain(handle.pid);
	});

	it('SIGKILLs a block that ignores SIGTERM after the grace period', async () => {
		let seen: string[] = [];
		const handle = startRun({
			script: "trap '' TERM; echo armed; sleep 30",
			shell,
			outputFile: tmp.file('out.log'),
			killGraceMs: 500,
			onProgress: (progress) => (seen = progress.tail),
		});
		await waitFor(() => seen.includes('armed'), 15_000, 'trap');
		const cancelledAt = Date.now();
		handle.cancel();
		const result = await handle.done;
		const took = Date.now() - cancelledAt;
		expect(result.cancelled).toBe(true);
		expect(result.signal).toBe('SIGKILL');
		expect(took).toBeGreaterThanOrEqual(400);
		expect(took).toBeLessThan(10_000);
	});

	it('cancel after the block finished changes nothing', async () => {
		const handle = startRun({script: 'echo done', shell, outputFile: tmp.file('out.log')});
		const result = await handle.done;
		handle.cancel();
		expect(result.cancelled).toBe(false);
		expect(result.exitCode).toBe(0);
	});
});

describe('cancel after done', () => {
	it('kills what the block left running in the background', async () => {
		const pidFile = tmp.file('pid');
		const handle = startRun({
			script: `nohup sleep 300 >/dev/null 2>&1 & echo $! > ${pidFile}`,
			shell,
			outputFile: tmp.file('out.log'),
		});
		await handle.done;
		const leftover = await waitFor(() => readPid(pidFile), 15_000, 'background pid');
		expect(isProcessAlive(leftover)).toBe(true);
		handle.cancel();
		await waitFor(() => !isProcessAlive(leftover), 10_000, 'background job to die');
	});
});

describe('killAllRuns', () => {
	it('kills every live group this process started', async () => {
		const pidFile = tmp.file('pid');
		const first = startRun({script: 'sleep 30', shell, outputFile: tmp.file('a.log')});
		const second = startRun({script: `sleep 300 & echo $! > ${pidFile}; wait`, shell, outputFile: tmp.file('b.log')});
		const grandchild = await waitFor(() => readPid(pidFile), 15_000, 'grandchild pid');
		expect(liveRunGroups()).toEqual(expect.arrayContaining([first.pid, second.pid]));
		await killAllRuns('SIGTERM', 2000);
		const results = await Promise.all([first.done, second.done]);
		for (const result of results) expect(result.exitCode === 0).toBe(false);
		await waitFor(() => !isProcessAlive(grandchild), 10_000, 'grandchild to die');
		expect(liveRunGroups()).toEqual([]);
	});

	it('also reaches background jobs left by finished blocks', async () => {
		const pidFile = tmp.file('pid');
		const handle = startRun({
			script: `nohup sleep 300 >/dev/null 2>&1 & echo $! > ${pidFile}`,
			shell,
			outputFile: tmp.file('out.log'),
		});
		const result = await handle.done;
		expect(result.exitCode).toBe(0);
		const leftover = await waitFor(() => readPid(pidFile), 15_000, 'background pid');
		expect(isProcessAlive(leftover)).toBe(true);
		expect(liveRunGroups()).toContain(handle.pid);
		await killAllRuns();
		await waitFor(() => !isProcessAlive(leftover), 10_000, 'background job to die');
	});
});
