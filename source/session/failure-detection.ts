// The first sign of a failure, as the app sees it: a pod crash-looping (or erroring, or unable to pull its image), a
// rollout past its progress deadline, a health or smoke check that failed, a job of the deploy's own pipeline run
// that failed. Pure, over the plain shapes the panes and the session already hold (no UI types here), so the screen's
// watcher (ui/use-incident-detection.ts) and the tests ask the same questions.

import type {DetectionSource} from './events.js';
import type {SessionController} from './controller.js';
import type {RunRecord} from './session-state.js';
import {runFailed} from './session-state.js';

export interface Detection {
  source: DetectionSource;
  what: string;
}

/** Pod statuses that mean the release does not run (kubectl's STATUS column). */
const FAILING_POD = /^(CrashLoopBackOff|Error|ImagePullBackOff|ErrImagePull|CreateContainerConfigError|OOMKilled|RunContainerError|InvalidImageName)$/;

export function podFailure(pods: ReadonlyArray<{name: string; status: string; restarts?: string}>): Detection | null {
  const failing = pods.filter(p => FAILING_POD.test(p.status));
  const first = failing[0];
  if (!first) return null;
  const more = failing.length > 1 ? ` (and ${failing.length - 1} more)` : '';
  return {source: 'pod', what: `pod ${first.name} ${first.status}${first.restarts ? `, restarts ${first.restarts}` : ''}${more}`};
}

export function rolloutFailure(rollout: {name: string; failed: boolean; message: string} | null | undefined): Detection | null {
  if (!rollout?.failed) return null;
  return {source: 'rollout', what: `rollout of ${rollout.name}: ${rollout.message}`};
}

/**
 * A failed job of the pipeline run the session follows for its own commit (a merge it made): the newest run of a
 * branch may have failed days before this session, and is not this deploy's failure.
 */
export function pipelineFailure(p: {following: {kind: string}; run: {number: number; name: string; conclusion: string | null} | null; jobs: ReadonlyArray<{name: string; icon: string; status: string}>}): Detection | null {
  if (p.following.kind !== 'commit' || !p.run || p.run.conclusion === 'cancelled') return null;
  const job = p.jobs.find(j => j.icon === 'X' && j.status === 'completed');
  if (job) return {source: 'pipeline', what: `pipeline ${p.run.name} #${p.run.number}: job ${job.name} failed`};
  if (p.run.conclusion === 'failure' || p.run.conclusion === 'timed_out') return {source: 'pipeline', what: `pipeline ${p.run.name} #${p.run.number}: ${p.run.conclusion}`};
  return null;
}

/** A block that checks the service's health or runs its smoke tests: by its command, or by its step's title. */
export const HEALTH_CHECK = /\b(health(?:z|check)?|readyz|livez|smoke|ready)\b/i;

export function healthFailure(runs: readonly RunRecord[], stepTitle: (stepId: string) => string): Detection | null {
  const failed = runs.find(r => runFailed(r) && (HEALTH_CHECK.test(r.command) || HEALTH_CHECK.test(stepTitle(r.stepId))));
  if (!failed) return null;
  const command = failed.command.split('\n').find(l => l.trim() && !l.trim().startsWith('#'))?.trim() ?? failed.command;
  return {source: 'health', what: `health check failed (exit ${failed.finished?.exitCode ?? '?'}) in “${stepTitle(failed.stepId)}”: ${command.slice(0, 120)}`};
}

/**
 * Records the first failure seen, once per session: not again once one was recorded, nor after the incident was
 * resolved. Returns whether it recorded one.
 */
export function noticeFailure(controller: Pick<SessionController, 'session' | 'readOnly' | 'recordIncident'>, detection: Detection | null): boolean {
  if (!detection || controller.readOnly) return false;
  const {detected, resolved} = controller.session;
  if (detected || resolved) return false;
  return controller.recordIncident('detected', detection.what, detection.source);
}

/** The session's own runs: a failed health or smoke check. */
export function noticeRunFailure(controller: Pick<SessionController, 'session' | 'readOnly' | 'recordIncident' | 'steps'>): boolean {
  if (controller.session.detected) return false;
  const title = (id: string) => controller.steps.find(s => s.id === id)?.title ?? id;
  return noticeFailure(controller, healthFailure(controller.session.runs, title));
}
