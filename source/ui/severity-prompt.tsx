// Incident mode's first question: how bad is it? The runbook's own severity table, one key per level.

import {Box, Text, useApp, useInput} from 'ink';
import type {Runbook} from '../runbook/model.js';
import {walkSteps} from '../runbook/walk.js';
import {safeText} from '../terminal/safe-text.js';
import {padEnd} from './text.js';
import {color} from './theme.js';

export interface SeverityLevel {
  level: string;
  description: string;
  responseTime: string;
  example: string;
}

/** Rows of the first table whose header has Level and Response Time (the guide's "Severity Levels"). */
export function severityLevels(runbook: Runbook): SeverityLevel[] {
  for (const step of walkSteps(runbook)) {
    for (const c of step.content) {
      if (c.type !== 'table') continue;
      const col = (name: RegExp) => c.header.findIndex(h => name.test(h));
      const [level, description, response, example] = [col(/level/i), col(/description/i), col(/response/i), col(/example/i)];
      if (level < 0 || response < 0) continue;
      return c.rows.map(r => ({level: r[level] ?? '', description: r[description] ?? '', responseTime: r[response] ?? '', example: r[example] ?? ''}));
    }
  }
  return [];
}

export function SeverityPrompt({levels, onChoice}: {levels: SeverityLevel[]; onChoice: (level: string | null) => void}) {
  const {exit} = useApp();
  useInput((input, key) => {
    const picked = levels.find(l => l.level.toLowerCase() === `p${input}`.toLowerCase() || l.level.toLowerCase() === input.toLowerCase());
    if (picked || key.escape || (key.ctrl && input === 'c')) {
      onChoice(picked?.level ?? null);
      exit();
    }
  });
  return (
    <Box flexDirection="column" borderStyle="round" borderColor={color('danger')} paddingX={1}>
      <Text bold color={color('danger')}>
        Incident: how severe is it? (press 0–{levels.length - 1})
      </Text>
      {levels.map(l => (
        <Text key={l.level}>
          <Text bold>{padEnd(l.level, 4)}</Text>
          {`${padEnd(l.description, 20)} respond within ${padEnd(l.responseTime, 11)} e.g. ${safeText(l.example)}`}
        </Text>
      ))}
      <Text color={color('muted')}>Esc: not now (the incident clock starts anyway)</Text>
    </Box>
  );
}
