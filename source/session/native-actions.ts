// A guide's `gh` blocks done natively through the GitHub API (open the release PR, approve, merge, dispatch the
// rollback): refused without the typed confirmation, recorded as a run of the block (its job done, or not), said in
// one line. A step that this made done is marked so: "done by m: Opened #12 …" (step-purpose.ts).

import type {Answers} from './questions.js';
import type {SessionController} from './controller.js';
import {markMet, nativeMark} from './step-purpose.js';

export async function performNative(controller: SessionController, blockId: string, answers: Answers): Promise<{ok: boolean; message: string} | null> {
  const found = controller.block(blockId);
  if (!found || controller.readOnly) return null;
  const {guideActionFor, performGuideAction} = await import('../github/guide-actions.js');
  const action = guideActionFor(found.block.commands);
  if (!action) return null;
  if (found.block.dangerous && !answers.confirmed) {
    controller.refuse(blockId, 'the typed confirmation did not match');
    return null;
  }
  const {runbook, github} = controller;
  const started = Date.now();
  try {
    const repository = typeof runbook.frontMatter.repository === 'string' ? runbook.frontMatter.repository : undefined;
    const outcome = await performGuideAction(action, controller.shell().env, github, repository, (env, front) => controller.clients.gitHubTarget(env, front));
    if (outcome.prNumber) github.prNumber = outcome.prNumber;
    if (outcome.mergeSha) {
      github.mergeSha = outcome.mergeSha;
      // The merge's run: of the runbook's workflow when it names one, else whichever run GitHub starts for it.
      github.follow = {workflow: runbook.targets?.primary.workflow ?? null, sha: outcome.mergeSha};
    }
    if (outcome.follow) github.follow = outcome.follow;
    controller.recordAction(found.step.id, {command: outcome.command, ok: true, message: outcome.message, blockId, native: 'm', durationMs: Date.now() - started});
    markMet(controller, found.step.id, nativeMark(controller.session, found.step, 'm', outcome.message));
    return {ok: true, message: outcome.message};
  } catch (error) {
    const message = (error as Error).message.split('\n')[0] ?? String(error);
    const command = `${found.block.commands[0]?.split('\n')[0] ?? action.kind}  # native, refused`;
    controller.recordAction(found.step.id, {command, ok: false, message, blockId, native: 'm', durationMs: Date.now() - started});
    return {ok: false, message};
  }
}
