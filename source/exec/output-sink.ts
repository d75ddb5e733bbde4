// Where a block's output goes: the full (redacted) text appended to a file, a bounded tail for the screen, and
// counters. It is a Writable so that piping into it propagates backpressure to the child: a command printing a
// million lines stalls on a full pipe instead of growing our memory. Work is per chunk, not per line: counting and
// copying a clean chunk touches no regex, and only the last `tailLines` lines of a chunk are prepared for display.

import {createWriteStream, mkdirSync, type WriteStream} from 'node:fs';
import path from 'node:path';
import {StringDecoder} from 'node:string_decoder';
import {Writable} from 'node:stream';
import {displayLine} from './display-line.js';
import {createRedactor, type Redactor} from './redact.js';

// An unterminated line longer than this is written out unfinished, so `yes | tr -d '\n'` cannot exhaust memory.
const MAX_PENDING = 1 << 20;

export type OutputSinkOptions = {
	file: string;
	secrets: readonly string[];
	tailLines: number;
	maxLineLength: number;
	/** Called after each chunk; the caller batches. */
	onData?: () => void;
};

export class OutputSink extends Writable {
	lines = 0;
	bytes = 0;
	/** The first error writing the file; output keeps flowing to the tail so the block is not blocked by it. */
	fileError: Error | undefined;

	private readonly file: WriteStream;
	private readonly decoder = new StringDecoder('utf8');
	private readonly redactor: Redactor;
	private readonly tail: string[] = [];
	/** Text after the last newline, not yet in the file. */
	private pending = '';
	/** Display-only end of an overlong unterminated line whose start was already written to the file. */
	private overflow = '';
	/** Redacted text waiting to be written to the file. */
	private outBuffer = '';
	private waitingForDrain: (() => void) | undefined;

	constructor(private readonly options: OutputSinkOptions) {
		super({highWaterMark: 64 * 1024});
		this.redactor = createRedactor(options.secrets);
		mkdirSync(path.dirname(options.file), {recursive: true});
		this.file = createWriteStream(options.file, {flags: 'a'});
		this.file.on('error', (error) => {
			this.fileError ??= error;
			// A failed file never drains; release the writer waiting on it.
			this.releaseDrain();
		});
	}

	/** Last complete lines, ready for display. */
	tailLines(): string[] {
		return this.tail.slice();
	}

	/** The unterminated last line, ready for display. */
	partial(): string {
		if (this.pending === '' && this.overflow === '') return '';
		return displayLine(this.overflow + this.redactor.peek(this.pending), this.options.maxLineLength);
	}

	override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
		this.bytes += chunk.length;
		this.consume(this.decoder.write(chunk), false);
		this.options.onData?.();
		this.flushFile(callback);
	}

	override _final(callback: (error?: Error | null) => void): void {
		this.consume(this.decoder.end(), true);
		this.flushFile(() => {
			if (this.fileError) {
				this.file.destroy();
				callback();
				return;
			}
			this.file.end(() => callback());
		});
	}

	private consume(text: string, atEnd: boolean): void {
		const data = this.pending + text;
		const lastNewline = data.lastIndexOf('\n');
		if (lastNewline === -1) {
			this.pending = data;
		} else {
			this.pending = data.slice(lastNewline + 1);
			this.consumeLines(data.slice(0, lastNewline + 1));
		}
		if (atEnd) {
			if (this.pending === '' && this.overflow === '') return;
			const last = this.redactor.line(this.pending);
			// Terminated in the file, so that the next block appended to it starts on its own line.
			this.outBuffer += `${last}\n`;
			this.lines += 1;
			this.pushTail([this.overflow + last]);
			this.pending = '';
			this.overflow = '';
		} else if (this.pending.length > MAX_PENDING) {
			const redacted = this.redactor.peek(this.pending);
			this.outBuffer += redacted;
			// Keep only the end for the screen: after the last \r is all a terminal would show anyway.
			this.overflow = (this.overflow + redacted).slice(-this.options.maxLineLength * 4);
			this.pending = '';
		}
	}

	/** `complete` ends with a newline. */
	private consumeLines(complete: string): void {
		let count = 0;
		for (let i = complete.indexOf('\n'); i !== -1; i = complete.indexOf('\n', i + 1)) count++;
		this.lines += count;
		let shown: string[];
		if (this.redactor.mayRedact(complete)) {
			const lines = complete.split('\n');
			lines.pop();
			for (let i = 0; i < lines.length; i++) lines[i] = this.redactor.line(lines[i] ?? '');
			this.outBuffer += lines.join('\n') + '\n';
			shown = lines.length > this.options.tailLines ? lines.slice(-this.options.tailLines) : lines;
		} else {
			this.outBuffer += complete;
			shown = lastLines(complete, this.options.tailLines);
		}
		if (this.overflow !== '') {
			// The start of the first line went to the file earlier; show it whole if it is still in the tail.
			if (count <= this.options.tailLines && shown.length > 0) shown[0] = this.overflow + shown[0];
			this.overflow = '';
		}
		this.pushTail(shown);
	}

	private pushTail(raw: string[]): void {
		const max = this.options.tailLines;
		if (max <= 0) return;
		for (const line of raw) this.tail.push(displayLine(line, this.options.maxLineLength));
		if (this.tail.length > max) this.tail.splice(0, this.tail.length - max);
	}

	private flushFile(callback: () => void): void {
		const out = this.outBuffer;
		this.outBuffer = '';
		if (out === '' || this.fileError) {
			callback();
			return;
		}
		if (this.file.write(out)) {
			callback();
			return;
		}
		this.waitingForDrain = callback;
		this.file.once('drain', () => this.releaseDrain());
	}

	private releaseDrain(): void {
		const waiting = this.waitingForDrain;
		this.waitingForDrain = undefined;
		waiting?.();
	}
}

/** The last `count` lines of text that ends with a newline, without splitting all of it. */
function lastLines(complete: string, count: number): string[] {
	if (count <= 0) return [];
	const result: string[] = [];
	let end = complete.length - 1;
	while (result.length < count && end >= 0) {
		const start = end === 0 ? -1 : complete.lastIndexOf('\n', end - 1);
		result.push(complete.slice(start + 1, end));
		end = start;
	}
	return result.reverse();
}
