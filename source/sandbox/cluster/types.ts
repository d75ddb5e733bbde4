// Objects are kept as the JSON the API serves: loose records, typed only where the sandbox reads them.

export type Json = null | boolean | number | string | Json[] | {[key: string]: Json};

export interface ObjectMeta {
	name: string;
	namespace?: string;
	generateName?: string;
	uid?: string;
	resourceVersion?: string;
	generation?: number;
	creationTimestamp?: string;
	deletionTimestamp?: string;
	deletionGracePeriodSeconds?: number;
	labels?: Record<string, string>;
	annotations?: Record<string, string>;
	ownerReferences?: OwnerReference[];
	finalizers?: string[];
	[key: string]: unknown;
}

export interface OwnerReference {
	apiVersion: string;
	kind: string;
	name: string;
	uid: string;
	controller?: boolean;
	blockOwnerDeletion?: boolean;
}

export interface KubeObject {
	apiVersion?: string;
	kind?: string;
	metadata: ObjectMeta;
	// Deliberately loose: the sandbox stores whatever clients send, like etcd does.
	spec?: any;
	status?: any;
	[key: string]: unknown;
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface StoreEvent {
	type: WatchEventType;
	resource: string;
	rv: number;
	object: KubeObject;
	/** The object before a MODIFIED write, so watches can turn selector transitions into ADDED/DELETED. */
	prev?: KubeObject;
	/** Serialised `{"type","object"}` line, filled on first use and shared by every watcher. */
	line?: string;
	/** Table-format lines keyed by format, same reason. */
	tableLines?: Map<string, string>;
}

export interface StatusBody {
	kind: 'Status';
	apiVersion: 'v1';
	metadata: Record<string, never>;
	status: 'Success' | 'Failure';
	message?: string;
	reason?: string;
	details?: {name?: string; group?: string; kind?: string; causes?: Array<{message: string}>};
	code: number;
}

export function statusBody(code: number, reason: string, message: string, details?: StatusBody['details']): StatusBody {
	return {
		kind: 'Status',
		apiVersion: 'v1',
		metadata: {},
		status: code < 400 ? 'Success' : 'Failure',
		message,
		reason,
		...(details ? {details} : {}),
		code,
	};
}

export class ApiError extends Error {
	constructor(
		readonly code: number,
		readonly reason: string,
		message: string,
		readonly details?: StatusBody['details'],
	) {
		super(message);
	}

	toStatus(): StatusBody {
		return statusBody(this.code, this.reason, this.message, this.details);
	}
}

/** RFC 3339 at second precision, as the API server prints metav1.Time. */
export function isoSeconds(ms: number): string {
	return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

export function clone<T>(value: T): T {
	return structuredClone(value);
}
