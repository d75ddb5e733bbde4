// ControllerRevisions as StatefulSets and DaemonSets keep them (pkg/controller/history): each
// revision's `data` is the patch `{"spec":{"template":{…,"$patch":"replace"}}}` that restores its
// pod template. kubectl's `rollout undo` compares those bytes with the patch it computes from the
// live object, so they must be exactly what Go's encoding/json writes.
import {escapeLikeGo} from './http-util.js';
import type {ObjectStore} from './store.js';
import {SAFE_ALPHABET, controllerRef} from './pod-util.js';
import {ApiError, clone, type KubeObject} from './types.js';

export const HASH_LABEL = 'controller.kubernetes.io/hash';

/** A deep copy whose object keys are sorted, as Go marshals a map[string]interface{}. */
export function sortKeys<T>(value: T): T {
	if (Array.isArray(value)) return value.map(sortKeys) as T;
	if (value === null || typeof value !== 'object') return value;
	const out: Record<string, unknown> = {};
	for (const key of Object.keys(value).sort()) out[key] = sortKeys((value as Record<string, unknown>)[key]);
	return out as T;
}

/** json.Marshal of the value decoded into interface{}: compact, sorted keys, HTML-escaped. */
export function goJson(value: unknown): string {
	return escapeLikeGo(JSON.stringify(sortKeys(value)));
}

/** The revision data for a workload: its template, marked to replace the whole template on patch. */
export function templatePatch(template: unknown): Record<string, unknown> {
	return sortKeys({spec: {template: {...(template as object), $patch: 'replace'}}});
}

/** The pod template a revision restores. */
export function revisionTemplate(revision: KubeObject): any {
	const {$patch: _replace, ...template} = clone((revision as any).data?.spec?.template ?? {});
	return template;
}

/** hash/fnv New32 (FNV-1, not 1a) over the data bytes and the collision count, then SafeEncodeString. */
export function revisionHash(data: unknown, collisionCount: number): string {
	const bytes = Buffer.concat([Buffer.from(goJson(data), 'utf8'), Buffer.from(String(collisionCount))]);
	let hash = 0x811c9dc5;
	for (const byte of bytes) {
		hash = Math.imul(hash, 0x01000193) >>> 0;
		hash = (hash ^ byte) >>> 0;
	}
	return [...String(hash)].map(ch => SAFE_ALPHABET[ch.charCodeAt(0) % SAFE_ALPHABET.length]).join('');
}

export const revisionNumber = (cr: KubeObject): number => Number((cr as any).revision ?? 0);

/** history.SortControllerRevisions: by revision, then age, then name. */
export function sortRevisions(revisions: KubeObject[]): KubeObject[] {
	return [...revisions].sort(
		(a, b) =>
			revisionNumber(a) - revisionNumber(b) ||
			(a.metadata.creationTimestamp ?? '').localeCompare(b.metadata.creationTimestamp ?? '') ||
			a.metadata.name.localeCompare(b.metadata.name),
	);
}

export function ownedRevisions(store: ObjectStore, owner: KubeObject): KubeObject[] {
	return sortRevisions(store.list('controllerrevisions', owner.metadata.namespace).filter(cr => controllerRef(cr)?.uid === owner.metadata.uid));
}

/** history.EqualRevision: the same data bytes. */
export function equalRevision(a: KubeObject, b: KubeObject): boolean {
	return goJson((a as any).data) === goJson((b as any).data);
}

export function nextRevision(revisions: KubeObject[]): number {
	return revisions.length === 0 ? 1 : revisionNumber(revisions.at(-1)!) + 1;
}

/**
 * history.NewControllerRevision plus the workload controllers' copy of the owner's annotations
 * (so `kubernetes.io/change-cause` shows in `rollout history`).
 */
export function newRevision(owner: KubeObject, kind: string, revision: number, collisionCount: number): KubeObject {
	const template = owner.spec?.template ?? {};
	const data = templatePatch(template);
	const hash = revisionHash(data, collisionCount);
	return {
		apiVersion: 'apps/v1',
		kind: 'ControllerRevision',
		metadata: {
			name: `${owner.metadata.name.slice(0, 223)}-${hash}`,
			namespace: owner.metadata.namespace,
			labels: {...template.metadata?.labels, [HASH_LABEL]: hash},
			...(owner.metadata.annotations ? {annotations: {...owner.metadata.annotations}} : {}),
			ownerReferences: [{apiVersion: 'apps/v1', kind, name: owner.metadata.name, uid: owner.metadata.uid!, controller: true, blockOwnerDeletion: true}],
		},
		data,
		revision,
	};
}

/**
 * realHistory.CreateControllerRevision: a name taken by different data is a hash collision, so
 * the count rises and the name is recomputed. Returns the stored revision and the final count.
 */
export function createRevision(store: ObjectStore, owner: KubeObject, revision: KubeObject, collisionCount: number): {revision: KubeObject; collisionCount: number} {
	let count = collisionCount;
	for (;;) {
		const name = `${owner.metadata.name.slice(0, 223)}-${revisionHash((revision as any).data, count)}`;
		const existing = store.get('controllerrevisions', owner.metadata.namespace, name);
		if (existing) {
			if (equalRevision(existing, revision)) return {revision: existing, collisionCount: count};
			count++;
			continue;
		}
		try {
			return {revision: store.create('controllerrevisions', {...revision, metadata: {...revision.metadata, name}}, 'controllerrevisions.apps'), collisionCount: count};
		} catch (error) {
			if (error instanceof ApiError && error.code === 409) continue;
			throw error;
		}
	}
}

/** realHistory.UpdateControllerRevision: only the number changes; annotations stay as they were. */
export function renumberRevision(store: ObjectStore, revision: KubeObject, to: number): KubeObject {
	return store.mutate('controllerrevisions', revision.metadata.namespace, revision.metadata.name, cr => {
		(cr as any).revision = to;
	}) ?? revision;
}

/** truncateHistory: keep revisionHistoryLimit revisions that no pod, nor current/update, uses. */
export function truncateHistory(store: ObjectStore, revisions: KubeObject[], live: Set<string>, limit: number): void {
	const history = revisions.filter(cr => !live.has(cr.metadata.name));
	for (const cr of history.slice(0, Math.max(0, history.length - limit))) {
		store.remove('controllerrevisions', cr.metadata.namespace, cr.metadata.name);
	}
}

/**
 * The revisions a sync works with (getStatefulSetRevisions / constructHistory): the one matching
 * the current template becomes the update revision — reused as is when it is the newest, renumbered
 * to max+1 when an older one matches (a rollback), created otherwise.
 */
export function syncRevisions(
	store: ObjectStore,
	owner: KubeObject,
	kind: string,
	revisions: KubeObject[],
): {update: KubeObject; collisionCount: number} {
	const collisionCount = owner.status?.collisionCount ?? 0;
	const wanted = newRevision(owner, kind, nextRevision(revisions), collisionCount);
	const equal = revisions.filter(cr => equalRevision(cr, wanted));
	const newest = revisions.at(-1);
	if (equal.length > 0 && newest && equalRevision(newest, equal.at(-1)!)) return {update: newest, collisionCount};
	if (equal.length > 0) return {update: renumberRevision(store, equal.at(-1)!, revisionNumber(wanted)), collisionCount};
	const created = createRevision(store, owner, wanted, collisionCount);
	return {update: created.revision, collisionCount: created.collisionCount};
}
