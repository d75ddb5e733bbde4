// A template block filled from the session's facts and kept in a file beside the session's output (the controller's
// fillTemplate): what the screen gives (severity, the rollout history) over what the session knows.

import {join} from 'node:path';
import type {Block, Runbook, RunbookNode} from '../runbook/model.js';
import type {SessionEvent} from './events.js';
import {fillTemplate, saveFilledTemplate, sessionFacts, type HistoryEntry, type TemplateFacts} from './templates.js';

/** What the screen knows for a template: the severity and such, and the workload's rollout history. */
export type GivenFacts = Omit<TemplateFacts, 'startedAt' | 'now' | 'who' | 'service'> & {history?: readonly HistoryEntry[]};

export interface TemplateSession {
  runbook: Runbook;
  env: Record<string, string>;
  events: readonly SessionEvent[];
  startedAt: string | null;
  now: Date;
  who: string;
}

/** Given the workload's rollout history, the versions are read from its image tags. */
export function fillTemplateBlock(found: {block: Block; step: RunbookNode}, facts: GivenFacts, session: TemplateSession, outputDir: string): {text: string; file: string} {
  const {now} = session;
  const {history, ...given} = facts;
  const text = fillTemplate(found.block.code, {
    ...sessionFacts(session.runbook, session.env, session.events, history),
    ...given,
    startedAt: new Date(session.startedAt ?? now.toISOString()),
    now,
    who: session.who,
  });
  const file = saveFilledTemplate(join(outputDir, 'messages'), `${found.step.title}-${now.toISOString().slice(11, 19)}`, text);
  return {text, file};
}
