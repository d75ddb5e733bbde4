// Where a block's output goes: the full (redacted) text appended to a file, a bounded tail for the screen, and
// counters. It is a Writable so that piping into it propagates backpressure to the child: a command printing a
// million lines stalls on a full pipe instead of growing our memory.
//
// Work is per chunk, never per line. Chunks are cut at their last newline at the byte level (a newline byte is never
// part of a UTF-8 sequence), newlines are counted on bytes, and a chunk in which no secret can occur is written to the
// file as the original bytes; only chunks that may hold a secret are split into lines and redacted.

import {closeSync, mkdirSync, openSync, writeSync} from 'node:fs';
import path from 'node:path';
import {Writable} from 'node:stream';
import {displayLine} from './display-line.js';
import {createRedactor, type Redactor} from './redact.js';
import {TailBuffer} from './tail-buffer.js';
import {countNewlines, utf8SafeEnd} from './utf8-bytes.js';

// An unterminated line longer than this is written out unfinished, so `yes | tr -d '\n'` cannot exhaust memory.
const MAX_PENDING = 256 * 1024;

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

	private fd: number | undefined;
	private readonly redactor: Redactor;
	private readonly tail: TailBuffer;
	/** Bytes after the last newline, not yet in the file. */
	private pending: Buffer[] = [];
	private pendingBytes = 0;
	/** Display-only end of an overlong unterminated line whose start was already written to the file. */
	private overflow = '';

	constructor(private readonly options: OutputSinkOptions) {
		super({highWaterMark: 64 * 1024});
		this.redactor = createRedactor(options.secrets);
		this.tail = new TailBuffer(options.tailLines, options.maxLineLength);
		try {
			// Output can hold what redaction did not recognise: only the operator may read it.
			mkdirSync(path.dirname(options.file), {recursive: true, mode: 0o700});
			this.fd = openSync(options.file, 'a', 0o600);
		} catch (error) {
			this.fileError = error as Error;
		}
	}

	/**
	 * Masks these values in everything not yet written. Output is written a line at a time once the line is complete,
	 * so a value learned before the command that prints it runs never reaches the file.
	 */
	addSecrets(values: readonly string[]): void {
		this.redactor.add(values);
	}

	/** Last complete lines, ready for display. */
	tailLines(): string[] {
		return this.tail.lines();
	}

	/** The unterminated last line, ready for display. */
	partial(): string {
		if (this.pendingBytes === 0 && this.overflow === '') return '';
		const bytes = Buffer.concat(this.pending);
		const text = bytes.subarray(0, utf8SafeEnd(bytes)).toString('utf8');
		return displayLine(this.overflow + this.redactor.peek(text), this.options.maxLineLength);
	}

	override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
		this.bytes += chunk.length;
		const lastNewline = chunk.lastIndexOf(10);
		if (lastNewline === -1) {
			this.addPending(chunk);
		} else {
			const head = chunk.subarray(0, lastNewline + 1);
			const parts = this.pending.length === 0 ? [head] : [...this.pending, head];
			this.pending = [];
			this.pendingBytes = 0;
			this.consumeLines(parts, countNewlines(head));
			if (lastNewline + 1 < chunk.length) this.addPending(chunk.subarray(lastNewline + 1));
		}
		this.options.onData?.();
		callback();
	}

	override _final(callback: (error?: Error | null) => void): void {
		if (this.pendingBytes > 0 || this.overflow !== '') {
			const last = this.redactor.line(Buffer.concat(this.pending).toString('utf8'));
			this.pending = [];
			this.pendingBytes = 0;
			this.lines += 1;
			// Terminated in the file, so that the next block appended to it starts on its own line.
			this.writeFile(`${last}\n`);
			this.tail.push(`${this.overflow}${last}\n`, 1);
			this.overflow = '';
		}
		this.closeFile();
		callback();
	}

	override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
		this.closeFile();
		callback(error);
	}

	private closeFile(): void {
		if (this.fd === undefined) return;
		const fd = this.fd;
		this.fd = undefined;
		try {
			closeSync(fd);
		} catch {
			// Nothing left to save: every write already reached the kernel.
		}
	}

	/** `parts` concatenated are complete lines ending with a newline; `count` is how many. */
	private consumeLines(parts: Buffer[], count: number): void {
		this.lines += count;
		const text = (parts.length === 1 ? (parts[0] as Buffer) : Buffer.concat(parts)).toString('utf8');
		let shown = text;
		if (this.redactor.mayRedact(text)) {
			const lines = text.split('\n');
			lines.pop();
			for (let i = 0; i < lines.length; i++) lines[i] = this.redactor.line(lines[i] ?? '');
			shown = `${lines.join('\n')}\n`;
			this.writeFile(shown);
		} else {
			for (const part of parts) this.writeFile(part);
		}
		this.tail.push(this.overflow === '' ? shown : this.overflow + shown, count);
		this.overflow = '';
	}

	private addPending(bytes: Buffer): void {
		this.pending.push(bytes);
		this.pendingBytes += bytes.length;
		if (this.pendingBytes <= MAX_PENDING) return;
		const all = Buffer.concat(this.pending);
		const cut = utf8SafeEnd(all);
		const redacted = this.redactor.peek(all.subarray(0, cut).toString('utf8'));
		this.writeFile(redacted);
		// Keep only the end for the screen: after the last \r is all a terminal would show anyway.
		this.overflow = (this.overflow + redacted).slice(-this.options.maxLineLength * 4);
		this.pending = cut < all.length ? [all.subarray(cut)] : [];
		this.pendingBytes = all.length - cut;
	}

	/**
	 * Synchronous on purpose: a page-cache write of a 64 KiB chunk takes microseconds, far less than the thread-pool
	 * round trip of an async write, and blocking here is the backpressure: the pipe is not read until the chunk is
	 * on its way to disk, so memory stays bounded whatever the command prints.
	 */
	private writeFile(data: Buffer | string): void {
		if (this.fd === undefined) return;
		try {
			const bytes = typeof data === 'string' ? Buffer.from(data) : data;
			for (let offset = 0; offset < bytes.length; ) offset += writeSync(this.fd, bytes, offset);
		} catch (error) {
			this.fileError ??= error as Error;
			this.closeFile();
		}
	}
}
