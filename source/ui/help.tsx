import {Box, Text} from 'ink';
import {color} from './theme.js';

export const KEYS: Array<[string, string]> = [
  ['→ n l', 'next step'],
  ['← p h', 'previous step'],
  ['↓ j  ↑ k', 'next / previous item in the step (command block or checklist item)'],
  ['Enter', 'run the focused command block, or tick/untick the focused item'],
  ['Space', 'tick/untick the focused item'],
  ['Ctrl-C', 'cancel the running command (its whole process group); quit when nothing runs'],
  ['s  d', 'skip the step / mark it done without running it (a reason is asked)'],
  ['N  I', 'add a note to the step; declare an incident (severity, clock)'],
  ['R', 'go to the rollback procedures'],
  ['u', 'roll back the deployment in view natively (choose revision, type the namespace)'],
  ['c  J K  A', 'show / hide the panes; scroll the pods; review a waiting deployment'],
  ['m', 'do the focused gh step natively (release PR, approve, merge, rollback.yml)'],
  ['[  ]', 'older / newer run of the step in the output pane'],
  ['g G PgUp/Dn', 'first / last step; scroll the step'],
  ['/', 'search steps by title'],
  ['o  ?', 'show / hide the outline; this help'],
  ['q', 'quit (everything is already recorded)'],
];

export function Help({width}: {width: number}) {
  return (
    <Box flexDirection="column" borderStyle="round" borderColor={color('accent')} paddingX={1} width={width} flexShrink={0}>
      <Text wrap="truncate-end">
        <Text bold>Keys</Text>
        <Text color={color('muted')}> · ? or Esc closes</Text>
      </Text>
      {KEYS.map(([keys, what]) => (
        <Text key={keys} wrap="truncate-end">
          <Text color={color('accent')}>{keys.padEnd(13)}</Text>
          {what}
        </Text>
      ))}
    </Box>
  );
}
