// Copy through the terminal (OSC 52): works over SSH and in tmux (with set-clipboard on), needs no clipboard tool.
// The copy is pasted into a terminal next: a runbook's escape sequences (an end of bracketed paste, a title) go in
// shown, never live.
import {safeText} from '../terminal/safe-text.js';

export function copyToClipboard(text: string, out: NodeJS.WriteStream = process.stdout): void {
  if (!out.isTTY) return;
  out.write(`\x1b]52;c;${Buffer.from(safeText(text, {keep: '\n\t'}), 'utf8').toString('base64')}\x07`);
}
