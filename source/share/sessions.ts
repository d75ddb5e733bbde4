// The shared sessions in a namespace, for `runbook status --cluster` and `runbook join` without an id: each head with
// its Lease's holder and how many events its log holds. Expiry here is judged by the Lease's renewTime against this
// machine's clock (a listing has no earlier observation to go by), so a skewed clock can misjudge it by its skew.

import type {KubeClient} from '../kube/client.js';
import type {KubeObject} from '../kube/types.js';
import type {SessionKind} from '../session/schema.js';
import {recordOf} from './lease-lock.js';
import {type ConfigMap, parseHead} from './log-fold.js';
import {LABELS} from './types.js';

export interface SharedSessionInfo {
  id: string;
  namespace: string;
  title: string;
  runbookPath: string;
  kind: SessionKind;
  startedAt: string;
  sharedBy: string;
  /** '' when released or no Lease exists. */
  holder: string;
  renewTime: string | null;
  /** No holder, or the holder's last renewal is older than its lease duration. */
  expired: boolean;
  /** A holder renewing in time: someone drives it now. */
  driving: boolean;
  /** Entries in the log (a rare duplicate from a retried write counts twice). */
  events: number;
}

/** Most recently active first (the last renewal, else the start). */
export async function listSessions(client: Pick<KubeClient, 'list'>, namespace: string, now = Date.now()): Promise<SharedSessionInfo[]> {
  const [heads, logs, leases] = await Promise.all([
    client.list<ConfigMap>('configmaps', namespace, {labelSelector: `${LABELS.part}=head,${LABELS.managedBy}=runbook`}),
    client.list<ConfigMap>('configmaps', namespace, {labelSelector: `${LABELS.part}=log,${LABELS.managedBy}=runbook`}),
    client.list<KubeObject>('leases', namespace, {labelSelector: `${LABELS.managedBy}=runbook`}),
  ]);
  const counts = new Map<string, number>();
  for (const cm of logs.items) {
    const session = cm.metadata.labels?.[LABELS.session] ?? '';
    counts.set(session, (counts.get(session) ?? 0) + Object.keys(cm.data ?? {}).length);
  }
  // The Lease is named like the head: `runbook-<id>`.
  const leaseByName = new Map(leases.items.map(l => [l.metadata.name, recordOf(l as Parameters<typeof recordOf>[0])]));
  const out: SharedSessionInfo[] = [];
  for (const cm of heads.items) {
    const head = parseHead(cm);
    if (!head) continue;
    const lease = leaseByName.get(cm.metadata.name);
    const renewed = lease?.renewTime ? Date.parse(lease.renewTime) : NaN;
    const live = !!lease?.holderIdentity && Number.isFinite(renewed) && renewed + lease.leaseDurationSeconds * 1000 > now;
    out.push({
      id: head.id,
      namespace,
      title: head.runbook.title,
      runbookPath: head.runbook.path,
      kind: head.kind,
      startedAt: head.startedAt,
      sharedBy: head.sharedBy,
      holder: lease?.holderIdentity ?? '',
      renewTime: lease?.renewTime ?? null,
      expired: !live,
      driving: live,
      events: counts.get(cm.metadata.labels?.[LABELS.session] ?? '') ?? 0,
    });
  }
  const active = (s: SharedSessionInfo) => Math.max(Date.parse(s.renewTime ?? '') || 0, Date.parse(s.startedAt) || 0);
  return out.sort((a, b) => active(b) - active(a));
}
