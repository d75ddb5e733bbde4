// A template block filled from the session's facts and kept in a file beside the session's output (the controller's
// fillTemplate): what the screen gives (severity, the rollout history, the pipeline run, the pods) over what the
// session knows. Only facts fill a field (template-facts.ts); the rest is asked, or stays visibly open.

import {join} from 'node:path';
import type {Block, Runbook, RunbookNode} from '../runbook/model.js';
import type {SessionEvent} from './events.js';
import {honestFill, type FilledMessage, type ScreenTruth} from './template-facts.js';
import {saveFilledTemplate, sessionFacts, type HistoryEntry, type TemplateFacts} from './templates.js';

/** What the screen knows for a template: the severity and such, the workload's rollout history, and the answers given. */
export type GivenFacts = Omit<TemplateFacts, 'startedAt' | 'now' | 'who' | 'service'> & {
  history?: readonly HistoryEntry[];
  screen?: ScreenTruth;
  /** The operator's answers to the fields the session could not fill (marker → text). */
  answers?: Readonly<Record<string, string>>;
};

export interface TemplateSession {
  runbook: Runbook;
  env: Record<string, string>;
  events: readonly SessionEvent[];
  startedAt: string | null;
  now: Date;
  who: string;
}

/** The message as it would be copied now, and the fields still open (what to ask before copying). */
export function planTemplateBlock(block: Block, facts: GivenFacts, session: TemplateSession): FilledMessage {
  const {now} = session;
  const {history, screen, answers, ...given} = facts;
  const all: TemplateFacts = {
    ...sessionFacts(session.runbook, session.env, session.events, history),
    ...given,
    startedAt: new Date(session.startedAt ?? now.toISOString()),
    now,
    who: session.who,
  };
  return honestFill(block.code, all, session.events, screen ?? {}, session.runbook.rollback?.stepIds ?? [], answers ?? {});
}

/** Given the workload's rollout history, the versions are read from its image tags. */
export function fillTemplateBlock(found: {block: Block; step: RunbookNode}, facts: GivenFacts, session: TemplateSession, outputDir: string): {text: string; file: string; open: string[]} {
  const {text, open} = planTemplateBlock(found.block, facts, session);
  const file = saveFilledTemplate(join(outputDir, 'messages'), `${found.step.title}-${session.now.toISOString().slice(11, 19)}`, text);
  return {text, file, open};
}
