// The runbook's outline: sections and steps with their state, the current one marked, scrolled to stay in view.

import {Box, Text} from 'ink';
import type {RunbookNode} from '../runbook/model.js';
import type {StepStatus} from '../session/events.js';
import {padEnd, truncate} from './text.js';
import {color, STATUS_ICON, STATUS_TONE} from './theme.js';

export interface OutlineRow {
  node: RunbookNode;
  depth: number;
  status: StepStatus;
  /** "3/8" for steps with a checklist. */
  count: string;
  current: boolean;
}

export function Outline({rows, width, height}: {rows: OutlineRow[]; width: number; height: number}) {
  const current = Math.max(0, rows.findIndex(r => r.current));
  const top = Math.max(0, Math.min(current - Math.floor(height / 2), rows.length - height));
  const visible = rows.slice(top, top + height);
  return (
    <Box flexDirection="column" width={width} flexShrink={0}>
      {visible.map(row => {
        const marker = row.current ? '▸' : ' ';
        const icon = STATUS_ICON[row.status];
        const indent = '  '.repeat(Math.max(0, row.depth));
        const countWidth = row.count ? row.count.length + 1 : 0;
        const title = truncate(`${indent}${row.node.title}`, width - 4 - countWidth);
        return (
          <Text key={row.node.id} wrap="truncate-end" bold={row.current} inverse={row.current}>
            {marker}
            <Text color={color(STATUS_TONE[row.status])}>{icon}</Text> {padEnd(title, width - 4 - countWidth)}
            {row.count ? <Text color={color('muted')}> {row.count}</Text> : null}
          </Text>
        );
      })}
      {Array.from({length: Math.max(0, height - visible.length)}, (_, i) => (
        <Text key={`pad-${i}`}> </Text>
      ))}
    </Box>
  );
}
