// One read of the keyboard can hold text and the Enter after it (a paste, a script, or typing faster than a
// render). Every text field reads it the same way: the text is typed, then a trailing Enter submits it.

export interface Pasted {
  text: string;
  /** The read ended with Enter: submit once the text is typed. */
  enter: boolean;
}

/**
 * Text and a trailing Enter read at once, or null for a read that is one key (a lone Enter, an escape sequence).
 * Only a trailing Enter submits: line breaks inside pasted text never send half of it.
 */
export function splitPaste(input: string): Pasted | null {
  if (input.length < 2 || !input.endsWith('\r') || input.includes('\x1b')) return null;
  return {text: input.replace(/\r+$/, ''), enter: true};
}
