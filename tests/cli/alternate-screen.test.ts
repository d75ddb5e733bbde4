// The app's screen is drawn with auto-wrap off and the terminal gets it back on: a line some terminal measures wider
// than we do (its character tables differ) is clipped at the edge, never wrapped into a frame taller than the screen.
import {expect, it} from 'vitest';
import {enterAlternateScreen, leaveAlternateScreen} from '../../source/commands/terminal.js';

it('turns auto-wrap off with the alternate screen and back on when leaving it', () => {
  const written: string[] = [];
  const out = {isTTY: true, write: (s: string) => written.push(s)} as unknown as NodeJS.WriteStream;
  enterAlternateScreen(out);
  leaveAlternateScreen(out);
  expect(written[0]).toContain('\x1b[?1049h');
  expect(written[0]).toContain('\x1b[?7l');
  expect(written[1]).toContain('\x1b[?7h');
  expect(written[1]).toContain('\x1b[?1049l');
});
