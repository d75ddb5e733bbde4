// Real temp dirs and a shell state derived from the test process, so every run starts from a known place.
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {initialShellState, type ShellState} from '../../source/exec/index.js';

export type TempDir = {dir: string; file(name: string): string; remove(): void};

export function makeTempDir(): TempDir {
	const dir = mkdtempSync(path.join(tmpdir(), 'runbook-exec-test-'));
	return {
		dir,
		file: (name) => path.join(dir, name),
		remove: () => rmSync(dir, {recursive: true, force: true}),
	};
}

export function baseShell(cwd: string): ShellState {
	const shell = initialShellState(process.env, cwd);
	// Tests must not depend on what the developer's environment exports.
	delete shell.env.DRILL;
	delete shell.env.PYTHONUNBUFFERED;
	return shell;
}

/** Polls until check() is truthy; generous by default because CI machines are slow and loaded. */
export async function waitFor<T>(check: () => T | undefined | false, timeoutMs = 15_000, what = 'condition'): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = check();
		if (value) return value;
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, 25));
	}
}
