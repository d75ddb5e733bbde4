// A minimal OpenAPI v3 surface. kubectl apply/create -f only consult it to learn that the server
// does field validation itself (a `fieldValidation` query parameter on each PATCH operation);
// without it they insist on downloading schemas for client-side validation and give up.
import {RESOURCES} from './resources.js';

const HASH = 'SANDBOX0000000000000000000000000000000000000000000000000000000000000000';

export function openApiV3Index() {
	return {
		paths: {
			'api/v1': {serverRelativeURL: `/openapi/v3/api/v1?hash=${HASH}`},
			'apis/apps/v1': {serverRelativeURL: `/openapi/v3/apis/apps/v1?hash=${HASH}`},
		},
	};
}

export function openApiV3Document(group: '' | 'apps') {
	const paths: Record<string, unknown> = {};
	for (const def of RESOURCES.filter(r => r.group === group)) {
		const base = group ? '/apis/apps/v1' : '/api/v1';
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

