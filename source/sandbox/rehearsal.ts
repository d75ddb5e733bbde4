// The built-in world a rehearsal runs against: the sandbox cluster and the sandbox GitHub, in this process, and
// the environment that points kubectl, client-node and octokit at them.

import {mkdirSync} from 'node:fs';
import {delimiter, join, resolve} from 'node:path';
import type {ShellState} from '../exec/types.js';
import type {ScenarioName} from './cluster/index.js';

export interface RehearsalSandbox {
  env: Record<string, string>;
  scenario: ScenarioName;
  stop(): Promise<void>;
}

export async function startRehearsalSandbox(options: {dir: string; scenario?: ScenarioName; speed?: number}): Promise<RehearsalSandbox> {
  const scenario = options.scenario ?? 'default';
  const {startSandboxCluster} = await import('./cluster/index.js');
  const cluster = await startSandboxCluster({dir: join(options.dir, 'cluster'), scenario, speed: options.speed ?? 1});
  try {
    const {startSandboxGitHub} = await import('./github/index.js');
    // A colleague reviews release PRs a few seconds after they are opened, as a real one would (eventually).
    const github = await startSandboxGitHub({cluster, scenario, speed: options.speed ?? 1, colleagueReviewMs: 3000});
    return {
      scenario,
      env: {
        KUBECONFIG: cluster.kubeconfigPath,
        SANDBOX_CA: cluster.caPem.trimEnd(),
        SANDBOX_K8S_URL: cluster.url,
        GITHUB_API_URL: github.url,
        GITHUB_TOKEN: github.token,
        GITHUB_REPOSITORY: github.repository,
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

/** Nothing real to aim at: no kube context and no GitHub token. Then `npm start` rehearses against the sandbox. */
export function nothingConfigured(env: Record<string, string | undefined>, hasKubeContext: boolean): boolean {
  return !hasKubeContext && !env.GH_TOKEN && !env.GITHUB_TOKEN && !env.GH_ENTERPRISE_TOKEN;
}

/**
 * Where every block of a rehearsal runs: `<state>/sandbox/workspace`, never the directory the app was started from
 * (a real checkout with a real origin, where the guide's `git push origin $PREV_TAG:main --force` would be real). Git
 * is told not to look above the sandbox directory, so an empty workspace inside a checkout (the default state dir is
 * ./state) is not taken for that checkout: git there says "not a git repository" instead of pushing the real one.
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

