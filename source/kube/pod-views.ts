// What the pod diagnosis overlays read, as long-lived sources outside React (as ResourceWatch is): a pod's log
// followed live (client-node's Log, `follow=true`), its previous container's log (`previous=true`, what a crash
// loop's cause is in), its description kept current by watches on the pod and on its events, and the namespace's
// events. Each holds plain lines (untrusted: the screen passes them through safeText), a status line, and a
// version the screen subscribes to; listeners are told at most once per `batchMs`.
import {Writable} from 'node:stream';
import {describeError, type KubeClient} from './client.js';
import {describeLines, describePod, namespaceEventLines} from './pod-describe.js';
import {ResourceWatch} from './resource-watch.js';
import type {KubeEvent, KubeObject, Pod} from './types.js';
import {WatchGroup} from './watch-group.js';

export const POD_VIEWS = ['logs', 'previous', 'describe', 'events'] as const;
export type PodViewKind = (typeof POD_VIEWS)[number];

export interface PodViewTarget {
	namespace: string;
	pod: string;
	view: PodViewKind;
}

export type PodViewTone = 'ok' | 'warn' | 'error' | 'muted';

export interface PodViewRead {
	/** `LOGS payments-api-7c9-abc/app (previous)`. */
	title: string;
	status: {text: string; tone: PodViewTone};
	lines: readonly string[];
	/** Lines that only grow (a log): how many were dropped from their front so far. Absent: they change anywhere. */
	dropped?: number;
}

export interface PodViewSource {
	start(): this;
	stop(): void;
	subscribe: (listener: () => void) => () => void;
	snapshot: () => number;
	read(now: number): PodViewRead;
}

/** Lines kept of a followed log: older ones go (k9s keeps a buffer too). */
export const LOG_BUFFER_LINES = 5000;
const TAIL_LINES = 1000;

export function podViewSource(client: KubeClient, target: PodViewTarget, options: {batchMs?: number} = {}): PodViewSource {
	switch (target.view) {
		case 'logs':
		case 'previous':
			return new PodLogSource(client, target, options.batchMs ?? 100);
		case 'describe':
			return new DescribeSource(client, target);
		case 'events':
			return new EventsSource(client, target);
	}
}

/** Base of the sources: listeners, a version, and batching. */
abstract class Notifying {
	private readonly listeners = new Set<() => void>();
	private version = 0;
	private timer: NodeJS.Timeout | null = null;

	constructor(private readonly batchMs = 0) {}

	subscribe = (listener: () => void) => {
		this.listeners.add(listener);
		return () => this.listeners.delete(listener);
	};

	snapshot = () => this.version;

	protected changed(now = false) {
		if (this.timer && !now) return;
		const fire = () => {
			this.timer = null;
			this.version++;
			for (const l of this.listeners) l();
		};
		if (now || this.batchMs <= 0) return fire();
		this.timer = setTimeout(fire, this.batchMs);
	}

	protected quiet() {
		if (this.timer) clearTimeout(this.timer);
		this.timer = null;
		this.listeners.clear();
	}
}

/** The container a log is read from: the one that is not ready and restarted most (a crash loop's), else the first. */
export function containerToRead(pod: Pod): string {
	const names = (pod.spec?.containers ?? []).map(c => c.name);
	const statuses = pod.status?.containerStatuses ?? [];
	const failing = statuses.filter(s => !s.ready && names.includes(s.name)).sort((a, b) => b.restartCount - a.restartCount);
	return failing[0]?.name ?? names[0] ?? '';
}

/** A pod's log: the current container's, followed, or the previous one's, read once. */
class PodLogSource extends Notifying implements PodViewSource {
	private readonly lines: string[] = [];
	private dropped = 0;
	private partial = '';
	private container = '';
	private state: 'loading' | 'streaming' | 'ended' | 'failed' = 'loading';
	private error = '';
	private abort: AbortController | null = null;
	private stopped = false;

	constructor(
		private readonly client: KubeClient,
		private readonly target: PodViewTarget,
		batchMs: number,
	) {
		super(batchMs);
	}

	start(): this {
		void this.open();
		return this;
	}

	stop() {
		this.stopped = true;
		this.abort?.abort();
		this.quiet();
	}

	private async open() {
		const {namespace, pod} = this.target;
		const previous = this.target.view === 'previous';
		try {
			this.container = containerToRead(await this.client.get<Pod>('pods', namespace, pod));
			if (this.stopped) return;
			const sink = new Writable({
				write: (chunk: Buffer, _encoding, done) => {
					this.take(chunk.toString('utf8'));
					done();
				},
				final: done => {
					this.end();
					done();
				},
			});
			sink.on('error', () => this.end());
			const log = new this.client.k8s.Log(this.client.kc);
			this.abort = await log.log(namespace, pod, this.container, sink, {follow: !previous, previous, tailLines: TAIL_LINES});
			if (this.stopped) return this.abort.abort();
			if (this.state === 'loading') this.state = 'streaming';
			this.changed(true);
		} catch (error) {
			if (!this.stopped) await this.fail(error, previous);
		}
	}

	/** client-node's Log drops the server's reason on a refusal: the one-shot read says it (no previous container…). */
	private async fail(error: unknown, previous: boolean) {
		let why = describeError(error).message;
		const {namespace, pod} = this.target;
		if (this.container) {
			try {
				await this.client.core().readNamespacedPodLog({name: pod, namespace, container: this.container, previous, tailLines: 1});
			} catch (again) {
				why = describeError(again).message;
			}
		}
		this.state = 'failed';
		this.error = why;
		this.changed(true);
	}

	private take(text: string) {
		const parts = (this.partial + text).split('\n');
		this.partial = parts.pop() ?? '';
		this.lines.push(...parts);
		if (this.lines.length > LOG_BUFFER_LINES) this.dropped += this.lines.splice(0, this.lines.length - LOG_BUFFER_LINES).length;
		if (this.state === 'loading') this.state = 'streaming';
		this.changed();
	}

	private end() {
		if (this.partial) this.lines.push(this.partial);
		this.partial = '';
		if (this.state !== 'failed') this.state = 'ended';
		if (!this.stopped) this.changed(true);
	}

	read(): PodViewRead {
		const previous = this.target.view === 'previous';
		const title = `LOGS ${this.target.pod}${this.container ? `/${this.container}` : ''}${previous ? ' (previous container)' : ''}`;
		return {title, status: this.status(previous), lines: this.partial ? [...this.lines, this.partial] : this.lines, dropped: this.dropped};
	}

	private status(previous: boolean): PodViewRead['status'] {
		if (this.state === 'failed') return {text: this.error, tone: 'error'};
		if (this.state === 'loading') return {text: 'loading…', tone: 'muted'};
		if (previous) return {text: this.state === 'ended' ? `${this.lines.length} lines` : 'reading…', tone: 'muted'};
		// A followed log ends when the container exits (a crash loop's restart): l opens the new one.
		if (this.state === 'ended') return {text: 'stream ended (the container exited?): l follows again', tone: 'warn'};
		return {text: '● following', tone: 'ok'};
	}
}

const watchStatus = (w: ResourceWatch<KubeObject>, what: string): PodViewRead['status'] => {
	const s = w.state;
	if (s.status === 'live') return {text: '● live', tone: 'ok'};
	if (s.lastError) return {text: `${what}: ${s.lastError}`, tone: 'error'};
	return {text: s.syncedAt === null ? 'loading…' : s.status, tone: s.status === 'connecting' ? 'muted' : 'warn'};
};

/** `kubectl describe pod`, kept current by a watch on the pod and one on its events. */
class DescribeSource extends Notifying implements PodViewSource {
	private readonly pods: ResourceWatch<Pod>;
	private readonly events: ResourceWatch<KubeEvent>;
	private readonly group: WatchGroup;

	constructor(client: KubeClient, private readonly target: PodViewTarget) {
		super();
		const common = {client, namespace: target.namespace};
		this.pods = new ResourceWatch<Pod>({...common, kind: 'pods', fieldSelector: `metadata.name=${target.pod}`});
		this.events = new ResourceWatch<KubeEvent>({...common, kind: 'events', fieldSelector: `involvedObject.name=${target.pod}`});
		this.group = new WatchGroup(`describe\0${target.namespace}\0${target.pod}`, [this.pods, this.events] as Array<ResourceWatch<KubeObject>>);
	}

	start(): this {
		this.group.subscribe(() => this.changed(true));
		this.group.start();
		return this;
	}

	stop() {
		this.group.stop();
		this.quiet();
	}

	read(now: number): PodViewRead {
		const title = `DESCRIBE pod ${this.target.pod}`;
		const pod = this.pods.state.items.get(this.target.pod);
		const status = watchStatus(this.pods as ResourceWatch<KubeObject>, 'pod');
		if (!pod) {
			const gone = this.pods.state.syncedAt !== null;
			return {title, status: gone ? {text: 'not found (deleted?)', tone: 'error'} : status, lines: gone ? [`pods "${this.target.pod}" not found`] : []};
		}
		return {title, status, lines: describeLines(describePod(pod, this.events.state.items.values(), now))};
	}
}

/** The namespace's events, oldest first, kept current by a watch. */
class EventsSource extends Notifying implements PodViewSource {
	private readonly events: ResourceWatch<KubeEvent>;

	constructor(client: KubeClient, private readonly target: PodViewTarget) {
		super();
		this.events = new ResourceWatch<KubeEvent>({client, namespace: target.namespace, kind: 'events'});
	}

	start(): this {
		this.events.subscribe(() => this.changed(true));
		this.events.start();
		return this;
	}

	stop() {
		this.events.stop();
		this.quiet();
	}

	read(now: number): PodViewRead {
		const state = this.events.state;
		const lines = state.syncedAt === null ? [] : namespaceEventLines(state.items.values(), now);
		return {title: `EVENTS ${this.target.namespace}`, status: watchStatus(this.events as ResourceWatch<KubeObject>, 'events'), lines};
	}
}
