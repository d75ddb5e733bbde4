// git's smart HTTP for the sandbox repository, served by git's own `git http-backend` as a CGI behind the sandbox
// GitHub's server: `/<owner>/<repo>.git/info/refs`, `/git-upload-pack`, `/git-receive-pack` (the `.git` is optional,
// as on github.com). Reads may be anonymous; a push needs basic auth with a sandbox token as the password, as GitHub
// wants. After a push the refs are compared with those before it, and what changed is handed to `onPush` before the
// client hears the end of the response — so when `git push` returns, the API already knows.
import {spawn} from 'node:child_process';
import type {IncomingMessage, ServerResponse} from 'node:http';
import {join} from 'node:path';
import {gitEnv} from './git.js';
import type {User} from './model.js';
import {type RefUpdate, refChanges, type Repository} from './repository.js';

export interface GitHttpOptions {
	repository: Repository;
	owner: string;
	name: string;
	/** The sandbox user a token belongs to. */
	user(token: string): User | undefined;
	/** Ref updates of a push, by `login`; awaited before the response ends. */
	onPush(updates: RefUpdate[], login: string): Promise<void>;
}

type Parsed = {service: 'upload' | 'receive' | 'other'; pathInfo: string; query: string};

let backend: string | undefined;

/** `git --exec-path`/git-http-backend: where git keeps its helper programs. */
async function httpBackend(): Promise<string> {
	if (backend) return backend;
	const execPath = await new Promise<string>((resolve, reject) => {
		const child = spawn('git', ['--exec-path'], {env: gitEnv()});
		let out = '';
		child.stdout.on('data', (c: Buffer) => (out += String(c)));
		child.on('error', reject);
		child.on('close', () => resolve(out.trim()));
	});
	backend = join(execPath, 'git-http-backend');
	return backend;
}

/** The request's place in the repository, or undefined when it is not a git request for this repository. */
export function gitRequest(url: string | undefined, owner: string, name: string): Parsed | undefined {
	const u = new URL(url ?? '/', 'http://sandbox');
	const m = /^\/([^/]+)\/([^/]+?)(?:\.git)?(\/(?:info\/refs|git-upload-pack|git-receive-pack|HEAD|objects\/.+))$/.exec(u.pathname);
	if (!m || m[1]!.toLowerCase() !== owner.toLowerCase() || m[2]!.toLowerCase() !== name.toLowerCase()) return undefined;
	const rest = m[3]!;
	const service = rest.endsWith('git-receive-pack') || u.searchParams.get('service') === 'git-receive-pack' ? 'receive'
		: rest.endsWith('git-upload-pack') || u.searchParams.get('service') === 'git-upload-pack' ? 'upload' : 'other';
	return {service, pathInfo: `/${owner}/${name}.git${rest}`, query: u.search.replace(/^\?/, '')};
}

/** The token of `Authorization: Basic user:token` (or `token …`/`Bearer …`), as git's credential helpers send it. */
function tokenOf(req: IncomingMessage): string | undefined {
	const header = req.headers.authorization ?? '';
	const basic = /^basic\s+(\S+)$/i.exec(header);
	if (basic) {
		const decoded = Buffer.from(basic[1]!, 'base64').toString('utf8');
		return decoded.slice(decoded.indexOf(':') + 1) || decoded.slice(0, decoded.indexOf(':'));
	}
	return /^(?:token|bearer)\s+(\S+)$/i.exec(header)?.[1];
}

function refuse(res: ServerResponse, status: number, text: string, challenge: boolean): void {
	res.writeHead(status, {'content-type': 'text/plain; charset=utf-8', ...(challenge ? {'www-authenticate': 'Basic realm="GitHub"'} : {})});
	res.end(text);
}

/** Splits the CGI's output at its header block: status, headers, and what is left of the first chunk. */
function cgiHead(buffer: Buffer): {status: number; headers: Record<string, string>; rest: Buffer} | undefined {
	const crlf = buffer.indexOf('\r\n\r\n');
	const lf = buffer.indexOf('\n\n');
	const end = crlf >= 0 && (lf < 0 || crlf < lf) ? crlf : lf;
	if (end < 0) return undefined;
	const headers: Record<string, string> = {};
	let status = 200;
	for (const line of buffer.subarray(0, end).toString('latin1').split(/\r?\n/)) {
		const colon = line.indexOf(':');
		if (colon < 0) continue;
		const key = line.slice(0, colon).trim().toLowerCase();
		const value = line.slice(colon + 1).trim();
		if (key === 'status') status = Number.parseInt(value, 10) || 200;
		else headers[key] = value;
	}
	return {status, headers, rest: buffer.subarray(end + (end === crlf ? 4 : 2))};
}

/** Serves one git request; the caller has checked it with `gitRequest`. */
export async function serveGit(req: IncomingMessage, res: ServerResponse, parsed: Parsed, options: GitHttpOptions): Promise<void> {
	const token = tokenOf(req);
	const user = token ? options.user(token) : undefined;
	if (token && !user) return refuse(res, 401, 'remote: Invalid username or token. Password authentication is not supported for Git operations.\n', true);
	if (parsed.service === 'receive' && !user) return refuse(res, 401, 'Authentication required to push\n', true);
	if (parsed.service === 'receive' && !user!.scopes.includes('repo')) {
		return refuse(res, 403, `remote: Permission to ${options.owner}/${options.name}.git denied to ${user!.login}.\n`, false);
	}
	const pushing = parsed.service === 'receive' && req.method === 'POST';
	const run = () => cgi(req, res, parsed, options, user?.login, pushing);
	// A push holds the repository as an API write does: the refs compared before and after are its own.
	return pushing ? options.repository.exclusive(run) : run();
}

async function cgi(req: IncomingMessage, res: ServerResponse, parsed: Parsed, options: GitHttpOptions, login: string | undefined, pushing: boolean): Promise<void> {
	const before = pushing ? await options.repository.refs() : undefined;
	const env = gitEnv({
		GIT_PROJECT_ROOT: options.repository.projectRoot,
		GIT_HTTP_EXPORT_ALL: '1',
		PATH_INFO: parsed.pathInfo,
		QUERY_STRING: parsed.query,
		REQUEST_METHOD: req.method ?? 'GET',
		CONTENT_TYPE: req.headers['content-type'],
		CONTENT_LENGTH: req.headers['content-length'],
		HTTP_CONTENT_ENCODING: req.headers['content-encoding'],
		GIT_PROTOCOL: req.headers['git-protocol'] as string | undefined,
		REMOTE_USER: login,
		REMOTE_ADDR: req.socket.remoteAddress ?? '127.0.0.1',
		SERVER_PROTOCOL: `HTTP/${req.httpVersion}`,
		GATEWAY_INTERFACE: 'CGI/1.1',
	});
	for (const key of Object.keys(env)) if (env[key] === undefined) delete env[key];
	const child = spawn(await httpBackend(), [], {env, stdio: ['pipe', 'pipe', 'pipe']});
	req.pipe(child.stdin);
	child.stdin.on('error', () => {});
	let stderr = '';
	child.stderr.on('data', (c: Buffer) => (stderr += String(c)));
	let head: ReturnType<typeof cgiHead>;
	let pending = Buffer.alloc(0);
	const exited = new Promise<number>(resolve => child.on('close', code => resolve(code ?? -1)));
	child.on('error', () => {});
	for await (const chunk of child.stdout) {
		if (head) {
			res.write(chunk);
			continue;
		}
		pending = Buffer.concat([pending, chunk as Buffer]);
		head = cgiHead(pending);
		if (!head) continue;
		res.writeHead(head.status, head.headers);
		if (head.rest.length) res.write(head.rest);
	}
	const code = await exited;
	if (!head) {
		res.writeHead(500, {'content-type': 'text/plain'});
		res.end(`git http-backend failed (${code}): ${stderr.trim()}\n`);
		return;
	}
	if (before && login) {
		const updates = refChanges(before, await options.repository.refs());
		if (updates.length) await options.onPush(updates, login).catch(() => {});
	}
	res.end();
}
