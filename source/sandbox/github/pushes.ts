// What a change of the repository's branches sets off, whoever made it — `git push` over HTTP, a merge from the API:
// open PRs follow their head branch, and a push to main, develop or a release branch starts the CI/CD push run
// 1.5 s later (simulated), as ci-cd-full-cycle.yml's `on: push` says. A run on main deploys the release the pushed
// commit is: the tag on it, else the version in its pyproject.toml (so `git push origin v1.1.0:main --force`
// redeploys v1.1.0).
import type {RefUpdate} from './repository.js';
import {requirements} from './repository-content.js';
import type {Runner} from './runner.js';
import {BOT, type World} from './world.js';
import {CI_CD} from './workflows.js';

/** The two halves of a sandbox GitHub every operation needs: its state and the runner of its workflows. */
export interface Sandbox {
	world: World;
	runner: Runner;
}

const CI_BRANCH = /^(main|develop|release\/.+)$/;

/** The release a commit on main is: a tag pointing at it, else `v` + pyproject.toml's version. */
export async function versionAt(world: World, sha: string): Promise<string | undefined> {
	const tag = [...world.tags].filter(([name, at]) => at === sha && /^v\d+\.\d+\.\d+$/.test(name)).map(([name]) => name).sort().at(-1);
	if (tag) return tag;
	const pyproject = await world.repository.file(sha, 'pyproject.toml');
	const version = pyproject && /^version\s*=\s*"([^"]+)"/m.exec(pyproject)?.[1];
	return version ? `v${version}` : undefined;
}

/** Starts the CI/CD push run of `sha` on `branch`, `delaySeconds` of simulated time from now. */
export function startPushRun(s: Sandbox, push: {branch: string; sha: string; actor: string; version?: string}, delaySeconds = 1.5): void {
	s.runner.later(delaySeconds, () => {
		const run = s.world.newRun(CI_CD, {event: 'push', headBranch: push.branch, headSha: push.sha, actor: push.actor, version: push.version});
		s.runner.start(run, CI_CD, 0.5);
	});
}

/** After `git push` changed refs (the repository already holds them): the world reads them, PRs and CI follow. */
export async function afterPush(s: Sandbox, updates: RefUpdate[], login: string): Promise<void> {
	const {world} = s;
	await world.refresh();
	for (const u of updates) {
		const branch = u.ref.startsWith('refs/heads/') ? u.ref.slice('refs/heads/'.length) : undefined;
		if (!branch || !u.after) continue;
		for (const p of world.pulls) {
			if (p.state === 'open' && p.head === branch && p.headSha !== u.after) {
				p.headSha = u.after;
				p.updatedAt = Date.now();
			}
		}
		if (!CI_BRANCH.test(branch)) continue;
		const version = branch === 'main' ? await versionAt(world, u.after) : undefined;
		startPushRun(s, {branch, sha: u.after, actor: login, version});
	}
}

/**
 * After a merge moved `base` to `sha`: its push run, and on main someone else's push to develop right after (a
 * dependabot bump, really committed), so `gh run list --limit 1` would pick the wrong run.
 */
export function afterMerge(s: Sandbox, merge: {base: string; sha: string; actor: string; version?: string; number: number}): void {
	if (!CI_BRANCH.test(merge.base)) return;
	s.runner.later(1.5, () => {
		void (async () => {
			const version = merge.version ?? (merge.base === 'main' ? await versionAt(s.world, merge.sha) : undefined);
			startPushRun(s, {branch: merge.base, sha: merge.sha, actor: merge.actor, version}, 0);
		})();
	});
	if (merge.base === 'main') s.runner.later(2.5, () => void dependabotBump(s, merge.number + 1).catch(() => {}));
}

async function dependabotBump(s: Sandbox, number: number): Promise<void> {
	const {world} = s;
	const repo = world.repository;
	const sha = await repo.exclusive(async () => {
		const devHead = await repo.resolve('refs/heads/develop');
		if (!devHead) return undefined;
		const current = /^fastapi==0\.115\.(\d+)$/m.exec((await repo.file(devHead, 'requirements.txt')) ?? '')?.[1];
		const from = Number(current ?? 5);
		const message = `chore(deps): bump fastapi from 0.115.${from} to 0.115.${from + 1} (#${number})`;
		const commit = await repo.commitFiles(devHead, {'requirements.txt': requirements(`0.115.${from + 1}`)}, message, world.person(BOT));
		await repo.updateRef('refs/heads/develop', commit, devHead);
		return commit;
	});
	if (!sha) return;
	await world.refresh();
	startPushRun(s, {branch: 'develop', sha, actor: BOT}, 0);
}
