// The pipeline behind the pane: a PipelineWatch (github/pipeline-watch.ts) on the session's GitHub client,
// following a commit's run or the newest run on the branch. This hook only subscribes: renders come from the
// watch's notifications (unchanged polls are 304s that wake nobody) and a 1 s clock for ages and running
// durations. The watch stops on unmount or when what is followed changes; without a token nothing starts.

import {useEffect, useReducer, useState, useSyncExternalStore} from 'react';
import type {Env} from '../../github/client.js';
import {PipelineWatch} from '../../github/pipeline-watch.js';
import {useGitHubTarget, type TargetState} from './github-target.js';
import {NOT_CONFIGURED, pipelineFreshness, runAndJobs, type PipelineSnapshot} from './pipeline-snapshot.js';

export interface UsePipelineOptions {
  /** Where the token, host and repository are read (default: process.env). */
  env?: Env;
  /** `owner/repo` when GITHUB_REPOSITORY is unset (the runbook's front matter). */
  repository?: string;
  /** The merge commit whose run to follow; without it, the newest run on the branch. */
  sha?: string;
  /** The runbook's workflow (file name or id); none: runs of every workflow. */
  workflow?: string | null;
  /** Default: the repository's default branch. */
  branch?: string;
  pollMs?: number;
  /** How often ages move when nothing else changes (default 1000 ms; 0: never). */
  clockMs?: number;
}

const nothing = () => () => {};
const zero = () => 0;

export function usePipeline(options: UsePipelineOptions = {}): PipelineSnapshot {
  const {sha, workflow = null, pollMs = 3000, clockMs = 1000} = options;
  const target = useGitHubTarget({env: options.env, repository: options.repository});
  const key = `${sha ?? ''}\0${workflow ?? ''}\0${options.branch ?? ''}`;
  const [watching, setWatching] = useState<{key: string; target: TargetState; watch: PipelineWatch} | null>(null);

  const branchGiven = options.branch;
  useEffect(() => {
    if (target.state !== 'ready') return;
    const watch = new PipelineWatch(target.target, {...(sha ? {sha} : {}), workflow, ...(branchGiven ? {branch: branchGiven} : {}), pollMs}).start();
    setWatching({key, target, watch});
    return () => watch.stop();
  }, [target, key, sha, workflow, branchGiven, pollMs]);

  // A watch of what was followed before is never shown under the new title.
  const watch = watching?.key === key && watching.target === target ? watching.watch : null;
  useSyncExternalStore(watch?.subscribe ?? nothing, watch?.snapshot ?? zero);
  const s = watch?.state ?? null;

  // A commit's finished run is final: its ages no longer need a clock.
  const ticking = target.state === 'ready' && !s?.done;
  const [, tick] = useReducer((n: number) => n + 1, 0);
  useEffect(() => {
    if (!ticking || clockMs <= 0) return;
    const timer = setInterval(tick, clockMs);
    return () => clearInterval(timer);
  }, [ticking, clockMs]);

  const branch = options.branch ?? s?.branch ?? null;
  const following: PipelineSnapshot['following'] = sha ? {kind: 'commit', sha, workflow} : {kind: 'latest', branch, workflow};
  if (target.state === 'loading' || target.state === 'none') return {...NOT_CONFIGURED, following};
  if (target.state === 'failed') return {...NOT_CONFIGURED, configured: true, following, error: target.error, freshness: {label: 'error', tone: 'error'}};
  const now = Date.now();
  const shown = s?.run ? runAndJobs(s.run, s.jobs, now, s.waitingOn) : {run: null, jobs: []};
  return {
    configured: true,
    repository: target.repository,
    following,
    ...shown,
    freshness: pipelineFreshness({lastOkAt: s?.lastOkAt ?? null, error: s?.error ?? null, done: s?.run?.status === 'completed', pollMs}, now),
    error: s?.error ?? null,
  };
}
