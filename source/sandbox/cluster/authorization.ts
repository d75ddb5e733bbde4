// Authorization as the API server's RBAC filter answers it: every request is allowed unless a
// test's deny rule (faults.ts, `{fault:'deny'}`) matches its attributes, which are derived from
// the request as apiserver's RequestInfoFactory does. The same rules answer SelfSubjectAccessReviews,
// so `kubectl auth can-i` agrees with what the server then does.
import type {IncomingMessage} from 'node:http';
import {isKubeProtobuf, message, text, unwrap} from './protobuf.js';
import {RESOURCES} from './resources.js';
import {ApiError, type KubeObject} from './types.js';

/** Who the kubeconfig's bearer token is (a static-token user, as the kubeconfig's user entry is named). */
export const SANDBOX_USER = 'sandbox-operator';

export interface DenyRule {
	resource: string;
	/** The resource's API group; by default the group the sandbox serves `resource` in. */
	group: string;
	/** Verbs refused; `*` refuses all. */
	verbs: string[];
	/** Only in this namespace; by default everywhere. */
	namespace?: string;
}

export interface RequestAttributes {
	verb: string;
	group: string;
	resource: string;
	subresource?: string;
	namespace?: string;
	name?: string;
}

/** The attributes of a request on a resource: the verb from the method, as RequestInfoFactory maps it. */
export function requestAttributes(
	method: string,
	target: {def: {group: string; name: string}; namespace?: string; name?: string; subresource?: string; watchPath: boolean},
	query: URLSearchParams,
): RequestAttributes {
	const collection = target.name === undefined;
	const watch = target.watchPath || query.get('watch') === 'true' || query.get('watch') === '1';
	const verbs: Record<string, string> = {POST: 'create', PUT: 'update', PATCH: 'patch', DELETE: collection ? 'deletecollection' : 'delete'};
	const verb = method === 'GET' || method === 'HEAD' ? (watch ? 'watch' : collection ? 'list' : 'get') : (verbs[method] ?? method.toLowerCase());
	let name = target.name;
	// A list or watch of one object by field selector is authorized as that object.
	if (name === undefined && (verb === 'list' || verb === 'watch')) {
		name = /(?:^|,)metadata\.name==?([^,]+)(?:,|$)/.exec(query.get('fieldSelector') ?? '')?.[1];
	}
	return {
		verb, group: target.def.group, resource: target.def.name,
		...(target.subresource ? {subresource: target.subresource} : {}),
		...(target.namespace ? {namespace: target.namespace} : {}),
		...(name ? {name} : {}),
	};
}

/** A deny rule from the fault request's fields; throws 400 on a malformed one. */
export function denyRule(request: {resource?: unknown; group?: unknown; verbs?: unknown; namespace?: unknown}): DenyRule {
	const {resource, verbs, namespace} = request;
	if (typeof resource !== 'string' || resource === '') throw new ApiError(400, 'BadRequest', 'deny needs resource (e.g. "configmaps")');
	if (!Array.isArray(verbs) || verbs.length === 0 || !verbs.every(v => typeof v === 'string')) {
		throw new ApiError(400, 'BadRequest', 'deny needs verbs (e.g. ["create","update"])');
	}
	const group = typeof request.group === 'string' ? request.group : (RESOURCES.find(r => r.name === resource.split('/')[0])?.group ?? '');
	return {resource, group, verbs: verbs as string[], ...(typeof namespace === 'string' && namespace ? {namespace} : {})};
}

export function ruleDenies(rule: DenyRule, a: RequestAttributes): boolean {
	const resource = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
	return (rule.resource === resource || rule.resource === a.resource || rule.resource === '*')
		&& rule.group === a.group
		&& (rule.verbs.includes(a.verb) || rule.verbs.includes('*'))
		&& (rule.namespace === undefined || rule.namespace === a.namespace);
}

/** responsewriters.Forbidden's Status: the message and details a real RBAC denial carries. */
export function forbidden(a: RequestAttributes): ApiError {
	const resource = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
	const scope = a.namespace ? `in the namespace "${a.namespace}"` : 'at the cluster scope';
	const why = `User "${SANDBOX_USER}" cannot ${a.verb} resource "${resource}" in API group "${a.group}" ${scope}`;
	const qualified = a.group ? `${a.resource}.${a.group}` : a.resource;
	const message = a.name ? `${qualified} "${a.name}" is forbidden: ${why}` : `${qualified} is forbidden: ${why}`;
	return new ApiError(403, 'Forbidden', message, {...(a.name ? {name: a.name} : {}), ...(a.group ? {group: a.group} : {}), kind: a.resource});
}

// ---- SelfSubjectAccessReview (kubectl auth can-i), SelfSubjectReview (kubectl auth whoami) ----

export const AUTHORIZATION_RESOURCES = {
	kind: 'APIResourceList', apiVersion: 'v1', groupVersion: 'authorization.k8s.io/v1',
	resources: [
		{name: 'selfsubjectaccessreviews', singularName: 'selfsubjectaccessreview', namespaced: false, kind: 'SelfSubjectAccessReview', verbs: ['create']},
	],
};

export const AUTHENTICATION_RESOURCES = {
	kind: 'APIResourceList', apiVersion: 'v1', groupVersion: 'authentication.k8s.io/v1',
	resources: [{name: 'selfsubjectreviews', singularName: 'selfsubjectreview', namespaced: false, kind: 'SelfSubjectReview', verbs: ['create']}],
};

async function readRaw(req: IncomingMessage): Promise<Buffer> {
	const chunks: Buffer[] = [];
	for await (const chunk of req) chunks.push(chunk as Buffer);
	return Buffer.concat(chunks);
}

const RESOURCE_ATTRIBUTE_FIELDS = ['namespace', 'verb', 'group', 'version', 'resource', 'subresource', 'name'];

/**
 * kubectl's typed client sends the review as protobuf: SelfSubjectAccessReview{spec 2:
 * {resourceAttributes 1: {namespace 1 … name 7}, nonResourceAttributes 2: {path 1, verb 2}}}.
 */
function accessReviewFromProtobuf(body: Buffer): any {
	const spec = message(unwrap(body).raw, 2);
	const attributes = (n: number, names: string[]) => {
		const f = spec && message(spec, n);
		return f ? Object.fromEntries(names.map((key, i) => [key, text(f, i + 1)]).filter(([, v]) => v)) : undefined;
	};
	const resourceAttributes = attributes(1, RESOURCE_ATTRIBUTE_FIELDS);
	const nonResourceAttributes = attributes(2, ['path', 'verb']);
	return {spec: {...(resourceAttributes ? {resourceAttributes} : {}), ...(nonResourceAttributes ? {nonResourceAttributes} : {})}};
}

async function readReview(req: IncomingMessage): Promise<any> {
	const body = await readRaw(req);
	if (isKubeProtobuf(body)) return accessReviewFromProtobuf(body);
	try {
		return JSON.parse(body.toString('utf8') || '{}');
	} catch (error) {
		throw new ApiError(400, 'BadRequest', `the body of the request could not be decoded: ${String(error)}`);
	}
}

/** POST selfsubjectaccessreviews: allowed unless a deny rule matches; answered in JSON whatever the request's encoding. */
export async function selfSubjectAccessReview(req: IncomingMessage, rules: readonly DenyRule[]): Promise<KubeObject> {
	const review = await readReview(req);
	const r = review?.spec?.resourceAttributes;
	const attrs: RequestAttributes | undefined = r
		? {verb: String(r.verb ?? ''), group: String(r.group ?? ''), resource: String(r.resource ?? ''), subresource: r.subresource || undefined, namespace: r.namespace || undefined, name: r.name || undefined}
		: undefined;
	const denied = attrs !== undefined && rules.some(rule => ruleDenies(rule, attrs));
	return {
		kind: 'SelfSubjectAccessReview',
		apiVersion: 'authorization.k8s.io/v1',
		metadata: {creationTimestamp: null} as any,
		spec: review?.spec ?? {},
		status: denied
			? {allowed: false}
			: {allowed: true, reason: `RBAC: allowed by ClusterRoleBinding "${SANDBOX_USER}" of ClusterRole "cluster-admin" to User "${SANDBOX_USER}"`},
	};
}

/** POST selfsubjectreviews: who the token is. */
export async function selfSubjectReview(req: IncomingMessage): Promise<KubeObject> {
	await readRaw(req);
	return {
		kind: 'SelfSubjectReview',
		apiVersion: 'authentication.k8s.io/v1',
		metadata: {creationTimestamp: null} as any,
		status: {userInfo: {username: SANDBOX_USER, groups: ['system:authenticated']}},
	};
}
