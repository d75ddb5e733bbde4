// Running the real git CLI for the sandbox: an environment that neither the user's configuration nor an inherited
// GIT_DIR can bend, stdin for plumbing that reads it, and the exit code kept (merge-tree says "conflict" with 1).
import {spawn} from 'node:child_process';

export interface GitResult {
	stdout: string;
	stderr: string;
	code: number;
}

export interface GitOptions {
	cwd?: string;
	input?: string | Buffer;
	env?: Record<string, string>;
	/** Resolve with the exit code instead of rejecting on a non-zero one. */
	allowFail?: boolean;
}

/** The process environment without GIT_* (a caller's GIT_DIR must not redirect us), ignoring system and global config. */
export function gitEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
	const env: NodeJS.ProcessEnv = {};
	for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('GIT_')) env[k] = v;
	return {...env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null', GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C', ...extra};
}

export class GitError extends Error {
	constructor(readonly args: string[], readonly result: GitResult) {
		super(`git ${args[0] ?? ''} failed (${result.code}): ${result.stderr.trim().split('\n').at(-1) ?? ''}`);
	}
}

export function git(args: string[], options: GitOptions = {}): Promise<GitResult> {
	return new Promise((resolve, reject) => {
		const child = spawn('git', args, {cwd: options.cwd, env: gitEnv(options.env), stdio: ['pipe', 'pipe', 'pipe']});
		const out: Buffer[] = [];
		const err: Buffer[] = [];
		child.stdout.on('data', (c: Buffer) => out.push(c));
		child.stderr.on('data', (c: Buffer) => err.push(c));
		child.on('error', error => reject((error as NodeJS.ErrnoException).code === 'ENOENT'
			? new Error('the sandbox GitHub needs git (its repository is a real git repository): install git')
			: error));
		child.on('close', code => {
			const result = {stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), code: code ?? -1};
			if (result.code !== 0 && !options.allowFail) reject(new GitError(args, result));
			else resolve(result);
		});
		child.stdin.on('error', () => {});
		child.stdin.end(options.input ?? '');
	});
}

/** A revision as the API receives it, refused when it could be read as an option or is not a name git allows. */
export function safeRevision(rev: string): string | undefined {
	return /^[\w][\w./^~@{}-]*$/.test(rev) && !rev.includes('..') ? rev : undefined;
}
