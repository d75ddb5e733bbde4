// What the pods' applications wrote while serving real requests through their Services (access lines, login
// notices, WebSocket opens), kept per pod so `kubectl logs` shows the operator's own curl among the app's lines.

const PER_POD = 1000;

export interface AppLogEntry {
	at: number;
	line: string;
	/** Rises across all pods: a log follower asks for what came after the last one it sent. */
	seq: number;
}

export class AccessLog {
	private readonly byPod = new Map<string, AppLogEntry[]>();
	private seq = 0;

	record(podUid: string, line: string, at = Date.now()): void {
		let entries = this.byPod.get(podUid);
		if (!entries) this.byPod.set(podUid, (entries = []));
		entries.push({at, line, seq: ++this.seq});
		if (entries.length > PER_POD * 1.25) entries.splice(0, entries.length - PER_POD);
	}

	/** Lines written at or after `from` (the running container's start), oldest first. */
	since(podUid: string, from: number): AppLogEntry[] {
		return (this.byPod.get(podUid) ?? []).filter(e => e.at >= from);
	}

	after(podUid: string, seq: number): AppLogEntry[] {
		return (this.byPod.get(podUid) ?? []).filter(e => e.seq > seq);
	}

	lastSeq(): number {
		return this.seq;
	}

	forget(podUid: string): void {
		this.byPod.delete(podUid);
	}
}

/** Python logging's default asctime, as the app's own lines carry it. */
export function stamp(ms: number): string {
	return new Date(ms).toISOString().replace('T', ' ').replace('Z', '').replace('.', ',');
}
