// Incident mode's first question: how bad is it? The runbook's own severity table, one key per level.

import {Box, Text, useApp, useInput} from 'ink';
import type {Runbook} from '../runbook/model.js';
import {matchSeverity, severityNumber, severityTable, type SeverityLevel} from '../runbook/severity.js';
import {safeText} from '../terminal/safe-text.js';
import {padEnd} from './text.js';
import {color} from './theme.js';

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
  const levelWidth = Math.max(4, ...levels.map(l => l.level.length + 1));
  return (
    <Box flexDirection="column" borderStyle="round" borderColor={color('danger')} paddingX={1}>
      <Text bold color={color('danger')}>
        Incident: how severe is it? (press {keys(levels)})
      </Text>
      {levels.map(l => (
        <Text key={l.level}>
          <Text bold>{padEnd(safeText(l.level), levelWidth)}</Text>
          {`${padEnd(safeText(l.description), 20)}${l.responseTime ? ` respond within ${padEnd(safeText(l.responseTime), 11)}` : ''}${l.example ? ` e.g. ${safeText(l.example)}` : ''}`}
        </Text>
      ))}
      <Text color={color('muted')}>Esc: not now (the incident clock starts anyway)</Text>
    </Box>
  );
}

/** `0–3`, `1–4`: the digits that pick a level. */
function keys(levels: readonly SeverityLevel[]): string {
  const numbers = levels.map(l => severityNumber(l.level)).filter((n): n is number => n !== null);
  return numbers.length ? `${Math.min(...numbers)}–${Math.max(...numbers)}` : '';
}
