// The alternate screen, entered and left by hand (Ink 6 has no option for it), and always left on the way out:
// an operator's terminal must never be left in the alternate screen or without a cursor.

// Auto-wrap is off while the app draws (DECAWM, ?7): lines are measured to fit, but a terminal whose character
// widths differ from ours (a soft hyphen, an emoji newer than its tables) must clip such a line, not wrap it and push
// the frame taller than the screen.
const ENTER = '\x1b[?1049h\x1b[?7l\x1b[H';
const LEAVE = '\x1b[?7h\x1b[?25h\x1b[?1049l';

let inside = false;

export function enterAlternateScreen(out: NodeJS.WriteStream = process.stdout) {
  if (inside || !out.isTTY) return;
  out.write(ENTER);
  inside = true;
}

export function leaveAlternateScreen(out: NodeJS.WriteStream = process.stdout) {
  if (!inside) return;
  out.write(LEAVE);
  inside = false;
}

process.on('exit', () => leaveAlternateScreen());
