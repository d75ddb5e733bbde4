// Pod templates compared and described: kubectl's EqualIgnoreHash (apimachinery's
// Semantic.DeepEqual, where a nil map or slice equals an empty one), and the few human lines the
// rollback confirmation shows for what an undo would change.
import type {PodTemplate} from './types.js';

export const POD_TEMPLATE_HASH = 'pod-template-hash';

/** EqualIgnoreHash with apimachinery's Semantic.DeepEqual, where a nil map or slice equals an empty one. */
export function equalIgnoreHash(a: PodTemplate, b: PodTemplate): boolean {
	return semanticEqual(withoutHash(a), withoutHash(b));
}

export function withoutHash(t: PodTemplate): PodTemplate {
	const labels = t.metadata?.labels;
	if (!labels || !(POD_TEMPLATE_HASH in labels)) return t;
	const {[POD_TEMPLATE_HASH]: _hash, ...rest} = labels;
	return {...t, metadata: {...t.metadata, labels: rest}};
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const isEmpty = (v: unknown) => v === undefined || v === null || (Array.isArray(v) && v.length === 0) || (isObject(v) && Object.keys(v).length === 0);

export function semanticEqual(a: unknown, b: unknown): boolean {
	if (a === b) return true;
	if (isEmpty(a) && isEmpty(b)) return true;
	if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => semanticEqual(x, b[i]));
	if (isObject(a) && isObject(b)) {
		const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
		for (const k of keys) if (!semanticEqual(a[k], b[k])) return false;
		return true;
	}
	return false;
}

/** Image `repo:tag` split, minding registry ports (`host:5000/app:v1`) and digests. */
function splitImage(image: string): {repo: string; ref: string} {
	const at = image.indexOf('@');
	if (at >= 0) return {repo: image.slice(0, at), ref: image.slice(at + 1)};
	const colon = image.lastIndexOf(':');
	return colon > image.lastIndexOf('/') ? {repo: image.slice(0, colon), ref: image.slice(colon + 1)} : {repo: image, ref: 'latest'};
}

function imageChange(from: string, to: string): string {
	const a = splitImage(from);
	const b = splitImage(to);
	return a.repo === b.repo ? `${a.ref} → ${b.ref}` : `${from} → ${to}`;
}

/** What an undo changes, in a few human lines: images, env, resources, containers, anything else. */
export function templateDiff(current: PodTemplate, target: PodTemplate): string[] {
	const lines: string[] = [];
	const cur = new Map((current.spec?.containers ?? []).map(c => [c.name, c]));
	const tgt = new Map((target.spec?.containers ?? []).map(c => [c.name, c]));
	for (const name of cur.keys()) if (!tgt.has(name)) lines.push(`container ${name} removed`);
	for (const [name, t] of tgt) {
		const c = cur.get(name);
		if (!c) {
			lines.push(`container ${name} added (${t.image ?? 'no image'})`);
			continue;
		}
		if ((c.image ?? '') !== (t.image ?? '')) lines.push(`${name}: image ${imageChange(c.image ?? '', t.image ?? '')}`);
		const envC = new Map((c.env ?? []).map(e => [e.name, e]));
		const envT = new Map((t.env ?? []).map(e => [e.name, e]));
		const show = (e: {value?: string; valueFrom?: unknown}) => (e.value !== undefined ? e.value : e.valueFrom ? '(from a reference)' : '');
		for (const [k, e] of envC) if (!envT.has(k)) lines.push(`${name}: env ${k} removed (was ${show(e)})`);
		for (const [k, e] of envT) {
			const before = envC.get(k);
			if (!before) lines.push(`${name}: env ${k}=${show(e)} added`);
			else if (!semanticEqual(before, e)) lines.push(`${name}: env ${k} ${show(before)} → ${show(e)}`);
		}
		for (const kind of ['requests', 'limits'] as const) {
			const rc = c.resources?.[kind] ?? {};
			const rt = t.resources?.[kind] ?? {};
			for (const res of new Set([...Object.keys(rc), ...Object.keys(rt)])) {
				if (rc[res] !== rt[res]) lines.push(`${name}: ${kind}.${res} ${rc[res] ?? 'unset'} → ${rt[res] ?? 'unset'}`);
			}
		}
		const rest = (x: Record<string, unknown>) => {
			const {name: _n, image: _i, env: _e, resources: _r, ...others} = x;
			return others;
		};
		const fields = [...new Set([...Object.keys(rest(c)), ...Object.keys(rest(t))])].filter(k => !semanticEqual(c[k], t[k]));
		if (fields.length) lines.push(`${name}: ${fields.sort().join(', ')} changed`);
	}
	const others: string[] = [];
	const a = withoutHash(current);
	const b = withoutHash(target);
	for (const k of new Set([...Object.keys(a.metadata ?? {}), ...Object.keys(b.metadata ?? {})])) {
		if (!semanticEqual(a.metadata?.[k], b.metadata?.[k])) others.push(`metadata.${k}`);
	}
	for (const k of new Set([...Object.keys(a.spec ?? {}), ...Object.keys(b.spec ?? {})])) {
		if (k !== 'containers' && !semanticEqual(a.spec?.[k], b.spec?.[k])) others.push(`spec.${k}`);
	}
	if (others.length) lines.push(`pod template ${others.sort().join(', ')} changed`);
	return lines;
}
