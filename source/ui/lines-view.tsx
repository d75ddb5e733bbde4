import {Text} from 'ink';
import {safeText} from '../terminal/safe-text.js';
import {color, type Tone} from './theme.js';

interface Segment<T> {
  text: string;
  tone?: T;
  bold?: boolean;
  italic?: boolean;
  dim?: boolean;
  inverse?: boolean;
  underline?: boolean;
}

/**
 * Draws pre-wrapped lines, then blank rows: exactly `height` rows, each one terminal line, so the frame height is
 * known, and nothing in them can act on the terminal (the last guard: builders measure safe text already).
 * `colorOf` maps the lines' tones to colours (the step's theme by default, the panes' own palette there).
 */
export function LinesView<T = Tone>({lines, height, colorOf = color as (tone: T | undefined) => string | undefined}: {lines: Array<Array<Segment<T>>>; height: number; colorOf?: (tone: T | undefined) => string | undefined}) {
  const rows = lines.slice(0, Math.max(0, height));
  return (
    <>
      {rows.map((line, i) => (
        <Text key={i} wrap="truncate-end">
          {line.length === 0 ? ' ' : line.map((s, k) => (
            <Text key={k} color={colorOf(s.tone)} bold={s.bold} italic={s.italic} dimColor={s.dim} inverse={s.inverse} underline={s.underline}>
              {safeText(s.text)}
            </Text>
          ))}
        </Text>
      ))}
      {Array.from({length: Math.max(0, height - rows.length)}, (_, i) => (
        <Text key={`pad-${i}`}> </Text>
      ))}
    </>
  );
}
