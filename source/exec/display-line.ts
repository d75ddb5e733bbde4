// Turns a raw output line into something safe to render in a bounded terminal pane: the text a terminal would
// leave visible after carriage returns, colours kept, cursor movement and other control sequences dropped (they
// would move Ink's cursor and corrupt the frame), and the length capped (Ink's layout cost grows with it).

// CSI (ESC [ … final), OSC (ESC ] … BEL or ST), DCS/PM/APC/SOS strings, two-byte escapes, lone C0 controls.
const CONTROL =
	/\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[PX^_][^\x1b]*(?:\x1b\\)?|\x1b[@-Z\\-_]?|[\x00-\x08\x0b-\x1a\x1c-\x1f\x7f]/g;
const HAS_CONTROL = /[\x00-\x08\x0b-\x1f\x7f]/;
const SGR = /^\x1b\[[0-9;:]*m$/;
const RESET = '\x1b[0m';

/** Keeps only what follows the last carriage return; a trailing `\r` (from `\r\n`) is not a rewrite. */
export function afterCarriageReturn(line: string): string {
	const text = line.endsWith('\r') ? line.slice(0, -1) : line;
	const cr = text.lastIndexOf('\r');
	return cr === -1 ? text : text.slice(cr + 1);
}

export function displayLine(line: string, maxLength: number): string {
	let text = afterCarriageReturn(line);
	// Bound the work on pathological lines before running regexes over them; escapes only shrink the text, so a
	// margin over maxLength is enough to fill the visible width.
	if (text.length > maxLength * 4) text = text.slice(0, maxLength * 4);
	if (HAS_CONTROL.test(text)) text = text.replace(CONTROL, (seq) => (SGR.test(seq) ? seq : ''));
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
