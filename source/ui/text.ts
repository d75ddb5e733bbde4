// Width-aware text helpers for the terminal: emoji and CJK take two columns, and a line must never wrap
// behind Ink's back (a wrapped line pushes the frame taller than the screen and makes it flicker). Everything they
// return is safe to print (see source/terminal): a runbook's escape sequences come out visible and inert.

export {padEnd, truncate, truncateStart, width, wrapColumns as wrapWords} from '../terminal/columns.js';
export {formatDuration} from '../terminal/duration.js';
