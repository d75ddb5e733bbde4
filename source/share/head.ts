// The head of a shared session: one ConfigMap with the session's description and the runbook's text, so a follower
// can show the session without any of the driver's files. Labelled for `kubectl get -l` by runbook and hash.

import type {KubeClient} from '../kube/client.js';
import {RESOURCE_PATHS} from '../kube/types.js';
import {hashLabel, labelSlug} from './identity.js';
import {type ConfigMap, parseHead, partLabels, sessionNames} from './log-fold.js';
import {LABELS, type SessionHead} from './types.js';

const code = (error: unknown) => (error as {code?: number}).code;

/** A ConfigMap, or null when there is none. */
export async function getConfigMap(client: Pick<KubeClient, 'request'>, namespace: string, name: string, signal?: AbortSignal): Promise<ConfigMap | null> {
  try {
    return await client.request<ConfigMap>('GET', `${RESOURCE_PATHS.configmaps(namespace)}/${encodeURIComponent(name)}`, undefined, {signal});
  } catch (error) {
    if (code(error) === 404) return null;
    throw error;
  }
}

/** Creates the head (and the namespace when missing), or returns the head already there (a resumed share). */
export async function ensureHead(client: Pick<KubeClient, 'request'>, namespace: string, sessionId: string, head: SessionHead): Promise<SessionHead> {
  const name = sessionNames(sessionId).head;
  const existing = await getConfigMap(client, namespace, name);
  if (existing) return parseHead(existing) ?? head;
  await client.request('POST', '/api/v1/namespaces', {apiVersion: 'v1', kind: 'Namespace', metadata: {name: namespace}}).catch(error => {
    // Already there, or not ours to create (a Role in one namespace): the ConfigMap's own create says what is wrong.
    if (code(error) !== 409 && code(error) !== 403) throw error;
  });
  const {runbookText, ...rest} = head;
  const labels = {...partLabels(sessionId, 'head'), [LABELS.runbook]: labelSlug(head.runbook.title), [LABELS.hash]: hashLabel(head.runbook.hash)};
  const body = {apiVersion: 'v1', kind: 'ConfigMap', metadata: {name, labels}, data: {'head.json': JSON.stringify(rest), 'runbook.md': runbookText}};
  try {
    await client.request('POST', RESOURCE_PATHS.configmaps(namespace), body);
    return head;
  } catch (error) {
    if (code(error) !== 409) throw error;
    const raced = await getConfigMap(client, namespace, name);
    return (raced && parseHead(raced)) || head;
  }
}
