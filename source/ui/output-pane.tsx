// The live output of the running command, or the last run of the focused block: a bounded tail, its exit
// status and duration, and which of the step's runs it is.

import {Box, Text} from 'ink';
import {outputLine} from './output-view.js';
import {truncate, width as textWidth, wrapWords} from './text.js';
import {color, type Tone} from './theme.js';

export interface OutputView {
  title: string;
  status: string;
  tone: Tone;
  lines: string[];
  /** The app's own words about the run (which line stopped it, an output file it could not write): wrapped, not cut. */
  notes?: string[];
  /** "run 2 of 3" when the step has more than one. */
  which: string;
  file: string | null;
}

export function OutputPane({view, width, height}: {view: OutputView; width: number; height: number}) {
  const head = ` ${truncate(view.title.split('\n')[0]!, Math.max(10, width - textWidth(view.status) - textWidth(view.which) - 8))} `;
  const status = ` ${view.status} `;
  const fill = Math.max(0, width - textWidth(head) - textWidth(status) - textWidth(view.which) - 4);
  const notes = (view.notes ?? []).flatMap(note => wrapWords(note, Math.max(10, width))).slice(0, Math.max(0, height - 2));
  const body = view.lines.slice(-Math.max(1, height - 1 - notes.length));
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Text wrap="truncate-end">
        <Text color={color('muted')}>──</Text>
        <Text bold>{head}</Text>
        <Text color={color('muted')}>{'─'.repeat(fill)}</Text>
        <Text color={color(view.tone)} bold>
          {status}
        </Text>
        <Text color={color('muted')}>{view.which ? `${view.which} ─` : '──'}</Text>
      </Text>
      {body.map((line, i) => (
        <Text key={i} wrap="truncate-end">
          {outputLine(line, width) || ' '}
        </Text>
      ))}
      {notes.map((line, i) => (
        <Text key={`note-${i}`} color={color('warn')} wrap="truncate-end">
          {line}
        </Text>
      ))}
      {Array.from({length: Math.max(0, height - 1 - body.length - notes.length)}, (_, i) => (
        <Text key={`pad-${i}`}> </Text>
      ))}
    </Box>
  );
}
