// A large runbook takes seconds to parse the first time (remark runs at about 150 KB/s here): the operator sees how
// far it has got instead of a blank terminal that looks hung. A parse that ends within a moment shows nothing, and
// the line is cleared when it is done. Writes to a TTY are synchronous, so it updates while the parser holds the
// event loop. From the parser's first word (before it starts) until the read is done, the terminal leaves raw mode so
// that Ctrl-C interrupts the read as in any other command (nothing is recorded yet): the parser holds the event loop,
// so only the kernel's Ctrl-C can reach it, and one piece of a runbook can take seconds.
import {statSync} from 'node:fs';
import {basename} from 'node:path';
import {safeText} from '../terminal/safe-text.js';

const QUIET_MS = 300;

interface Keyboard {
  isTTY?: boolean;
  isRaw?: boolean;
  setRawMode?(raw: boolean): unknown;
}

export function readingProgress(
  file: string,
  out: Pick<NodeJS.WriteStream, 'write' | 'isTTY'> = process.stderr,
  now: () => number = Date.now,
  keyboard: Keyboard = process.stdin,
): (fraction: number) => void {
  const started = now();
  let shown = false;
  let wasRaw = false;
  let size: string | null = null;
  return fraction => {
    if (!out.isTTY) return;
    if (fraction >= 1) {
      if (shown) out.write('\r\x1b[2K');
      if (wasRaw) keyboard.setRawMode?.(true);
      shown = wasRaw = false;
      return;
    }
    if (!wasRaw && keyboard.isTTY && keyboard.isRaw) {
      wasRaw = true;
      keyboard.setRawMode?.(false);
    }
    if (!shown && now() - started < QUIET_MS) return;
    shown = true;
    size ??= megabytes(file);
    out.write(`\r\x1b[2Krunbook: reading ${safeText(basename(file))}${size} for the first time: ${Math.floor(fraction * 100)}% (later opens use the cache)`);
  };
}

function megabytes(file: string): string {
  try {
    return ` (${(statSync(file).size / 1024 / 1024).toFixed(1)} MB)`;
  } catch {
    return '';
  }
}
