// GitHub's JSON shapes for the sandbox's objects. `api` is the sandbox's REST base (it plays
// api.github.com in `url` fields); `html_url`s point at github.com as on the real service.
import {
	ACTIONS_APP, type Commit, type Environment, FULL_NAME, HTML_BASE, iso, type Job, nodeId, OWNER, OWNER_ID, type Pull,
	REPO_HTML, REPO_ID, REPO_NAME, type Review, type Run,
} from './model.js';
import type {Account, RunRecord, World} from './world.js';
import {WORKFLOWS, type WorkflowSpec} from './workflows.js';

export function userJson(api: string, a: Pick<Account, 'login' | 'id'> & {type?: string}): Record<string, unknown> {
	return {
		login: a.login, id: a.id, node_id: nodeId('U', a.id),
		avatar_url: `https://avatars.githubusercontent.com/u/${a.id}?v=4`, gravatar_id: '',
		url: `${api}/users/${a.login}`, html_url: `${HTML_BASE}/${a.login}`,
		repos_url: `${api}/users/${a.login}/repos`, type: a.type ?? 'User', site_admin: false,
	};
}

export function accountJson(api: string, world: World, login: string): Record<string, unknown> {
	const a = world.accounts.get(login);
	return userJson(api, a ?? {login, id: 0});
}

const ownerJson = (api: string) => ({...userJson(api, {login: OWNER, id: OWNER_ID}), type: 'Organization'});

export function repoJson(api: string, full = true): Record<string, unknown> {
	const url = `${api}/repos/${FULL_NAME}`;
	const base = {
		id: REPO_ID, node_id: nodeId('R', REPO_ID), name: REPO_NAME, full_name: FULL_NAME, private: true,
		owner: ownerJson(api), html_url: REPO_HTML, description: 'OVERLORD v8.1 Trading System', fork: false, url,
		pulls_url: `${url}/pulls{/number}`, git_refs_url: `${url}/git/refs{/sha}`, branches_url: `${url}/branches{/branch}`,
		tags_url: `${url}/tags`, deployments_url: `${url}/deployments`,
	};
	if (!full) return base;
	return {
		...base, created_at: '2024-03-02T09:14:27Z', updated_at: '2025-01-10T16:02:11Z', pushed_at: '2025-01-10T16:02:09Z',
		clone_url: `${REPO_HTML}.git`, ssh_url: `git@github.com:${FULL_NAME}.git`, default_branch: 'main',
		visibility: 'private', language: 'Python', archived: false, disabled: false,
		allow_squash_merge: true, allow_merge_commit: true, allow_rebase_merge: false, delete_branch_on_merge: false,
		permissions: {admin: false, maintain: true, push: true, triage: true, pull: true},
	};
}

export function commitJson(api: string, world: World, c: Commit): Record<string, unknown> {
	const person = {...(c.authorIdentity ?? world.person(c.author)), date: iso(c.date)};
	const byGitHub = c.committer?.email === 'noreply@github.com';
	const committer = c.committer ? {...c.committer, date: iso(c.date)} : person;
	// The accounts behind the addresses: null where no account has it, as on GitHub.
	const committerLogin = c.committer ? world.loginOf(c.committer.email) : c.author;
	return {
		sha: c.sha, node_id: nodeId('C', c.sha), url: `${api}/repos/${FULL_NAME}/commits/${c.sha}`,
		html_url: `${REPO_HTML}/commit/${c.sha}`,
		commit: {author: person, committer, message: c.message, tree: {sha: c.tree, url: `${api}/repos/${FULL_NAME}/git/trees/${c.tree}`}, comment_count: 0},
		author: world.accounts.has(c.author) ? accountJson(api, world, c.author) : null,
		committer: byGitHub ? userJson(api, {login: 'web-flow', id: 19_864_447}) : committerLogin && world.accounts.has(committerLogin) ? accountJson(api, world, committerLogin) : null,
		parents: c.parents.map(p => ({sha: p, url: `${api}/repos/${FULL_NAME}/commits/${p}`, html_url: `${REPO_HTML}/commit/${p}`})),
	};
}

export function refJson(api: string, ref: string, sha: string, type: 'commit' = 'commit'): Record<string, unknown> {
	return {ref, node_id: nodeId('REF', ref), url: `${api}/repos/${FULL_NAME}/git/${ref}`, object: {sha, type, url: `${api}/repos/${FULL_NAME}/git/commits/${sha}`}};
}

function branchSide(api: string, branch: string, sha: string) {
	return {label: `${OWNER}:${branch}`, ref: branch, sha, user: ownerJson(api), repo: repoJson(api, false)};
}

export function pullJson(api: string, world: World, p: Pull, mergeable: {clean: boolean}): Record<string, unknown> {
	const url = `${api}/repos/${FULL_NAME}/pulls/${p.number}`;
	return {
		url, id: p.id, node_id: nodeId('PR', p.id), html_url: `${REPO_HTML}/pull/${p.number}`,
		diff_url: `${REPO_HTML}/pull/${p.number}.diff`, patch_url: `${REPO_HTML}/pull/${p.number}.patch`,
		issue_url: `${api}/repos/${FULL_NAME}/issues/${p.number}`, number: p.number, state: p.state, locked: false,
		title: p.title, user: accountJson(api, world, p.author), body: p.body,
		created_at: iso(p.createdAt), updated_at: iso(p.updatedAt), closed_at: p.closedAt ? iso(p.closedAt) : null,
		merged_at: p.mergedAt ? iso(p.mergedAt) : null, merge_commit_sha: p.mergeCommitSha ?? null,
		assignee: null, assignees: [], requested_reviewers: [], requested_teams: [], labels: [], milestone: null, draft: false,
		commits_url: `${url}/commits`, review_comments_url: `${url}/comments`, statuses_url: `${api}/repos/${FULL_NAME}/statuses/${p.headSha}`,
		head: branchSide(api, p.head, p.headSha), base: branchSide(api, p.base, p.baseSha),
		author_association: 'MEMBER', auto_merge: null, active_lock_reason: null,
		merged: p.merged, mergeable: p.state === 'open' ? true : null, rebaseable: false,
		mergeable_state: p.state !== 'open' ? 'unknown' : mergeable.clean ? 'clean' : 'blocked',
		merged_by: p.mergedBy ? accountJson(api, world, p.mergedBy) : null,
		comments: 0, review_comments: 0, maintainer_can_modify: false, commits: 1, additions: 412, deletions: 57, changed_files: 23,
	};
}

export function reviewJson(api: string, world: World, p: Pull, r: Review): Record<string, unknown> {
	return {
		id: r.id, node_id: nodeId('PRR', r.id), user: accountJson(api, world, r.user), body: r.body, state: r.state,
		html_url: `${REPO_HTML}/pull/${p.number}#pullrequestreview-${r.id}`, pull_request_url: `${api}/repos/${FULL_NAME}/pulls/${p.number}`,
		author_association: 'MEMBER', submitted_at: iso(r.submittedAt), commit_id: r.commitId,
	};
}

export function workflowJson(api: string, w: WorkflowSpec): Record<string, unknown> {
	return {
		id: w.id, node_id: nodeId('W', w.id), name: w.name, path: `.github/workflows/${w.file}`, state: 'active',
		created_at: '2024-03-02T09:20:00Z', updated_at: '2024-11-18T12:00:00Z',
		url: `${api}/repos/${FULL_NAME}/actions/workflows/${w.id}`, html_url: `${REPO_HTML}/blob/main/.github/workflows/${w.file}`,
		badge_url: `${REPO_HTML}/workflows/${encodeURIComponent(w.name)}/badge.svg`,
	};
}

export function runJson(api: string, world: World, run: RunRecord): Record<string, unknown> {
	const w = WORKFLOWS.find(x => x.id === run.workflowId)!;
	const url = `${api}/repos/${FULL_NAME}/actions/runs/${run.id}`;
	const commit = world.commits.get(run.headSha);
	const actor = accountJson(api, world, run.actor);
	return {
		id: run.id, name: w.name, node_id: nodeId('WFR', run.id), head_branch: run.headBranch, head_sha: run.headSha,
		path: `.github/workflows/${w.file}`, display_title: run.displayTitle, run_number: run.runNumber, event: run.event,
		status: run.status, conclusion: run.conclusion, workflow_id: w.id, check_suite_id: run.id + 17_000_000_000,
		check_suite_node_id: nodeId('CS', run.id), url, html_url: `${REPO_HTML}/actions/runs/${run.id}`, pull_requests: [],
		created_at: iso(run.createdAt), updated_at: iso(run.updatedAt), actor, run_attempt: 1, referenced_workflows: [],
		run_started_at: iso(run.runStartedAt), triggering_actor: actor, jobs_url: `${url}/jobs`, logs_url: `${url}/logs`,
		check_suite_url: `${api}/repos/${FULL_NAME}/check-suites/${run.id + 17_000_000_000}`, artifacts_url: `${url}/artifacts`,
		cancel_url: `${url}/cancel`, rerun_url: `${url}/rerun`, previous_attempt_url: null,
		workflow_url: `${api}/repos/${FULL_NAME}/actions/workflows/${w.id}`,
		head_commit: commit ? {
			id: commit.sha, tree_id: commit.tree, message: commit.message, timestamp: iso(commit.date),
			author: {name: world.accounts.get(commit.author)?.name ?? commit.author, email: `${commit.author}@users.noreply.github.com`},
			committer: {name: 'GitHub', email: 'noreply@github.com'},
		} : null,
		repository: repoJson(api, false), head_repository: repoJson(api, false),
	};
}

export function jobJson(api: string, run: Run, job: Job): Record<string, unknown> {
	const w = WORKFLOWS.find(x => x.id === run.workflowId)!;
	const started = job.status !== 'queued' && job.status !== 'waiting';
	return {
		id: job.id, run_id: run.id, workflow_name: w.name, head_branch: run.headBranch,
		run_url: `${api}/repos/${FULL_NAME}/actions/runs/${run.id}`, run_attempt: 1, node_id: nodeId('CR', job.id),
		head_sha: run.headSha, url: `${api}/repos/${FULL_NAME}/actions/jobs/${job.id}`,
		html_url: `${REPO_HTML}/actions/runs/${run.id}/job/${job.id}`, status: job.status, conclusion: job.conclusion,
		created_at: iso(job.createdAt), started_at: iso(job.startedAt ?? job.createdAt), completed_at: job.completedAt ? iso(job.completedAt) : null,
		name: job.name,
		steps: job.steps.map(s => ({
			name: s.name, status: s.status, conclusion: s.conclusion, number: s.number,
			started_at: s.startedAt ? iso(s.startedAt) : null, completed_at: s.completedAt ? iso(s.completedAt) : null,
		})),
		check_run_url: `${api}/repos/${FULL_NAME}/check-runs/${job.id}`, labels: ['ubuntu-latest'],
		runner_id: started && job.runnerName ? Number(job.runnerName.replace(/\D/g, '')) : null,
		runner_name: started ? job.runnerName ?? null : null,
		runner_group_id: started ? 2 : null, runner_group_name: started ? 'GitHub Actions' : null,
	};
}

export function checkRunJson(api: string, run: Run, job: Job): Record<string, unknown> {
	return {
		id: job.id, name: job.name, node_id: nodeId('CR', job.id), head_sha: run.headSha, external_id: `sandbox-${job.id}`,
		url: `${api}/repos/${FULL_NAME}/check-runs/${job.id}`, html_url: `${REPO_HTML}/actions/runs/${run.id}/job/${job.id}`,
		details_url: `${REPO_HTML}/actions/runs/${run.id}/job/${job.id}`,
		status: job.status === 'waiting' ? 'waiting' : job.status, conclusion: job.conclusion,
		started_at: iso(job.startedAt ?? job.createdAt), completed_at: job.completedAt ? iso(job.completedAt) : null,
		output: {title: null, summary: null, text: null, annotations_count: 0, annotations_url: `${api}/repos/${FULL_NAME}/check-runs/${job.id}/annotations`},
		check_suite: {id: run.id + 17_000_000_000},
		app: {...ACTIONS_APP, node_id: nodeId('A', ACTIONS_APP.id), owner: {login: 'github', id: 9_919, type: 'Organization'}},
		pull_requests: [],
	};
}

export function environmentJson(api: string, world: World, e: Environment): Record<string, unknown> {
	const protection = e.reviewers.length ? [{
		id: e.id + 500_000_000, node_id: nodeId('GA', e.id), type: 'required_reviewers', prevent_self_review: false,
		reviewers: e.reviewers.map(login => ({type: 'User', reviewer: accountJson(api, world, login)})),
	}] : [];
	return {
		id: e.id, node_id: nodeId('EN', e.id), name: e.name, url: `${api}/repos/${FULL_NAME}/environments/${e.name}`,
		html_url: `${REPO_HTML}/deployments/activity_log?environments_filter=${e.name}`,
		created_at: iso(e.createdAt), updated_at: iso(e.createdAt), can_admins_bypass: true,
		protection_rules: protection,
		deployment_branch_policy: e.reviewers.length ? {protected_branches: true, custom_branch_policies: false} : null,
	};
}
