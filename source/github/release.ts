// A runbook's `gh` release steps done with octokit: the release PR (the runbook's own title and body,
// filled with the versions), its checks, the approval, the squash merge with branch deletion, and
// the rollback workflow's dispatch with the run it started.
import {setTimeout as sleep} from 'node:timers/promises';
import {GitHubError, githubMessage, type RepoTarget} from './client.js';
import {findRunForCommit, type PipelineSnapshot, type RunLike, RunWatcher} from './pipeline.js';

export interface ReleaseTemplate {
	title: string;
	body: string;
	/** The versions the text was written for, replaced when filled. */
	version: string;
	previousVersion: string;
}

const VERSION = /v\d+\.\d+\.\d+/g;

/** The `gh pr create --title … --body "$(cat <<EOF … EOF)"` of a runbook, if it has one. */
export function releaseTemplateFromRunbook(markdown: string): ReleaseTemplate | undefined {
	const start = markdown.indexOf('gh pr create');
	if (start < 0) return undefined;
	const text = markdown.slice(start);
	const title = /--title\s+(["'])(.*?)\1/.exec(text)?.[2];
	const body = /<<-?\s*['"]?(\w+)['"]?\n([\s\S]*?)\n\1\n/.exec(text)?.[2];
	if (!title || body === undefined) return undefined;
	const version = /--head\s+\S*?(v\d+\.\d+\.\d+)/.exec(text)?.[1] ?? title.match(VERSION)?.[0];
	if (!version) return undefined;
	const previousVersion = [...body.matchAll(VERSION)].map(m => m[0]).find(v => v !== version) ?? version;
	// `$(…)` drops the heredoc's trailing newlines; one ends the body.
	return {title, body: `${body.replace(/\n+$/, '')}\n`, version, previousVersion};
}

export function fillReleaseTemplate(template: ReleaseTemplate, versions: {version: string; previousVersion: string}): {title: string; body: string} {
	const fill = (s: string) => s.replace(VERSION, v => (v === template.version ? versions.version : v === template.previousVersion ? versions.previousVersion : v));
	return {title: fill(template.title), body: fill(template.body)};
}

export interface ReleasePr {
	number: number;
	url: string;
	headSha: string;
	head: string;
	/** False when an open PR for the branch already existed (GitHub's 422) and that one is returned. */
	created: boolean;
}

export async function createReleasePr(target: RepoTarget, options: {version: string; previousVersion: string; base?: string; head?: string; template?: ReleaseTemplate}): Promise<ReleasePr> {
	const {owner, repo, client} = target;
	const head = options.head ?? `release/${options.version}`;
	const base = options.base ?? 'main';
	// Without the runbook's own words, plain ones.
	const {title, body} = options.template
		? fillReleaseTemplate(options.template, options)
		: {title: `Release ${options.version}`, body: `Release ${options.version} (previous version: ${options.previousVersion}).\n`};
	try {
		const {data} = await client.octokit.rest.pulls.create({owner, repo, head, base, title, body});
		return {number: data.number, url: data.html_url, headSha: data.head.sha, head, created: true};
	} catch (error) {
		if ((error as {status?: number}).status === 422 && /already exists/.test(githubMessage(error as never))) {
			const {data} = await client.octokit.rest.pulls.list({owner, repo, head: `${owner}:${head}`, base, state: 'open'});
			const pr = data[0];
			if (pr) return {number: pr.number, url: pr.html_url, headSha: pr.head.sha, head, created: false};
		}
		// GitHub's answer for a head branch it does not have: the branch was never pushed.
		const fields = (error as {response?: {data?: {errors?: Array<{field?: string; code?: string}>}}}).response?.data?.errors ?? [];
		if ((error as {status?: number}).status === 422 && fields.some(f => f.field === 'head' && f.code === 'invalid')) {
			throw new GitHubError('refused', `${head} is not on GitHub: push it first (git push origin ${head}), then open the pull request.`, 422, {cause: error});
		}
		throw client.explain(error, `creating the pull request ${head} → ${base}`);
	}
}

export type CheckBucket = 'pass' | 'fail' | 'pending' | 'skipped' | 'cancelled';

export interface CheckItem {
	name: string;
	bucket: CheckBucket;
	url?: string | null;
	description?: string | null;
}

export type CheckGroups = Record<CheckBucket, CheckItem[]>;

/** gh pr checks' buckets, for check runs and commit statuses together. */
export function groupChecks(
	checkRuns: Array<{name: string; status: string; conclusion: string | null; html_url?: string | null; details_url?: string | null}>,
	statuses: Array<{context: string; state: string; target_url?: string | null; description?: string | null}> = [],
): CheckGroups {
	const groups: CheckGroups = {pass: [], fail: [], pending: [], skipped: [], cancelled: []};
	for (const c of checkRuns) {
		const bucket: CheckBucket = c.status !== 'completed' ? 'pending'
			: c.conclusion === 'success' || c.conclusion === 'neutral' ? 'pass'
				: c.conclusion === 'skipped' ? 'skipped'
					: c.conclusion === 'cancelled' ? 'cancelled' : 'fail';
		groups[bucket].push({name: c.name, bucket, url: c.details_url ?? c.html_url});
	}
	for (const s of statuses) {
		const bucket: CheckBucket = s.state === 'success' ? 'pass' : s.state === 'pending' ? 'pending' : 'fail';
		groups[bucket].push({name: s.context, bucket, url: s.target_url, description: s.description});
	}
	return groups;
}

export async function prChecks(target: RepoTarget, ref: string): Promise<CheckGroups> {
	const {owner, repo, client} = target;
	try {
		const [runs, status] = await Promise.all([
			client.octokit.rest.checks.listForRef({owner, repo, ref, filter: 'latest', per_page: 100}),
			client.octokit.rest.repos.getCombinedStatusForRef({owner, repo, ref}),
		]);
		return groupChecks(runs.data.check_runs, status.data.statuses);
	} catch (error) {
		throw client.explain(error, `reading the checks of ${ref}`);
	}
}

export async function approvePr(target: RepoTarget, number: number, body = 'LGTM! Ready for production.'): Promise<{id: number; user: string}> {
	const {owner, repo, client} = target;
	try {
		const {data} = await client.octokit.rest.pulls.createReview({owner, repo, pull_number: number, event: 'APPROVE', body});
		return {id: data.id, user: data.user?.login ?? '?'};
	} catch (error) {
		const message = (error as {status?: number}).status === 422 ? githubMessage(error as never) : '';
		if (/approve your own pull request/i.test(message)) {
			throw new GitHubError('refused', `GitHub does not let the author of #${number} approve it (you opened it): ask another engineer with write access to run the approval.`, 422, {cause: error});
		}
		throw client.explain(error, `approving #${number}`);
	}
}

export interface MergeResult {
	sha: string;
	branch: string;
	branchDeleted: 'deleted' | 'already-deleted' | 'kept';
}

/** `gh pr merge --squash --delete-branch`. */
export async function mergeRelease(target: RepoTarget, number: number, options: {sha?: string; deleteBranch?: boolean} = {}): Promise<MergeResult> {
	const {owner, repo, client} = target;
	let branch: string;
	let sha: string;
	try {
		const pr = await client.octokit.rest.pulls.get({owner, repo, pull_number: number});
		branch = pr.data.head.ref;
		const {data} = await client.octokit.rest.pulls.merge({owner, repo, pull_number: number, merge_method: 'squash', ...(options.sha ? {sha: options.sha} : {})});
		sha = data.sha;
	} catch (error) {
		const status = (error as {status?: number}).status;
		if (status === 405) throw new GitHubError('refused', `#${number} cannot be merged yet: ${githubMessage(error as never)}`, 405, {cause: error});
		if (status === 409) throw new GitHubError('refused', `#${number} was not merged: its branch got new commits since you looked; review them and merge again.`, 409, {cause: error});
		throw client.explain(error, `merging #${number}`);
	}
	if (options.deleteBranch === false) return {sha, branch, branchDeleted: 'kept'};
	try {
		await client.octokit.rest.git.deleteRef({owner, repo, ref: `heads/${branch}`});
		return {sha, branch, branchDeleted: 'deleted'};
	} catch (error) {
		// 422 "Reference does not exist": deleted already (by hand, or by the repository's auto-delete).
		if ((error as {status?: number}).status === 422) return {sha, branch, branchDeleted: 'already-deleted'};
		throw client.explain(error, `merged #${number} as ${sha.slice(0, 7)}, but deleting ${branch}`);
	}
}

const isoSeconds = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/**
 * `gh workflow run rollback.yml -f environment=… -f target_version=…`. GitHub answers 204 without a
 * run id: the run is the new workflow_dispatch run created since just before the dispatch.
 */
export async function dispatchRollback(
	target: RepoTarget,
	options: {environment: string; targetVersion: string; ref?: string; workflow?: string; inputs?: Record<string, string>; intervalMs?: number; timeoutMs?: number},
): Promise<RunLike> {
	const {owner, repo, client} = target;
	const workflow = options.workflow ?? 'rollback.yml';
	// A margin for clock skew between here and GitHub; runs seen before the dispatch are excluded.
	const since = isoSeconds(Date.now() - 60_000);
	const list = async () => (await client.octokit.rest.actions.listWorkflowRuns({owner, repo, workflow_id: workflow, event: 'workflow_dispatch', created: `>=${since}`, per_page: 50})).data.workflow_runs as RunLike[];
	try {
		const before = new Set((await list()).map(r => r.id));
		await client.octokit.rest.actions.createWorkflowDispatch({
			owner, repo, workflow_id: workflow, ref: options.ref ?? 'main',
			inputs: options.inputs ?? {environment: String(options.environment), target_version: String(options.targetVersion)},
		});
		const deadline = Date.now() + (options.timeoutMs ?? 60_000);
		for (;;) {
			const fresh = (await list()).filter(r => !before.has(r.id));
			// Another dispatch may land at the same time. rollback.yml's run-name names the environment
			// and the version: take the run that names ours; a workflow without a run-name shows only
			// its name, and then the oldest new run is the best guess.
			const title = (r: RunLike) => r.display_title ?? '';
			const run = fresh.find(r => title(r).includes(options.targetVersion) && title(r).includes(options.environment))
				?? fresh.filter(r => !/v\d+\.\d+\.\d+/.test(title(r))).at(-1);
			if (run) return run;
			if (Date.now() > deadline) throw new GitHubError('timeout', `The ${workflow} dispatch was accepted but no run appeared within ${Math.round((options.timeoutMs ?? 60_000) / 1000)} s.`);
			await sleep(options.intervalMs ?? 2000);
		}
	} catch (error) {
		throw client.explain(error, `dispatching ${workflow}`);
	}
}

/** `gh run watch`: polls (with ETags) until the run completes; `onChange` hears each change. */
export async function followRun(
	target: RepoTarget, runId: number,
	options: {intervalMs?: number; timeoutMs?: number; onChange?: (snapshot: PipelineSnapshot) => void} = {},
): Promise<{snapshot: PipelineSnapshot; watcher: RunWatcher}> {
	const watcher = new RunWatcher(target, runId, {intervalMs: options.intervalMs});
	const off = options.onChange ? watcher.subscribe(options.onChange) : undefined;
	try {
		const snapshot = await watcher.until(s => s.run.status === 'completed', {timeoutMs: options.timeoutMs});
		return {snapshot, watcher};
	} finally {
		off?.();
	}
}

export {findRunForCommit};
