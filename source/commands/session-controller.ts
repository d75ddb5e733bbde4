// The session controller of `runbook [FILE]` and of `runbook rehearse --headless` alike: one construction, so a
// headless rehearsal records exactly what the guided screen would (no React or Ink is loaded here).

import {currentKubeTarget} from '../kube/current-context.js';
import {initialShellState} from '../exec/shell-state.js';
import type {Runbook} from '../runbook/model.js';
import {SessionController, type Handover} from '../session/controller.js';
import type {SessionStore} from '../session/store.js';
import type {Rehearsal} from './rehearsal-setup.js';
import type {SessionClients} from '../session/clients.js';

export function sessionController(runbook: Runbook, store: SessionStore, rehearsal: Rehearsal | null, handover: Handover, clients?: SessionClients): SessionController {
  return new SessionController({
    ...(clients ? {clients} : {}),
    runbook,
    store,
    shell: rehearsal ? rehearsal.shell : initialShellState(),
    handover,
    ready: rehearsal?.ready,
    ...(rehearsal ? {workspace: rehearsal.workspace, placeholderDefault: rehearsal.placeholderDefault} : {}),
    context: env => {
      const kube = currentKubeTarget(env);
      const repository = env.GITHUB_REPOSITORY;
      return {...(kube ? {kubeContext: kube.context, namespace: kube.namespace} : {}), ...(repository ? {repository} : {})};
    },
  });
}
