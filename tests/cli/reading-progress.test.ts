import {writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {readingProgress} from '../../source/commands/reading-progress.js';
import {parseRunbook} from '../../source/runbook/index.js';
import {testTempDir} from '../helpers/temp.js';

const terminal = () => {
  const written: string[] = [];
  return {out: {isTTY: true, write: (text: string) => (written.push(text), true)}, written};
};

describe('the progress of a first read', () => {
  it('stays quiet for a quick parse', () => {
    let clock = 0;
    const {out, written} = terminal();
    const progress = readingProgress('/nowhere/guide.md', out, () => clock, {});
    clock = 100;
    progress(0.5);
    progress(1);
    expect(written).toEqual([]);
  });

  it('shows how far a slow parse has got, then clears its line', () => {
    const dir = testTempDir('progress');
    const file = join(dir, 'big.md');
    writeFileSync(file, Buffer.alloc(3 * 1024 * 1024, 0x61));
    let clock = 0;
    const {out, written} = terminal();
    const modes: boolean[] = [];
    const keyboard = {isTTY: true, isRaw: true, setRawMode: (raw: boolean) => modes.push(raw)};
    const progress = readingProgress(file, out, () => clock, keyboard);
    clock = 400;
    progress(0.42);
    expect(modes).toEqual([false]); // Ctrl-C interrupts a long read
    progress(1);
    expect(written).toEqual(['\r\x1b[2Krunbook: reading big.md (3.0 MB) for the first time: 42% (later opens use the cache)', '\r\x1b[2K']);
    expect(modes).toEqual([false, true]);
  });

  it('writes nothing when stderr is not a terminal', () => {
    let clock = 0;
    const written: string[] = [];
    const progress = readingProgress('/x.md', {isTTY: false, write: (t: string) => (written.push(t), true)}, () => clock, {});
    clock = 5000;
    progress(0.5);
    expect(written).toEqual([]);
  });

  it('is told by the parser, piece by piece, ending at 1', () => {
    const fractions: number[] = [];
    const text = Array.from({length: 400}, (_, i) => `## Step ${i}\n\n\`\`\`bash\necho ${'x'.repeat(300)}\n\`\`\`\n`).join('\n');
    parseRunbook(text, {onProgress: f => fractions.push(f)});
    expect(fractions.length).toBeGreaterThan(2);
    expect(fractions).toEqual([...fractions].sort((a, b) => a - b));
    expect(fractions.at(-1)).toBe(1);
  });
});
