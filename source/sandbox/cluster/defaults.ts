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

export function applyDefaults(resource: string, obj: any): void {
	switch (resource) {
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
