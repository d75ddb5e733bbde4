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
  ['R', 'go to the rollback section'],
  ['u', 'roll back the workload in view natively (choose revision, type the namespace)'],
  ['w', 'next workload in the ROLLOUT pane when the step names several (the title says 1/2)'],
  ['c  J K  A', 'show / hide the panes; scroll the pods; review a waiting deployment'],
  ['m', 'do the focused gh step natively (release PR, approve, merge, dispatch the rollback workflow)'],
  ['[  ]', 'older / newer run of the step in the output pane'],
  ['g G PgUp/Dn', 'first / last step; scroll the step'],
  ['/', 'search steps by title'],
  ['o  ?', 'show / hide the outline; this help'],
  ['L', 'open another runbook of this folder or ./runbooks (this session is saved, as q does)'],
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
