// A sandbox GitHub (optionally wired to a sandbox cluster) per test file, octokit clients for its
// users, and real kubectl against the cluster.
import {readFileSync, writeFileSync} from 'node:fs';
import {mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {execa} from 'execa';
import {type SandboxCluster, type ScenarioName, startSandboxCluster} from '../../source/sandbox/cluster/index.js';
import {type SandboxGitHub, type SandboxGitHubOptions, startSandboxGitHub} from '../../source/sandbox/github/index.js';
import {type ClientOptions, createGitHubClient, type RepoTarget} from '../../source/github/client.js';
import {releaseTemplateFromRunbook, type ReleaseTemplate} from '../../source/github/release.js';
import {cloneWorkspace, operatorSource} from '../../source/sandbox/workspace.js';
import {SHIPPED_GUIDE} from '../helpers/paths.js';
import {waitFor as sharedWaitFor} from '../helpers/wait.js';
export const waitFor = <T>(probe: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 15000, what = 'condition') => sharedWaitFor(probe, timeoutMs, what);

export const IMAGE = 'ghcr.io/legion14041981-ui/overlord-trading-system-v8';
export const NS = 'overlord-production';

export interface TestWorld {
	gh: SandboxGitHub;
	cluster?: SandboxCluster;
	dir: string;
	/** An octokit-backed target for the operator (default) or another token. */
	target(token?: string, options?: ClientOptions): Promise<RepoTarget>;
	kubectl(args: string[]): Promise<{stdout: string; stderr: string; exitCode: number}>;
	image(namespace?: string): Promise<string>;
	close(): Promise<void>;
}

export async function startWorld(options: {clusterScenario?: ScenarioName; clusterSpeed?: number} & Omit<SandboxGitHubOptions, 'cluster'> = {}): Promise<TestWorld> {
	const dir = await mkdtemp(path.join(tmpdir(), 'runbook-github-test-'));
	let cluster: SandboxCluster | undefined;
	let gh: SandboxGitHub | undefined;
	try {
		if (options.clusterScenario) cluster = await startSandboxCluster({dir: path.join(dir, 'cluster'), scenario: options.clusterScenario, speed: options.clusterSpeed ?? 10});
		gh = await startSandboxGitHub({speed: 20, ...options, cluster});
	} catch (error) {
		await cluster?.stop();
		await rm(dir, {recursive: true, force: true});
		throw error;
	}
	const sandbox = gh;
	const cacheDir = path.join(dir, 'kube-cache');
	const kubectl = async (args: string[]) => {
		if (!cluster) throw new Error('no cluster in this world');
		const r = await execa('kubectl', ['--kubeconfig', cluster.kubeconfigPath, '--cache-dir', cacheDir, ...args], {
			reject: false, timeout: 20_000, env: {HOME: dir, KUBECONFIG: ''}, extendEnv: true,
		});
		return {stdout: String(r.stdout), stderr: String(r.stderr), exitCode: r.exitCode ?? -1};
	};
	return {
		gh: sandbox,
		cluster,
		dir,
		async target(token = sandbox.token, clientOptions = {}) {
			const client = await createGitHubClient({baseUrl: sandbox.url, token, env: {}, retryBaseMs: 20, ...clientOptions});
			return {client, owner: sandbox.owner, repo: sandbox.repo};
		},
		kubectl,
		async image(namespace = NS) {
			const r = await kubectl(['get', 'deploy', 'overlord', '-n', namespace, '-o', 'jsonpath={.spec.template.spec.containers[0].image}']);
			if (r.exitCode !== 0) throw new Error(r.stderr);
			return r.stdout.trim();
		},
		async close() {
			await sandbox.stop();
			await cluster?.stop();
			await rm(dir, {recursive: true, force: true});
		},
	};
}


/** The guide's own release PR title and body (its Step 2 `gh pr create` heredoc). */
export function guideReleaseTemplate(): ReleaseTemplate {
	return releaseTemplateFromRunbook(readFileSync(SHIPPED_GUIDE, 'utf8'))!;
}

/** The error a promise rejects with (fails the test if it resolves). */
export async function rejection(promise: Promise<unknown>): Promise<any> {
	try {
		await promise;
	} catch (error) {
		return error;
	}
	throw new Error('expected a rejection');
}

/**
 * The guide's Step 1 with the real git: a clone of the sandbox repository (the operator's identity and credentials),
 * `release/<version>` from develop with pyproject.toml's version bumped, pushed. Resolves with the pushed sha once the
 * push's CI run has finished (its checks are what main's protection wants green).
 */
export async function pushReleaseBranch(w: TestWorld, version = 'v1.2.0'): Promise<string> {
	const clone = path.join(w.dir, 'checkout');
	await cloneWorkspace(clone, operatorSource(w.gh));
	const git = async (...args: string[]) => {
		const r = await execa('git', args, {cwd: clone, reject: false, env: {HOME: w.dir, GIT_CONFIG_NOSYSTEM: '1'}});
		if (r.exitCode !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
		return String(r.stdout).trim();
	};
	await git('checkout', '-q', '-b', `release/${version}`, 'origin/develop');
	const pyproject = path.join(clone, 'pyproject.toml');
	writeFileSync(pyproject, readFileSync(pyproject, 'utf8').replace(/^version = ".*"$/m, `version = "${version.slice(1)}"`));
	await git('commit', '-qam', `chore: Bump version to ${version.slice(1)}`);
	await git('push', '-q', 'origin', `release/${version}`);
	const sha = await git('rev-parse', 'HEAD');
	await waitFor(() => w.gh.world.runs.some(r => r.headSha === sha && r.status === 'completed'), 20_000, `the CI run of release/${version}`);
	return sha;
}

/**
 * The guide's Steps 1–5 through real git and the app's functions: release branch pushed, release PR, the reviewer's approval, squash
 * merge; returns the merge sha and the CI/CD run found for it.
 */
export async function releaseToMerge(w: TestWorld): Promise<{sha: string; prNumber: number; operator: RepoTarget; reviewer: RepoTarget}> {
	const {createReleasePr, approvePr, mergeRelease} = await import('../../source/github/release.js');
	await pushReleaseBranch(w);
	const operator = await w.target();
	const reviewer = await w.target(w.gh.reviewerToken);
	const pr = await createReleasePr(operator, {version: 'v1.2.0', previousVersion: 'v1.1.0', template: guideReleaseTemplate()});
	await approvePr(reviewer, pr.number);
	const merged = await mergeRelease(operator, pr.number);
	return {sha: merged.sha, prNumber: pr.number, operator, reviewer};
}
