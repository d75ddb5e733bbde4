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
