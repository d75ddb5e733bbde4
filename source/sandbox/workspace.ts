// The operator's checkout of the sandbox repository: a real `git clone` over HTTP into the state directory, with the
// operator's identity and a credential helper holding their sandbox token, so the guide's `git pull`, `git commit`
// and `git push origin …` work unmodified — and `git push` never prints the token (it is not in the remote URL).
import {randomBytes} from 'node:crypto';
import {existsSync} from 'node:fs';
import {mkdir, rename, rm} from 'node:fs/promises';
import {basename, dirname, join} from 'node:path';
import {git} from './github/git.js';
import type {World} from './github/world.js';

export interface WorkspaceSource {
	/** The repository's clone URL (`SandboxGitHub.gitUrl`). */
	gitUrl: string;
	/** The operator's token: the password git's credential helper gives for pushes. */
	token: string;
	/** Who commits: the operator's name and noreply address. */
	identity: {name: string; email: string};
}

/** The operator's clone of a sandbox GitHub: its URL, the operator's token and identity. */
export function operatorSource(github: {gitUrl: string; token: string; world: World}): WorkspaceSource {
	const login = github.world.tokens.get(github.token)?.login ?? 'devops-engineer';
	return {gitUrl: github.gitUrl, token: github.token, identity: github.world.person(login)};
}

/**
 * A credential helper in the clone's own config: answers `get` with the operator and the token, stores nothing. The
 * token is the sandbox's own, minted for this sandbox and worthless elsewhere — it sits in the sandbox's state like
 * the bearer token of its kubeconfig; a real token is never written anywhere.
 */
function credentialHelper(token: string): string {
	return `!f() { test "$1" = get && printf 'username=devops-engineer\\npassword=%s\\n' '${token.replaceAll("'", '')}'; }; f`;
}

/**
 * Replaces `target` with a fresh clone of the sandbox repository (the sandbox starts from its seed each time, so
 * the checkout does too). Cloned beside it first, so a failed clone leaves nothing half-made.
 */
export async function cloneWorkspace(target: string, source: WorkspaceSource): Promise<void> {
	await mkdir(dirname(target), {recursive: true, mode: 0o700});
	const temp = join(dirname(target), `.${basename(target)}.${process.pid}.${randomBytes(3).toString('hex')}`);
	try {
		await git(['clone', '--quiet', '--origin', 'origin', source.gitUrl, temp]);
		const config = (key: string, value: string, add = false) => git(['-C', temp, 'config', ...(add ? ['--add'] : []), key, value]);
		await config('user.name', source.identity.name);
		await config('user.email', source.identity.email);
		// An empty value first: helpers from the user's own config are not asked (nor told the token).
		await config('credential.helper', '');
		await config('credential.helper', credentialHelper(source.token), true);
		await rm(target, {recursive: true, force: true});
		await rename(temp, target);
	} finally {
		await rm(temp, {recursive: true, force: true});
	}
}

/**
 * The checkout a resumed rehearsal left, pointed at the sandbox again (its URL and token may have changed), when the
 * sandbox brought its world back; otherwise, or when there is no checkout there, a fresh clone.
 */
export async function reopenWorkspace(target: string, source: WorkspaceSource, worldRestored: boolean): Promise<void> {
	if (!worldRestored || !existsSync(join(target, '.git'))) return cloneWorkspace(target, source);
	await git(['-C', target, 'remote', 'set-url', 'origin', source.gitUrl]);
	await git(['-C', target, 'config', '--replace-all', 'credential.helper', credentialHelper(source.token), '^!']);
}
