// A run's progress as the UI sees it: every write marks it changed, and at most one report goes out per interval.

import type {RunProgress} from './types.js';

/** Progress is batched: a flood would otherwise re-render the UI thousands of times a second. */
export class ProgressReports {
	private timer: NodeJS.Timeout | undefined;
	private last = Number.NEGATIVE_INFINITY;
	private dirty = false;
	private reporting = true;
	/** For the sink: called on every write; undefined when nobody listens. */
	readonly onData: (() => void) | undefined;

	constructor(
		private readonly onProgress: ((progress: RunProgress) => void) | undefined,
		private readonly intervalMs: number,
		private readonly snapshot: () => RunProgress,
	) {
		this.onData = onProgress ? () => this.schedule() : undefined;
	}

	/** Always one last report, so the UI's final frame matches the result whatever the batching skipped. */
	final(): void {
		this.reporting = false;
		clearTimeout(this.timer);
		this.onProgress?.(this.snapshot());
	}

	private schedule(): void {
		this.dirty = true;
		if (this.timer || !this.reporting) return;
		const wait = Math.max(0, this.last + this.intervalMs - performance.now());
		this.timer = setTimeout(() => this.report(), wait);
	}

	private report(): void {
		this.timer = undefined;
		if (!this.dirty || !this.reporting || !this.onProgress) return;
		this.dirty = false;
		this.last = performance.now();
		this.onProgress(this.snapshot());
	}
}
