// API-server defaulting (pkg/apis/*/v1/defaults.go) for the fields the sandbox's controllers and
// kubectl's rollout logic compare. Applied on every write from a client so that templates in a
// Deployment and in its ReplicaSets always carry the same defaults.

function podSpecDefaults(spec: any): void {
	if (!spec) return;
	spec.restartPolicy ??= 'Always';
	spec.terminationGracePeriodSeconds ??= 30;
	spec.dnsPolicy ??= 'ClusterFirst';
	spec.securityContext ??= {};
	spec.schedulerName ??= 'default-scheduler';
	for (const c of [...(spec.containers ?? []), ...(spec.initContainers ?? [])]) {
		c.terminationMessagePath ??= '/dev/termination-log';
		c.terminationMessagePolicy ??= 'File';
		c.imagePullPolicy ??= String(c.image ?? '').endsWith(':latest') || !String(c.image ?? '').includes(':') ? 'Always' : 'IfNotPresent';
		c.resources ??= {};
		for (const p of c.ports ?? []) p.protocol ??= 'TCP';
	}
}

function workloadDefaults(obj: any, deployment: boolean): void {
	const spec = (obj.spec ??= {});
	spec.replicas ??= 1;
	if (deployment) {
		spec.strategy ??= {type: 'RollingUpdate'};
		if (spec.strategy.type === 'RollingUpdate') {
			spec.strategy.rollingUpdate ??= {};
			spec.strategy.rollingUpdate.maxSurge ??= '25%';
			spec.strategy.rollingUpdate.maxUnavailable ??= '25%';
		}
		spec.revisionHistoryLimit ??= 10;
		spec.progressDeadlineSeconds ??= 600;
	}
	spec.selector ??= {matchLabels: {...spec.template?.metadata?.labels}};
	podSpecDefaults(spec.template?.spec);
}

// Keys whose values are Go maps (kept whole, even with empty-string values) and fields Go leaves
// out when false or zero (omitempty on a plain bool or int).
const MAP_FIELDS = new Set(['labels', 'annotations', 'nodeSelector', 'limits', 'requests', 'matchLabels']);
const OMITTED_FALSE = new Set(['stdin', 'stdinOnce', 'tty', 'hostNetwork', 'hostPID', 'hostIPC', 'readOnly']);
const OMITTED_ZERO = new Set(['initialDelaySeconds', 'hostPort']);

/** resource.Quantity's canonical text for plain and milli quantities ("0.5" and 0.5 become "500m"). */
function canonicalQuantity(value: unknown): unknown {
	const text = typeof value === 'number' ? String(value) : value;
	if (typeof text !== 'string') return value;
	let milli: number;
	let m = /^(\d+)(?:\.(\d{1,3}))?$/.exec(text);
	if (m) milli = Number(m[1]) * 1000 + Number((m[2] ?? '').padEnd(3, '0'));
	else if ((m = /^(\d+)m$/.exec(text))) milli = Number(m[1]);
	else return text;
	return milli % 1000 === 0 ? String(milli / 1000) : `${milli}m`;
}

/** What decoding into Go's typed structs and encoding again does to client JSON (omitempty). */
function goRoundTrip(value: unknown, key = ''): unknown {
	if (value === null || value === undefined || value === '') return undefined;
	if (value === false && OMITTED_FALSE.has(key)) return undefined;
	if (value === 0 && OMITTED_ZERO.has(key)) return undefined;
	if (Array.isArray(value)) {
		const items = value.map(v => goRoundTrip(v) ?? {});
		return items.length > 0 ? items : undefined;
	}
	if (typeof value !== 'object') return value;
	const entries = Object.entries(value as Record<string, unknown>);
	if (MAP_FIELDS.has(key)) {
		if (entries.length === 0) return undefined;
		const quantities = key === 'limits' || key === 'requests';
		return Object.fromEntries(entries.map(([k, v]) => [k, quantities ? canonicalQuantity(v) : v]));
	}
	const out: Record<string, unknown> = {};
	for (const [k, v] of entries) {
		const next = goRoundTrip(v, k);
		if (next !== undefined) out[k] = next;
	}
	return out;
}

/**
 * A pod template as the API server stores it after the typed round trip: empty fields gone,
 * `metadata.creationTimestamp: null` present. Revision data is computed from this, and kubectl's
 * `rollout undo` recomputes it from the served object, so both sides see the same bytes.
 */
export function canonicalTemplate(template: unknown): any {
	const out = (goRoundTrip(template ?? {}) ?? {}) as any;
	const {creationTimestamp: _ignored, ...meta} = out.metadata ?? {};
	out.metadata = {creationTimestamp: null, ...meta};
	out.spec ??= {};
	for (const c of [...(out.spec.containers ?? []), ...(out.spec.initContainers ?? [])]) c.resources ??= {};
	return out;
}

/** SetDefaults_StatefulSet (pkg/apis/apps/v1/defaults.go), with StatefulSetAutoDeletePVC on as in 1.32. */
function statefulSetDefaults(obj: any): void {
	const spec = (obj.spec ??= {});
	spec.podManagementPolicy ||= 'OrderedReady';
	spec.updateStrategy ??= {};
	if (!spec.updateStrategy.type) {
		spec.updateStrategy.type = 'RollingUpdate';
		spec.updateStrategy.rollingUpdate ??= {};
	}
	if (spec.updateStrategy.type === 'RollingUpdate' && spec.updateStrategy.rollingUpdate) {
		spec.updateStrategy.rollingUpdate.partition ??= 0;
	}
	const retention = (spec.persistentVolumeClaimRetentionPolicy ??= {});
	retention.whenDeleted ||= 'Retain';
	retention.whenScaled ||= 'Retain';
	spec.replicas ??= 1;
	spec.revisionHistoryLimit ??= 10;
	podSpecDefaults(spec.template?.spec);
	if (spec.template) spec.template = canonicalTemplate(spec.template);
}

/** SetDefaults_DaemonSet. */
function daemonSetDefaults(obj: any): void {
	const spec = (obj.spec ??= {});
	spec.updateStrategy ??= {};
	spec.updateStrategy.type ||= 'RollingUpdate';
	if (spec.updateStrategy.type === 'RollingUpdate') {
		const ru = (spec.updateStrategy.rollingUpdate ??= {});
		ru.maxUnavailable ??= 1;
		ru.maxSurge ??= 0;
	}
	spec.revisionHistoryLimit ??= 10;
	podSpecDefaults(spec.template?.spec);
	if (spec.template) spec.template = canonicalTemplate(spec.template);
}

export function applyDefaults(resource: string, obj: any): void {
	switch (resource) {
		case 'statefulsets':
			statefulSetDefaults(obj);
			break;
		case 'daemonsets':
			daemonSetDefaults(obj);
			break;
		case 'pods':
			podSpecDefaults(obj.spec);
			obj.status ??= {phase: 'Pending'};
			obj.status.phase ??= 'Pending';
			break;
		case 'deployments':
			workloadDefaults(obj, true);
			break;
		case 'replicasets':
			workloadDefaults(obj, false);
			break;
		case 'services': {
			const spec = (obj.spec ??= {});
			spec.type ??= 'ClusterIP';
			spec.sessionAffinity ??= 'None';
			for (const p of spec.ports ?? []) {
				p.protocol ??= 'TCP';
				p.targetPort ??= p.port;
			}
			break;
		}
		case 'namespaces':
			obj.spec ??= {finalizers: ['kubernetes']};
			obj.status ??= {phase: 'Active'};
			obj.metadata.labels = {'kubernetes.io/metadata.name': obj.metadata.name, ...obj.metadata.labels};
			break;
	}
}
