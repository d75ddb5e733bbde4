// The pipeline behind the pane: the run for a commit (matched by sha through findRunForCommit), or
// the newest run on the default branch (of the runbook's workflow when it names one, else of any
// workflow), polled with ETags through a RunWatcher. Renders come from
// the watcher's change notifications (unchanged polls are 304s that wake nobody) and a 1 s clock
// for ages and running durations. Everything stops on unmount; without a token nothing starts.

import {useEffect, useReducer, useRef} from 'react';
import {pendingDeployments} from '../../github/approval.js';
import {conditionalGet, EtagCache, GitHubError, type Env, type RepoTarget} from '../../github/client.js';
import {findRunForCommit, RunWatcher, type JobLike, type RunLike} from '../../github/pipeline.js';
import {useGitHubTarget} from './github-target.js';
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

interface Live {
  key: string;
  run: RunLike | null;
  jobs: JobLike[];
  waitingOn: string | null;
  lastOkAt: number | null;
  error: string | null;
  /** The branch whose newest run is followed: given, or the repository's default once read. */
  branch: string | null;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise(resolve => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, {once: true});
  });
}

/** The run to watch now: the commit's (null until GitHub has created it) or the branch's newest. */
async function currentRun(target: RepoTarget, cache: EtagCache, o: {sha?: string; workflow: string | null; branch: string}): Promise<RunLike | null> {
  if (o.sha) {
    try {
      // One look per poll (timeout 0): the loop below does the waiting, abortable and with the pane's pace.
      return await findRunForCommit(target, {sha: o.sha, workflow: o.workflow ?? undefined, timeoutMs: 0, cache});
    } catch (error) {
      if (error instanceof GitHubError && error.kind === 'timeout') return null;
      throw error;
    }
  }
  const {data} = o.workflow
    ? await conditionalGet<{workflow_runs: RunLike[]}>(target.client, cache, 'GET /repos/{owner}/{repo}/actions/workflows/{workflow_id}/runs', {
        owner: target.owner, repo: target.repo, workflow_id: o.workflow, branch: o.branch, per_page: 1,
      })
    : await conditionalGet<{workflow_runs: RunLike[]}>(target.client, cache, 'GET /repos/{owner}/{repo}/actions/runs', {
        owner: target.owner, repo: target.repo, branch: o.branch, per_page: 1,
      });
  return data.workflow_runs[0] ?? null;
}

/** The repository's default branch, read once per target. */
async function defaultBranch(target: RepoTarget, cache: EtagCache): Promise<string> {
  const {data} = await conditionalGet<{default_branch?: string}>(target.client, cache, 'GET /repos/{owner}/{repo}', {owner: target.owner, repo: target.repo});
  return data.default_branch || 'main';
}

export function usePipeline(options: UsePipelineOptions = {}): PipelineSnapshot {
  const {sha, workflow = null, pollMs = 3000, clockMs = 1000} = options;
  const target = useGitHubTarget({env: options.env, repository: options.repository});
  const [, bump] = useReducer((n: number) => n + 1, 0);
  const live = useRef<Live | null>(null);
  const key = `${sha ?? ''}\0${workflow ?? ''}\0${options.branch ?? ''}`;

  useEffect(() => {
    if (target.state !== 'ready') return;
    const t = target.target;
    const controller = new AbortController();
    const signal = controller.signal;
    const state: Live = {key, run: null, jobs: [], waitingOn: null, lastOkAt: null, error: null, branch: options.branch ?? null};
    live.current = state;
    const cache = new EtagCache();
    // A holder, not a `let`: TypeScript would narrow a local assigned inside the loop's closure to null.
    const w: {watcher: RunWatcher | null} = {watcher: null};
    let unsubscribe = () => {};
    void (async () => {
      while (!signal.aborted) {
        try {
          // With a sha the run never changes once found; the newest on main does after each merge.
          if (!sha && state.branch === null) {
            state.branch = await defaultBranch(t, cache);
            if (signal.aborted) return;
            bump();
          }
          const found: RunLike | null = sha && w.watcher ? null : await currentRun(t, cache, {sha, workflow, branch: state.branch ?? ''});
          if (signal.aborted) return;
          if (found && found.id !== w.watcher?.runId) {
            unsubscribe();
            w.watcher = new RunWatcher(t, found.id, {intervalMs: pollMs});
            unsubscribe = w.watcher.subscribe(s => {
              state.run = s.run;
              state.jobs = s.jobs;
              bump();
            });
            state.waitingOn = null;
          }
          if (w.watcher && w.watcher.snapshot?.run.status !== 'completed') await w.watcher.poll();
          if (signal.aborted) return;
          // The environments a waiting run needs are read once per wait, not on every poll.
          const waiting = state.run?.status === 'waiting';
          if (waiting && !state.waitingOn && state.run) {
            const pending = await pendingDeployments(t, state.run.id);
            if (signal.aborted) return;
            state.waitingOn = pending.map(p => p.name).join(', ') || null;
            bump();
          } else if (!waiting && state.waitingOn) state.waitingOn = null;
          const hadError = state.error !== null;
          state.lastOkAt = Date.now();
          state.error = null;
          if (hadError || !w.watcher) bump();
          if (sha && state.run?.status === 'completed') return;
        } catch (error) {
          if (signal.aborted) return;
          state.error = (error instanceof GitHubError ? error : t.client.explain(error)).message;
          bump();
        }
        await sleep(pollMs, signal);
      }
    })();
    return () => {
      controller.abort();
      unsubscribe();
      if (live.current === state) live.current = null;
    };
  }, [target, key, pollMs]);

  // A commit's finished run is final: its ages no longer need a clock.
  const finished = Boolean(sha) && live.current?.key === key && live.current.run?.status === 'completed';
  const ticking = target.state === 'ready' && !finished;
  useEffect(() => {
    if (!ticking || clockMs <= 0) return;
    const timer = setInterval(bump, clockMs);
    return () => clearInterval(timer);
  }, [ticking, clockMs]);

  const s = live.current?.key === key ? live.current : null;
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
