// pods/log: container output synthesised from the pod's state and its image's behaviour, so
// `kubectl logs` (and `| grep -i error`) tells the same story as the pod's status.
import type {IncomingMessage, ServerResponse} from 'node:http';
import {type AccessLog, stamp} from './access-log.js';
import {behaviourFor, type ScenarioName, TIMINGS} from './scenarios.js';
import type {ObjectStore} from './store.js';
import {ApiError, type KubeObject} from './types.js';

const MAX_LINES = 5000;

function startupLines(start: number, env: string, version: string): string[] {
	return [
		'INFO:     Started server process [1]',
		'INFO:     Waiting for application startup.',
		`${stamp(start + 120)} INFO [overlord.config] loaded settings environment=${env} version=${version}`,
	];
}

// The guide tells operators to look for exactly these three phrases after a rollout.
function healthyStartLines(start: number): string[] {
	return [
		`${stamp(start + 310)} INFO [overlord.db] Database connection established (postgresql, pool_size=10)`,
		`${stamp(start + 420)} INFO [overlord.cache] Redis connection established (db=0)`,
		`${stamp(start + 560)} INFO [overlord.main] Application started successfully`,
		'INFO:     Application startup complete.',
		'INFO:     Uvicorn running on http://0.0.0.0:8000 (Press CTRL+C to quit)',
	];
}

function crashLines(start: number, version: string): string[] {
	return [
		`${stamp(start + 450)} ERROR [overlord.main] startup failed: settings schema ${version} requires TRADING_RISK_LIMITS`,
		'Traceback (most recent call last):',
		'  File "/app/overlord/main.py", line 88, in lifespan',
		'    settings = load_settings(strict=True)',
		'  File "/app/overlord/config.py", line 141, in load_settings',
		"    raise ConfigError(f\"missing required setting: {name}\")",
		'overlord.config.ConfigError: missing required setting: TRADING_RISK_LIMITS',
		`${stamp(start + 470)} CRITICAL [overlord.main] refusing to trade without risk limits; exiting with status 1`,
		'ERROR:    Application startup failed. Exiting.',
	];
}

/** The n-th steady-state line of a healthy container; `seed` keeps replicas from printing identical logs. */
function steadyLine(n: number, at: number, seed: number): string {
	const k = n + seed;
	if (k % 6 === 5) return `${stamp(at)} INFO [overlord.trading] market tick processed symbols=42 latency_ms=${8 + (k % 7)}`;
	if (k % 6 === 2) return `INFO:     10.244.0.1:${40000 + ((k * 7919) % 20000)} - "GET /api/v1/trading/markets HTTP/1.1" 200 OK`;
	return `INFO:     10.244.0.1:${40000 + ((k * 7919) % 20000)} - "GET /health HTTP/1.1" 200 OK`;
}

function seedOf(name: string): number {
	let h = 0;
	for (let i = 0; i < name.length; i++) h = (h * 31 + name.charCodeAt(i)) >>> 0;
	return h % 1000;
}

interface Timed {
	at: number;
	line: string;
}

/** Steady lines n in [from, to) with the time each fell due. */
function steadyTimed(steady: SteadyPlan, from: number, to: number): Timed[] {
	const out: Timed[] = [];
	for (let n = from; n < to; n++) {
		const at = steady.start + (n + 1) * steady.interval;
		out.push({at, line: steadyLine(n, at, steady.seed)});
	}
	return out;
}

/** Two time-ordered runs of lines as one, the earlier first (the app's own lines before a request at the same ms). */
function merge(a: Timed[], b: Timed[]): string[] {
	const out: string[] = [];
	let i = 0;
	let j = 0;
	while (i < a.length || j < b.length) {
		if (j >= b.length || (i < a.length && a[i]!.at <= b[j]!.at)) out.push(a[i++]!.line);
		else out.push(b[j++]!.line);
	}
	return out;
}

interface SteadyPlan {
	start: number;
	interval: number;
	seed: number;
}

interface LogPlan {
	lines: string[];
	/** For a running healthy container: how to produce line n and when it is due, and the first not yet shown. */
	steady?: SteadyPlan & {first: number};
}

function plan(pod: KubeObject, containerName: string, {scenario, speed, accessLog}: LogSources, now: number): LogPlan {
	const container = (pod.spec?.containers ?? []).find((c: any) => c.name === containerName);
	const status = (pod.status?.containerStatuses ?? []).find((c: any) => c.name === containerName);
	const image: string = container?.image ?? '';
	const version = image.split(':').pop() ?? 'latest';
	const env = (pod.metadata.namespace ?? '').replace('overlord-', '');
	const waiting = status?.state?.waiting?.reason;
	if (!status || (waiting && !status.lastState?.terminated && !status.state?.terminated)) {
		const why = waiting === 'ImagePullBackOff' || waiting === 'ErrImagePull' ? 'trying and failing to pull image' : waiting ?? 'ContainerCreating';
		throw new ApiError(400, 'BadRequest', `container "${containerName}" in pod "${pod.metadata.name}" is waiting to start: ${why}`);
	}
	const behaviour = behaviourFor(scenario, image);
	const terminated = status.state?.terminated ?? status.lastState?.terminated;
	if (behaviour === 'crash-loop' || (!status.state?.running && terminated)) {
		const start = Date.parse(status.state?.running?.startedAt ?? terminated?.startedAt ?? pod.metadata.creationTimestamp);
		const lines = startupLines(start, env, version);
		return {lines: status.state?.running ? lines : [...lines, ...crashLines(start, version)]};
	}
	const start = Date.parse(status.state?.running?.startedAt ?? pod.metadata.creationTimestamp ?? String(now));
	const lines = [...startupLines(start, env, version), ...healthyStartLines(start)];
	// What the app wrote serving requests through its Service, since this container started.
	const served = accessLog?.since(pod.metadata.uid!, start) ?? [];
	if (behaviour === 'never-ready') {
		const warning = {at: start + 900, line: `${stamp(start + 900)} WARNING [overlord.health] dependency check failing: exchange gateway unreachable`};
		return {lines: [...lines, ...merge([warning], served)]};
	}
	const steady = {start, interval: TIMINGS.logLineInterval / speed, seed: seedOf(pod.metadata.name)};
	const due = Math.max(0, Math.floor((now - start) / steady.interval));
	lines.push(...merge(steadyTimed(steady, Math.max(0, due - MAX_LINES), due), served));
	return {lines, steady: {...steady, first: due}};
}

/** `previous=true`: the last terminated instance's output (a crash loop's cause), or the API server's refusal. */
function previousPlan(pod: KubeObject, containerName: string, {scenario}: LogSources): LogPlan {
	const container = (pod.spec?.containers ?? []).find((c: any) => c.name === containerName);
	const status = (pod.status?.containerStatuses ?? []).find((c: any) => c.name === containerName);
	const last = status?.lastState?.terminated;
	if (!last) throw new ApiError(400, 'BadRequest', `previous terminated container "${containerName}" in pod "${pod.metadata.name}" not found`);
	const image: string = container?.image ?? '';
	const version = image.split(':').pop() ?? 'latest';
	const start = Date.parse(last.startedAt ?? pod.metadata.creationTimestamp);
	const lines = startupLines(start, (pod.metadata.namespace ?? '').replace('overlord-', ''), version);
	return {lines: behaviourFor(scenario, image) === 'crash-loop' || last.exitCode !== 0 ? [...lines, ...crashLines(start, version)] : lines};
}

export interface LogSources {
	scenario: ScenarioName;
	speed: number;
	/** Lines the pods' apps wrote while serving Service traffic. */
	accessLog?: AccessLog;
}

export function serveLogs(req: IncomingMessage, res: ServerResponse, store: ObjectStore, pod: KubeObject, query: URLSearchParams, sources: LogSources): void {
	const names: string[] = (pod.spec?.containers ?? []).map((c: any) => c.name);
	let container = query.get('container') ?? '';
	if (!container) {
		if (names.length !== 1) {
			throw new ApiError(400, 'BadRequest', `a container name must be specified for pod ${pod.metadata.name}, choose one of: [${names.join(' ')}]`);
		}
		container = names[0]!;
	}
	if (!names.includes(container)) {
		throw new ApiError(400, 'BadRequest', `container ${container} is not valid for pod ${pod.metadata.name}`);
	}
	const now = Date.now();
	const seq = sources.accessLog?.lastSeq() ?? 0;
	const {lines, steady} = query.get('previous') === 'true' ? previousPlan(pod, container, sources) : plan(pod, container, sources, now);
	const tail = query.get('tailLines');
	const shown = tail !== null && Number(tail) >= 0 ? lines.slice(Math.max(0, lines.length - Number(tail))) : lines;
	res.writeHead(200, {'Content-Type': 'text/plain', 'Cache-Control': 'no-cache, private', 'Transfer-Encoding': 'chunked'});
	res.write(shown.map(l => `${l}\n`).join(''));
	if (query.get('follow') !== 'true' || !steady) {
		res.end();
		return;
	}
	follow(req, res, store, pod, {...steady, seq, accessLog: sources.accessLog});
}

/** Emits each steady line when it falls due, and each line the app writes serving a request, until the pod goes away or the client leaves. */
function follow(req: IncomingMessage, res: ServerResponse, store: ObjectStore, pod: KubeObject, from: SteadyPlan & {first: number; seq: number; accessLog?: AccessLog}): void {
	let next = from.first;
	let seq = from.seq;
	const timer = setInterval(() => {
		const current = store.get('pods', pod.metadata.namespace, pod.metadata.name);
		if (!current || current.metadata.uid !== pod.metadata.uid) {
			res.end();
			return;
		}
		const due = Math.floor((Date.now() - from.start) / from.interval);
		const steady = steadyTimed(from, next, Math.max(next, due));
		next = Math.max(next, due);
		const served = from.accessLog?.after(pod.metadata.uid!, seq) ?? [];
		if (served.length) seq = served.at(-1)!.seq;
		const out = merge(steady, served);
		if (out.length) res.write(out.map(l => `${l}\n`).join(''));
	}, Math.max(20, Math.min(1000, from.interval)));
	timer.unref();
	const stop = () => clearInterval(timer);
	res.on('close', stop);
	req.on('close', stop);
}
