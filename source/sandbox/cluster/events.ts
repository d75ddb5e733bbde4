// core/v1 Events like the kubelet and controllers record them, including the client-side
// aggregation that turns repeats into one event with a rising count.
import type {ObjectStore} from './store.js';
import {isoSeconds, type KubeObject} from './types.js';

export interface EventInput {
	involved: KubeObject;
	type?: 'Normal' | 'Warning';
	reason: string;
	message: string;
	component: string;
	host?: string;
	fieldPath?: string;
	/** Backdating, for the seeded world. */
	at?: number;
}

const EVENT_TTL_MS = 60 * 60 * 1000;

export class EventRecorder {
	private readonly byKey = new Map<string, string>();
	private seq = 0;

	constructor(private readonly store: ObjectStore) {}

	record(input: EventInput): void {
		const {involved} = input;
		const namespace = involved.metadata.namespace ?? 'default';
		const type = input.type ?? 'Normal';
		const at = isoSeconds(input.at ?? Date.now());
		const key = [namespace, involved.metadata.uid, input.reason, input.message, type, input.fieldPath ?? ''].join('\u0000');
		const existing = this.byKey.get(key);
		if (existing && this.store.get('events', namespace, existing)) {
			this.store.mutate('events', namespace, existing, ev => {
				(ev as any).count = ((ev as any).count ?? 1) + 1;
				(ev as any).lastTimestamp = at;
			});
			return;
		}
		const suffix = (BigInt(input.at ?? Date.now()) * 1_000_000n + BigInt(++this.seq)).toString(16);
		const name = `${involved.metadata.name}.${suffix}`;
		this.byKey.set(key, name);
		this.store.create('events', {
			apiVersion: 'v1',
			kind: 'Event',
			metadata: {name, namespace, creationTimestamp: at},
			involvedObject: {
				kind: involved.kind,
				namespace,
				name: involved.metadata.name,
				uid: involved.metadata.uid,
				apiVersion: involved.apiVersion,
				resourceVersion: involved.metadata.resourceVersion,
				...(input.fieldPath ? {fieldPath: input.fieldPath} : {}),
			},
			reason: input.reason,
			message: input.message,
			source: {component: input.component, ...(input.host ? {host: input.host} : {})},
			firstTimestamp: at,
			lastTimestamp: at,
			count: 1,
			type,
			eventTime: null,
			reportingComponent: input.component,
			reportingInstance: input.host ?? '',
		});
	}

	/** After a restart: repeats of a saved event count on it again instead of starting another. */
	reindex(): void {
		for (const ev of this.store.list('events') as any[]) {
			const key = [ev.metadata.namespace, ev.involvedObject?.uid, ev.reason, ev.message, ev.type, ev.involvedObject?.fieldPath ?? ''].join('\u0000');
			this.byKey.set(key, ev.metadata.name);
		}
	}

	/** Drops events older than the API server's default one-hour TTL. */
	prune(now = Date.now()): void {
		for (const ev of this.store.list('events')) {
			const last = Date.parse(String((ev as any).lastTimestamp ?? ev.metadata.creationTimestamp));
			if (now - last > EVENT_TTL_MS) this.store.remove('events', ev.metadata.namespace, ev.metadata.name);
		}
		for (const [key, name] of this.byKey) {
			const namespace = key.slice(0, key.indexOf('\u0000'));
			if (!this.store.get('events', namespace, name)) this.byKey.delete(key);
		}
	}
}
