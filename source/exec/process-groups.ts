// Process-group bookkeeping. Each block runs in its own group so that cancel reaches pipes and background jobs
// (`sleep 30 & wait`), which killing bash alone would orphan; the app must also kill every group it started when it
// exits, or a quit mid-block leaves a `kubectl port-forward` or a deploy script running unseen.

import {readdirSync, readFileSync} from 'node:fs';
import {setTimeout as sleep} from 'node:timers/promises';

// Background blocks and interactive ones alike: an interactive block leads a session of its own on its pty, so its
// pid is its group too.
const liveGroups = new Set<number>();

export function registerGroup(pgid: number): void {
	if (pgid > 0) liveGroups.add(pgid);
}

export function unregisterGroup(pgid: number): void {
	liveGroups.delete(pgid);
}

/** Sends a signal to a whole group; false if the group no longer exists. */
export function signalGroup(pgid: number, signal: NodeJS.Signals | 0): boolean {
	// kill(0) and kill(-0) would hit our own group, kill(-1) every process we may signal.
	if (!Number.isInteger(pgid) || pgid <= 1) return false;
	try {
		process.kill(-pgid, signal);
		return true;
	} catch {
		return false;
	}
}

function processState(pid: number): {state: string; pgrp: number; startTicks: string} | undefined {
	try {
		const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
		// The command name is in parentheses and may itself contain spaces or parentheses.
		const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
		return {state: fields[0] ?? '', pgrp: Number(fields[2]), startTicks: fields[19] ?? ''};
	} catch {
		return undefined;
	}
}

let bootId: string | null | undefined;

/**
 * Which process this pid is, as a string no later process with the same pid can have: the boot and the clock tick the
 * kernel started it at. Null where there is no /proc (the pid alone must then do).
 */
export function processIdentity(pid: number): string | null {
	if (bootId === undefined) {
		try {
			bootId = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
		} catch {
			bootId = null;
		}
	}
	const info = processState(pid);
	if (!bootId || !info?.startTicks) return null;
	return `${bootId}:${info.startTicks}`;
}

const hasProc = (() => {
	try {
		readFileSync('/proc/self/stat');
		return true;
	} catch {
		return false;
	}
})();

/**
 * Whether a process is running. Zombies count as gone: where PID 1 does not reap orphans (some containers and
 * sandboxes), a killed grandchild stays a zombie forever although it holds nothing and runs nothing.
 */
export function isProcessAlive(pid: number): boolean {
	if (!(pid > 0)) return false;
	if (hasProc) {
		const info = processState(pid);
		return info !== undefined && info.state !== 'Z' && info.state !== 'X';
	}
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return (error as NodeJS.ErrnoException).code === 'EPERM';
	}
}

/** Whether any non-zombie process is left in the group. */
export function isGroupAlive(pgid: number): boolean {
	if (!(pgid > 1)) return false;
	if (!hasProc) return signalGroup(pgid, 0);
	if (!signalGroup(pgid, 0)) return false;
	for (const entry of readdirSync('/proc')) {
		const pid = Number(entry);
		if (!Number.isInteger(pid)) continue;
		const info = processState(pid);
		if (info && info.pgrp === pgid && info.state !== 'Z' && info.state !== 'X') return true;
	}
	return false;
}

/** Groups started by this process that still have live members (pruning the rest). */
export function liveRunGroups(): number[] {
	for (const pgid of liveGroups) if (!isGroupAlive(pgid)) liveGroups.delete(pgid);
	return [...liveGroups];
}

/**
 * Kills every process group this process started. The signal is sent synchronously, so
 * calling it from an `exit` handler works (pass 'SIGKILL' there: nothing after it will run). With SIGTERM, groups
 * still alive after graceMs get SIGKILL; the returned promise settles then.
 */
export async function killAllRuns(signal: NodeJS.Signals = 'SIGTERM', graceMs = 2000): Promise<void> {
	const groups = [...liveGroups];
	for (const pgid of groups) signalGroup(pgid, signal);
	if (signal === 'SIGKILL') {
		liveGroups.clear();
		return;
	}
	const deadline = Date.now() + graceMs;
	while (Date.now() < deadline) {
		if (!groups.some(isGroupAlive)) break;
		await sleep(50);
	}
	for (const pgid of groups) {
		if (isGroupAlive(pgid)) signalGroup(pgid, 'SIGKILL');
		liveGroups.delete(pgid);
	}
}
