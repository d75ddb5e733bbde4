// The guide's repository as a real bare git repository: built once per state directory from repository-content.ts
// (git fast-import, fixed dates: the same shas everywhere), copied fresh for each sandbox (or kept in the state
// directory, for a sandbox whose world persists), then read and written with git's own plumbing — for-each-ref, log, merge-tree,
// commit-tree, update-ref — so the API, `git fetch` and `git clone` always agree.
import {createHash, randomBytes} from 'node:crypto';
import {existsSync, readdirSync} from 'node:fs';
import {cp, mkdir, mkdtemp, readFile, rename, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {git, type GitResult, safeRevision} from './git.js';
import {GITHUB_COMMITTER, type Person, type SeedHistory, seedHistory} from './repository-content.js';

export interface GitCommit {
	sha: string;
	tree: string;
	parents: string[];
	author: Person & {date: number};
	committer: Person & {date: number};
	message: string;
}

/** What one write changed: `before`/`after` null when the ref did not / no longer exists. */
export interface RefUpdate {
	ref: string;
	before: string | null;
	after: string | null;
}

const SEED_STAMP = 'runbook-seed';

/** What GitHub says to a push of a new branch (receive-pack relays a hook's output as `remote:` lines). */
function postReceiveHook(fullName: string): string {
	return `#!/bin/sh
while read -r old new ref; do
  case "$ref" in
    refs/heads/main|refs/heads/develop) ;;
    refs/heads/*)
      if [ "$old" = 0000000000000000000000000000000000000000 ]; then
        branch=\${ref#refs/heads/}
        printf '\\nCreate a pull request for %s on GitHub by visiting:\\n     https://github.com/${fullName}/pull/new/%s\\n\\n' "'$branch'" "$branch"
      fi ;;
  esac
done
`;
}
const LOG_FORMAT = '%H%x00%T%x00%P%x00%an%x00%ae%x00%at%x00%cn%x00%ce%x00%ct%x00%B%x1e';

/** git fast-import's input for the seeded history: every commit a full snapshot, then the branches and tags. */
export function fastImportStream(history: SeedHistory): string {
	const data = (text: string) => `data ${Buffer.byteLength(text)}\n${text}\n`;
	const marks = new Map<string, number>();
	const parts: string[] = [];
	history.commits.forEach((c, i) => {
		marks.set(c.key, i + 1);
		const when = `${c.date} +0000`;
		parts.push(`commit refs/heads/main\nmark :${i + 1}\n`);
		parts.push(`author ${c.author.name} <${c.author.email}> ${when}\ncommitter ${GITHUB_COMMITTER.name} <${GITHUB_COMMITTER.email}> ${when}\n`);
		parts.push(data(`${c.message}\n`));
		if (c.parent) parts.push(`from :${marks.get(c.parent)}\n`);
		parts.push('deleteall\n');
		for (const [path, file] of Object.entries(c.tree).sort(([a], [b]) => a.localeCompare(b))) {
			parts.push(`M ${file.executable ? '100755' : '100644'} inline ${path}\n${data(file.text)}`);
		}
		parts.push('\n');
	});
	for (const [name, key] of Object.entries(history.branches)) parts.push(`reset refs/heads/${name}\nfrom :${marks.get(key)}\n\n`);
	for (const [name, key] of Object.entries(history.tags)) parts.push(`reset refs/tags/${name}\nfrom :${marks.get(key)}\n\n`);
	return parts.join('');
}

/** Builds `seedDir` unless it already holds this very seed (its stamp is the stream's hash). */
async function ensureSeed(seedDir: string, fullName: string): Promise<void> {
	const stream = fastImportStream(seedHistory());
	const hook = postReceiveHook(fullName);
	const stamp = createHash('sha256').update(stream).update(hook).digest('hex');
	const stampFile = join(seedDir, SEED_STAMP);
	if (existsSync(stampFile) && (await readFile(stampFile, 'utf8').catch(() => '')) === stamp) return;
	const temp = `${seedDir}.${process.pid}.${randomBytes(4).toString('hex')}`;
	try {
		await git(['init', '-q', '--bare', '--template=', '-b', 'main', temp]);
		for (const [key, value] of [['http.receivepack', 'true'], ['gc.auto', '0'], ['receive.denyDeleteCurrent', 'refuse'], ['core.logAllRefUpdates', 'false'], ['fastimport.unpackLimit', '0']]) {
			await git(['--git-dir', temp, 'config', key!, value!]);
		}
		await git(['--git-dir', temp, 'fast-import', '--quiet'], {input: stream});
		await mkdir(join(temp, 'hooks'));
		await writeFile(join(temp, 'hooks', 'post-receive'), hook, {mode: 0o755});
		await writeFile(join(temp, SEED_STAMP), stamp);
		await rm(seedDir, {recursive: true, force: true});
		// Another process building the same seed at the same time may win the rename: its seed is as good.
		await rename(temp, seedDir).catch(() => {});
	} finally {
		await rm(temp, {recursive: true, force: true});
	}
}

/** Served copies left by sandboxes whose process is gone. */
function sweepStaleCopies(dir: string): Promise<void[]> {
	const alive = (pid: number) => {
		try {
			process.kill(pid, 0);
			return true;
		} catch (error) {
			return (error as NodeJS.ErrnoException).code === 'EPERM';
		}
	};
	const stale = existsSync(dir) ? readdirSync(dir).filter(n => /^served\.\d+\./.test(n) && !alive(Number(n.split('.')[1]))) : [];
	return Promise.all(stale.map(n => rm(join(dir, n), {recursive: true, force: true})));
}

function parseCommits(text: string): GitCommit[] {
	return text.split('\x1e').map(r => r.replace(/^\n/, '')).filter(Boolean).map(record => {
		const [sha, tree, parents, an, ae, at, cn, ce, ct, ...message] = record.split('\0');
		return {
			sha: sha!, tree: tree!, parents: parents ? parents.split(' ') : [],
			author: {name: an!, email: ae!, date: Number(at) * 1000}, committer: {name: cn!, email: ce!, date: Number(ct) * 1000},
			message: message.join('\0').replace(/\n+$/, ''),
		};
	});
}

export class Repository {
	private queue: Promise<unknown> = Promise.resolve();

	private constructor(
		/** GIT_PROJECT_ROOT for git http-backend: `<root>/<owner>/<repo>.git` is the repository. */
		readonly projectRoot: string,
		readonly gitDir: string,
		private readonly cleanup: string | null,
	) {}

	/**
	 * A fresh copy of the seeded repository for `owner/name`, under `dir` (a sandbox's state directory; the seed is
	 * kept there and reused), or under a temporary directory removed by `dispose`.
	 */
	static async open(owner: string, name: string, dir?: string, keep?: {reuse: boolean}): Promise<Repository> {
		const base = dir ?? (await mkdtemp(join(tmpdir(), 'runbook-sandbox-git-')));
		await mkdir(base, {recursive: true, mode: 0o700});
		await sweepStaleCopies(base);
		const seed = join(base, 'seed.git');
		await ensureSeed(seed, `${owner}/${name}`);
		if (dir && keep) return Repository.kept(owner, name, base, seed, keep.reuse);
		const projectRoot = join(base, `served.${process.pid}.${randomBytes(3).toString('hex')}`);
		const gitDir = join(projectRoot, owner, `${name}.git`);
		await cp(seed, gitDir, {recursive: true});
		return new Repository(projectRoot, gitDir, dir ? projectRoot : base);
	}

	/** The copy that outlives the sandbox (`<dir>/served`): the previous one when `reuse`, else the seed's afresh. */
	private static async kept(owner: string, name: string, base: string, seed: string, reuse: boolean): Promise<Repository> {
		const projectRoot = join(base, 'served');
		const gitDir = join(projectRoot, owner, `${name}.git`);
		if (reuse && existsSync(join(gitDir, 'HEAD'))) return new Repository(projectRoot, gitDir, null);
		// Copied beside it and renamed in, so a copy cut short is never taken for the repository.
		const temp = join(base, `served.${process.pid}.copy-${randomBytes(3).toString('hex')}`);
		await cp(seed, join(temp, owner, `${name}.git`), {recursive: true});
		await rm(projectRoot, {recursive: true, force: true});
		await rename(temp, projectRoot);
		return new Repository(projectRoot, gitDir, null);
	}

	async dispose(): Promise<void> {
		await this.queue.catch(() => {});
		if (this.cleanup) await rm(this.cleanup, {recursive: true, force: true});
	}

	run(args: string[], options: {input?: string; env?: Record<string, string>; allowFail?: boolean} = {}): Promise<GitResult> {
		return git(['--git-dir', this.gitDir, ...args], options);
	}

	/** Runs `fn` with no other write (nor push) in between. */
	exclusive<T>(fn: () => Promise<T>): Promise<T> {
		const next = this.queue.then(fn, fn);
		this.queue = next.catch(() => {});
		return next;
	}

	/** Every ref (`refs/heads/…`, `refs/tags/…`) and the commit it names (annotated tags peeled). */
	async refs(): Promise<Map<string, string>> {
		const {stdout} = await this.run(['for-each-ref', '--format=%(refname)%00%(objectname)%00%(*objectname)']);
		const out = new Map<string, string>();
		for (const line of stdout.split('\n').filter(Boolean)) {
			const [ref, sha, peeled] = line.split('\0');
			out.set(ref!, peeled || sha!);
		}
		return out;
	}

	/** The commits reachable from every ref, newest first. */
	async allCommits(): Promise<GitCommit[]> {
		const {stdout} = await this.run(['log', '--all', `--format=${LOG_FORMAT}`]);
		return parseCommits(stdout);
	}

	/** A branch, tag or (abbreviated) sha to its commit; undefined when git knows no such commit. */
	async resolve(rev: string): Promise<string | undefined> {
		const safe = safeRevision(rev);
		if (!safe) return undefined;
		const r = await this.run(['rev-parse', '--verify', '--quiet', '--end-of-options', `${safe}^{commit}`], {allowFail: true});
		return r.code === 0 ? r.stdout.trim() : undefined;
	}

	async commit(rev: string): Promise<GitCommit | undefined> {
		const sha = await this.resolve(rev);
		if (!sha) return undefined;
		return parseCommits((await this.run(['log', '-1', `--format=${LOG_FORMAT}`, sha])).stdout)[0];
	}

	/** Whether `ancestor` is `descendant` or in its history. */
	async isAncestor(ancestor: string, descendant: string): Promise<boolean> {
		return (await this.run(['merge-base', '--is-ancestor', ancestor, descendant], {allowFail: true})).code === 0;
	}

	/** A file's text at a revision; undefined when it is not there. */
	async file(rev: string, path: string): Promise<string | undefined> {
		const sha = await this.resolve(rev);
		if (!sha) return undefined;
		const r = await this.run(['cat-file', 'blob', `${sha}:${path}`], {allowFail: true});
		return r.code === 0 ? r.stdout : undefined;
	}

	/** Moves (or creates) `ref` to `sha`, only if it still points at `expected` (null: must not exist yet). */
	async updateRef(ref: string, sha: string, expected?: string | null): Promise<void> {
		await this.run(['update-ref', ref, sha, ...(expected === undefined ? [] : [expected ?? '0'.repeat(40)])]);
	}

	async deleteRef(ref: string): Promise<void> {
		await this.run(['update-ref', '-d', ref]);
	}

	/** The tree of `base` and `head` merged (as GitHub's merge button computes it); undefined on a conflict. */
	async mergeTree(base: string, head: string): Promise<string | undefined> {
		// A head that contains the base (the release case) merges to its own tree: no merge-tree needed (git < 2.38 has none).
		if (await this.isAncestor(base, head)) return (await this.run(['rev-parse', `${head}^{tree}`])).stdout.trim();
		const r = await this.run(['merge-tree', '--write-tree', base, head], {allowFail: true});
		if (r.code === 0) return r.stdout.split('\n')[0]!.trim();
		if (r.code === 1) return undefined;
		throw new Error(`git merge-tree failed: ${r.stderr.trim()}`);
	}

	async commitTree(options: {tree: string; parents: string[]; message: string; author: Person; committer?: Person; date?: number}): Promise<string> {
		const when = `${Math.floor((options.date ?? Date.now()) / 1000)} +0000`;
		const committer = options.committer ?? options.author;
		const env = {
			GIT_AUTHOR_NAME: options.author.name, GIT_AUTHOR_EMAIL: options.author.email, GIT_AUTHOR_DATE: when,
			GIT_COMMITTER_NAME: committer.name, GIT_COMMITTER_EMAIL: committer.email, GIT_COMMITTER_DATE: when,
		};
		const parents = options.parents.flatMap(p => ['-p', p]);
		const {stdout} = await this.run(['commit-tree', options.tree, ...parents, '-F', '-'], {input: `${options.message.replace(/\n+$/, '')}\n`, env});
		return stdout.trim();
	}

	/** A commit on top of `parent` changing `files` (path → new text), as someone editing on the web would make. */
	async commitFiles(parent: string, files: Record<string, string>, message: string, author: Person): Promise<string> {
		const index = join(this.gitDir, `index.${randomBytes(4).toString('hex')}`);
		const env = {GIT_INDEX_FILE: index};
		try {
			await this.run(['read-tree', parent], {env});
			for (const [path, text] of Object.entries(files)) {
				const blob = (await this.run(['hash-object', '-w', '--stdin'], {input: text})).stdout.trim();
				await this.run(['update-index', '--add', '--cacheinfo', `100644,${blob},${path}`], {env});
			}
			const tree = (await this.run(['write-tree'], {env})).stdout.trim();
			return await this.commitTree({tree, parents: [parent], message, author, committer: GITHUB_COMMITTER});
		} finally {
			await rm(index, {force: true});
		}
	}
}

/** What changed between two `refs()` snapshots. */
export function refChanges(before: Map<string, string>, after: Map<string, string>): RefUpdate[] {
	const names = new Set([...before.keys(), ...after.keys()]);
	return [...names].filter(n => before.get(n) !== after.get(n)).sort().map(ref => ({ref, before: before.get(ref) ?? null, after: after.get(ref) ?? null}));
}
