// The app's side of a block's secret channel (see wrapScript's `channel`): the go that lets the shell start, and the
// `NAME=value\0` reports of the secrets the block assigns, each answered once the value is masked. A background block's
// channel is a socket on its fd 3; an interactive block's (a pty passes no extra fd) is two FIFOs in its dump directory.

import {closeSync, constants, openSync, writeSync} from 'node:fs';
import {Socket} from 'node:net';
import type {Readable} from 'node:stream';
import type {ChannelFifos} from './shell-state.js';

export type SecretHandler = (name: string, value: string) => void;

/**
 * Reads `NAME=value\0` reports from the block's shell and answers each with one byte, after `onSecret` has run: the
 * shell waits for that byte before its next command, so the value is masked before anything can print it.
 */
export function listenForSecrets(reports: Readable, answer: (bytes: string) => void, onSecret: SecretHandler): void {
	let pending: Buffer = Buffer.alloc(0);
	reports.on('data', (chunk: Buffer) => {
		pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
		let answers = 0;
		for (let end = pending.indexOf(0); end !== -1; end = pending.indexOf(0)) {
			const record = pending.subarray(0, end).toString('utf8');
			pending = pending.subarray(end + 1);
			const eq = record.indexOf('=');
			if (eq > 0) onSecret(record.slice(0, eq), record.slice(eq + 1));
			answers++;
		}
		if (answers > 0) answer('a'.repeat(answers));
	});
}

export type FifoChannel = {
	/** Lets the shell run the block. */
	go(): void;
	/** Closes the app's ends: a shell still reporting then fails to, as it would on a closed socket. */
	close(): void;
};

/**
 * Opens the app's ends of the block's FIFOs and listens on them; call before the spawn, so that the shell's own opens
 * find their other end and never wait. Opened read-write, which on Linux never blocks the event loop however far the
 * shell has got, and non-blocking; the reports are read through a socket on the fd (libuv, not the thread pool, which a
 * FIFO with nothing to read would hold).
 */
export function openFifoChannel(fifos: ChannelFifos, onSecret: SecretHandler): FifoChannel {
	const flags = constants.O_RDWR | constants.O_NONBLOCK;
	const toShell = openSync(fifos.toShell, flags);
	let reports: Socket;
	try {
		const toApp = openSync(fifos.toApp, flags);
		try {
			reports = new Socket({fd: toApp, readable: true, writable: false});
		} catch (error) {
			closeSync(toApp);
			throw error;
		}
	} catch (error) {
		closeSync(toShell);
		throw error;
	}
	reports.on('error', () => {});
	// A few bytes into a FIFO the shell drains as it waits for them: never full, so never EAGAIN while it lives.
	const answer = (bytes: string) => {
		try {
			writeSync(toShell, bytes);
		} catch {
			// The shell is gone.
		}
	};
	listenForSecrets(reports, answer, onSecret);
	let open = true;
	return {
		go: () => answer('g'),
		close() {
			if (!open) return;
			open = false;
			reports.destroy();
			closeSync(toShell);
		},
	};
}
