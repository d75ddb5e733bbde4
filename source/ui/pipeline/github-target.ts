// The GitHub client and repository for the pipeline hooks: the session's shared ones (clients-context.tsx),
// looked up once per environment. No token is not an error here: it means the session has no GitHub, and the
// pane stays hidden.

import {useEffect, useState} from 'react';
import {GitHubError, type Env, type RepoTarget} from '../../github/client.js';
import {SessionClients} from '../../session/clients.js';
import {useSessionClients} from '../clients-context.js';
import {useStableByKey} from '../use-stable-by-key.js';

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

export async function connectGitHub(options: TargetOptions, clients = new SessionClients()): Promise<TargetState> {
  try {
    const {repository, ...target} = await clients.gitHubTarget(options.env ?? process.env, options.repository);
    return {state: 'ready', target, repository};
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
  const target = useStableByKey(options, targetKey(options));
  const clients = useSessionClients();
  const [state, setState] = useState<TargetState>({state: 'loading'});
  useEffect(() => {
    let cancelled = false;
    setState({state: 'loading'});
    void connectGitHub(target, clients).then(s => !cancelled && setState(s));
    return () => {
      cancelled = true;
    };
  }, [target, clients]);
  return state;
}
