// `runbook status --cluster`: the sessions shared on the cluster of the current context, who drives each and whether
// the driver is still renewing its Lease; `runbook join ID` follows one.

import {InputError} from '../runbook/errors.js';
import {SessionClients} from '../session/clients.js';
import {DEFAULT_SHARE_NAMESPACE, personOf} from '../share/types.js';
import {safeText} from '../terminal/safe-text.js';
import {sharedCluster} from './share-start.js';
import {padEnd, truncate} from '../ui/text.js';

export async function clusterStatusCommand(options: {namespace: string | null; json: boolean; stateDir: string}): Promise<number> {
  const client = await sharedCluster(new SessionClients(), options.stateDir);
  if (!client) throw new InputError("no cluster configured: 'runbook status --cluster' lists the sessions shared on the cluster of the current context (KUBECONFIG)");
  const namespace = options.namespace ?? DEFAULT_SHARE_NAMESPACE;
  const {listSessions} = await import('../share/sessions.js');
  const {checkShareAccess} = await import('../share/rbac.js');
  const sessions = await listSessions(client, namespace).catch(async (error: {code?: number; message?: string}) => {
    if (error.code === 404) return [];
    const denied = error.code === 403 ? await checkShareAccess(client, namespace) : null;
    throw new InputError(denied ?? `cannot list the shared sessions in ${namespace}: ${error.message ?? String(error)}`);
  });
  if (options.json) {
    process.stdout.write(`${JSON.stringify(sessions, null, 2)}\n`);
    return 0;
  }
  if (!sessions.length) {
    process.stdout.write(`No shared session in namespace ${namespace} ('runbook FILE --share' shares one).\n`);
    return 0;
  }
  const rows = sessions.map(s => [s.id, truncate(s.title, 40), s.expired ? (s.holder ? `${personOf(s.holder)} (lease expired)` : 'nobody') : personOf(s.holder), String(s.events), s.startedAt.replace(/\.\d+Z$/, 'Z')].map(c => safeText(c)));
  const head = ['SESSION', 'RUNBOOK', 'DRIVER', 'EVENTS', 'STARTED'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map(r => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : padEnd(c, widths[i]! + 2))).join('');
  process.stdout.write(`${[line(head), ...rows.map(line)].join('\n')}\n\nFollow one: runbook join SESSION${namespace === DEFAULT_SHARE_NAMESPACE ? '' : ` --share-namespace ${namespace}`}\n`);
  return 0;
}
