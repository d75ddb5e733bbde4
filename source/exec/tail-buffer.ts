// The last N lines of a stream, kept cheaply: the hot path stores one slice of each chunk's complete text and does
// no per-line work; lines are split and prepared for display only when someone looks (at most a few times a second).

import {displayLine} from './display-line.js';

type Segment = {text: string; lines: number};

/** Index where the last `count` lines of `text` (which ends with a newline) begin. */
export function startOfLastLines(text: string, count: number): number {
	let index = text.length - 1;
	for (let found = 0; found < count; found++) {
		if (index <= 0) return 0;
		index = text.lastIndexOf('\n', index - 1);
		if (index === -1) return 0;
	}
	return index + 1;
}

export class TailBuffer {
	private segments: Segment[] = [];
	private total = 0;

	constructor(
		private readonly max: number,
		private readonly maxLineLength: number,
	) {}

	/** `text` is complete lines, each ending with a newline; `lines` is how many. */
	push(text: string, lines: number): void {
		if (this.max <= 0 || lines <= 0) return;
		let kept = text;
		let count = lines;
		if (count > this.max) {
			kept = kept.slice(startOfLastLines(kept, this.max));
			count = this.max;
		}
		// Very long lines (minified JSON, a progress bar redrawn thousands of times) would make the tail hold
		// megabytes; cut them to what can be shown now. Display preparation is idempotent, so doing it early is safe.
		if (kept.length > count * this.maxLineLength * 4) {
			const prepared = kept.split('\n');
			prepared.pop();
			kept = `${prepared.map((line) => displayLine(line, this.maxLineLength)).join('\n')}\n`;
		}
		this.segments.push({text: kept, lines: count});
		this.total += count;
		for (let first = this.segments[0]; first && this.segments.length > 1 && this.total - first.lines >= this.max; first = this.segments[0]) {
			this.total -= first.lines;
			this.segments.shift();
		}
	}

	lines(): string[] {
		const text = this.segments.map((segment) => segment.text).join('');
		const lines = text.slice(startOfLastLines(text, this.max)).split('\n');
		lines.pop();
		return lines.map((line) => displayLine(line, this.maxLineLength));
	}
}
