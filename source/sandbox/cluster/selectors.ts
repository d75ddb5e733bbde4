// Label and field selectors as the API server parses them (apimachinery labels.Parse / fields).
import {ApiError, type KubeObject} from './types.js';

type Requirement =
	| {key: string; op: 'in' | 'notin'; values: string[]}
	| {key: string; op: 'exists' | '!exists'};

export type Matcher = (obj: KubeObject) => boolean;

/** Splits on commas that are not inside `in (…)` value lists. */
function splitTopLevel(text: string): string[] {
	const parts: string[] = [];
	let depth = 0;
	let current = '';
	for (const ch of text) {
		if (ch === '(') depth++;
		if (ch === ')') depth--;
		if (ch === ',' && depth === 0) {
			parts.push(current);
			current = '';
		} else {
			current += ch;
		}
	}
	parts.push(current);
	return parts.map(p => p.trim()).filter(p => p !== '');
}

function parseRequirement(text: string): Requirement {
	let m = /^([^\s!=(),]+)\s+(in|notin)\s*\(([^)]*)\)$/.exec(text);
	if (m) {
		const values = m[3]!.split(',').map(v => v.trim()).filter(v => v !== '');
		return {key: m[1]!, op: m[2] as 'in' | 'notin', values};
	}
	m = /^([^\s!=(),]+)\s*(==|=|!=)\s*([^\s!=(),]*)$/.exec(text);
	if (m) return {key: m[1]!, op: m[2] === '!=' ? 'notin' : 'in', values: [m[3]!]};
	m = /^(!?)\s*([^\s!=(),]+)$/.exec(text);
	if (m) return {key: m[2]!, op: m[1] ? '!exists' : 'exists'};
	throw new ApiError(400, 'BadRequest', `unable to parse requirement: ${JSON.stringify(text)}`);
}

function matches(req: Requirement, value: string | undefined): boolean {
	switch (req.op) {
		case 'exists':
			return value !== undefined;
		case '!exists':
			return value === undefined;
		case 'in':
			return value !== undefined && req.values.includes(value);
		case 'notin':
			return value === undefined || !req.values.includes(value);
	}
}

export function parseLabelSelector(text: string | null | undefined): Matcher | undefined {
	if (!text) return undefined;
	const reqs = splitTopLevel(text).map(parseRequirement);
	return obj => reqs.every(r => matches(r, obj.metadata.labels?.[r.key]));
}

/** Builds a label selector string from a LabelSelector object (matchLabels + matchExpressions). */
export function selectorToString(selector: {matchLabels?: Record<string, string>; matchExpressions?: any[]} | undefined): string {
	const parts = Object.entries(selector?.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`);
	for (const e of selector?.matchExpressions ?? []) {
		const op = String(e.operator).toLowerCase();
		if (op === 'exists') parts.push(e.key);
		else if (op === 'doesnotexist') parts.push(`!${e.key}`);
		else parts.push(`${e.key} ${op} (${(e.values ?? []).join(',')})`);
	}
	return parts.join(',');
}

function fieldValue(obj: KubeObject, path: string): string | undefined {
	let current: unknown = obj;
	for (const part of path.split('.')) {
		if (current === null || typeof current !== 'object') return undefined;
		current = (current as Record<string, unknown>)[part];
	}
	if (current === undefined || current === null) return undefined;
	return typeof current === 'object' ? JSON.stringify(current) : String(current);
}

/**
 * Field selectors resolve any dotted path generically; the real server only allows a few
 * fields per kind, but every one kubectl and the TUI send (metadata.name, metadata.namespace,
 * involvedObject.*, status.phase, spec.nodeName, type, reason) is a plain path.
 */
export function parseFieldSelector(text: string | null | undefined): Matcher | undefined {
	if (!text) return undefined;
	const reqs = splitTopLevel(text).map(part => {
		const m = /^([^!=]+?)\s*(==|=|!=)\s*(.*)$/.exec(part);
		if (!m) throw new ApiError(400, 'BadRequest', `invalid selector: '${text}'; can't understand '${part}'`);
		return {path: m[1]!.trim(), negate: m[2] === '!=', value: m[3]!.trim()};
	});
	return obj =>
		reqs.every(r => {
			const v = fieldValue(obj, r.path) ?? '';
			return r.negate ? v !== r.value : v === r.value;
		});
}

export function combine(...matchers: Array<Matcher | undefined>): Matcher {
	const active = matchers.filter((m): m is Matcher => m !== undefined);
	return obj => active.every(m => m(obj));
}
