// Honest templates: a message's field (`Label: value`) is filled only from a fact the session holds — the versions
// from the workload's images, the times, the pipeline run's URL, who declared, the health and smoke checks' last
// results, the rollback's and the incident's real state. Every other field becomes a visible `<fill in: Label>` the
// operator is asked for before the message is copied; one left unanswered stays visible in the copy, so a message
// never carries the runbook's example (`runs/12345`, `@devops-lead`, "Health checks: PASSING") as if it were true.

import type {SessionEvent} from './events.js';
import {HEALTH_CHECK} from './failure-detection.js';
import {incidentTimeline} from './incident-lifecycle.js';
import {firstRollback, isRollbackCommand} from './rollback-rule.js';
import {fillTemplate, PLACEHOLDER, type TemplateFacts} from './templates.js';
import {runWentWrong} from './run-outcome.js';

/** What the screen sees that a message may state: the pipeline run and the workload's pods. */
export interface ScreenTruth {
  runUrl?: string | null;
  pods?: {ready: number; desired: number} | null;
}

export interface FilledMessage {
  text: string;
  /** The `<fill in: …>` markers (and unknown placeholders) still in the text: what to ask. */
  open: string[];
}

const utc = (iso: string) => `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
export const marker = (label: string) => `<fill in: ${label}>`;

/** The last result of the checks whose command (or comment) matches, as a status word; null when none ran. */
function checkResult(events: readonly SessionEvent[], match: (command: string) => boolean): string | null {
  const commands = new Map<string, string>();
  let result: string | null = null;
  for (const e of events) {
    if (e.type === 'run-started' && match(e.command)) commands.set(e.runId, e.command);
    if (e.type === 'run-finished' && commands.has(e.runId) && !e.cancelled) {
      result = runWentWrong(commands.get(e.runId)!, e) ? `FAILING (exit ${e.exitCode ?? '?'} at ${utc(e.at)})` : `PASSING (checked ${utc(e.at)})`;
    }
  }
  return result;
}

function rollbackState(events: readonly SessionEvent[], rollbackSteps: readonly string[] | null): string {
  const done = firstRollback(events, rollbackSteps);
  if (done) return done.what.endsWith('(rollout completed)') ? `COMPLETED (rolled out ${utc(done.at)})` : `DONE (${utc(done.at)})`;
  const started = events.some(e => e.type === 'run-started' && isRollbackCommand(e.command));
  return started ? 'IN PROGRESS' : 'NOT STARTED';
}

/** The value a field's label asks for, when the session holds it; null: ask the operator. */
type Rule = (value: string) => string | null;

function rules(facts: TemplateFacts, events: readonly SessionEvent[], screen: ScreenTruth, rollbackSteps: readonly string[] | null): Record<string, Rule> {
  const incident = incidentTimeline(events, rollbackSteps);
  const elapsed = Math.max(1, Math.round((facts.now.getTime() - (incident ? Date.parse(incident.startedAt) : facts.startedAt.getTime())) / 60_000));
  // A version field keeps what follows the example's version ("v2.4.0 (failed)" → "v2.5.1 (failed)").
  const version = (v: string | null | undefined): Rule => value => (v ? value.replace(/^v?\d+\.\d+\.\d+[\w.-]*|^\S+/, v) : null);
  const declaredBy = events.find(e => e.type === 'note' && e.text.startsWith('Incident declared'))?.by?.user;
  const incidentState = (): string => {
    if (!incident?.declaredAt) return incident ? 'failure seen, not declared' : 'none declared';
    const sev = incident.severity ?? 'incident';
    if (incident.resolvedAt) return `Closed (${sev} resolved ${utc(incident.resolvedAt)})`;
    return `${sev} declared, open${incident.mitigatedAt ? ' (mitigated)' : ''}`;
  };
  return {
    version: version(facts.failedVersion),
    'rolled back to': version(facts.targetVersion),
    target: version(facts.targetVersion),
    // "8 minutes before rollback": the figure is the session's, the words after it stay.
    duration: value => `${elapsed} minute${elapsed === 1 ? '' : 's'}${/^~?\d+\s*minutes?/.test(value) ? value.replace(/^~?\d+\s*minutes?/, '') : ''}`,
    completed: () => utc(facts.now.toISOString()),
    workflow: () => screen.runUrl ?? null,
    'health checks': () => checkResult(events, c => HEALTH_CHECK.test(c) && !/smoke/i.test(c)),
    'smoke tests': () => checkResult(events, c => /smoke/i.test(c)),
    'rollback status': () => rollbackState(events, rollbackSteps),
    incident: () => incidentState(),
    'incident commander': () => (declaredBy ? `@${declaredBy}` : null),
    'all pods running': () => (screen.pods ? `${screen.pods.ready}/${screen.pods.desired}` : null),
    reason: () => incident?.detected ?? null,
    severity: value => (facts.severity ? value.replace(/^(P\d|SEV-?\d)\b/i, facts.severity) : null),
    namespace: () => facts.namespace ?? null,
  };
}

const FIELD = /^(\s*(?:[•*-]\s*)?)([A-Za-z][\w ./()-]{0,40}?):\s+(\S.*)$/;

/**
 * The template with every field either filled from the session or turned into a marker, and the markers to ask.
 * `answers` (marker → text) fills them; an empty answer leaves the marker visible.
 */
export function honestFill(text: string, facts: TemplateFacts, events: readonly SessionEvent[], screen: ScreenTruth = {}, rollbackSteps: readonly string[] | null = null, answers: Readonly<Record<string, string>> = {}): FilledMessage {
  const table = rules(facts, events, screen, rollbackSteps);
  const open = new Set<string>();
  const lines = text.split('\n').map(line => {
    const m = FIELD.exec(line);
    // A field that is a placeholder (`Service: {{service}}`) is the placeholders' business, below.
    if (!m || new RegExp(PLACEHOLDER.source).test(m[3]!)) return fillTemplate(line, facts);
    const label = m[2]!.trim();
    const filled = table[label.toLowerCase()]?.(m[3]!) ?? null;
    if (filled !== null) return `${m[1]}${label}: ${filled}`;
    open.add(marker(label));
    return `${m[1]}${label}: ${marker(label)}`;
  });
  // Placeholders the session could not fill are asked too.
  for (const line of lines) for (const p of line.matchAll(new RegExp(PLACEHOLDER.source, 'g'))) open.add(p[0]);
  let out = lines.join('\n');
  for (const [asked, answer] of Object.entries(answers)) if (answer.trim() && answer !== asked) out = out.split(asked).join(answer.trim());
  return {text: out, open: [...open].filter(o => out.includes(o))};
}
