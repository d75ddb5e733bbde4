// The pods pane's rows, computed from the watch cache without any drawing: kubectl's columns
// (podStatus), k9s's colours, name order, and only the visible window computed per frame so that
// 5,000 pods cost what 40 rows cost. Every function is pure; createPodsView only memoises.
import {humanDuration, podStatus} from './pod-status.js';
import type {WatchState} from './resource-watch.js';
import type {Pod} from './types.js';

/**
 * k9s's row colours by meaning: error (red: not all ready or PodReady false, CrashLoopBackOff
 * included), pending (dark orange: Pending, ContainerCreating), initializing (blue: PodInitializing,
 * Init:N/M), terminating (purple), completed (grey), ok (Running and ready).
 */
export type PodTone = 'ok' | 'error' | 'pending' | 'initializing' | 'terminating' | 'completed';

export interface PodRow {
	name: string;
	/** READY, e.g. `1/1`. */
	ready: string;
	/** STATUS, e.g. `Running`, `CrashLoopBackOff`. */
	status: string;
	/** RESTARTS, e.g. `4 (12s ago)`. */
	restarts: string;
	/** AGE, e.g. `45m`. */
	age: string;
	tone: PodTone;
}

const PENDING = new Set(['Pending', 'ContainerCreating', 'SchedulingGated']);

function readyCondition(pod: Pod): string | undefined {
	return pod.status?.conditions?.find(c => c.type === 'Ready')?.status;
}

export function podTone(pod: Pod, columns: {status: string; readyCount: number; totalCount: number}): PodTone {
	const s = columns.status;
	if (s === 'Terminating') return 'terminating';
	if (s === 'Completed') return 'completed';
	if (s === 'PodInitializing' || /^Init:\d+\/\d+$/.test(s)) return 'initializing';
	if (PENDING.has(s)) return 'pending';
	// A pod that reports no Ready condition yet is judged by its container counts alone.
	const readyFalse = readyCondition(pod) !== undefined && readyCondition(pod) !== 'True';
	if (columns.readyCount !== columns.totalCount || readyFalse) return 'error';
	if (s === 'Unknown' || s === 'Failed' || s === 'Evicted' || s === 'Error') return 'error';
	return 'ok';
}

export function podRow(pod: Pod, now: number): PodRow {
	const c = podStatus(pod, now);
	return {name: pod.metadata.name, ready: c.ready, status: c.status, restarts: c.restarts, age: c.age, tone: podTone(pod, c)};
}

/** Go's string order (bytes), as kubectl and k9s sort names; localeCompare would not. */
export const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Every row, sorted by name. Fine for tens of pods; the pane uses createPodsView. */
export function podRows(pods: Iterable<Pod>, now: number): PodRow[] {
	return [...pods].sort((a, b) => byName(a.metadata.name, b.metadata.name)).map(p => podRow(p, now));
}

export interface Window<T> {
	rows: T[];
	/** The offset actually used: clamped so the window never runs past the end. */
	offset: number;
	total: number;
}

/** The `height` rows from `offset`, with the offset clamped to [0, total - height]. */
export function visibleRows<T>(rows: readonly T[], offset: number, height: number): Window<T> {
	const total = rows.length;
	const h = Math.max(0, Math.floor(height));
	const start = Math.max(0, Math.min(Math.floor(offset) || 0, total - h));
	return {rows: rows.slice(start, start + h), offset: start, total};
}

export type PodsView = (state: Pick<WatchState<Pod>, 'items' | 'membershipVersion'>, offset: number, height: number, now: number) => Window<PodRow>;

/**
 * A view that re-sorts names only when pods come or go (membershipVersion) and computes columns
 * only for the visible window: AGE and RESTARTS move with the clock, so rows are computed per frame.
 */
export function createPodsView(): PodsView {
	let items: ReadonlyMap<string, Pod> | null = null;
	let membership = -1;
	let names: string[] = [];
	return (state, offset, height, now) => {
		if (state.items !== items || state.membershipVersion !== membership) {
			items = state.items;
			membership = state.membershipVersion;
			names = [...state.items.keys()].sort(byName);
		}
		const window = visibleRows(names, offset, height);
		const rows: PodRow[] = [];
		for (const name of window.rows) {
			const pod = state.items.get(name);
			if (pod) rows.push(podRow(pod, now));
		}
		return {rows, offset: window.offset, total: window.total};
	};
}

export type FreshnessTone = 'ok' | 'warn' | 'error' | 'muted';

/**
 * How current the pane's data is: `● 1s` (live, seconds since the server last spoke),
 * `reconnecting 4s`, `stale 40s` (the data's age). Anything but a live watch is never shown as fresh.
 */
export function freshnessLabel(state: Pick<WatchState, 'status' | 'lastEventAt' | 'syncedAt'>, now: number): {text: string; tone: FreshnessTone} {
	const age = state.lastEventAt === null ? '' : humanDuration(Math.max(0, now - state.lastEventAt));
	switch (state.status) {
		case 'connecting':
			return {text: 'connecting…', tone: 'muted'};
		case 'live':
			return {text: `● ${age}`, tone: 'ok'};
		case 'reconnecting':
			return {text: `reconnecting ${age}`, tone: 'warn'};
		case 'stale':
			return {text: `stale ${age}`, tone: 'error'};
		case 'error':
			return state.syncedAt === null ? {text: 'error', tone: 'error'} : {text: `stale ${age}`, tone: 'error'};
	}
}
