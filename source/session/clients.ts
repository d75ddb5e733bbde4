// One connection per external system and session environment: the Kubernetes client and the Octokit (whose
// retry and throttling plugins pace every caller together, which only works when they share one instance) are
// made on first use and handed to everyone after — the panes, the dialogs and the controller's native actions.
// The environment can change under a session (a rehearsal's sandbox comes up): each distinct environment, as
// far as a client can tell, gets its own. No React here; the screen receives this object through a context.

import type {GitHubClient, RepoTarget} from '../github/client.js';
import type {KubeClient} from '../kube/client.js';

export type Env = Record<string, string | undefined>;

/** What a GitHub client depends on: host and token (a repository is chosen per target, on the same client). */
const GITHUB_KEYS = ['GITHUB_API_URL', 'GH_HOST', 'GH_TOKEN', 'GITHUB_TOKEN', 'GH_ENTERPRISE_TOKEN', 'GITHUB_ENTERPRISE_TOKEN'];
/** Where kubectl would read its kubeconfig. */
const KUBE_KEYS = ['KUBECONFIG', 'HOME'];

const keyOf = (env: Env, names: string[]) => names.map(n => env[n] ?? '').join('\0');

export interface GitHubTarget extends RepoTarget {
  /** `owner/repo`. */
  repository: string;
}

export class SessionClients {
  private readonly kubes = new Map<string, Promise<KubeClient | null>>();
  private readonly octokits = new Map<string, Promise<GitHubClient>>();
  private readonly targets = new Map<string, Promise<GitHubTarget>>();

  /** The cluster this environment's kubeconfig names, or null when it names none. */
  kube(env: Env = process.env): Promise<KubeClient | null> {
    return remembered(this.kubes, keyOf(env, KUBE_KEYS), async () => (await import('../kube/client.js')).createKubeClient({env}), c => c !== null);
  }

  /** The Octokit for this environment's host and token; rejects with GitHubError `no-token` when there is none. */
  github(env: Env = process.env): Promise<GitHubClient> {
    return remembered(this.octokits, keyOf(env, GITHUB_KEYS), async () => (await import('../github/client.js')).createGitHubClient({env}), () => true);
  }

  /**
   * The repository the session works on, with the shared client: GITHUB_REPOSITORY, else `repository` (the
   * runbook's front matter), else the `origin` remote.
   */
  gitHubTarget(env: Env = process.env, repository?: string): Promise<GitHubTarget> {
    const key = `${keyOf(env, GITHUB_KEYS)}\0${env.GITHUB_REPOSITORY ?? ''}\0${repository ?? ''}`;
    return remembered(
      this.targets,
      key,
      async () => {
        const client = await this.github(env);
        const {parseRepository, resolveRepository} = await import('../github/client.js');
        const explicit = env.GITHUB_REPOSITORY ? undefined : parseRepository(repository);
        const repo = explicit ?? (await resolveRepository({env, ...(repository ? {frontMatter: repository} : {})}));
        return {client, owner: repo.owner, repo: repo.repo, repository: `${repo.owner}/${repo.repo}`};
      },
      () => true,
    );
  }
}

/**
 * The value made once per key. Failures, and results `keep` turns down (no kubeconfig yet), are not remembered:
 * the next caller asks again, since a token or a kubeconfig may appear later in the session.
 */
function remembered<T>(cache: Map<string, Promise<T>>, key: string, make: () => Promise<T>, keep: (value: T) => boolean): Promise<T> {
  const known = cache.get(key);
  if (known) return known;
  const made = make();
  cache.set(key, made);
  const forget = () => {
    if (cache.get(key) === made) cache.delete(key);
  };
  made.then(value => !keep(value) && forget(), forget);
  return made;
}
