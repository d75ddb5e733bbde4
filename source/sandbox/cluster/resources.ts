// The resource types the sandbox serves. Discovery, routing and Tables all read this one list so
// that what kubectl discovers is exactly what the server answers.

export interface ResourceDef {
	name: string;
	singularName: string;
	kind: string;
	/** '' is the core group (`/api/v1`); any other is served under `/apis/<group>/v1`. */
	group: string;
	version: 'v1';
	namespaced: boolean;
	shortNames?: string[];
	categories?: string[];
	subresources?: string[];
}

const RW = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

export const RESOURCES: ResourceDef[] = [
	{name: 'namespaces', singularName: 'namespace', kind: 'Namespace', group: '', version: 'v1', namespaced: false, shortNames: ['ns'], subresources: ['status']},
	{name: 'nodes', singularName: 'node', kind: 'Node', group: '', version: 'v1', namespaced: false, shortNames: ['no'], subresources: ['status']},
	{name: 'pods', singularName: 'pod', kind: 'Pod', group: '', version: 'v1', namespaced: true, shortNames: ['po'], categories: ['all'], subresources: ['log', 'status']},
	{name: 'services', singularName: 'service', kind: 'Service', group: '', version: 'v1', namespaced: true, shortNames: ['svc'], categories: ['all'], subresources: ['status']},
	{name: 'endpoints', singularName: 'endpoints', kind: 'Endpoints', group: '', version: 'v1', namespaced: true, shortNames: ['ep']},
	{name: 'events', singularName: 'event', kind: 'Event', group: '', version: 'v1', namespaced: true, shortNames: ['ev']},
	{name: 'deployments', singularName: 'deployment', kind: 'Deployment', group: 'apps', version: 'v1', namespaced: true, shortNames: ['deploy'], categories: ['all'], subresources: ['scale', 'status']},
	{name: 'replicasets', singularName: 'replicaset', kind: 'ReplicaSet', group: 'apps', version: 'v1', namespaced: true, shortNames: ['rs'], categories: ['all'], subresources: ['scale', 'status']},
	{name: 'statefulsets', singularName: 'statefulset', kind: 'StatefulSet', group: 'apps', version: 'v1', namespaced: true, shortNames: ['sts'], categories: ['all'], subresources: ['scale', 'status']},
	{name: 'daemonsets', singularName: 'daemonset', kind: 'DaemonSet', group: 'apps', version: 'v1', namespaced: true, shortNames: ['ds'], categories: ['all'], subresources: ['status']},
	{name: 'controllerrevisions', singularName: 'controllerrevision', kind: 'ControllerRevision', group: 'apps', version: 'v1', namespaced: true},
	{name: 'configmaps', singularName: 'configmap', kind: 'ConfigMap', group: '', version: 'v1', namespaced: true, shortNames: ['cm']},
	{name: 'leases', singularName: 'lease', kind: 'Lease', group: 'coordination.k8s.io', version: 'v1', namespaced: true},
];

/** The named groups whose resources live in the store, in the order `/apis` lists them. */
export const STORED_GROUPS = [...new Set(RESOURCES.map(r => r.group).filter(g => g !== ''))];

export function apiVersionOf(def: ResourceDef): string {
	return def.group ? `${def.group}/${def.version}` : def.version;
}

export function findResource(group: string, name: string): ResourceDef | undefined {
	return RESOURCES.find(r => r.group === group && r.name === name);
}

/** APIResourceList for /api/v1 or /apis/<group>/v1, with subresources listed like the real server. */
export function apiResourceList(group: string) {
	const groupVersion = group ? `${group}/v1` : 'v1';
	const resources: object[] = [];
	for (const r of RESOURCES.filter(d => d.group === group)) {
		resources.push({
			name: r.name,
			singularName: r.singularName,
			namespaced: r.namespaced,
			kind: r.kind,
			verbs: RW,
			...(r.shortNames ? {shortNames: r.shortNames} : {}),
			...(r.categories ? {categories: r.categories} : {}),
			storageVersionHash: Buffer.from(r.name).toString('base64').slice(0, 11),
		});
		for (const sub of r.subresources ?? []) {
			const kind = sub === 'scale' ? 'Scale' : sub === 'log' ? 'Pod' : r.kind;
			resources.push({
				name: `${r.name}/${sub}`,
				singularName: '',
				namespaced: r.namespaced,
				...(sub === 'scale' ? {group: 'autoscaling', version: 'v1'} : {}),
				kind,
				verbs: sub === 'log' ? ['get'] : ['get', 'patch', 'update'],
			});
		}
	}
	return {kind: 'APIResourceList', apiVersion: 'v1', groupVersion, resources};
}

export const VERSION_INFO = {
	major: '1',
	minor: '32',
	gitVersion: 'v1.32.4-sandbox',
	gitCommit: '0000000000000000000000000000000000000000',
	gitTreeState: 'clean',
	buildDate: '2025-04-22T00:00:00Z',
	goVersion: 'go1.23.6',
	compiler: 'gc',
	platform: 'linux/amd64',
};

export function apiVersions(serverAddress: string) {
	return {
		kind: 'APIVersions',
		versions: ['v1'],
		serverAddressByClientCIDRs: [{clientCIDR: '0.0.0.0/0', serverAddress}],
	};
}

/** An APIGroup entry (of `/apis`, or `/apis/<name>` with kind and apiVersion added) for a group served at v1 only. */
export function apiGroup(name: string) {
	const version = {groupVersion: `${name}/v1`, version: 'v1'};
	return {name, versions: [version], preferredVersion: version};
}
