// Turns a raw output line into something safe to render in a bounded terminal pane: the text a terminal would
// leave visible after carriage returns, colours kept, cursor movement and other control sequences dropped (they
// would move Ink's cursor and corrupt the frame; C1 controls included, as random bytes hold them), and the length
// capped (Ink's layout cost grows with it). Tabs stay: the pane expands them where it knows the columns.

import {safeText} from '../terminal/safe-text.js';

const RESET = '\x1b[0m';

/** Keeps only what follows the last carriage return; a trailing `\r` (from `\r\n`) is not a rewrite. */
export function afterCarriageReturn(line: string): string {
	const text = line.endsWith('\r') ? line.slice(0, -1) : line;
	const cr = text.lastIndexOf('\r');
	return cr === -1 ? text : text.slice(cr + 1);
}

export function displayLine(line: string, maxLength: number): string {
	let text = afterCarriageReturn(line);
	// Bound the work on pathological lines before running regexes over them; dropping sequences only shrinks the
	// text, so a margin over maxLength is enough to fill the visible width.
	if (text.length > maxLength * 4) text = text.slice(0, maxLength * 4);
	text = safeText(text, {output: true, colours: true, keep: '\t'});
	if (text.length <= maxLength) return text;
	let cut = text.slice(0, Math.max(0, maxLength - 1));
	if (cut.includes('\x1b')) {
		// Do not leave half an escape sequence or an open colour behind the cut; the reset must fit in the budget.
		cut = text.slice(0, Math.max(0, maxLength - 1 - RESET.length));
		cut = cut.replace(/\x1b[^m]*$/, '');
		if (cut.includes('\x1b')) cut += RESET;
	}
	return `${cut}…`;
}
