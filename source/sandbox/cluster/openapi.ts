// A minimal OpenAPI v3 surface. kubectl apply/create -f only consult it to learn that the server
// does field validation itself (a `fieldValidation` query parameter on each PATCH operation);
// without it they insist on downloading schemas for client-side validation and give up.
import {RESOURCES, STORED_GROUPS} from './resources.js';

const HASH = 'SANDBOX0000000000000000000000000000000000000000000000000000000000000000';

/** The group-version paths (`api/v1`, `apis/apps/v1`, …) with a document, and the group each serves. */
export const OPENAPI_V3_PATHS = new Map<string, string>([['api/v1', ''], ...STORED_GROUPS.map(g => [`apis/${g}/v1`, g] as [string, string])]);

export function openApiV3Index() {
	const paths: Record<string, {serverRelativeURL: string}> = {};
	for (const path of OPENAPI_V3_PATHS.keys()) paths[path] = {serverRelativeURL: `/openapi/v3/${path}?hash=${HASH}`};
	return {paths};
}

export function openApiV3Document(group: string) {
	const paths: Record<string, unknown> = {};
	for (const def of RESOURCES.filter(r => r.group === group)) {
		const base = group ? `/apis/${group}/v1` : '/api/v1';
		const item = def.namespaced ? `${base}/namespaces/{namespace}/${def.name}/{name}` : `${base}/${def.name}/{name}`;
		const gvk = {group, version: 'v1', kind: def.kind};
		paths[item] = {
			patch: {
				description: `partially update the specified ${def.kind}`,
				operationId: `patch${def.kind}`,
				'x-kubernetes-action': 'patch',
				'x-kubernetes-group-version-kind': gvk,
				parameters: [
					{name: 'dryRun', in: 'query', schema: {type: 'string'}},
					{name: 'fieldManager', in: 'query', schema: {type: 'string'}},
					{name: 'fieldValidation', in: 'query', schema: {type: 'string'}},
					{name: 'force', in: 'query', schema: {type: 'boolean'}},
				],
				responses: {'200': {description: 'OK'}},
			},
		};
	}
	return {
		openapi: '3.0.0',
		info: {title: 'Kubernetes', version: 'v1.32.4'},
		paths,
		components: {schemas: {}},
	};
}

/** A protobuf length-delimited field (wire type 2) of a message, for the small messages below. */
function field(number: number, payload: Buffer | string): Buffer {
	const bytes = typeof payload === 'string' ? Buffer.from(payload) : payload;
	if (bytes.length > 127) throw new Error('field too long for a one-byte length');
	return Buffer.concat([Buffer.from([(number << 3) | 2, bytes.length]), bytes]);
}

/**
 * `/openapi/v2` as gnostic's openapi_v2.Document in protobuf, the only form kubectl reads. It holds
 * no definitions: kubectl validates a `kind: List` against v2 and skips kinds it finds no schema
 * for, so `kubectl apply -f` of a List works while the server validates each object itself.
 */
export function openApiV2Protobuf(): Buffer {
	const info = Buffer.concat([field(1, 'Kubernetes'), field(2, 'v1.32.4')]);
	return Buffer.concat([field(1, '2.0'), field(2, info), field(8, Buffer.alloc(0))]);
}

