// A failed block whose job the app can do natively is then done natively in a headless rehearsal, as the operator
// would press the key the failure's hint offers: m (the guide's gh release steps through the API), A (approve the
// run waiting on an environment, with its integer ids), u (kubectl's rollout undo, to the previous revision). The
// block still counts as failed — the rehearsal found a runbook that does not work as written — but the walk goes on
// with its job done, as the night would. Recorded as the screen records each (native runs of the block, its mark).

import {pendingDeployments, reviewDeployments} from '../github/approval.js';
import type {RepoTarget} from '../github/client.js';
import {guideActionFor} from '../github/guide-actions.js';
import {currentKubeTarget} from '../kube/current-context.js';
import {followRollout, performUndo, previewUndo} from '../kube/rollback.js';
import {revisionOf} from '../kube/rollout-model.js';
import {emptyCommandTargets, targetsOfCommand} from '../runbook/command-targets.js';
import type {Block, RunbookNode} from '../runbook/model.js';
import {resolveName, type Workload} from '../runbook/targets-model.js';
import type {SessionController} from '../session/controller.js';
import type {NativeKey} from '../session/events.js';
import type {Answers} from '../session/questions.js';
import {SessionActions} from '../session/session-actions.js';
import {blockDoneBy} from '../session/step-purpose.js';

export interface NativeDone {
  key: NativeKey;
  ok: boolean;
  message: string;
}

/** How long an approval waits for the run to reach its environment, and how long a rollback is followed. */
export const NATIVE_WAIT_MS = {approval: 120_000, rollout: 180_000, poll: 2000};

const messageOf = (error: unknown) => ((error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '').trim();

/** Does the failed block's job natively when its step offers that; null when nothing does it. */
export async function doneNatively(controller: SessionController, step: RunbookNode, block: Block, answers: Answers): Promise<NativeDone | null> {
  try {
    const action = guideActionFor(block.commands);
    if (action) {
      // As the operator would: a merge waits for the review and the required checks (a rehearsal walks faster).
      if (action.kind === 'merge-pr') await mergeable(controller);
      const outcome = await controller.native(block.id, answers);
      return outcome && {key: 'm', ...outcome};
    }
    if (blockDoneBy(step, 'A')?.id === block.id) return await approveWaiting(controller, step, block);
    if (blockDoneBy(step, 'u')?.id === block.id) return await undoNatively(controller, step, block);
  } catch (error) {
    return {key: guideActionFor(block.commands) ? 'm' : blockDoneBy(step, 'A')?.id === block.id ? 'A' : 'u', ok: false, message: messageOf(error)};
  }
  return null;
}

/** A: the run waiting on an environment (the merge's, else the newest) approved, every environment the token may review. */
async function approveWaiting(controller: SessionController, step: RunbookNode, block: Block): Promise<NativeDone> {
  const env = controller.shell().env;
  const front = controller.runbook.frontMatter.repository;
  const target = await controller.clients.gitHubTarget(env, typeof front === 'string' ? front : undefined);
  const runId = await waitingRun(target, controller.github.follow?.sha ?? null);
  if (runId === null) return {key: 'A', ok: false, message: 'no pipeline run is waiting for approval'};
  const pending = (await pendingDeployments(target, runId)).filter(p => p.canApprove);
  if (!pending.length) return {key: 'A', ok: false, message: `run ${runId} waits on no environment this token may review`};
  const comment = commentOf(block) ?? 'Approved in a headless rehearsal';
  const environments = pending.map(p => p.name);
  const report = {what: 'approve' as const, runId, environments, comment};
  let result: NativeDone;
  try {
    const answer = await reviewDeployments(target, {runId, environmentIds: pending.map(p => p.environmentId), state: 'approved', comment});
    result = {key: 'A', ok: true, message: `approved ${(answer.environments.length ? answer.environments : environments).join(', ')} (run ${runId})`};
  } catch (error) {
    result = {key: 'A', ok: false, message: messageOf(error)};
  }
  new SessionActions(controller).recordApproval(step.id, {...report, result: result.ok ? 'ok' : 'refused', message: result.message});
  return result;
}

/**
 * Resolves once the open release pull request could be merged (approved, its required checks passed: GitHub's
 * `mergeable_state` clean), or after the approval wait.
 */
async function mergeable(controller: SessionController): Promise<void> {
  const env = controller.shell().env;
  const front = controller.runbook.frontMatter.repository;
  const t = await controller.clients.gitHubTarget(env, typeof front === 'string' ? front : undefined);
  for (const deadline = Date.now() + NATIVE_WAIT_MS.approval; Date.now() < deadline; await new Promise(r => setTimeout(r, NATIVE_WAIT_MS.poll))) {
    const open = (await t.client.octokit.rest.pulls.list({owner: t.owner, repo: t.repo, state: 'open', per_page: 50})).data;
    const number = controller.github.prNumber ?? open.find(p => p.head.ref.startsWith('release/'))?.number;
    if (number === undefined) return;
    const {data: pr} = await t.client.octokit.rest.pulls.get({owner: t.owner, repo: t.repo, pull_number: number});
    if (pr.state !== 'open' || ['clean', 'unstable', 'has_hooks'].includes(pr.mergeable_state)) return;
  }
}

/** The run to approve: one waiting on an environment, once the run for `sha` (or any run still going) gets there. */
async function waitingRun(t: RepoTarget, sha: string | null): Promise<number | null> {
  for (const deadline = Date.now() + NATIVE_WAIT_MS.approval; ; await new Promise(r => setTimeout(r, NATIVE_WAIT_MS.poll))) {
    const {data} = await t.client.octokit.rest.actions.listWorkflowRunsForRepo({owner: t.owner, repo: t.repo, per_page: 20, ...(sha ? {head_sha: sha} : {})});
    const going = data.workflow_runs.filter(r => r.status !== 'completed');
    const waiting = going.find(r => r.status === 'waiting');
    if (waiting) return waiting.id;
    if (!going.length || Date.now() > deadline) return null;
  }
}

/** The block's own `-f comment=…`, as gh would send it. */
function commentOf(block: Block): string | null {
  const match = /(?:-f|-F|--field|--raw-field)\s+comment=(?:'([^']*)'|"([^"]*)"|(\S+))/.exec(block.commands.join('\n'));
  return match ? (match[1] ?? match[2] ?? match[3] ?? null) : null;
}

/** u: the block's workload rolled back to its previous revision, as kubectl's undo picks it, and followed to its end. */
async function undoNatively(controller: SessionController, step: RunbookNode, block: Block): Promise<NativeDone> {
  const env = controller.shell().env;
  const workload = undoneWorkload(block, env);
  if (!workload) return {key: 'u', ok: false, message: 'the block names no workload its rollout undo could be done for'};
  const client = await controller.clients.kube(env);
  if (!client) return {key: 'u', ok: false, message: 'no cluster configured (no kubeconfig with a current context)'};
  const {kind, name, namespace} = workload;
  const fromRevision = kind === 'deployment' ? revisionOf((await previewUndo({namespace, name, client})).deployment) : 0;
  const actions = new SessionActions(controller);
  const base = {namespace, deployment: name, ...(kind === 'deployment' ? {} : {kind}), fromRevision: Number.isNaN(fromRevision) ? 0 : fromRevision};
  let performed;
  try {
    performed = await performUndo({namespace, name, kind, client});
  } catch (error) {
    actions.recordUndo(step.id, {...base, toRevision: 0, image: '', result: 'failed', message: messageOf(error)}, true);
    return {key: 'u', ok: false, message: messageOf(error)};
  }
  const report = {...base, toRevision: performed.target.revision, image: performed.target.images[0] ?? ''};
  actions.recordUndo(step.id, {...report, result: performed.outcome === 'skipped' ? 'skipped' : 'rolled back', message: performed.message}, true);
  if (performed.outcome === 'skipped') return {key: 'u', ok: true, message: performed.message};
  const followed = await followRollout(namespace, name, () => undefined, {client, kind, timeoutMs: NATIVE_WAIT_MS.rollout});
  const ok = followed.outcome === 'success';
  actions.recordUndo(step.id, {...report, result: ok ? 'rolled back' : 'failed', message: followed.message}, false);
  return {key: 'u', ok, message: `${performed.message} to revision ${report.toRevision}; ${followed.message}`};
}

/** The workload of the block's first `kubectl rollout undo`, its namespace the command's, else the context's. */
function undoneWorkload(block: Block, env: Record<string, string>): {kind: Workload['kind']; name: string; namespace: string} | null {
  for (const command of block.commands) {
    const targets = targetsOfCommand(command, emptyCommandTargets());
    if (!targets.rollbacks.some(r => r.kind === 'kubectl-undo')) continue;
    const workload = targets.workloads[0];
    const name = workload && resolveName(workload.name, env);
    const namespaceName = workload?.namespace ?? targets.namespaces[0];
    const namespace = (namespaceName && resolveName(namespaceName, env)) || currentKubeTarget(env)?.namespace || 'default';
    if (workload && name) return {kind: workload.kind, name, namespace};
  }
  return null;
}
