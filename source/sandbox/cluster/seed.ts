// The world the production deployment guide expects to find: the `overlord` app running healthy
// at v1.1.0 in staging and production, with the objects and events a real cluster would show.
import {randomBytes} from 'node:crypto';
import {applyDefaults} from './defaults.js';
import type {EventRecorder} from './events.js';
import {NODE_NAME, type KubeletSim} from './kubelet.js';
import {podTemplateHash, randomSuffix} from './pod-util.js';
import {type ServiceIpBlock, serviceIpsInUse} from './service-ips.js';
import type {ObjectStore} from './store.js';
import {isoSeconds, type KubeObject} from './types.js';

export const OVERLORD_IMAGE = 'ghcr.io/legion14041981-ui/overlord-trading-system-v8';
export const SEED_VERSION = 'v1.1.0';

const MINUTE = 60_000;

function deploymentFor(namespace: string, created: number): KubeObject {
	const d: KubeObject = {
		apiVersion: 'apps/v1',
		kind: 'Deployment',
		metadata: {
			name: 'overlord',
			namespace,
			generation: 1,
			creationTimestamp: isoSeconds(created),
			labels: {app: 'overlord'},
			annotations: {'deployment.kubernetes.io/revision': '1'},
		},
		spec: {
			replicas: 3,
			selector: {matchLabels: {app: 'overlord'}},
			strategy: {type: 'RollingUpdate', rollingUpdate: {maxSurge: '25%', maxUnavailable: '25%'}},
			progressDeadlineSeconds: 30,
			revisionHistoryLimit: 10,
			template: {
				metadata: {labels: {app: 'overlord'}},
				spec: {
					containers: [
						{
							name: 'overlord',
							image: `${OVERLORD_IMAGE}:${SEED_VERSION}`,
							ports: [{name: 'http', containerPort: 8000, protocol: 'TCP'}],
							env: [{name: 'ENVIRONMENT', value: namespace.replace('overlord-', '')}],
							readinessProbe: {
								httpGet: {path: '/health', port: 8000, scheme: 'HTTP'},
								periodSeconds: 10, timeoutSeconds: 1, successThreshold: 1, failureThreshold: 3,
							},
						},
					],
				},
			},
		},
	};
	applyDefaults('deployments', d);
	return d;
}

function runningStatus(pod: KubeObject, at: number, ip: string, image: string) {
	const ts = isoSeconds(at);
	const cond = (type: string) => ({type, status: 'True', lastProbeTime: null, lastTransitionTime: ts});
	return {
		phase: 'Running',
		conditions: ['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled'].map(cond),
		hostIP: '10.0.0.10',
		hostIPs: [{ip: '10.0.0.10'}],
		podIP: ip,
		podIPs: [{ip}],
		startTime: pod.metadata.creationTimestamp,
		containerStatuses: [
			{
				name: 'overlord', image, imageID: `${OVERLORD_IMAGE}@sha256:${randomBytes(32).toString('hex')}`,
				containerID: `containerd://${randomBytes(32).toString('hex')}`,
				ready: true, restartCount: 0, started: true, state: {running: {startedAt: ts}}, lastState: {},
			},
		],
		qosClass: 'BestEffort',
	};
}

function seedNamespace(store: ObjectStore, events: EventRecorder, kubelet: KubeletSim, namespace: string, created: number, serviceIps?: ServiceIpBlock): void {
	store.create('namespaces', withDefaults('namespaces', {apiVersion: 'v1', kind: 'Namespace', metadata: {name: namespace, creationTimestamp: isoSeconds(created - 30 * MINUTE)}}));
	const d = store.create('deployments', deploymentFor(namespace, created));
	const {rs, template} = seedReplicaSet(store, d, namespace, created);
	events.record({involved: d, reason: 'ScalingReplicaSet', message: `Scaled up replica set ${rs.metadata.name} from 0 to 3`, component: 'deployment-controller', at: created});
	const ready = created + 8_000;
	for (let i = 0; i < 3; i++) seedPod({store, events, kubelet}, namespace, rs, template, created, ready);
	store.mutate('deployments', namespace, 'overlord', draft => {
		const ts = isoSeconds(ready);
		draft.status = {
			observedGeneration: 1, replicas: 3, updatedReplicas: 3, readyReplicas: 3, availableReplicas: 3,
			conditions: [
				{type: 'Available', status: 'True', lastUpdateTime: ts, lastTransitionTime: ts, reason: 'MinimumReplicasAvailable', message: 'Deployment has minimum availability.'},
				{type: 'Progressing', status: 'True', lastUpdateTime: ts, lastTransitionTime: isoSeconds(created), reason: 'NewReplicaSetAvailable', message: `ReplicaSet "${rs.metadata.name}" has successfully progressed.`},
			],
		};
	});
	store.create('services', serviceFor(namespace, created, serviceAddressesFor(store, namespace, serviceIps)));
}

/** The deployment's first (and current) replica set, and the pod template its pods are made from. */
function seedReplicaSet(store: ObjectStore, d: KubeObject, namespace: string, created: number): {rs: KubeObject; template: any} {
	const hash = podTemplateHash(d.spec.template);
	const template = structuredClone(d.spec.template);
	template.metadata.labels['pod-template-hash'] = hash;
	const rs = store.create('replicasets', {
		apiVersion: 'apps/v1',
		kind: 'ReplicaSet',
		metadata: {
			name: `overlord-${hash}`,
			namespace,
			generation: 1,
			creationTimestamp: isoSeconds(created),
			labels: template.metadata.labels,
			annotations: {
				'deployment.kubernetes.io/desired-replicas': '3',
				'deployment.kubernetes.io/max-replicas': '4',
				'deployment.kubernetes.io/revision': '1',
			},
			ownerReferences: [{apiVersion: 'apps/v1', kind: 'Deployment', name: 'overlord', uid: d.metadata.uid!, controller: true, blockOwnerDeletion: true}],
		},
		spec: {replicas: 3, minReadySeconds: 0, selector: {matchLabels: {app: 'overlord', 'pod-template-hash': hash}}, template},
		status: {replicas: 3, fullyLabeledReplicas: 3, readyReplicas: 3, availableReplicas: 3, observedGeneration: 1},
	});
	return {rs, template};
}

/** One of the replica set's running pods, with the events its life so far left behind. */
function seedPod({store, events, kubelet}: {store: ObjectStore; events: EventRecorder; kubelet: KubeletSim}, namespace: string, rs: KubeObject, template: any, created: number, ready: number): void {
	const name = `${rs.metadata.name}-${randomSuffix()}`;
	const pod: KubeObject = {
		apiVersion: 'v1',
		kind: 'Pod',
		metadata: {
			name, generateName: `${rs.metadata.name}-`, namespace, creationTimestamp: isoSeconds(created + 1000),
			labels: template.metadata.labels,
			ownerReferences: [{apiVersion: 'apps/v1', kind: 'ReplicaSet', name: rs.metadata.name, uid: rs.metadata.uid!, controller: true, blockOwnerDeletion: true}],
		},
		spec: {...structuredClone(template.spec), nodeName: NODE_NAME},
	};
	pod.status = runningStatus(pod, created + 4_000, kubelet.allocateIp(), template.spec.containers[0].image);
	const stored = store.create('pods', pod);
	events.record({involved: rs, reason: 'SuccessfulCreate', message: `Created pod: ${name}`, component: 'replicaset-controller', at: created});
	events.record({involved: stored, reason: 'Scheduled', message: `Successfully assigned ${namespace}/${name} to ${NODE_NAME}`, component: 'default-scheduler', at: created + 1000});
	const kubeletEvent = (reason: string, message: string, at: number) =>
		events.record({involved: stored, reason, message, component: 'kubelet', host: NODE_NAME, fieldPath: 'spec.containers{overlord}', at});
	kubeletEvent('Pulling', `Pulling image "${OVERLORD_IMAGE}:${SEED_VERSION}"`, created + 2000);
	kubeletEvent('Pulled', `Successfully pulled image "${OVERLORD_IMAGE}:${SEED_VERSION}" in 1.843s (1.843s including waiting). Image size: 187436512 bytes.`, created + 3000);
	kubeletEvent('Created', 'Created container: overlord', created + 3000);
	kubeletEvent('Started', 'Started container overlord', ready - 4000);
}

/** The Service's ClusterIP and load-balancer IP: from the sandbox's loopback block, where they answer. */
function serviceAddressesFor(store: ObjectStore, namespace: string, serviceIps?: ServiceIpBlock): {clusterIP: string; ingressIp: string} {
	if (!serviceIps) return {clusterIP: namespace.endsWith('production') ? '10.96.142.17' : '10.96.87.203', ingressIp: '127.0.0.1'};
	const used = serviceIpsInUse(store);
	return {clusterIP: serviceIps.allocate(used), ingressIp: serviceIps.allocate(used)};
}

/** The LoadBalancer service in front of the namespace's pods. */
function serviceFor(namespace: string, created: number, {clusterIP, ingressIp}: {clusterIP: string; ingressIp: string}): KubeObject {
	const nodePort = namespace.endsWith('production') ? 31800 : 30800;
	return withDefaults('services', {
		apiVersion: 'v1',
		kind: 'Service',
		metadata: {name: 'overlord', namespace, creationTimestamp: isoSeconds(created), labels: {app: 'overlord'}},
		spec: {
			type: 'LoadBalancer',
			selector: {app: 'overlord'},
			clusterIP,
			clusterIPs: [clusterIP],
			ports: [{name: 'http', port: 8000, targetPort: 8000, nodePort, protocol: 'TCP'}],
			externalTrafficPolicy: 'Cluster',
			ipFamilies: ['IPv4'],
			ipFamilyPolicy: 'SingleStack',
		},
		status: {loadBalancer: {ingress: [{ip: ingressIp, ipMode: 'VIP'}]}},
	});
}

function withDefaults(resource: string, obj: KubeObject): KubeObject {
	applyDefaults(resource, obj);
	return obj;
}

export function seedWorld(store: ObjectStore, events: EventRecorder, kubelet: KubeletSim, {now = Date.now(), serviceIps}: {now?: number; serviceIps?: ServiceIpBlock} = {}): void {
	const clusterBorn = now - 3 * 24 * 60 * MINUTE;
	for (const name of ['default', 'kube-system']) {
		store.create('namespaces', withDefaults('namespaces', {apiVersion: 'v1', kind: 'Namespace', metadata: {name, creationTimestamp: isoSeconds(clusterBorn)}}));
	}
	store.create('nodes', {
		apiVersion: 'v1',
		kind: 'Node',
		metadata: {
			name: NODE_NAME,
			creationTimestamp: isoSeconds(clusterBorn),
			labels: {
				'kubernetes.io/arch': 'amd64', 'kubernetes.io/os': 'linux', 'kubernetes.io/hostname': NODE_NAME,
				'node.kubernetes.io/instance-type': 'sandbox',
			},
		},
		spec: {podCIDR: '10.244.0.0/16', podCIDRs: ['10.244.0.0/16']},
		status: {
			capacity: {cpu: '4', memory: '16365628Ki', pods: '110', 'ephemeral-storage': '102626232Ki'},
			allocatable: {cpu: '4', memory: '16263228Ki', pods: '110', 'ephemeral-storage': '94580335255'},
			conditions: [
				['MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'],
				['DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'],
				['PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'],
				['Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'],
			].map(([type, status, reason, message]) => ({
				type, status, reason, message, lastHeartbeatTime: isoSeconds(now), lastTransitionTime: isoSeconds(clusterBorn),
			})),
			addresses: [{type: 'InternalIP', address: '10.0.0.10'}, {type: 'Hostname', address: NODE_NAME}],
			nodeInfo: {
				kubeletVersion: 'v1.32.4', kubeProxyVersion: 'v1.32.4', containerRuntimeVersion: 'containerd://1.7.24',
				osImage: 'Ubuntu 22.04.5 LTS', kernelVersion: '6.1.0-sandbox', operatingSystem: 'linux', architecture: 'amd64',
				machineID: randomBytes(16).toString('hex'), systemUUID: randomBytes(16).toString('hex'), bootID: randomBytes(16).toString('hex'),
			},
		},
	});
	seedNamespace(store, events, kubelet, 'overlord-staging', now - 52 * MINUTE, serviceIps);
	seedNamespace(store, events, kubelet, 'overlord-production', now - 41 * MINUTE, serviceIps);
}
