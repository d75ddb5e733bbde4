// The GitHub client and repository for the pipeline hooks, resolved once per environment. No token
// is not an error here: it means the session has no GitHub, and the pane stays hidden.

import {useEffect, useState} from 'react';
import {createGitHubClient, GitHubError, parseRepository, resolveRepository, type Env, type RepoTarget} from '../../github/client.js';

export type TargetState =
  | {state: 'loading'}
  | {state: 'none'}
  | {state: 'ready'; target: RepoTarget; repository: string}
  | {state: 'failed'; error: string};

export interface TargetOptions {
  env?: Env;
  /** `owner/repo` (e.g. from the runbook's front matter), used when GITHUB_REPOSITORY is unset. */
  repository?: string;
}

export async function connectGitHub(options: TargetOptions): Promise<TargetState> {
  const env = options.env ?? process.env;
  try {
    const client = await createGitHubClient({env});
    const explicit = env.GITHUB_REPOSITORY ? undefined : parseRepository(options.repository);
    const repo = explicit ?? (await resolveRepository({env, frontMatter: options.repository}));
    return {state: 'ready', target: {client, owner: repo.owner, repo: repo.repo}, repository: `${repo.owner}/${repo.repo}`};
  } catch (error) {
    if (error instanceof GitHubError && error.kind === 'no-token') return {state: 'none'};
    return {state: 'failed', error: error instanceof Error ? error.message : String(error)};
  }
}

/** What identifies the GitHub a session talks to: a new env object with the same values changes nothing. */
export function targetKey(options: TargetOptions): string {
  const env = options.env ?? process.env;
  return ['GITHUB_API_URL', 'GH_HOST', 'GH_TOKEN', 'GITHUB_TOKEN', 'GITHUB_REPOSITORY'].map(k => env[k] ?? '').concat(options.repository ?? '').join('\0');
}

export function useGitHubTarget(options: TargetOptions): TargetState {
  const key = targetKey(options);
  const [state, setState] = useState<TargetState>({state: 'loading'});
  useEffect(() => {
    let cancelled = false;
    setState({state: 'loading'});
    void connectGitHub(options).then(s => !cancelled && setState(s));
    return () => {
      cancelled = true;
    };
  }, [key]);
  return state;
}
