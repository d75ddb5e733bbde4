// Watch streams: one JSON event per line, flushed per event, resumable from the store's bounded
// history, with bookmarks, the watch-list initial-events protocol, and hooks for fault injection.
import type {IncomingMessage, ServerResponse} from 'node:http';
import {escapeLikeGo, type ResponseFormat} from './http-util.js';
import {apiVersionOf, type ResourceDef} from './resources.js';
import type {Matcher} from './selectors.js';
import type {ObjectStore} from './store.js';
import {columnDefinitions, type IncludeObject, tableRow} from './tables.js';
import {ApiError, type KubeObject, type StoreEvent, statusBody} from './types.js';

export interface WatchRequest {
	def: ResourceDef;
	namespace?: string;
	matcher: Matcher;
	query: URLSearchParams;
	format: ResponseFormat;
	include: IncludeObject;
}

interface OpenWatch {
	res: ServerResponse;
	stalled: boolean;
}

/** Past this much unsent output a watcher is too slow; the real server drops it too. */
const MAX_BUFFERED = 64 * 1024 * 1024;

export class WatchHub {
	private readonly open = new Set<OpenWatch>();
	private stallUntil = 0;

	constructor(
		private readonly store: ObjectStore,
		private readonly bookmarkIntervalMs: number,
	) {}

	get openCount(): number {
		return this.open.size;
	}

	/** Drops every open watch: 'reset' like a dead network path, 'close' like a server-side timeout. */
	dropAll(mode: 'reset' | 'close' = 'reset'): number {
		const count = this.open.size;
		for (const w of [...this.open]) {
			if (mode === 'close') w.res.end();
			else w.res.destroy();
			this.open.delete(w);
		}
		return count;
	}

	/** Open watches (and any opened within `ms`) stay connected but never send another byte. */
	stall(ms: number): number {
		this.stallUntil = Math.max(this.stallUntil, Date.now() + ms);
		for (const w of this.open) w.stalled = true;
		return this.open.size;
	}

	clearStall(): void {
		this.stallUntil = 0;
	}

	/** What a new watch sends before the live stream: the current objects, or the history since its resourceVersion (or that it expired). */
	private precedingEvents(w: WatchRequest, inScope: (o: KubeObject) => boolean, {rvParam, rv, sendInitial}: {rvParam: string; rv: number; sendInitial: string | null}): {backlog: StoreEvent[]; snapshot?: KubeObject[]; expired: boolean} {
		if (sendInitial === 'true' || (sendInitial !== 'false' && (rvParam === '' || rvParam === '0'))) {
			return {backlog: [], snapshot: this.store.list(w.def.name, w.namespace).filter(inScope), expired: false};
		}
		const since = this.store.eventsSince(rv);
		return since === 'expired' ? {backlog: [], expired: true} : {backlog: since, expired: false};
	}

	serve(req: IncomingMessage, res: ServerResponse, w: WatchRequest): void {
		const {query, def} = w;
		const {rvParam, rv, sendInitial, bookmarks} = watchParams(query);

		const inScope = (o: KubeObject) => (w.namespace === undefined || o.metadata.namespace === w.namespace) && w.matcher(o);
		const watch: OpenWatch = {res, stalled: Date.now() < this.stallUntil};
		const table = w.format.kind === 'table';
		const encode = eventEncoder(w);
		const send = (line: string) => {
			if (watch.stalled || res.destroyed) return;
			res.write(line);
			if (res.writableLength > MAX_BUFFERED) res.destroy();
		};
		const deliver = (event: StoreEvent) => {
			if (event.resource !== def.name) return;
			const now = inScope(event.object);
			const before = event.prev ? inScope(event.prev) : false;
			if (event.type === 'MODIFIED' && now && !before) send(encode('ADDED', event.object));
			else if (event.type === 'MODIFIED' && !now && before) send(encode('DELETED', event.object));
			else if (now) send(encode(event.type, event.object, event));
		};

		// Decide what precedes the live stream before writing any header.
		const {backlog, snapshot, expired} = this.precedingEvents(w, inScope, {rvParam, rv, sendInitial});

		res.writeHead(200, {
			'Content-Type': table ? 'application/json;as=Table;v=v1;g=meta.k8s.io' : 'application/json',
			'Cache-Control': 'no-cache, private',
			'Transfer-Encoding': 'chunked',
		});
		res.socket?.setNoDelay(true);
		res.flushHeaders();
		if (expired) {
			const current = this.store.currentRv();
			res.end(`${JSON.stringify({type: 'ERROR', object: statusBody(410, 'Expired', `too old resource version: ${rv} (${current})`)})}\n`);
			return;
		}

		const kindRef = {kind: def.kind, apiVersion: apiVersionOf(def)};
		const bookmark = (annotations?: Record<string, string>) =>
			`${JSON.stringify({type: 'BOOKMARK', object: {...kindRef, metadata: {resourceVersion: String(this.store.currentRv()), ...(annotations ? {annotations} : {})}}})}\n`;
		if (snapshot) for (const o of snapshot) send(encode('ADDED', o));
		if (sendInitial === 'true') send(bookmark({'k8s.io/initial-events-end': 'true'}));
		for (const e of backlog) deliver(e);

		const unsubscribe = this.store.subscribe(deliver);
		this.open.add(watch);
		const timers: NodeJS.Timeout[] = [];
		if (bookmarks) timers.push(setInterval(() => send(bookmark()), this.bookmarkIntervalMs).unref());
		const timeout = Number(query.get('timeoutSeconds') ?? 0);
		if (timeout > 0) timers.push(setTimeout(() => res.end(), timeout * 1000).unref());
		const cleanup = () => {
			unsubscribe();
			for (const t of timers) clearInterval(t);
			this.open.delete(watch);
		};
		res.on('close', cleanup);
		req.on('close', cleanup);
	}
}

/** A watch's query, checked as the API server checks it. */
function watchParams(query: URLSearchParams): {rvParam: string; rv: number; sendInitial: string | null; bookmarks: boolean} {
	const rvParam = query.get('resourceVersion') ?? '';
	const sendInitial = query.get('sendInitialEvents');
	const bookmarks = query.get('allowWatchBookmarks') === 'true';
	if (sendInitial === 'true') {
		if (query.get('resourceVersionMatch') !== 'NotOlderThan' || !bookmarks) {
			throw new ApiError(422, 'Invalid', 'sendInitialEvents requires allowWatchBookmarks=true and resourceVersionMatch=NotOlderThan');
		}
	}
	const rv = rvParam === '' ? 0 : Number(rvParam);
	if (!Number.isFinite(rv)) throw new ApiError(400, 'BadRequest', `invalid resource version: ${rvParam}`);
	return {rvParam, rv, sendInitial, bookmarks};
}

/** One event as a line of this watch's stream (JSON or a one-row Table), encoded once per event and shape, not per watcher. */
function eventEncoder(w: WatchRequest): (type: string, object: KubeObject, event?: StoreEvent) => string {
	const {def} = w;
	const table = w.format.kind === 'table';
	return (type, object, event) => {
		if (!table) {
			if (event && type === event.type) return (event.line ??= `${escapeLikeGo(JSON.stringify({type, object}))}\n`);
			return `${escapeLikeGo(JSON.stringify({type, object}))}\n`;
		}
		const build = () =>
			`${escapeLikeGo(JSON.stringify({
				type,
				object: {
					kind: 'Table', apiVersion: 'meta.k8s.io/v1', metadata: {resourceVersion: object.metadata.resourceVersion},
					columnDefinitions: columnDefinitions(def.name), rows: [tableRow(def.name, object, w.include)],
				},
			}))}\n`;
		if (!event || type !== event.type) return build();
		event.tableLines ??= new Map();
		const key = `${w.include}`;
		let line = event.tableLines.get(key);
		if (!line) event.tableLines.set(key, (line = build()));
		return line;
	};
}
