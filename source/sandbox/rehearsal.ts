// The built-in world a rehearsal runs against: the sandbox cluster and the sandbox GitHub, in this process, the
// environment that points kubectl, client-node and octokit at them, and the workspace: a clone of the sandbox
// repository where every block runs.

import {mkdirSync} from 'node:fs';
import {basename, delimiter, join, resolve} from 'node:path';
import type {ShellState} from '../exec/types.js';
import type {ScenarioName} from './cluster/index.js';
import {REPO_NAME} from './github/model.js';

export interface RehearsalSandbox {
  env: Record<string, string>;
  scenario: ScenarioName;
  /** Whether the world this session left came back (a resumed rehearsal), else the scenario's seed. */
  restored: boolean;
  stop(): Promise<void>;
}

/**
 * The sandbox keeps its world in `dir` for its `owner` (the rehearsal's session): a resumed session finds the world it
 * left (and its `workspace` as it was), another session, or none (`fresh`), starts from the seed and a fresh clone.
 */
export async function startRehearsalSandbox(options: {dir: string; scenario?: ScenarioName; speed?: number; workspace?: string; owner?: string; fresh?: boolean}): Promise<RehearsalSandbox> {
  const scenario = options.scenario ?? 'default';
  const keep = {owner: options.owner ?? null, fresh: options.fresh ?? options.owner === undefined};
  const {startSandboxCluster} = await import('./cluster/index.js');
  const cluster = await startSandboxCluster({dir: join(options.dir, 'cluster'), scenario, speed: options.speed ?? 1, ...keep});
  try {
    const {ghEnv, startSandboxGitHub} = await import('./github/index.js');
    // A colleague reviews release PRs a few seconds after they are opened, as a real one would (eventually). The real
    // `gh` reaches the sandbox through a socket under gh/ (github/gh-cli.ts).
    const github = await startSandboxGitHub({cluster, scenario, speed: options.speed ?? 1, colleagueReviewMs: 3000, gh: {dir: join(options.dir, 'gh')}, dir: join(options.dir, 'github'), ...keep});
    if (options.workspace) {
      const {reopenWorkspace, operatorSource} = await import('./workspace.js');
      await reopenWorkspace(options.workspace, operatorSource(github), github.restored && cluster.restored).catch(async error => {
        await github.stop();
        throw error;
      });
    }
    return {
      scenario,
      restored: cluster.restored && github.restored,
      env: {
        KUBECONFIG: cluster.kubeconfigPath,
        SANDBOX_CA: cluster.caPem.trimEnd(),
        SANDBOX_K8S_URL: cluster.url,
        GITHUB_API_URL: github.url,
        GITHUB_TOKEN: github.token,
        GITHUB_REPOSITORY: github.repository,
        ...(options.workspace ? {SANDBOX_WORKSPACE: options.workspace} : {}),
        ...(github.gh ? ghEnv(github.gh, github.token) : {}),
      },
      stop: async () => {
        await Promise.all([github.stop(), cluster.stop()]);
      },
    };
  } catch (error) {
    await cluster.stop();
    throw error;
  }
}

/**
 * The answer a rehearsal proposes for a placeholder naming the repository's checkout (`/path/to/<repository>`, its
 * last path segment the repository's name): the workspace, which is that checkout.
 */
export function workspacePlaceholder(workspace: string, repository = REPO_NAME): (text: string) => string | undefined {
  return text => (basename(text.replace(/\/+$/, '')) === repository ? workspace : undefined);
}

/** Nothing real to aim at: no kube context and no GitHub token. Then `npm start` rehearses against the sandbox. */
export function nothingConfigured(env: Record<string, string | undefined>, hasKubeContext: boolean): boolean {
  return !hasKubeContext && !env.GH_TOKEN && !env.GITHUB_TOKEN && !env.GH_ENTERPRISE_TOKEN;
}

/**
 * Where every block of a rehearsal runs: `<state>/sandbox/workspace`, never the directory the app was started from
 * (a real checkout with a real origin, where the guide's `git push origin $PREV_TAG:main --force` would be real). Once
 * the sandbox answers it is a clone of the sandbox repository (origin: the sandbox). Git is told not to look above the
 * sandbox directory, so the workspace is never taken for the checkout around it (the default state dir is ./state):
 * before the clone, or if a block deletes its .git, git there says "not a git repository" instead of pushing the real one.
 */
export function rehearsalWorkspace(stateDir: string, shell: ShellState): {workspace: string; shell: ShellState} {
  const sandbox = resolve(stateDir, 'sandbox');
  const workspace = join(sandbox, 'workspace');
  try {
    mkdirSync(workspace, {recursive: true, mode: 0o700});
  } catch {
    // a read-only state directory: nothing will run in a read-only view anyway
  }
  const ceilings = [shell.env.GIT_CEILING_DIRECTORIES, sandbox].filter(Boolean).join(delimiter);
  return {workspace, shell: {env: {...shell.env, GIT_CEILING_DIRECTORIES: ceilings}, cwd: workspace}};
}

