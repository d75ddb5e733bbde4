// `--share` (or front matter `share: true`) on a session being opened: the cluster of the session's environment (a
// rehearsal's sandbox, else the current context), the permissions, the wheel, and the cluster's copy written.

import {existsSync, readFileSync} from 'node:fs';
import {join} from 'node:path';
import type {Runbook} from '../runbook/model.js';
import {spellsOutSecret} from '../runbook/cache.js';
import type {SessionClients} from '../session/clients.js';
import type {DurableSessionStore} from '../session/durable-store.js';
import type {SharedSession} from '../share/shared-session.js';
import {DEFAULT_SHARE_NAMESPACE} from '../share/types.js';
import type {Rehearsal} from './rehearsal-setup.js';

export interface ShareAsked {
  on: boolean;
  namespace: string | null;
}

/** Whether this session is to be shared, and where: the command line, else the runbook's front matter. */
export function shareOf(asked: ShareAsked | undefined, runbook: Runbook): {namespace: string} | null {
  const fm = runbook.frontMatter;
  const on = asked?.on || fm.share === true || fm.share === 'true';
  if (!on) return null;
  const fromRunbook = typeof fm['share-namespace'] === 'string' ? fm['share-namespace'] : null;
  return {namespace: asked?.namespace ?? fromRunbook ?? DEFAULT_SHARE_NAMESPACE};
}

export async function startSharing(options: {
  share: {namespace: string};
  runbook: Runbook;
  store: DurableSessionStore;
  rehearsal: Rehearsal | null;
  clients: SessionClients;
  stateDir: string;
}): Promise<SharedSession> {
  const {runbook, store, rehearsal} = options;
  // A rehearsal shares on its sandbox, the cluster its blocks run against: never on a real one.
  if (rehearsal) await rehearsal.ready;
  const env = rehearsal?.sandbox ? {...process.env, ...rehearsal.sandbox.env} : process.env;
  const client = await options.clients.kube(env);
  const {ShareError, startDriving} = await import('../share/open-shared.js');
  if (!client) throw new ShareError("--share needs a cluster: none is configured (KUBECONFIG, or a rehearsal's sandbox)");
  const text = readFileSync(runbook.path, 'utf8');
  const meta = store.meta;
  return startDriving({
    client,
    namespace: options.share.namespace,
    stateDir: options.stateDir,
    local: store,
    head: {
      id: store.id,
      runbook: {path: runbook.path, title: runbook.title, hash: runbook.hash},
      kind: meta.kind,
      startedAt: meta.createdAt,
      sharedBy: '',
      // A runbook that spells out a secret is not published: followers need their own copy of it (same hash).
      runbookText: spellsOutSecret(text) ? '' : text,
      ...(meta.rehearsal ? {rehearsal: {scenario: meta.rehearsal.scenario}} : {}),
    },
  });
}

/**
 * The cluster `join` and `status --cluster` look at: the current context's, else — nothing configured — a sandbox of
 * this state directory (a rehearsal shared from another terminal of the same checkout, or `runbook sandbox`).
 */
export async function sharedCluster(clients: SessionClients, stateDir: string) {
  const configured = await clients.kube(process.env);
  if (configured) return configured;
  for (const file of [join(stateDir, 'sandbox', 'cluster', 'kubeconfig'), join(stateDir, 'sandbox', 'kubeconfig')]) {
    if (!existsSync(file)) continue;
    // The whole process looks at that cluster then: the panes and the blocks of a follower that takes the wheel too.
    process.env.KUBECONFIG = file;
    return clients.kube(process.env);
  }
  return null;
}
