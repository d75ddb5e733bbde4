// Full-screen programs (watch, top, less, an editor) draw on the terminal's alternate screen, which the terminal throws
// away when they leave it. Recorded as is, those frames are cursor moves no output pane can show, and they end with a
// carriage return that blanks the last line. An interactive block's record therefore keeps what the terminal's own
// scrollback keeps, the normal screen, with one line saying where a full-screen display was.

const ENTER = /\x1b\[\?(?:1049|1047|47)h/;
const LEAVE = /\x1b\[\?(?:1049|1047|47)l/;
/** Longest escape sequence that can be kept waiting for its end at a chunk's edge. */
const MAX_PARTIAL = 16;

export const FULL_SCREEN_NOTE = '(a full-screen display ran here; it is not recorded)';

export class AltScreenFilter {
  private inside = false;
  private partial = '';
  private endsLine = true;

  /** The part of the next chunk of terminal output to record. */
  push(chunk: Buffer): Buffer {
    // latin1 keeps every byte as one character, so cutting anywhere and converting back is lossless.
    let text = this.partial + chunk.toString('latin1');
    this.partial = '';
    const esc = text.lastIndexOf('\x1b');
    // A sequence cut by the chunk's edge waits for the rest (a final byte is a letter, `~` or `@`).
    if (esc !== -1 && text.length - esc < MAX_PARTIAL && !/[@-Z\\^_`a-z{|}~]/.test(text.slice(esc + 2))) {
      this.partial = text.slice(esc);
      text = text.slice(0, esc);
    }
    return this.kept(text);
  }

  /** What is still held back once the output has ended. */
  end(): Buffer {
    const rest = this.partial;
    this.partial = '';
    return this.kept(rest);
  }

  private kept(text: string): Buffer {
    let out = '';
    for (;;) {
      const found = (this.inside ? LEAVE : ENTER).exec(text);
      if (!found) {
        if (!this.inside) out += text;
        break;
      }
      if (!this.inside) {
        out += text.slice(0, found.index);
        const before = out === '' ? this.endsLine : out.endsWith('\n');
        out += `${before ? '' : '\r\n'}${FULL_SCREEN_NOTE}\r\n`;
      }
      this.inside = !this.inside;
      text = text.slice(found.index + found[0].length);
    }
    if (out !== '') this.endsLine = out.endsWith('\n');
    return Buffer.from(out, 'latin1');
  }
}
