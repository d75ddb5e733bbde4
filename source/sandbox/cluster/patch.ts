// The three PATCH flavours kubectl and client-node send. Strategic merge is approximated by merge
// keys chosen by field name, which covers every list kubectl patches (containers by name, etc.).
import {ApiError, clone} from './types.js';

type Obj = Record<string, any>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

// ---- RFC 6902 JSON Patch ----

function unescapePointer(token: string): string {
	return token.replace(/~1/g, '/').replace(/~0/g, '~');
}

function resolveParent(doc: any, pointer: string): [any, string] {
	if (!pointer.startsWith('/')) throw new ApiError(422, 'Invalid', `invalid JSON pointer "${pointer}"`);
	const tokens = pointer.slice(1).split('/').map(unescapePointer);
	const last = tokens.pop()!;
	let current = doc;
	for (const token of tokens) {
		current = Array.isArray(current) ? current[Number(token)] : current?.[token];
		if (current === undefined || current === null || typeof current !== 'object') {
			throw new ApiError(422, 'Invalid', `the server rejected our request due to an error in our request: path "${pointer}" does not exist`);
		}
	}
	return [current, last];
}

function getAt(doc: any, pointer: string): any {
	if (pointer === '') return doc;
	const [parent, key] = resolveParent(doc, pointer);
	return Array.isArray(parent) ? parent[Number(key)] : parent[key];
}

function removeAt(doc: any, pointer: string): any {
	const [parent, key] = resolveParent(doc, pointer);
	if (Array.isArray(parent)) return parent.splice(Number(key), 1)[0];
	if (!(key in parent)) throw new ApiError(422, 'Invalid', `unable to remove nonexistent key: ${key}`);
	const value = parent[key];
	delete parent[key];
	return value;
}

function addAt(doc: any, pointer: string, value: any, replace: boolean): any {
	if (pointer === '') return value;
	const [parent, key] = resolveParent(doc, pointer);
	if (Array.isArray(parent)) {
		const index = key === '-' ? parent.length : Number(key);
		if (replace) parent[index] = value;
		else parent.splice(index, 0, value);
	} else {
		if (replace && !(key in parent)) throw new ApiError(422, 'Invalid', `replace operation does not apply: doc is missing key: ${pointer}`);
		parent[key] = value;
	}
	return doc;
}

export function applyJsonPatch(target: unknown, ops: unknown): any {
	if (!Array.isArray(ops)) throw new ApiError(400, 'BadRequest', 'json patch must be an array of operations');
	let doc = clone(target);
	for (const op of ops as Obj[]) {
		switch (op.op) {
			case 'add':
				doc = addAt(doc, op.path, clone(op.value), false);
				break;
			case 'replace':
				doc = addAt(doc, op.path, clone(op.value), true);
				break;
			case 'remove':
				removeAt(doc, op.path);
				break;
			case 'move':
				doc = addAt(doc, op.path, removeAt(doc, op.from), false);
				break;
			case 'copy':
				doc = addAt(doc, op.path, clone(getAt(doc, op.from)), false);
				break;
			case 'test':
				if (JSON.stringify(getAt(doc, op.path)) !== JSON.stringify(op.value)) {
					throw new ApiError(422, 'Invalid', `testing value ${op.path} failed`);
				}
				break;
			default:
				throw new ApiError(400, 'BadRequest', `unexpected json patch operation ${JSON.stringify(op.op)}`);
		}
	}
	return doc;
}

// ---- RFC 7386 JSON Merge Patch ----

export function applyMergePatch(target: unknown, patch: unknown): any {
	if (!isObj(patch)) return clone(patch);
	const out: Obj = isObj(target) ? clone(target) : {};
	for (const [key, value] of Object.entries(patch)) {
		if (value === null) delete out[key];
		else out[key] = applyMergePatch(out[key], value);
	}
	return out;
}

// ---- Strategic merge patch ----

const MERGE_KEYS: Record<string, string> = {
	containers: 'name',
	initContainers: 'name',
	ephemeralContainers: 'name',
	env: 'name',
	volumes: 'name',
	volumeMounts: 'mountPath',
	volumeDevices: 'devicePath',
	imagePullSecrets: 'name',
	ports: 'containerPort',
	conditions: 'type',
	ownerReferences: 'uid',
	hostAliases: 'ip',
	topologySpreadConstraints: 'topologyKey',
	resourceClaims: 'name',
};

function mergeList(key: string, target: unknown, patch: any[], parentPatch: Obj): any[] {
	const mergeKey = key === 'ports' && patch.some(p => isObj(p) && 'port' in p && !('containerPort' in p)) ? 'port' : MERGE_KEYS[key];
	if (!mergeKey || !Array.isArray(target)) return patch.filter(p => !(isObj(p) && p.$patch));
	if (patch.some(p => isObj(p) && p.$patch === 'replace')) return patch.filter(p => !(isObj(p) && p.$patch));
	const out = clone(target) as any[];
	for (const item of patch) {
		if (!isObj(item)) continue;
		const index = out.findIndex(o => isObj(o) && o[mergeKey] === item[mergeKey]);
		if (item.$patch === 'delete') {
			if (index >= 0) out.splice(index, 1);
		} else if (index >= 0) {
			out[index] = applyStrategicMergePatch(out[index], item);
		} else {
			out.push(applyStrategicMergePatch({}, item));
		}
	}
	const order: unknown = parentPatch[`$setElementOrder/${key}`];
	if (Array.isArray(order)) {
		const rank = new Map(order.map((o: any, i) => [o?.[mergeKey], i]));
		out.sort((a, b) => (rank.get(a?.[mergeKey]) ?? Infinity) - (rank.get(b?.[mergeKey]) ?? Infinity));
	}
	return out;
}

export function applyStrategicMergePatch(target: unknown, patch: unknown): any {
	if (!isObj(patch)) return clone(patch);
	if (patch.$patch === 'replace') {
		const {$patch: _ignored, ...rest} = patch;
		return clone(rest);
	}
	if (patch.$patch === 'delete') return undefined;
	const out: Obj = isObj(target) ? clone(target) : {};
	const retain: unknown = patch.$retainKeys;
	for (const [key, value] of Object.entries(patch)) {
		if (key.startsWith('$')) {
			const m = /^\$deleteFromPrimitiveList\/(.+)$/.exec(key);
			if (m && Array.isArray(out[m[1]!]) && Array.isArray(value)) {
				out[m[1]!] = out[m[1]!].filter((v: unknown) => !value.includes(v));
			}
			continue;
		}
		if (value === null) delete out[key];
		else if (Array.isArray(value)) out[key] = mergeList(key, out[key], value, patch);
		else if (isObj(value)) {
			const merged = applyStrategicMergePatch(out[key], value);
			if (merged === undefined) delete out[key];
			else out[key] = merged;
		} else out[key] = value;
	}
	if (Array.isArray(retain)) {
		for (const key of Object.keys(out)) if (!retain.includes(key)) delete out[key];
	}
	return out;
}

export function applyPatch(contentType: string, target: unknown, patch: unknown): any {
	const type = contentType.split(';')[0]!.trim();
	if (type === 'application/json-patch+json') return applyJsonPatch(target, patch);
	if (type === 'application/merge-patch+json') return applyMergePatch(target, patch);
	if (type === 'application/strategic-merge-patch+json') return applyStrategicMergePatch(target, patch);
	if (type === 'application/apply-patch+yaml' || type === 'application/apply-patch+cbor') {
		// Server-side apply approximated as a strategic merge of the applied configuration.
		return applyStrategicMergePatch(target, patch);
	}
	throw new ApiError(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml`);
}
