// Ctrl-C interrupts a first read from its very start: the parser holds the event loop for a whole piece of the
// runbook (seconds, for some), so raw mode is left before the parser starts, not once the progress line shows.
import {describe, expect, it} from 'vitest';
import {readingProgress} from '../../source/commands/reading-progress.js';
import {parseRunbook} from '../../source/runbook/index.js';

describe('a first read', () => {
  it('leaves raw mode when the parser starts, even before the progress line would show, and restores it after', () => {
    const modes: boolean[] = [];
    const written: string[] = [];
    const keyboard = {isTTY: true, isRaw: true, setRawMode: (raw: boolean) => modes.push(raw)};
    const progress = readingProgress('/nowhere/guide.md', {isTTY: true, write: (t: string) => (written.push(t), true)}, () => 0, keyboard);
    const seen: boolean[][] = [];
    parseRunbook('# T\n\n## S\n\ntext\n', {
      onProgress: fraction => {
        progress(fraction);
        seen.push([...modes]);
      },
    });
    expect(seen[0]).toEqual([false]); // told before the first piece is parsed
    expect(modes).toEqual([false, true]);
    expect(written).toEqual([]); // a quick read still shows nothing
  });
});
