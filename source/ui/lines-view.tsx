import {Text} from 'ink';
import type {Line} from './step-lines.js';
import {color} from './theme.js';

/** Draws pre-wrapped lines; every row is exactly one terminal line, so the frame height is known. */
export function LinesView({lines, height}: {lines: Line[]; height: number}) {
  const rows = lines.slice(0, height);
  return (
    <>
      {rows.map((line, i) => (
        <Text key={i} wrap="truncate-end">
          {line.length === 0 ? ' ' : line.map((s, k) => (
            <Text key={k} color={color(s.tone)} bold={s.bold} italic={s.italic} dimColor={s.dim} inverse={s.inverse} underline={s.underline}>
              {s.text}
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
