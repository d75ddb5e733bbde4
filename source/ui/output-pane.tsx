// The live output of the running command, or the last run of the focused block: what became of each of its
// commands, a bounded tail, its exit status and duration, and which of the step's runs it is.

import {Box, Text} from 'ink';
import {outputLine} from './output-view.js';
import {truncate, width as textWidth, wrapWords} from './text.js';
import {color, type Tone} from './theme.js';

export interface OutputView {
  title: string;
  status: string;
  tone: Tone;
  lines: string[];
  /** The app's own words about the run (an output file it could not write, a run runbook did not see end): wrapped, not cut. */
  notes?: string[];
  /** A block of several commands: each with what became of it, listed above the output. */
  commands?: CommandRow[];
  /** "run 2 of 3" when the step has more than one. */
  which: string;
  file: string | null;
}

/** `✓ no matches  kubectl logs … | grep -i error`: the mark and label say what became of the command, in its tone. */
export interface CommandRow {
  mark: string;
  label: string;
  text: string;
  tone: Tone;
}

export function OutputPane({view, width, height}: {view: OutputView; width: number; height: number}) {
  const head = ` ${truncate(view.title.split('\n')[0]!, Math.max(10, width - textWidth(view.status) - textWidth(view.which) - 8))} `;
  const status = ` ${view.status} `;
  const fill = Math.max(0, width - textWidth(head) - textWidth(status) - textWidth(view.which) - 4);
  const notes = (view.notes ?? []).flatMap(note => wrapWords(note, Math.max(10, width))).slice(0, Math.max(0, height - 2));
  // The commands first, leaving the output's last two lines (where an error usually is) their room.
  const commands = visibleRows(view.commands ?? [], Math.max(0, height - 1 - notes.length - Math.min(2, Math.max(1, view.lines.length))));
  const body = view.lines.slice(-Math.max(1, height - 1 - notes.length - commands.length));
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
      {commands.map((row, i) => (
        <CommandLine key={`command-${i}`} row={row} width={width} />
      ))}
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
      {Array.from({length: Math.max(0, height - 1 - commands.length - body.length - notes.length)}, (_, i) => (
        <Text key={`pad-${i}`}> </Text>
      ))}
    </Box>
  );
}

function CommandLine({row, width}: {row: CommandRow; width: number}) {
  const head = ` ${row.mark} ${row.label ? `${row.label}  ` : ''}`;
  return (
    <Text wrap="truncate-end">
      <Text color={color(row.tone)}>{truncate(head, width)}</Text>
      {truncate(row.text, Math.max(0, width - textWidth(head)))}
    </Text>
  );
}

/**
 * At most `room` rows: all of them when they fit, else those around the first that did not succeed (what the operator
 * looks for), the last row saying how many more there are.
 */
function visibleRows(rows: CommandRow[], room: number): CommandRow[] {
  if (rows.length <= room) return rows;
  if (room < 2) return [];
  const shown = room - 1;
  const first = rows.findIndex(r => r.tone !== 'done');
  const start = Math.max(0, Math.min(rows.length - shown, (first < 0 ? rows.length : first) - 1));
  const hidden = rows.length - shown;
  return [...rows.slice(start, start + shown), {mark: '…', label: '', text: `${hidden} more command${hidden === 1 ? '' : 's'}`, tone: 'muted'}];
}
