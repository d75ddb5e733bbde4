// What the command line prints, through one place: `show`, `status`, `report`, `metrics`, the session's hand-over
// and quit lines, and the one-line errors carry runbook titles, commands, file names and cluster text, any of which
// can hold escape sequences. They go out shown, never obeyed (source/terminal/safe-text.ts).

import {safeJson, safeText} from '../terminal/safe-text.js';

type Out = Pick<NodeJS.WriteStream, 'write'>;

/** Text with its line breaks and tabs. */
export function print(text: string, out: Out = process.stdout): void {
  out.write(safeText(text, {keep: '\n\t'}));
}

/** JSON that parses back to the very same values, with nothing a terminal would act on. */
export function printJson(value: unknown, out: Out = process.stdout): void {
  out.write(`${safeJson(value)}\n`);
}

/** `runbook: <message>` on stderr, on one line whatever the message holds (a file name can hold a newline too). */
export function printError(message: string, out: Out = process.stderr): void {
  out.write(`runbook: ${safeText(message)}\n`);
}
