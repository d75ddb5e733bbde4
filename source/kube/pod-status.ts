// kubectl's printPod (pkg/printers/internalversion/printers.go) and apimachinery's HumanDuration,
// ported line for line so the TUI's pods pane and the sandbox's Table responses print exactly what
// `kubectl get pods` prints. Structural types keep it usable with client-node's V1Pod (Date
// timestamps) as well as plain watch JSON (string timestamps).

type Timestamp = string | Date;

export interface ContainerStateLike {
	waiting?: {reason?: string; message?: string};
	running?: {startedAt?: Timestamp};
	terminated?: {
		exitCode: number;
		signal?: number;
		reason?: string;
		finishedAt?: Timestamp;
		startedAt?: Timestamp;
	};
}

export interface ContainerStatusLike {
	name: string;
	ready: boolean;
	restartCount: number;
	started?: boolean;
	state?: ContainerStateLike;
	lastState?: ContainerStateLike;
}

export interface PodLike {
	metadata?: {creationTimestamp?: Timestamp; deletionTimestamp?: Timestamp};
	spec?: {
		containers: Array<{name: string}>;
		initContainers?: Array<{name: string; restartPolicy?: string}>;
	};
	status?: {
		phase?: string;
		reason?: string;
		conditions?: Array<{type: string; status: string; reason?: string}>;
		initContainerStatuses?: ContainerStatusLike[];
		containerStatuses?: ContainerStatusLike[];
	};
}

export interface PodStatusColumns {
	/** READY column, e.g. `1/1`. */
	ready: string;
	/** STATUS column, e.g. `Running`, `CrashLoopBackOff`, `Init:0/1`, `Terminating`. */
	status: string;
	/** RESTARTS column, e.g. `0` or `4 (12s ago)`. */
	restarts: string;
	/** AGE column, e.g. `45m`. */
	age: string;
	readyCount: number;
	totalCount: number;
	restartCount: number;
}

const NODE_LOST = 'NodeLost';

function toMillis(t: Timestamp | number | undefined | null): number | undefined {
	if (t === undefined || t === null) return undefined;
	const ms = typeof t === 'number' ? t : t instanceof Date ? t.getTime() : Date.parse(t);
	return Number.isNaN(ms) ? undefined : ms;
}

/** apimachinery util/duration.HumanDuration; Go's integer division truncates toward zero. */
export function humanDuration(ms: number): string {
	const seconds = Math.trunc(ms / 1000);
	if (seconds < -1) return '<invalid>';
	if (seconds < 0) return '0s';
	if (seconds < 120) return `${seconds}s`;
	const minutes = Math.trunc(ms / 60_000);
	if (minutes < 10) {
		const s = seconds % 60;
		return s === 0 ? `${minutes}m` : `${minutes}m${s}s`;
	}
	if (minutes < 180) return `${minutes}m`;
	const hours = Math.trunc(ms / 3_600_000);
	if (hours < 8) {
		const m = minutes % 60;
		return m === 0 ? `${hours}h` : `${hours}h${m}m`;
	}
	if (hours < 48) return `${hours}h`;
	if (hours < 24 * 8) {
		const h = hours % 24;
		const d = Math.trunc(hours / 24);
		return h === 0 ? `${d}d` : `${d}d${h}h`;
	}
	if (hours < 24 * 365 * 2) return `${Math.trunc(hours / 24)}d`;
	if (hours < 24 * 365 * 8) {
		const dy = Math.trunc(hours / 24) % 365;
		const y = Math.trunc(hours / 24 / 365);
		return dy === 0 ? `${y}y` : `${y}y${dy}d`;
	}
	return `${Math.trunc(hours / 24 / 365)}y`;
}

/** kubectl's translateTimestampSince: `<unknown>` for a missing timestamp. */
export function ageSince(t: Timestamp | undefined, now: number | Date): string {
	const ms = toMillis(t);
	if (ms === undefined) return '<unknown>';
	return humanDuration(toMillis(now)! - ms);
}

function conditionTrue(pod: PodLike, type: string): boolean {
	return (pod.status?.conditions ?? []).some(c => c.type === type && c.status === 'True');
}

function terminatedReason(t: NonNullable<ContainerStateLike['terminated']>): string {
	if (t.reason) return t.reason;
	return t.signal ? `Signal:${t.signal}` : `ExitCode:${t.exitCode}`;
}

// eslint-disable-next-line max-lines-per-function -- a port of kubectl's printPod (pkg/printers/internalversion/printers.go), kept in its shape so the two can be compared line for line
export function podStatus(pod: PodLike, now: number | Date): PodStatusColumns {
	const status = pod.status ?? {};
	const spec = pod.spec ?? {containers: []};
	const initSpecs = new Map((spec.initContainers ?? []).map(c => [c.name, c]));
	const isSidecar = (name: string) => initSpecs.get(name)?.restartPolicy === 'Always';

	let reason = status.reason || status.phase || '';
	if ((status.conditions ?? []).some(c => c.type === 'PodScheduled' && c.reason === 'SchedulingGated')) {
		reason = 'SchedulingGated';
	}
	const sidecarCount = (spec.initContainers ?? []).filter(c => c.restartPolicy === 'Always').length;
	const total = spec.containers.length + sidecarCount;

	let ready = 0;
	let restarts = 0;
	let last = 0;
	let sidecarRestarts = 0;
	let sidecarLast = 0;
	let initializing = false;

	const initStatuses = status.initContainerStatuses ?? [];
	for (let i = 0; i < initStatuses.length; i++) {
		const c = initStatuses[i]!;
		const finished = toMillis(c.lastState?.terminated?.finishedAt) ?? 0;
		restarts += c.restartCount;
		last = Math.max(last, finished);
		if (isSidecar(c.name)) {
			sidecarRestarts += c.restartCount;
			sidecarLast = Math.max(sidecarLast, finished);
		}
		const terminated = c.state?.terminated;
		if (terminated && terminated.exitCode === 0) continue;
		if (isSidecar(c.name) && c.started) {
			if (c.ready) ready++;
			continue;
		}
		if (terminated) {
			reason = `Init:${terminatedReason(terminated)}`;
		} else if (c.state?.waiting?.reason && c.state.waiting.reason !== 'PodInitializing') {
			reason = `Init:${c.state.waiting.reason}`;
		} else {
			reason = `Init:${i}/${(spec.initContainers ?? []).length}`;
		}
		initializing = true;
		break;
	}

	if (!initializing || conditionTrue(pod, 'Initialized')) {
		restarts = sidecarRestarts;
		last = sidecarLast;
		let hasRunning = false;
		const statuses = status.containerStatuses ?? [];
		// Reversed so that the first container's reason is the one left standing.
		for (let i = statuses.length - 1; i >= 0; i--) {
			const c = statuses[i]!;
			restarts += c.restartCount;
			last = Math.max(last, toMillis(c.lastState?.terminated?.finishedAt) ?? 0);
			const terminated = c.state?.terminated;
			if (c.state?.waiting?.reason) {
				reason = c.state.waiting.reason;
			} else if (terminated) {
				reason = terminatedReason(terminated);
			} else if (c.ready && c.state?.running) {
				hasRunning = true;
				ready++;
			}
		}
		if (reason === 'Completed' && hasRunning) {
			reason = conditionTrue(pod, 'Ready') ? 'Running' : 'NotReady';
		}
	}

	const deleting = pod.metadata?.deletionTimestamp !== undefined && pod.metadata.deletionTimestamp !== null;
	if (deleting && status.reason === NODE_LOST) {
		reason = 'Unknown';
	} else if (deleting && status.phase !== 'Succeeded' && status.phase !== 'Failed') {
		reason = 'Terminating';
	}

	const restartText =
		restarts !== 0 && last !== 0 ? `${restarts} (${humanDuration(toMillis(now)! - last)} ago)` : `${restarts}`;
	return {
		ready: `${ready}/${total}`,
		status: reason,
		restarts: restartText,
		age: ageSince(pod.metadata?.creationTimestamp, now),
		readyCount: ready,
		totalCount: total,
		restartCount: restarts,
	};
}
