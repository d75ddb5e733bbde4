// How the real `gh` reaches the sandbox unmodified, even from a clone whose remote is the
// sandbox's git server (`http://127.0.0.1:PORT/owner/repo.git`, `gitUrl`): gh drops the port from
// a remote's URL and keeps only remotes on exactly GH_HOST, so GH_HOST is the bare host of that
// URL and every request goes to a unix socket instead (gh's `http_unix_socket` setting, plain
// HTTP, paths as for GitHub Enterprise: `/api/v3/…`, `/api/graphql`; git's smart HTTP answers
// there too). Any host but github.com is an Enterprise host to gh, so the token is
// GH_ENTERPRISE_TOKEN (gh ignores GH_TOKEN there). The config directory holds no token; TMPDIR
// keeps gh's API cache (`gh-cli-cache`) to this sandbox.
import {randomBytes} from 'node:crypto';
import {mkdirSync, rmSync, writeFileSync} from 'node:fs';
import {createServer, type IncomingMessage, type Server, type ServerResponse} from 'node:http';
import {tmpdir} from 'node:os';
import {join} from 'node:path';

export interface GhCliAccess {
	/** GH_HOST: the host of the sandbox's git remotes (`gitUrl`), without its port. */
	host: string;
	/** Where gh sends every request (`http_unix_socket`). */
	socketPath: string;
	/** GH_CONFIG_DIR: `config.yml` naming the socket (no token). */
	configDir: string;
	/** TMPDIR for gh: its API cache stays with this sandbox. */
	tmpDir: string;
}

/** Unix socket paths are limited to ~107 bytes: a deep state directory gets a short one in the temp directory. */
function socketPathFor(dir: string): string {
	const inDir = join(dir, 'gh.sock');
	return Buffer.byteLength(inDir) <= 100 ? inDir : join(tmpdir(), `runbook-gh-${randomBytes(6).toString('hex')}.sock`);
}

/** `echo` as the browser: `gh pr view --web` prints the pull request's URL instead of failing for want of one. */
function configYaml(socketPath: string): string {
	return [
		'# gh configuration for the runbook sandbox (no token here: it comes from GH_ENTERPRISE_TOKEN)',
		'git_protocol: https',
		'prompt: enabled',
		`http_unix_socket: ${JSON.stringify(socketPath)}`,
		'browser: echo',
		'',
	].join('\n');
}

/** Serves `handle` on a unix socket under `dir` and writes gh's configuration there. */
export async function startGhListener(dir: string, handle: (req: IncomingMessage, res: ServerResponse) => void, host = '127.0.0.1'): Promise<{access: GhCliAccess; server: Server}> {
	const configDir = join(dir, 'gh-config');
	const tmpDir = join(dir, 'gh-tmp');
	mkdirSync(configDir, {recursive: true, mode: 0o700});
	mkdirSync(tmpDir, {recursive: true, mode: 0o700});
	const socketPath = socketPathFor(dir);
	// A socket left by a sandbox that died would refuse the new listener.
	rmSync(socketPath, {force: true});
	const server = createServer(handle);
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(socketPath, () => {
			server.off('error', reject);
			resolve();
		});
	});
	writeFileSync(join(configDir, 'config.yml'), configYaml(socketPath), {mode: 0o600});
	// Node removes the socket file when the server closes.
	return {access: {host, socketPath, configDir, tmpDir}, server};
}

/** The variables that point gh at the sandbox (the token included: for a shell env or the env file only). */
export function ghEnv(access: GhCliAccess, token: string): Record<string, string> {
	return {
		GH_HOST: access.host,
		GH_ENTERPRISE_TOKEN: token,
		GH_CONFIG_DIR: access.configDir,
		TMPDIR: access.tmpDir,
		GH_NO_UPDATE_NOTIFIER: '1',
	};
}
