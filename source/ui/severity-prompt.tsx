// Incident mode's first question: how bad is it? The runbook's own severity table, one key per level, over the
// width of the terminal, each level's example wrapped under itself rather than cut.

import {Box, Text, useApp, useInput} from 'ink';
import type {Runbook} from '../runbook/model.js';
import {matchSeverity, severityNumber, severityTable, type SeverityLevel} from '../runbook/severity.js';
import {safeText} from '../terminal/safe-text.js';
import {LinesView} from './lines-view.js';
import {wrapSegments} from './segment-wrap.js';
import type {Line} from './step-lines.js';
import {padEnd, width as textWidth} from './text.js';
import {color} from './theme.js';
import {useTerminalSize} from './use-terminal-size.js';

export type {SeverityLevel};

/** The runbook's severity table (P0–P3, SEV1–SEV4…), else the documented default. */
export function severityLevels(runbook: Runbook): SeverityLevel[] {
  return severityTable(runbook).levels;
}

export function SeverityPrompt({levels, onChoice}: {levels: SeverityLevel[]; onChoice: (level: string | null) => void}) {
  const {exit} = useApp();
  useInput((input, key) => {
    const picked = matchSeverity(input, levels);
    if (picked || key.escape || (key.ctrl && input === 'c')) {
      onChoice(picked);
      exit();
    }
  });
  const {columns} = useTerminalSize();
  return (
    <Box flexDirection="column" borderStyle="round" borderColor={color('danger')} paddingX={1} width={columns}>
      <Text bold color={color('danger')}>
        Incident: how severe is it? (press {keys(levels)})
      </Text>
      <LinesView lines={severityLines(levels, columns - 4)} height={severityLines(levels, columns - 4).length} />
      <Text color={color('muted')}>Esc: not now (the incident clock starts anyway)</Text>
    </Box>
  );
}

/** A row per level, its example wrapped under itself when the row is too long (never cut). */
export function severityLines(levels: readonly SeverityLevel[], width: number): Line[] {
  const levelWidth = Math.max(4, ...levels.map(l => l.level.length + 1));
  return levels.flatMap(l => {
    const level = {text: padEnd(safeText(l.level), levelWidth), bold: true};
    const head = `${padEnd(safeText(l.description), 20)}${l.responseTime ? ` respond within ${padEnd(safeText(l.responseTime), 11)}` : ''}`;
    const example = l.example ? `e.g. ${safeText(l.example)}` : '';
    const used = levelWidth + textWidth(head);
    // A table while the example has room beside it (wrapped under itself); else the level's words wrapped under it.
    if (width - used >= 16) return wrapSegments([{text: example}], width, [level, {text: `${head} `}], used + 1);
    const words = [safeText(l.description), l.responseTime ? `respond within ${safeText(l.responseTime)}` : '', example].filter(Boolean).join(' · ');
    return wrapSegments([{text: words}], width, [level], levelWidth);
  });
}

/** `0–3`, `1–4`: the digits that pick a level. */
function keys(levels: readonly SeverityLevel[]): string {
  const numbers = levels.map(l => severityNumber(l.level)).filter((n): n is number => n !== null);
  return numbers.length ? `${Math.min(...numbers)}–${Math.max(...numbers)}` : '';
}
