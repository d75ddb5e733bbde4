// The plain-JSON shapes the panes work on: what the API server sends on the wire (timestamps as
// RFC 3339 strings), whether an object came from a LIST, a WATCH or a typed client-node call
// (client.ts normalises the latter). Only the fields the panes and the rollback read are typed.
import type {PodLike} from './pod-status.js';

export interface OwnerReference {
	apiVersion?: string;
	kind: string;
	name: string;
	uid: string;
	controller?: boolean;
}

export interface ObjectMeta {
	name: string;
	namespace?: string;
	uid?: string;
	resourceVersion?: string;
	generation?: number;
	creationTimestamp?: string;
	deletionTimestamp?: string;
	labels?: Record<string, string>;
	annotations?: Record<string, string>;
	ownerReferences?: OwnerReference[];
}

export interface KubeObject {
	apiVersion?: string;
	kind?: string;
	metadata: ObjectMeta;
	[key: string]: unknown;
}

export type Pod = KubeObject & PodLike & {metadata: ObjectMeta};

export interface Container {
	name: string;
	image?: string;
	env?: Array<{name: string; value?: string; valueFrom?: unknown}>;
	resources?: {limits?: Record<string, string>; requests?: Record<string, string>};
	[key: string]: unknown;
}

export interface PodTemplate {
	metadata?: {labels?: Record<string, string>; annotations?: Record<string, string>; [key: string]: unknown};
	spec?: {containers?: Container[]; initContainers?: Container[]; [key: string]: unknown};
}

export interface LabelSelector {
	matchLabels?: Record<string, string>;
	matchExpressions?: Array<{key: string; operator: string; values?: string[]}>;
}

export interface DeploymentCondition {
	type: string;
	status: string;
	reason?: string;
	message?: string;
	lastUpdateTime?: string;
	lastTransitionTime?: string;
}

export interface Deployment extends KubeObject {
	spec?: {
		replicas?: number;
		paused?: boolean;
		progressDeadlineSeconds?: number;
		selector?: LabelSelector;
		template?: PodTemplate;
		[key: string]: unknown;
	};
	status?: {
		observedGeneration?: number;
		replicas?: number;
		updatedReplicas?: number;
		readyReplicas?: number;
		availableReplicas?: number;
		unavailableReplicas?: number;
		conditions?: DeploymentCondition[];
	};
}

export interface ReplicaSet extends KubeObject {
	spec?: {replicas?: number; selector?: LabelSelector; template?: PodTemplate};
	status?: {replicas?: number; readyReplicas?: number; availableReplicas?: number};
}

export interface KubeEvent extends KubeObject {
	type?: string;
	reason?: string;
	message?: string;
	count?: number;
	firstTimestamp?: string;
	lastTimestamp?: string;
	eventTime?: string;
	involvedObject?: {kind?: string; name?: string; namespace?: string; uid?: string};
}

/** RollingUpdate or OnDelete, with the partition a StatefulSet's update stops at. */
export interface UpdateStrategy {
	type?: string;
	rollingUpdate?: {partition?: number; maxUnavailable?: number | string; maxSurge?: number | string};
}

export interface StatefulSet extends KubeObject {
	spec?: {
		replicas?: number;
		selector?: LabelSelector;
		template?: PodTemplate;
		updateStrategy?: UpdateStrategy;
		podManagementPolicy?: string;
		[key: string]: unknown;
	};
	status?: {
		observedGeneration?: number;
		replicas?: number;
		readyReplicas?: number;
		currentReplicas?: number;
		updatedReplicas?: number;
		availableReplicas?: number;
		currentRevision?: string;
		updateRevision?: string;
	};
}

export interface DaemonSet extends KubeObject {
	spec?: {selector?: LabelSelector; template?: PodTemplate; updateStrategy?: UpdateStrategy; [key: string]: unknown};
	status?: {
		observedGeneration?: number;
		desiredNumberScheduled?: number;
		currentNumberScheduled?: number;
		updatedNumberScheduled?: number;
		numberReady?: number;
		numberAvailable?: number;
		numberUnavailable?: number;
	};
}

/** A StatefulSet's or DaemonSet's revision: `data` is the patch that restores its pod template. */
export interface ControllerRevision extends KubeObject {
	data?: unknown;
	revision?: number;
}

/** The namespaced kinds the panes watch, by their REST resource name. */
export type ResourceKind = 'pods' | 'deployments' | 'replicasets' | 'events' | 'statefulsets' | 'daemonsets' | 'controllerrevisions' | 'configmaps' | 'leases';

export const RESOURCE_PATHS: Record<ResourceKind, (namespace: string) => string> = {
	pods: ns => `/api/v1/namespaces/${encodeURIComponent(ns)}/pods`,
	events: ns => `/api/v1/namespaces/${encodeURIComponent(ns)}/events`,
	deployments: ns => `/apis/apps/v1/namespaces/${encodeURIComponent(ns)}/deployments`,
	replicasets: ns => `/apis/apps/v1/namespaces/${encodeURIComponent(ns)}/replicasets`,
	statefulsets: ns => `/apis/apps/v1/namespaces/${encodeURIComponent(ns)}/statefulsets`,
	daemonsets: ns => `/apis/apps/v1/namespaces/${encodeURIComponent(ns)}/daemonsets`,
	controllerrevisions: ns => `/apis/apps/v1/namespaces/${encodeURIComponent(ns)}/controllerrevisions`,
	configmaps: ns => `/api/v1/namespaces/${encodeURIComponent(ns)}/configmaps`,
	leases: ns => `/apis/coordination.k8s.io/v1/namespaces/${encodeURIComponent(ns)}/leases`,
};

/** apimachinery's LabelSelectorAsSelector, printed as the API's labelSelector query parameter. */
export function selectorString(selector: LabelSelector | undefined): string {
	const parts: string[] = [];
	for (const [k, v] of Object.entries(selector?.matchLabels ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
		parts.push(`${k}=${v}`);
	}
	for (const e of selector?.matchExpressions ?? []) {
		const values = [...(e.values ?? [])].sort().join(',');
		if (e.operator === 'In') parts.push(`${e.key} in (${values})`);
		else if (e.operator === 'NotIn') parts.push(`${e.key} notin (${values})`);
		else if (e.operator === 'Exists') parts.push(e.key);
		else if (e.operator === 'DoesNotExist') parts.push(`!${e.key}`);
	}
	return parts.join(',');
}
