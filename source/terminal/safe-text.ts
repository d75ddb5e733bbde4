// What may reach the operator's terminal. Text from a runbook, a command, a cluster or GitHub is untrusted: a shared
// runbook can hide an escape sequence that writes the clipboard (OSC 52), the window title (OSC 0), plants a link
// (OSC 8) or moves the cursor, and a terminal acts on it as soon as it is printed. Every such string passes through
// here on its way out; the data itself (runbook, journal, logs) keeps its bytes, this is for display only.
//
// By default controls are shown, not obeyed: C0 controls and DEL as their Control Pictures (ESC as ␛, BEL as ␇), a C1
// control as ␛ and the 7-bit character it stands for (U+009B CSI as ␛[), bidi overrides and isolates as <U+202E>.
// A sequence is thus visible whole (`␛]52;c;…␇`) and inert, and the text keeps one column per shown character.
// Command output is the exception: there whole sequences are dropped (a progress bar's cursor moves are noise, not
// content), stray controls too, and colours may be kept.

export interface SafeTextOptions {
  /** Controls the caller lays out itself and keeps as they are: '\n', '\t', or both. */
  keep?: string;
  /** Command output: escape sequences and stray controls dropped rather than shown. */
  output?: boolean;
  /** With `output`: colours (SGR: ESC [ digits m, nothing else) kept. */
  colours?: boolean;
}

// Anything a terminal could act on: C0, DEL, C1, bidi overrides and isolates (and the marks that steer them).
const UNSAFE = /[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
const UNSAFE_ALL = new RegExp(UNSAFE.source, 'g');
const BIDI = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

// Whole sequences, 7-bit (ESC …) and 8-bit (C1) forms, terminated or not (an unterminated string runs to the end,
// as a terminal would swallow it): CSI; OSC (BEL or ST); DCS, SOS, PM, APC (ST, or BEL as some terminals accept);
// other ESC sequences (ESC, intermediates, final).
const SEQUENCE =
  /(?:\x1b\[|\x9b)[\x30-\x3f]*[\x20-\x2f]*[\x40-\x7e]|(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?|\x1b[\x20-\x2f]*[\x30-\x7e]/g;
const SGR = /^\x1b\[[0-9;:]*m$/;
const OUTPUT = new RegExp(`${SEQUENCE.source}|${UNSAFE.source}`, 'g');

/** How a control shows: its Control Picture, ␛ + the 7-bit form for C1, <U+XXXX> for bidi controls. */
export function pictureOf(char: string): string {
  const code = char.charCodeAt(0);
  if (code < 0x20) return String.fromCharCode(0x2400 + code);
  if (code === 0x7f) return '\u2421';
  if (code >= 0x80 && code <= 0x9f) return `\u241b${String.fromCharCode(code - 0x40)}`;
  return `<U+${code.toString(16).toUpperCase().padStart(4, '0')}>`;
}

/** `text` made inert for a terminal; idempotent, and the identity on text that needs nothing. */
export function safeText(text: string, options: SafeTextOptions = {}): string {
  if (!UNSAFE.test(text)) return text;
  const keep = options.keep ?? '';
  if (!options.output) return text.replace(UNSAFE_ALL, char => (keep.includes(char) ? char : pictureOf(char)));
  return text.replace(OUTPUT, match => {
    if (match.length > 1) return options.colours && SGR.test(match) ? match : '';
    if (keep.includes(match)) return match;
    return BIDI.test(match) ? pictureOf(match) : '';
  });
}

/**
 * JSON for a terminal or a pipe: the same value (it parses back to the very same strings), with every character a
 * terminal could act on written as a \u escape. JSON.stringify already escapes C0; C1, DEL and bidi controls it
 * leaves raw.
 */
export function safeJson(value: unknown, space: number | string = 2): string {
  const json = JSON.stringify(value, null, space) ?? 'null';
  return json.replace(/[\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, char => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
