// What the pipeline pane shows, as plain data: built from a RunWatcher's snapshot by pure functions
// here, so the pane can be drawn (and tested) from hand-made snapshots as well as from GitHub.

import {pipelineModel, type IconColor, type JobLike, type RunLike} from '../../github/pipeline.js';
import type {PaneTone} from '../cluster/pane-lines.js';

export interface PipelineFreshness {
  /** `● 3s`, `connecting…`, `stale 40s`, `final`. */
  label: string;
  tone: PaneTone;
}

export interface PipelineJob {
  name: string;
  /** gh's symbols: ✓ success, - skipped, X failed, * not finished. */
  icon: string;
  tone: PaneTone;
  /** gh's `3m12s`; empty while queued or waiting. */
  duration: string;
  status: string;
  /** The job waits on a protected environment (the approval). */
  waiting: boolean;
  /** Only for a job in progress: its steps, drawn under it when there is room. */
  steps?: Array<{name: string; icon: string; tone: PaneTone; duration: string}>;
}

export interface PipelineRun {
  id: number;
  number: number;
  /** The workflow's name: `CI/CD Full Cycle`. */
  name: string;
  status: string;
  conclusion: string | null;
  branch: string;
  event: string;
  sha: string;
  htmlUrl: string;
  /** Elapsed time of the whole run, gh-style. */
  duration: string;
  /** The environment(s) the run waits on (`production`), null when it is not waiting. */
  waitingOn: string | null;
}

export interface PipelineSnapshot {
  /** False when no GitHub token is found: the App hides the pane then. */
  configured: boolean;
  /** `owner/repo`, once resolved. */
  repository: string | null;
  /**
   * What is followed: a commit's run, or the newest run on a branch (null until the repository's default branch is
   * known); of the runbook's workflow, or of any workflow when it names none.
   */
  following: {kind: 'commit'; sha: string; workflow?: string | null} | {kind: 'latest'; branch: string | null; workflow?: string | null};
  run: PipelineRun | null;
  jobs: PipelineJob[];
  freshness: PipelineFreshness;
  error: string | null;
}

export const TONE_OF: Record<IconColor, PaneTone> = {green: 'good', grey: 'muted', red: 'error', yellow: 'warn'};

export function runAndJobs(run: RunLike, jobs: JobLike[], now: number, waitingOn: string | null): {run: PipelineRun; jobs: PipelineJob[]} {
  const model = pipelineModel(run, jobs, now);
  return {
    run: {
      id: run.id,
      number: run.run_number ?? 0,
      name: run.name ?? 'workflow',
      status: model.status,
      conclusion: model.conclusion,
      branch: run.head_branch ?? '',
      event: run.event,
      sha: run.head_sha,
      htmlUrl: run.html_url,
      duration: model.elapsed,
      // A waiting run whose environments are not known yet still waits on something: say "approval".
      waitingOn: model.waiting ? waitingOn ?? 'approval' : null,
    },
    jobs: model.jobs.map(j => ({
      name: j.name, icon: j.icon, tone: TONE_OF[j.color], duration: j.elapsed ?? '', status: j.status, waiting: j.waiting,
      // The steps of a job still running: where exactly it is, as `gh run watch` shows.
      steps: j.status === 'in_progress' ? j.steps.map(st => ({name: st.name, icon: st.icon, tone: TONE_OF[st.color], duration: st.elapsed ?? ''})) : [],
    })),
  };
}

/** Compact ages for the title's right side: `4s`, `2m`, `1h`. */
export function shortAge(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m`;
  return `${Math.floor(s / 3600)}h`;
}

/**
 * How old the pane's data is. Polls answered (200 or 304) keep it live; a failing poll after a good
 * one makes it stale (the jobs shown may be behind); a finished run is final, its age irrelevant.
 */
export function pipelineFreshness(input: {lastOkAt: number | null; error: string | null; done: boolean; pollMs: number}, now: number): PipelineFreshness {
  if (input.lastOkAt === null) return input.error ? {label: 'error', tone: 'error'} : {label: 'connecting…', tone: 'muted'};
  const age = now - input.lastOkAt;
  if (input.error) return {label: `stale ${shortAge(age)}`, tone: 'error'};
  if (input.done) return {label: '● final', tone: 'muted'};
  // Three missed polls without an error: something is slow (a long retry-after wait).
  if (age > input.pollMs * 3 + 2000) return {label: `stale ${shortAge(age)}`, tone: 'warn'};
  return {label: `● ${shortAge(age)}`, tone: 'good'};
}

export const NOT_CONFIGURED: PipelineSnapshot = {
  configured: false,
  repository: null,
  following: {kind: 'latest', branch: null},
  run: null,
  jobs: [],
  freshness: {label: 'connecting…', tone: 'muted'},
  error: null,
};

/** The run the approval dialog may open on (it waits on an environment), with a title naming it. */
export function reviewableRun(snapshot: Pick<PipelineSnapshot, 'run'>): {runId: number; title: string} | null {
  const run = snapshot.run;
  if (!run?.waitingOn || run.status === 'completed') return null;
  return {runId: run.id, title: `${run.name} #${run.number}`};
}
