// `kubectl describe pod` as data, then as lines: what a crash loop is diagnosed from (phase, conditions, each
// container's state and last state with reason and exit code, restarts, image, node) and the pod's events. Pure:
// the watches feed it, the overlay draws it. Ages are computed against `now` so the lines move with the clock.
import {humanDuration} from './pod-status.js';
import type {KubeEvent, Pod} from './types.js';

type Timestamp = string | Date | undefined;

export interface ContainerStateView {
	/** Running, Waiting, Terminated, or '' when the kubelet reported none. */
	state: string;
	reason?: string;
	message?: string;
	exitCode?: number;
	signal?: number;
	startedAt?: string;
	finishedAt?: string;
}

export interface ContainerView {
	name: string;
	image: string;
	ready: boolean;
	restarts: number;
	state: ContainerStateView;
	/** The previous instance's end: what a crash loop's exit code is read from. */
	lastState: ContainerStateView | null;
}

export interface EventView {
	type: string;
	reason: string;
	/** `12s (x4 over 2m)`, as kubectl prints it. */
	age: string;
	from: string;
	message: string;
	at: number;
}

export interface PodDescription {
	name: string;
	namespace: string;
	node: string;
	phase: string;
	/** Why the pod is not well, in one word when the kubelet gave one (CrashLoopBackOff, ImagePullBackOff). */
	reason: string;
	startTime: string;
	conditions: Array<{type: string; status: string; reason?: string}>;
	containers: ContainerView[];
	events: EventView[];
}

type RawState = {
	waiting?: {reason?: string; message?: string};
	running?: {startedAt?: Timestamp};
	terminated?: {exitCode: number; signal?: number; reason?: string; message?: string; startedAt?: Timestamp; finishedAt?: Timestamp};
};

const iso = (t: Timestamp) => (t === undefined ? undefined : t instanceof Date ? t.toISOString() : t);
const millis = (t: Timestamp) => (t === undefined ? Number.NaN : t instanceof Date ? t.getTime() : Date.parse(t));

export function stateView(raw: RawState | undefined): ContainerStateView {
	if (raw?.running) return {state: 'Running', ...opt('startedAt', iso(raw.running.startedAt))};
	if (raw?.waiting) return {state: 'Waiting', ...opt('reason', raw.waiting.reason), ...opt('message', raw.waiting.message)};
	const t = raw?.terminated;
	if (t) {
		return {
			state: 'Terminated',
			exitCode: t.exitCode,
			...opt('reason', t.reason),
			...opt('message', t.message),
			...opt('signal', t.signal),
			...opt('startedAt', iso(t.startedAt)),
			...opt('finishedAt', iso(t.finishedAt)),
		};
	}
	return {state: ''};
}

function opt<K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> {
	return value === undefined || value === '' ? {} : ({[key]: value} as Record<K, V>);
}

/** Events about this pod, oldest first, as describe's table has them. */
export function podEvents(events: Iterable<KubeEvent>, pod: string, now: number): EventView[] {
	const out: EventView[] = [];
	for (const e of events) {
		if (e.involvedObject?.name !== pod || (e.involvedObject.kind && e.involvedObject.kind !== 'Pod')) continue;
		out.push(eventView(e, now));
	}
	return out.sort((a, b) => a.at - b.at);
}

export function eventView(e: KubeEvent, now: number): EventView {
	const last = millis(e.lastTimestamp ?? e.eventTime ?? e.metadata.creationTimestamp);
	const first = millis(e.firstTimestamp ?? e.eventTime ?? e.lastTimestamp);
	const ago = (ms: number) => (Number.isNaN(ms) ? '<unknown>' : humanDuration(Math.max(0, now - ms)));
	const count = e.count ?? 1;
	const age = count > 1 && !Number.isNaN(first) ? `${ago(last)} (x${count} over ${ago(first)})` : ago(last);
	const source = (e as KubeEvent & {source?: {component?: string}; reportingComponent?: string}).source?.component;
	return {
		type: e.type ?? '',
		reason: e.reason ?? '',
		age,
		from: source ?? (e as {reportingComponent?: string}).reportingComponent ?? '',
		message: (e.message ?? '').trim(),
		at: Number.isNaN(last) ? 0 : last,
	};
}

export function describePod(pod: Pod, events: Iterable<KubeEvent>, now: number): PodDescription {
	const spec = (pod.spec ?? {containers: []}) as {containers: Array<{name: string; image?: string}>; nodeName?: string};
	const status = (pod.status ?? {}) as NonNullable<Pod['status']> & {startTime?: Timestamp};
	const statuses = status.containerStatuses ?? [];
	const containers = spec.containers.map(c => {
		const s = statuses.find(x => x.name === c.name);
		const last = s?.lastState ? stateView(s.lastState as RawState) : null;
		return {
			name: c.name,
			image: c.image ?? '',
			ready: s?.ready ?? false,
			restarts: s?.restartCount ?? 0,
			state: stateView(s?.state as RawState | undefined),
			lastState: last && last.state ? last : null,
		};
	});
	const waiting = containers.map(c => c.state.reason).find(r => r && r !== 'Completed');
	return {
		name: pod.metadata.name,
		namespace: pod.metadata.namespace ?? '',
		node: spec.nodeName ?? '<none>',
		phase: status.phase ?? 'Unknown',
		reason: status.reason ?? waiting ?? '',
		startTime: iso(status.startTime) ?? '',
		conditions: (status.conditions ?? []).map(c => ({type: c.type, status: c.status, ...opt('reason', c.reason)})),
		containers,
		events: podEvents(events, pod.metadata.name, now),
	};
}

function stateLines(label: string, s: ContainerStateView): string[] {
	const lines = [`    ${label}${' '.repeat(Math.max(1, 16 - label.length))}${s.state || '<none>'}`];
	const field = (name: string, value: string | number | undefined) => value !== undefined && lines.push(`      ${name}:${' '.repeat(Math.max(1, 14 - name.length))}${value}`);
	field('Reason', s.reason);
	field('Message', s.message);
	field('Exit Code', s.exitCode);
	field('Signal', s.signal);
	field('Started', s.startedAt);
	field('Finished', s.finishedAt);
	return lines;
}

const row = (label: string, value: string) => `${label}:${' '.repeat(Math.max(1, 14 - label.length))}${value}`;

/** The description as kubectl lays it out (fewer fields): one string per line, untrusted text left as it is. */
export function describeLines(d: PodDescription): string[] {
	const lines = [row('Name', d.name), row('Namespace', d.namespace), row('Node', d.node), row('Start Time', d.startTime || '<unknown>'), row('Status', d.phase)];
	if (d.reason) lines.push(row('Reason', d.reason));
	lines.push('Containers:');
	for (const c of d.containers) {
		lines.push(`  ${c.name}:`, `    Image:          ${c.image}`);
		lines.push(...stateLines('State:', c.state));
		if (c.lastState) lines.push(...stateLines('Last State:', c.lastState));
		lines.push(`    Ready:          ${c.ready ? 'True' : 'False'}`, `    Restart Count:  ${c.restarts}`);
	}
	const typeWidth = Math.max(4, ...d.conditions.map(c => c.type.length));
	lines.push('Conditions:', `  ${'Type'.padEnd(typeWidth)}  Status  Reason`);
	for (const c of d.conditions) lines.push(`  ${c.type.padEnd(typeWidth)}  ${c.status.padEnd(6)}  ${c.reason ?? ''}`.trimEnd());
	lines.push('Events:');
	if (d.events.length === 0) lines.push('  <none>');
	else lines.push(...eventTable(d.events, false));
	return lines;
}

/** kubectl's events table: TYPE REASON AGE FROM MESSAGE, or LAST SEEN TYPE REASON OBJECT MESSAGE for a namespace. */
export function eventTable(events: EventView[], withObject: boolean, objects: string[] = []): string[] {
	const cols = events.map((e, i) => (withObject ? [e.age, e.type, e.reason, objects[i] ?? '', e.message] : [e.type, e.reason, e.age, e.from, e.message]));
	const header = withObject ? ['LAST SEEN', 'TYPE', 'REASON', 'OBJECT', 'MESSAGE'] : ['Type', 'Reason', 'Age', 'From', 'Message'];
	const widths = header.slice(0, -1).map((h, i) => Math.max(h.length, ...cols.map(c => c[i]!.length)));
	const line = (c: string[]) => `  ${c.map((v, i) => (i < widths.length ? v.padEnd(widths[i]!) : v)).join('  ')}`.trimEnd();
	return [line(header), ...cols.map(line)];
}

/** The namespace's events, oldest first (what `kubectl get events --sort-by=.lastTimestamp` prints). */
export function namespaceEventLines(events: Iterable<KubeEvent>, now: number): string[] {
	const sorted = [...events].map(e => ({e, v: eventView(e, now)})).sort((a, b) => a.v.at - b.v.at);
	if (sorted.length === 0) return ['No events found.'];
	const objects = sorted.map(({e}) => `${(e.involvedObject?.kind ?? '').toLowerCase()}/${e.involvedObject?.name ?? ''}`);
	return eventTable(
		sorted.map(x => x.v),
		true,
		objects,
	).map(l => l.slice(2));
}
