// The API server's validation of ConfigMaps and Leases (pkg/apis/core/validation ValidateConfigMap,
// pkg/apis/coordination/validation) and its refusal of a Lease update with no resourceVersion
// (registry/generic/registry/store.go: the Lease strategy does not allow unconditional updates),
// with the real messages, so a client's error handling meets what a real cluster answers.
import type {ResourceDef} from './resources.js';
import {ApiError, type KubeObject} from './types.js';

interface Cause {
	field: string;
	reason: 'FieldValueInvalid' | 'FieldValueTooLong';
	/** The error without its field (field.Error.ErrorBody). */
	message: string;
}

/** ConfigMap and Secret payloads together may hold at most this many bytes (core.MaxSecretSize). */
export const MAX_CONFIGMAP_BYTES = 1024 * 1024;

/** apierrors.NewInvalid: `Kind.group "name" is invalid: field: body`, several errors bracketed. */
export function invalid(kind: string, group: string, name: string, causes: Cause[]): ApiError {
	const texts = [...new Set(causes.map(c => `${c.field}: ${c.message}`))];
	const qualifiedKind = group ? `${kind}.${group}` : kind;
	const message = `${qualifiedKind} "${name}" is invalid: ${texts.length > 1 ? `[${texts.join(', ')}]` : texts[0]}`;
	return new ApiError(422, 'Invalid', message, {name, ...(group ? {group} : {}), kind, causes} as any);
}

/** field.Invalid's body for a string value: Go prints it %q. */
const invalidString = (value: string, detail: string) => `Invalid value: ${JSON.stringify(value)}: ${detail}`;

/** validation.IsConfigMapKey's messages for one key. */
function configMapKeyProblems(key: string): string[] {
	const problems: string[] = [];
	if (key.length > 253) problems.push('must be no more than 253 characters');
	if (!/^[-._a-zA-Z0-9]+$/.test(key)) {
		problems.push("a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')");
	}
	if (key === '.') problems.push("must not be '.'");
	else if (key === '..') problems.push("must not be '..'");
	else if (key.startsWith('..')) problems.push("must not start with '..'");
	return problems;
}

/** A value the JSON decoder would refuse before validation runs: 400, as the real decoder answers. */
function undecodable(field: string, value: unknown): ApiError {
	const got = Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value;
	return new ApiError(400, 'BadRequest', `ConfigMap in version "v1" cannot be handled as a ConfigMap: json: cannot unmarshal ${got} into Go struct field ConfigMap.${field} of type ${field === 'data' ? 'string' : '[]uint8'}`);
}

function bagSize(obj: KubeObject, bag: 'data' | 'binaryData', other: 'data' | 'binaryData', causes: Cause[]): number {
	const values = (obj[bag] ?? {}) as Record<string, unknown>;
	if (typeof values !== 'object' || Array.isArray(values)) throw undecodable(bag, values);
	let size = 0;
	for (const key of Object.keys(values).sort()) {
		const value = values[key];
		if (typeof value !== 'string') throw undecodable(bag, value);
		for (const problem of configMapKeyProblems(key)) causes.push({field: `${bag}[${key}]`, reason: 'FieldValueInvalid', message: invalidString(key, problem)});
		if (Object.hasOwn((obj[other] ?? {}) as object, key)) {
			causes.push({field: `${bag}[${key}]`, reason: 'FieldValueInvalid', message: invalidString(key, `duplicate of key present in ${other}`)});
		}
		size += bag === 'data' ? Buffer.byteLength(value, 'utf8') : Buffer.from(value, 'base64').length;
	}
	return size;
}

function validateConfigMap(obj: KubeObject): void {
	const causes: Cause[] = [];
	const size = bagSize(obj, 'data', 'binaryData', causes) + bagSize(obj, 'binaryData', 'data', causes);
	// The field path is empty (the whole object), which Go prints as `[]`.
	if (size > MAX_CONFIGMAP_BYTES) causes.push({field: '[]', reason: 'FieldValueTooLong', message: `Too long: may not be more than ${MAX_CONFIGMAP_BYTES} bytes`});
	if (causes.length > 0) throw invalid('ConfigMap', '', obj.metadata.name, causes);
}

const RFC3339_MICRO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{6})(Z|[+-]\d\d:\d\d)$/;

/**
 * metav1.MicroTime decodes with layout RFC3339Micro, whose `.000000` wants exactly six fractional digits
 * (a JavaScript Date's toISOString has three: refused with 400 as the real decoder refuses it), and
 * is stored in UTC; a `Z` time is kept byte for byte.
 */
function microTime(obj: KubeObject, field: 'acquireTime' | 'renewTime'): void {
	const value = obj.spec?.[field];
	if (value === undefined || value === null) return;
	const m = typeof value === 'string' ? RFC3339_MICRO.exec(value) : null;
	if (!m) {
		const rest = typeof value === 'string' ? value.slice(19) : String(value);
		throw new ApiError(400, 'BadRequest', `Lease in version "v1" cannot be handled as a Lease: parsing time ${JSON.stringify(value)} as "2006-01-02T15:04:05.000000Z07:00": cannot parse ${JSON.stringify(rest)} as ".000000"`);
	}
	if (m[2] !== 'Z') obj.spec[field] = `${new Date(value).toISOString().slice(0, 19)}${m[1]}Z`;
}

function validateLease(obj: KubeObject): void {
	microTime(obj, 'acquireTime');
	microTime(obj, 'renewTime');
	const causes: Cause[] = [];
	const duration = obj.spec?.leaseDurationSeconds;
	if (typeof duration === 'number' && duration <= 0) {
		causes.push({field: 'spec.leaseDurationSeconds', reason: 'FieldValueInvalid', message: `Invalid value: ${duration}: must be greater than 0`});
	}
	const transitions = obj.spec?.leaseTransitions;
	if (typeof transitions === 'number' && transitions < 0) {
		causes.push({field: 'spec.leaseTransitions', reason: 'FieldValueInvalid', message: `Invalid value: ${transitions}: must be greater than or equal to 0`});
	}
	if (causes.length > 0) throw invalid('Lease', 'coordination.k8s.io', obj.metadata.name, causes);
}

/** Create and update validation for the kinds this file knows; others pass. */
export function validateObject(resource: string, obj: KubeObject): void {
	if (resource === 'configmaps') validateConfigMap(obj);
	if (resource === 'leases') validateLease(obj);
}

/** Kinds whose update strategy refuses an update without a resourceVersion (AllowUnconditionalUpdate false). */
const CONDITIONAL_UPDATE_ONLY = new Set(['leases']);

/**
 * A PUT with no metadata.resourceVersion overwrites most kinds; for these the store answers 422,
 * naming the resource (not the kind) as store.go does, and the value as Go prints a uint64 0.
 */
export function requireResourceVersion(def: ResourceDef, name: string, body: unknown): void {
	if (!CONDITIONAL_UPDATE_ONLY.has(def.name)) return;
	if ((body as KubeObject | undefined)?.metadata?.resourceVersion) return;
	const message = 'Invalid value: 0x0: must be specified for an update';
	throw invalid(def.name, def.group, name, [{field: 'metadata.resourceVersion', reason: 'FieldValueInvalid', message}]);
}
