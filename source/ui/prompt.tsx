// The one-line prompts: a variable's value, a placeholder's replacement, the typed target of a dangerous block,
// a reason for skipping or marking done, a note, a search.

import {Box, Text} from 'ink';
import type {Modal} from './use-session-view-state.js';
import {safeText} from '../terminal/safe-text.js';
import {truncate} from './text.js';
import {color} from './theme.js';
import {DEFAULT_SEVERITY_LEVELS} from '../runbook/severity.js';

const mask = (text: string) => '•'.repeat([...text].length);

export function Prompt({modal, width}: {modal: Exclude<Modal, {kind: 'help'}>; width: number}) {
  let title = '';
  let detail: string | null = null;
  let tone: 'accent' | 'danger' = 'accent';
  let shown = modal.input;
  let hint: string | null = null;
  if (modal.kind === 'ask') {
    const q = modal.questions[modal.index]!;
    const of = modal.questions.length > 1 ? ` (${modal.index + 1}/${modal.questions.length})` : '';
    if (q.kind === 'variable') {
      title = `Value for $${q.name}${of}`;
      if (q.suggestion) detail = `Enter keeps: ${q.secret ? mask(q.suggestion) : q.suggestion}`;
      if (q.secret) shown = mask(modal.input);
      if (q.secret) hint = 'secret: masked here, never written to the session';
    } else if (q.kind === 'placeholder') {
      title = `${q.variable ? `$${q.variable}: ` : ''}the runbook says ${q.text} — what is it here?${of}`;
      detail = `Enter keeps: ${q.suggestion}`;
    } else {
      tone = 'danger';
      title = `⚠ ${q.dangers.join('; ')}`;
      detail = `Type the ${q.target} "${q.expected}" to run it, anything else cancels${of}`;
    }
  } else if (modal.kind === 'reason') {
    title = {
      skip: 'Skip this step — why?',
      done: 'Mark this step done without running it — why?',
      note: 'Add a note to this step',
      incident: `Declare an incident: severity ${(modal.levels ?? DEFAULT_SEVERITY_LEVELS).map(l => `${l.level}${l.description ? ` (${l.description.toLowerCase()})` : ''}`).join(' · ')}?`,
    }[modal.purpose];
    hint = modal.hint;
  } else {
    title = 'Search steps';
    detail = 'type part of a title; Enter goes to the first match';
  }
  return (
    <Box flexDirection="column" borderStyle="round" borderColor={color(tone)} width={width} height={6} paddingX={1} flexShrink={0}>
      <Text bold color={color(tone)} wrap="truncate-end">
        {safeText(title)}
      </Text>
      <Text color={color('muted')} wrap="truncate-end">
        {detail ? safeText(detail) : ' '}
      </Text>
      <Text wrap="truncate-end">
        <Text color={color(tone)}>› </Text>
        {truncate(shown, width - 8)}
        <Text inverse> </Text>
      </Text>
      <Text color={color(hint ? 'warn' : 'muted')} wrap="truncate-end">
        {hint ? safeText(hint) : 'Enter confirm · Esc cancel'}
      </Text>
    </Box>
  );
}
