// Masks values in a transcript already on disk, for a secret that was not known while the block printed it (the one
// an interactive block assigned where its secret channel could not see it).

import {closeSync, openSync, readSync, renameSync, rmSync, writeSync} from 'node:fs';
import {redactLine} from './redact.js';

/** Rewrites the transcript with `values` masked, a line at a time (it can be long: `logs -f` for an hour). */
export function scrubTranscript(file: string, values: readonly string[]): void {
	const scrubbed = `${file}.scrub`;
	let input: number | undefined;
	let output: number | undefined;
	try {
		input = openSync(file, 'r');
		output = openSync(scrubbed, 'w', 0o600);
		const chunk = Buffer.alloc(1024 * 1024);
		// Bytes as latin1 text, so that a cut never splits a character: a newline byte is never part of one.
		let rest = '';
		for (;;) {
			const read = readSync(input, chunk);
			const text = rest + chunk.subarray(0, read).toString('latin1');
			let cut = text.lastIndexOf('\n') + 1;
			if (read === 0 || (cut === 0 && text.length > 4 * chunk.length)) cut = text.length;
			rest = text.slice(cut);
			const bytes = Buffer.from(text.slice(0, cut), 'latin1');
			const lines = bytes.toString('utf8');
			if (values.some(value => lines.includes(value))) writeSync(output, lines.split('\n').map(line => redactLine(line, values)).join('\n'));
			else writeSync(output, bytes);
			if (read === 0) break;
		}
		renameSync(scrubbed, file);
	} catch {
		rmSync(scrubbed, {force: true});
	} finally {
		if (input !== undefined) closeSync(input);
		if (output !== undefined) closeSync(output);
	}
}
