// meta.k8s.io/v1 Table responses with the columns kubectl's own printers (printers.go) produce,
// so `kubectl get` output from the sandbox is indistinguishable from a real cluster's.
import {ageSince, podStatus} from '../../kube/pod-status.js';
import type {KubeObject} from './types.js';

interface Column {
	name: string;
	type: 'string' | 'integer' | 'number';
	format?: string;
	priority?: number;
}

type Cell = string | number;
type Printer = {columns: Column[]; cells: (obj: KubeObject, now: number) => Cell[]};

const name: Column = {name: 'Name', type: 'string', format: 'name'};
const age: Column = {name: 'Age', type: 'string'};
const str = (n: string, priority = 0): Column => ({name: n, type: 'string', ...(priority ? {priority} : {})});
const int = (n: string, priority = 0): Column => ({name: n, type: 'integer', ...(priority ? {priority} : {})});
const none = (v: string | undefined) => (v ? v : '<none>');

/** formatResourceName with kind: `statefulset.apps/web`. */
function controllerName(obj: KubeObject): string {
	const ref = obj.metadata.ownerReferences?.find(r => r.controller);
	if (!ref) return '<none>';
	const group = ref.apiVersion.includes('/') ? ref.apiVersion.split('/')[0] : '';
	return `${ref.kind.toLowerCase()}${group ? `.${group}` : ''}/${ref.name}`;
}

function labelsText(labels: Record<string, string> | undefined): string {
	const keys = Object.keys(labels ?? {}).sort();
	return keys.length > 0 ? keys.map(k => `${k}=${labels![k]}`).join(',') : '<none>';
}

function containersAndImages(template: any): [string, string] {
	const cs: any[] = template?.spec?.containers ?? [];
	return [cs.map(c => c.name).join(','), cs.map(c => c.image).join(',')];
}

function selectorText(selector: any): string {
	const labels = Object.entries(selector?.matchLabels ?? selector ?? {}).map(([k, v]) => `${k}=${String(v)}`);
	return labels.length > 0 ? labels.join(',') : '<none>';
}

function servicePorts(svc: KubeObject): string {
	const ports: any[] = svc.spec?.ports ?? [];
	if (ports.length === 0) return '<none>';
	return ports
		.map(p => (p.nodePort ? `${p.port}:${p.nodePort}/${p.protocol ?? 'TCP'}` : `${p.port}/${p.protocol ?? 'TCP'}`))
		.join(',');
}

function externalIp(svc: KubeObject): string {
	const type = svc.spec?.type ?? 'ClusterIP';
	const external: string[] = svc.spec?.externalIPs ?? [];
	if (type === 'LoadBalancer') {
		const ingress: any[] = svc.status?.loadBalancer?.ingress ?? [];
		const ips = [...ingress.map(i => i.ip ?? i.hostname).filter(Boolean), ...external];
		return ips.length > 0 ? ips.join(',') : '<pending>';
	}
	if (type === 'ExternalName') return svc.spec?.externalName ?? '<none>';
	return external.length > 0 ? external.join(',') : '<none>';
}

function nodeRoles(node: KubeObject): string {
	const roles = Object.keys(node.metadata.labels ?? {})
		.filter(k => k.startsWith('node-role.kubernetes.io/'))
		.map(k => k.slice('node-role.kubernetes.io/'.length));
	return roles.length > 0 ? roles.sort().join(',') : '<none>';
}

function endpointsText(ep: KubeObject): string {
	const all: string[] = [];
	for (const subset of (ep as any).subsets ?? []) {
		for (const port of subset.ports ?? [{port: undefined}]) {
			for (const addr of subset.addresses ?? []) all.push(port.port ? `${addr.ip}:${port.port}` : addr.ip);
		}
	}
	if (all.length === 0) return '<none>';
	return all.length > 3 ? `${all.slice(0, 3).join(',')} + ${all.length - 3} more...` : all.join(',');
}

const PRINTERS: Record<string, Printer> = {
	pods: {
		columns: [name, str('Ready'), str('Status'), str('Restarts'), age, str('IP', 1), str('Node', 1), str('Nominated Node', 1), str('Readiness Gates', 1)],
		cells: (pod, now) => {
			const s = podStatus(pod, now);
			const gates: any[] = pod.spec?.readinessGates ?? [];
			return [
				pod.metadata.name, s.ready, s.status, s.restarts, s.age,
				none(pod.status?.podIP), none(pod.spec?.nodeName), none(pod.status?.nominatedNodeName),
				gates.length > 0 ? `0/${gates.length}` : '<none>',
			];
		},
	},
	deployments: {
		columns: [name, str('Ready'), int('Up-to-date'), int('Available'), age, str('Containers', 1), str('Images', 1), str('Selector', 1)],
		cells: (d, now) => [
			d.metadata.name,
			`${d.status?.readyReplicas ?? 0}/${d.spec?.replicas ?? 0}`,
			d.status?.updatedReplicas ?? 0,
			d.status?.availableReplicas ?? 0,
			ageSince(d.metadata.creationTimestamp, now),
			...containersAndImages(d.spec?.template),
			selectorText(d.spec?.selector),
		],
	},
	replicasets: {
		columns: [name, int('Desired'), int('Current'), int('Ready'), age, str('Containers', 1), str('Images', 1), str('Selector', 1)],
		cells: (rs, now) => [
			rs.metadata.name, rs.spec?.replicas ?? 0, rs.status?.replicas ?? 0, rs.status?.readyReplicas ?? 0,
			ageSince(rs.metadata.creationTimestamp, now),
			...containersAndImages(rs.spec?.template),
			selectorText(rs.spec?.selector),
		],
	},
	statefulsets: {
		columns: [name, str('Ready'), age, str('Containers', 1), str('Images', 1)],
		cells: (sts, now) => [
			sts.metadata.name,
			`${sts.status?.readyReplicas ?? 0}/${sts.spec?.replicas ?? 0}`,
			ageSince(sts.metadata.creationTimestamp, now),
			...containersAndImages(sts.spec?.template),
		],
	},
	daemonsets: {
		columns: [name, int('Desired'), int('Current'), int('Ready'), int('Up-to-date'), int('Available'), str('Node Selector'), age, str('Containers', 1), str('Images', 1), str('Selector', 1)],
		cells: (ds, now) => [
			ds.metadata.name,
			ds.status?.desiredNumberScheduled ?? 0,
			ds.status?.currentNumberScheduled ?? 0,
			ds.status?.numberReady ?? 0,
			ds.status?.updatedNumberScheduled ?? 0,
			ds.status?.numberAvailable ?? 0,
			labelsText(ds.spec?.template?.spec?.nodeSelector),
			ageSince(ds.metadata.creationTimestamp, now),
			...containersAndImages(ds.spec?.template),
			selectorText(ds.spec?.selector),
		],
	},
	controllerrevisions: {
		columns: [name, str('Controller'), {name: 'Revision', type: 'number'}, age],
		cells: (cr, now) => [cr.metadata.name, controllerName(cr), Number((cr as any).revision ?? 0), ageSince(cr.metadata.creationTimestamp, now)],
	},
	services: {
		columns: [name, str('Type'), str('Cluster-IP'), str('External-IP'), str('Port(s)'), age, str('Selector', 1)],
		cells: (svc, now) => [
			svc.metadata.name, svc.spec?.type ?? 'ClusterIP', none(svc.spec?.clusterIP), externalIp(svc), servicePorts(svc),
			ageSince(svc.metadata.creationTimestamp, now), selectorText(svc.spec?.selector),
		],
	},
	events: {
		columns: [str('Last Seen'), str('Type'), str('Reason'), str('Object'), str('Message'), str('Subobject', 1), str('Source', 1), str('First Seen', 1), int('Count', 1), str('Name', 1)],
		cells: (ev: any, now) => {
			const first = ev.firstTimestamp ?? ev.eventTime;
			const involved = ev.involvedObject ?? {};
			const target = involved.name ? `${String(involved.kind).toLowerCase()}/${involved.name}` : String(involved.kind ?? '').toLowerCase();
			const source = [ev.source?.component, ev.source?.host].filter(Boolean).join(', ');
			return [
				ageSince(ev.lastTimestamp ?? first, now), ev.type ?? '', ev.reason ?? '', target, ev.message ?? '',
				involved.fieldPath ?? '', source, ageSince(first, now), ev.count ?? 1, ev.metadata.name,
			];
		},
	},
	namespaces: {
		columns: [name, str('Status'), age],
		cells: (ns, now) => [ns.metadata.name, ns.status?.phase ?? 'Active', ageSince(ns.metadata.creationTimestamp, now)],
	},
	nodes: {
		columns: [name, str('Status'), str('Roles'), age, str('Version'), str('Internal-IP', 1), str('External-IP', 1), str('OS-Image', 1), str('Kernel-Version', 1), str('Container-Runtime', 1)],
		cells: (node, now) => {
			const ready = (node.status?.conditions ?? []).find((c: any) => c.type === 'Ready');
			let status = ready?.status === 'True' ? 'Ready' : ready ? 'NotReady' : 'Unknown';
			if (node.spec?.unschedulable) status += ',SchedulingDisabled';
			const addr = (type: string) => (node.status?.addresses ?? []).find((a: any) => a.type === type)?.address;
			const info = node.status?.nodeInfo ?? {};
			return [
				node.metadata.name, status, nodeRoles(node), ageSince(node.metadata.creationTimestamp, now), info.kubeletVersion ?? '',
				none(addr('InternalIP')), none(addr('ExternalIP')), info.osImage ?? '', info.kernelVersion ?? '', info.containerRuntimeVersion ?? '',
			];
		},
	},
	configmaps: {
		columns: [name, int('Data'), age],
		cells: (cm: any, now) => [
			cm.metadata.name, Object.keys(cm.data ?? {}).length + Object.keys(cm.binaryData ?? {}).length, ageSince(cm.metadata.creationTimestamp, now),
		],
	},
	leases: {
		// printLease: an unset holder prints as an empty cell.
		columns: [name, str('Holder'), age],
		cells: (lease, now) => [lease.metadata.name, lease.spec?.holderIdentity ?? '', ageSince(lease.metadata.creationTimestamp, now)],
	},
	endpoints: {
		columns: [name, str('Endpoints'), age],
		cells: (ep, now) => [ep.metadata.name, endpointsText(ep), ageSince(ep.metadata.creationTimestamp, now)],
	},
};

export type IncludeObject = 'None' | 'Metadata' | 'Object';

function rowObject(obj: KubeObject, include: IncludeObject): object | undefined {
	if (include === 'None') return undefined;
	if (include === 'Object') return obj;
	return {kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: obj.metadata};
}

export function tableRow(resource: string, obj: KubeObject, include: IncludeObject, now = Date.now()) {
	const printer = PRINTERS[resource];
	const cells = printer ? printer.cells(obj, now) : [obj.metadata.name, ageSince(obj.metadata.creationTimestamp, now)];
	const object = rowObject(obj, include);
	return object ? {cells, object} : {cells};
}

export function columnDefinitions(resource: string) {
	const columns = PRINTERS[resource]?.columns ?? [name, age];
	return columns.map(c => ({
		name: c.name,
		type: c.type,
		format: c.format ?? '',
		description: c.name === 'Name' ? 'Name must be unique within a namespace.' : `${c.name} column.`,
		priority: c.priority ?? 0,
	}));
}

export function toTable(
	resource: string,
	objects: KubeObject[],
	include: IncludeObject,
	meta: {resourceVersion?: string; continue?: string; remainingItemCount?: number},
) {
	const now = Date.now();
	return {
		kind: 'Table',
		apiVersion: 'meta.k8s.io/v1',
		metadata: meta,
		columnDefinitions: columnDefinitions(resource),
		rows: objects.map(o => tableRow(resource, o, include, now)),
	};
}
