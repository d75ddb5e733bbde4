// The workloads a namespace holds, for a runbook that names none: when there is exactly one Deployment,
// StatefulSet or DaemonSet, that is the one the ROLLOUT pane and the native rollback mean.
import type {KubeClient} from './client.js';
import type {WorkloadKind} from '../runbook/targets-model.js';

export interface WorkloadRef {
  kind: WorkloadKind;
  name: string;
}

const KINDS = [
  ['deployment', 'deployments'],
  ['statefulset', 'statefulsets'],
  ['daemonset', 'daemonsets'],
] as const;

/** Every Deployment, StatefulSet and DaemonSet of the namespace, in that order, by name. */
export async function workloadsIn(client: Pick<KubeClient, 'list'>, namespace: string, signal?: AbortSignal): Promise<WorkloadRef[]> {
  const lists = await Promise.all(KINDS.map(([kind, resource]) => client.list(resource, namespace, {}, signal).then(r => r.items.map(o => ({kind, name: o.metadata.name})))));
  return lists.flatMap(list => list.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)));
}

/** The one workload of the namespace, or why there is none to pick. */
export function onlyWorkload(found: readonly WorkloadRef[], namespace: string): {workload: WorkloadRef; why?: undefined} | {workload?: undefined; why: string} {
  if (found.length === 1) return {workload: found[0]!};
  return {why: found.length === 0 ? `no workload in ${namespace}` : `${found.length} workloads in ${namespace}, none named`};
}
