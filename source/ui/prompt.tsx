// The one-line prompts: a variable's value, a placeholder's replacement, the typed target of a dangerous block,
// a reason for skipping or marking done, a note, a search. Over the whole width of the screen, every word of the
// question wrapped, never cut; the answer typed shows its end.

import {Box} from 'ink';
import {DEFAULT_SEVERITY_LEVELS} from '../runbook/severity.js';
import {truncateStart} from '../terminal/columns.js';
import {LinesView} from './lines-view.js';
import type {Line} from './step-lines.js';
import {wrapWords} from './text.js';
import {color} from './theme.js';
import type {Modal} from './use-session-view-state.js';

const mask = (text: string) => '•'.repeat([...text].length);

export type PromptModal = Exclude<Modal, {kind: 'help'}>;

/** What a prompt says: its title, the detail under it, the text typed (masked for a secret), a hint. */
function promptContent(modal: PromptModal) {
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
      resolve: 'Resolve the incident — what closed it? (the clock stops)',
      incident: `Declare an incident: severity ${(modal.levels ?? DEFAULT_SEVERITY_LEVELS).map(l => `${l.level}${l.description ? ` (${l.description.toLowerCase()})` : ''}`).join(' · ')}?`,
    }[modal.purpose];
    hint = modal.hint;
  } else {
    title = 'Search steps';
    detail = 'type part of a title; Enter goes to the first match';
  }
  return {title, detail, tone, shown, hint};
}

/** The prompt's lines inside a box `width` columns wide (border and padding take 4). */
export function promptLines(modal: PromptModal, width: number): Line[] {
  const inner = Math.max(1, width - 4);
  const {title, detail, tone, shown, hint} = promptContent(modal);
  const lines: Line[] = wrapWords(title, inner).map(l => [{text: l, bold: true, tone}]);
  if (detail) lines.push(...wrapWords(detail, inner).map((l): Line => [{text: l, tone: 'muted'}]));
  lines.push([{text: '› ', tone}, {text: truncateStart(shown, Math.max(1, inner - 3))}, {text: ' ', inverse: true}]);
  lines.push(...wrapWords(hint ?? 'Enter confirm · Esc cancel', inner).map((l): Line => [{text: l, tone: hint ? 'warn' : 'muted'}]));
  return lines;
}

/** The rows the prompt's box takes. */
export const promptHeight = (modal: PromptModal, width: number) => promptLines(modal, width).length + 2;

export function Prompt({modal, width, height}: {modal: PromptModal; width: number; height?: number}) {
  const lines = promptLines(modal, width);
  const {tone} = promptContent(modal);
  const rows = Math.max(1, (height ?? lines.length + 2) - 2);
  return (
    <Box flexDirection="column" borderStyle="round" borderColor={color(tone)} width={width} height={rows + 2} paddingX={1} flexShrink={0}>
      <LinesView lines={lines.slice(0, rows)} height={rows} />
    </Box>
  );
}
