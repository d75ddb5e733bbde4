// REST verbs on stored resources with the API server's semantics: defaulting, generation bumps on
// spec changes, optimistic concurrency, status/scale subresources, graceful pod deletion.
import {applyDefaults} from './defaults.js';
import {type ResponseFormat} from './http-util.js';
import {applyPatch} from './patch.js';
import {requireResourceVersion, validateObject} from './object-validation.js';
import {markPodDeleting, randomSuffix} from './pod-util.js';
import {apiVersionOf, type ResourceDef, RESOURCES} from './resources.js';
import {combine, parseFieldSelector, parseLabelSelector, selectorToString} from './selectors.js';
import {type ServiceIpBlock, serviceIpsInUse} from './service-ips.js';
import type {ObjectStore} from './store.js';
import {type IncludeObject, toTable} from './tables.js';
import {ApiError, clone, isoSeconds, type KubeObject} from './types.js';
import {validateWorkload} from './workload-validation.js';

/** Resources whose spec changes bump metadata.generation and whose controllers report observedGeneration. */
const GENERATIONAL = new Set(['deployments', 'replicasets', 'statefulsets', 'daemonsets']);

export interface Target {
	def: ResourceDef;
	namespace?: string;
	name?: string;
	subresource?: string;
}

const qualified = (def: ResourceDef) => (def.group ? `${def.name}.${def.group}` : def.name);

export function notFound(def: ResourceDef, name: string): ApiError {
	return new ApiError(404, 'NotFound', `${qualified(def)} "${name}" not found`, {name, ...(def.group ? {group: def.group} : {}), kind: def.name});
}

export function matcherFor(query: URLSearchParams, name?: string) {
	const byName = name ? (o: KubeObject) => o.metadata.name === name : undefined;
	return combine(parseLabelSelector(query.get('labelSelector')), parseFieldSelector(query.get('fieldSelector')), byName);
}

export class Api {
	private nextClusterIp = 20;

	/** Without a block (unit tests), ClusterIPs come from 10.96.0.0/12 and load balancers get 127.0.0.1. */
	constructor(
		private readonly store: ObjectStore,
		private readonly serviceIps?: ServiceIpBlock,
	) {}

	getObject(t: Target): KubeObject {
		const obj = this.store.get(t.def.name, t.def.namespaced ? t.namespace : undefined, t.name!);
		if (!obj) throw notFound(t.def, t.name!);
		return obj;
	}

	list(t: Target, query: URLSearchParams, format: ResponseFormat, include: IncludeObject): unknown {
		const matcher = matcherFor(query);
		let items = this.store.list(t.def.name, t.def.namespaced ? t.namespace : undefined).filter(matcher);
		const rv = String(this.store.currentRv());
		const meta: {resourceVersion: string; continue?: string; remainingItemCount?: number} = {resourceVersion: rv};
		const token = query.get('continue');
		if (token) {
			let after: string;
			try {
				after = String(JSON.parse(Buffer.from(token, 'base64url').toString('utf8')).after);
			} catch {
				throw new ApiError(400, 'BadRequest', 'continue key is not valid');
			}
			items = items.filter(o => `${o.metadata.namespace ?? ''}/${o.metadata.name}` > after);
		}
		const limit = Number(query.get('limit') ?? 0);
		if (limit > 0 && items.length > limit) {
			const last = items[limit - 1]!;
			meta.continue = Buffer.from(JSON.stringify({rv, after: `${last.metadata.namespace ?? ''}/${last.metadata.name}`})).toString('base64url');
			meta.remainingItemCount = items.length - limit;
			items = items.slice(0, limit);
		}
		if (format.kind === 'table') return toTable(t.def.name, items, include, meta);
		if (format.kind === 'metadata') {
			return {
				kind: 'PartialObjectMetadataList', apiVersion: 'meta.k8s.io/v1', metadata: meta,
				items: items.map(o => ({kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: o.metadata})),
			};
		}
		return {kind: `${t.def.kind}List`, apiVersion: apiVersionOf(t.def), metadata: meta, items};
	}

	create(t: Target, body: unknown, dryRun: boolean): KubeObject {
		const obj = clone(body) as KubeObject;
		if (!obj || typeof obj !== 'object' || !obj.metadata) throw new ApiError(400, 'BadRequest', 'object has no metadata');
		if (obj.kind && obj.kind !== t.def.kind) throw new ApiError(400, 'BadRequest', `the kind ${obj.kind} does not match ${t.def.kind}`);
		obj.kind = t.def.kind;
		obj.apiVersion = apiVersionOf(t.def);
		if (t.def.namespaced) {
			if (obj.metadata.namespace && obj.metadata.namespace !== t.namespace) {
				throw new ApiError(400, 'BadRequest', 'the namespace of the provided object does not match the namespace sent on the request');
			}
			obj.metadata.namespace = t.namespace;
			if (!this.store.get('namespaces', undefined, t.namespace!)) {
				throw new ApiError(404, 'NotFound', `namespaces "${t.namespace}" not found`, {name: t.namespace, kind: 'namespaces'});
			}
		}
		if (!obj.metadata.name && obj.metadata.generateName) obj.metadata.name = `${obj.metadata.generateName}${randomSuffix()}`;
		if (!obj.metadata.name) throw new ApiError(422, 'Invalid', `${t.def.kind} "" is invalid: metadata.name: Required value: name or generateName is required`);
		for (const key of ['uid', 'resourceVersion', 'creationTimestamp', 'deletionTimestamp']) delete obj.metadata[key];
		if (GENERATIONAL.has(t.def.name)) {
			obj.metadata.generation = 1;
			obj.status = {};
		}
		if (t.def.name === 'pods') {
			delete obj.spec?.nodeName;
			obj.status = {phase: 'Pending', qosClass: 'BestEffort'};
		}
		if (t.def.name === 'services') this.allocateService(obj);
		applyDefaults(t.def.name, obj);
		validateWorkload(t.def.name, obj);
		validateObject(t.def.name, obj);
		if (dryRun) return {...obj, metadata: {...obj.metadata, uid: 'dry-run', creationTimestamp: isoSeconds(Date.now())}};
		try {
			return this.store.create(t.def.name, obj, qualified(t.def));
		} catch (error) {
			// AlreadyExists names the group too (apierrors.NewAlreadyExists), which the store does not know.
			if (error instanceof ApiError && error.details && t.def.group) {
				throw new ApiError(error.code, error.reason, error.message, {name: error.details.name, group: t.def.group, kind: t.def.name});
			}
			throw error;
		}
	}

	/** PUT and PATCH share this: `next` is the full desired object. */
	private write(t: Target, current: KubeObject, next: KubeObject, dryRun: boolean): KubeObject {
		const expected = next.metadata?.resourceVersion;
		if (expected && expected !== current.metadata.resourceVersion) {
			throw new ApiError(409, 'Conflict', `Operation cannot be fulfilled on ${qualified(t.def)} "${current.metadata.name}": the object has been modified; please apply your changes to the latest version and try again`, {name: current.metadata.name, ...(t.def.group ? {group: t.def.group} : {}), kind: t.def.name});
		}
		const out = clone(next);
		// Identity and system fields are the server's, whatever the client sent.
		out.kind = t.def.kind;
		out.apiVersion = apiVersionOf(t.def);
		out.metadata = {
			...out.metadata,
			name: current.metadata.name,
			namespace: current.metadata.namespace,
			uid: current.metadata.uid,
			creationTimestamp: current.metadata.creationTimestamp,
			resourceVersion: current.metadata.resourceVersion,
			...(current.metadata.deletionTimestamp ? {deletionTimestamp: current.metadata.deletionTimestamp} : {}),
		};
		if (out.metadata.generation === undefined) delete out.metadata.generation;
		if (t.subresource === 'status') {
			out.spec = clone(current.spec);
			out.metadata = clone(current.metadata);
		} else {
			if (current.status !== undefined) out.status = clone(current.status);
			if (t.def.name === 'services') keepClusterIp(current, out);
			applyDefaults(t.def.name, out);
			validateWorkload(t.def.name, out, current);
			validateObject(t.def.name, out);
			if (current.metadata.generation !== undefined) {
				const changed = JSON.stringify(out.spec) !== JSON.stringify(current.spec);
				out.metadata.generation = current.metadata.generation + (changed ? 1 : 0);
			}
		}
		if (dryRun || JSON.stringify(out) === JSON.stringify(current)) return dryRun ? out : current;
		if (current.metadata.deletionTimestamp && (out.metadata.finalizers ?? []).length === 0 && t.def.name !== 'pods') {
			return this.store.remove(t.def.name, current.metadata.namespace, current.metadata.name)!;
		}
		const stored = this.store.replace(t.def.name, out);
		if (t.def.name === 'pods' && stored.metadata.deletionTimestamp && !(stored.metadata.finalizers ?? []).length && !stored.spec?.nodeName) {
			this.store.remove('pods', stored.metadata.namespace, stored.metadata.name);
		}
		return stored;
	}

	update(t: Target, body: unknown, dryRun: boolean): unknown {
		const current = this.getObject(t);
		if (t.subresource === 'scale') return this.toScale(this.write(t, current, this.fromScale(current, body), dryRun));
		requireResourceVersion(t.def, current.metadata.name, body);
		return this.write(t, current, body as KubeObject, dryRun);
	}

	patch(t: Target, contentType: string, body: unknown, dryRun: boolean): unknown {
		const existing = this.store.get(t.def.name, t.def.namespaced ? t.namespace : undefined, t.name!);
		// Server-side apply creates what does not exist yet.
		if (!existing && contentType.startsWith('application/apply-patch') && !t.subresource) {
			const obj = clone(body) as KubeObject;
			return this.create(t, {...obj, metadata: {...obj?.metadata, name: t.name!}}, dryRun);
		}
		const current = this.getObject(t);
		if (t.subresource === 'scale') {
			const scale = applyPatch(contentType, this.toScale(current), body);
			return this.toScale(this.write(t, current, this.fromScale(current, {...scale, metadata: {...scale.metadata, resourceVersion: undefined}}), dryRun));
		}
		const next = applyPatch(contentType, current, body) as KubeObject;
		// A patch never carries a precondition unless the client put one in the patch itself.
		const rvInPatch = JSON.stringify(body ?? '').includes('"resourceVersion"');
		if (!rvInPatch) next.metadata = {...next.metadata, resourceVersion: current.metadata.resourceVersion};
		return this.write(t, current, next, dryRun);
	}

	toScale(obj: KubeObject): unknown {
		return {
			kind: 'Scale',
			apiVersion: 'autoscaling/v1',
			metadata: {
				name: obj.metadata.name, namespace: obj.metadata.namespace, uid: obj.metadata.uid,
				resourceVersion: obj.metadata.resourceVersion, creationTimestamp: obj.metadata.creationTimestamp,
			},
			spec: {replicas: obj.spec?.replicas ?? 0},
			status: {replicas: obj.status?.replicas ?? 0, selector: selectorToString(obj.spec?.selector)},
		};
	}

	private fromScale(current: KubeObject, scale: any): KubeObject {
		const replicas = scale?.spec?.replicas;
		if (typeof replicas !== 'number' || replicas < 0) throw new ApiError(422, 'Invalid', 'spec.replicas: Invalid value: must be greater than or equal to 0');
		const next = clone(current);
		next.spec.replicas = replicas;
		next.metadata.resourceVersion = scale?.metadata?.resourceVersion ?? current.metadata.resourceVersion;
		return next;
	}

	delete(t: Target, options: any, query: URLSearchParams, dryRun: boolean): KubeObject {
		const current = this.getObject(t);
		if (dryRun) return current;
		const grace = query.has('gracePeriodSeconds') ? Number(query.get('gracePeriodSeconds')) : options?.gracePeriodSeconds;
		if (t.def.name === 'pods') return markPodDeleting(this.store, current, grace) ?? current;
		if (t.def.name === 'namespaces') {
			for (const def of RESOURCES.filter(r => r.namespaced)) {
				for (const o of this.store.list(def.name, current.metadata.name)) this.store.remove(def.name, current.metadata.name, o.metadata.name);
			}
		}
		if (current.metadata.finalizers?.length) {
			return this.store.mutate(t.def.name, current.metadata.namespace, current.metadata.name, d => {
				d.metadata.deletionTimestamp ??= isoSeconds(Date.now());
			})!;
		}
		return this.store.remove(t.def.name, current.metadata.namespace, current.metadata.name)!;
	}

	deleteCollection(t: Target, query: URLSearchParams): unknown {
		const matcher = matcherFor(query);
		const items = this.store.list(t.def.name, t.namespace).filter(matcher);
		for (const o of items) this.delete({...t, name: o.metadata.name}, undefined, query, false);
		return {kind: `${t.def.kind}List`, apiVersion: apiVersionOf(t.def), metadata: {resourceVersion: String(this.store.currentRv())}, items};
	}

	private allocateService(svc: KubeObject): void {
		const spec = (svc.spec ??= {});
		const used = serviceIpsInUse(this.store);
		if (spec.type !== 'ExternalName' && spec.clusterIP !== 'None') {
			if (spec.clusterIP) this.checkRequestedIp(svc, spec.clusterIP, used);
			else spec.clusterIP = this.serviceIps ? this.serviceIps.allocate(used) : this.nextFallbackIp();
			used.add(spec.clusterIP);
			spec.clusterIPs = [spec.clusterIP];
		}
		if (spec.type === 'NodePort' || spec.type === 'LoadBalancer') {
			for (const p of spec.ports ?? []) p.nodePort ??= 30000 + Math.floor(Math.random() * 2768);
		}
		// The sandbox's "cloud" hands a LoadBalancer an address of the same loopback block, where it answers too.
		const ingressIp = spec.type === 'LoadBalancer' ? (this.serviceIps?.allocate(used) ?? '127.0.0.1') : undefined;
		svc.status = ingressIp ? {loadBalancer: {ingress: [{ip: ingressIp, ipMode: 'VIP'}]}} : {loadBalancer: {}};
	}

	private nextFallbackIp(): string {
		const n = this.nextClusterIp++;
		return `10.96.${200 + Math.floor(n / 250)}.${(n % 250) + 2}`;
	}

	/** A ClusterIP the client chose: it must lie in the service range and be free, as the API server's allocator demands. */
	private checkRequestedIp(svc: KubeObject, ip: string, used: Set<string>): void {
		const invalid = (why: string) => invalidService(svc.metadata.name, 'spec.clusterIPs', `Invalid value: []string{"${ip}"}: failed to allocate IP ${ip}: ${why}`);
		if (this.serviceIps && !this.serviceIps.contains(ip)) {
			throw invalid(`provided IP (${ip}) is not in the valid range. The range of valid IPs is ${this.serviceIps.cidr}`);
		}
		if (used.has(ip)) throw invalid('provided IP is already allocated');
	}
}

function invalidService(name: string, field: string, message: string): ApiError {
	return new ApiError(422, 'Invalid', `Service "${name}" is invalid: ${field}: ${message}`, {name, kind: 'Service', causes: [{reason: 'FieldValueInvalid', message, field} as any]});
}

/** ClusterIPs are immutable; an update that leaves them out keeps them (as the API server fills them in). */
function keepClusterIp(current: KubeObject, out: KubeObject): void {
	const was = current.spec?.clusterIP;
	if (!was) return;
	out.spec ??= {};
	if (out.spec.clusterIP && out.spec.clusterIP !== was) {
		throw invalidService(current.metadata.name, 'spec.clusterIPs[0]', `Invalid value: []string{"${out.spec.clusterIP}"}: may not change once set`);
	}
	out.spec.clusterIP = was;
	out.spec.clusterIPs = current.spec.clusterIPs ?? [was];
}
