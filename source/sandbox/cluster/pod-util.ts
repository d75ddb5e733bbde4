// Small helpers shared by the API handlers, controllers and the kubelet simulation.
import {randomInt} from 'node:crypto';
import type {ObjectStore} from './store.js';
import {isoSeconds, type KubeObject, type OwnerReference} from './types.js';

/** k8s.io/apimachinery/pkg/util/rand: no vowels, no confusable characters. */
export const SAFE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

export function randomSuffix(length = 5): string {
	let out = '';
	for (let i = 0; i < length; i++) out += SAFE_ALPHABET[randomInt(SAFE_ALPHABET.length)];
	return out;
}

export function controllerRef(obj: KubeObject): OwnerReference | undefined {
	return obj.metadata.ownerReferences?.find(r => r.controller);
}

export function isPodReady(pod: KubeObject): boolean {
	return (pod.status?.conditions ?? []).some((c: any) => c.type === 'Ready' && c.status === 'True');
}

export function isPodActive(pod: KubeObject): boolean {
	return !pod.metadata.deletionTimestamp && pod.status?.phase !== 'Succeeded' && pod.status?.phase !== 'Failed';
}

/**
 * Graceful deletion as the API server does it for pods: stamp deletionTimestamp and let the
 * kubelet simulation remove the object once its containers "stopped".
 */
export function markPodDeleting(store: ObjectStore, pod: KubeObject, graceSeconds?: number): KubeObject | undefined {
	const grace = graceSeconds ?? pod.spec?.terminationGracePeriodSeconds ?? 30;
	if (pod.metadata.deletionTimestamp) return pod;
	if (grace === 0 || !pod.spec?.nodeName) {
		if (pod.metadata.finalizers?.length) {
			return store.mutate('pods', pod.metadata.namespace, pod.metadata.name, draft => {
				draft.metadata.deletionTimestamp = isoSeconds(Date.now());
				draft.metadata.deletionGracePeriodSeconds = 0;
			});
		}
		return store.remove('pods', pod.metadata.namespace, pod.metadata.name);
	}
	return store.mutate('pods', pod.metadata.namespace, pod.metadata.name, draft => {
		draft.metadata.deletionTimestamp = isoSeconds(Date.now() + grace * 1000);
		draft.metadata.deletionGracePeriodSeconds = grace;
	});
}

/** Stable JSON with empty values dropped, so templates that differ only in `{}` vs absent compare equal. */
export function normalise(value: unknown): unknown {
	if (Array.isArray(value)) return value.map(normalise);
	if (value === null || typeof value !== 'object') return value;
	const out: Record<string, unknown> = {};
	for (const key of Object.keys(value).sort()) {
		const v = normalise((value as Record<string, unknown>)[key]);
		if (v === null || v === undefined) continue;
		if (typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 0) continue;
		if (Array.isArray(v) && v.length === 0) continue;
		out[key] = v;
	}
	return out;
}

export function templateWithoutHash(template: any): unknown {
	const copy = structuredClone(template ?? {});
	if (copy.metadata?.labels) delete copy.metadata.labels['pod-template-hash'];
	return normalise(copy);
}

/** controller.ComputeHash: FNV-32a of the template, rendered through SafeEncodeString. */
export function podTemplateHash(template: unknown): string {
	const text = JSON.stringify(templateWithoutHash(template));
	let hash = 0x811c9dc5;
	for (let i = 0; i < text.length; i++) {
		hash ^= text.charCodeAt(i) & 0xff;
		hash = Math.imul(hash, 0x01000193) >>> 0;
	}
	return [...String(hash)].map(ch => SAFE_ALPHABET[ch.charCodeAt(0) % SAFE_ALPHABET.length]).join('');
}
