// A runbook's communication templates (its plain fenced blocks) filled from what the session knows: the service,
// the versions from the workload's rollout history, times, who, the severity. So the message sent at 3 a.m. says
// what actually happened, not the example's version and duration. Two ways in: placeholders (`{{service}}`,
// `<version>`, `[SEVERITY]`, `$SERVICE`…) and the example lines a template spells out (`Version: v1.4.2`).

import {mkdirSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import type {Runbook} from '../runbook/model.js';
import {resolveName} from '../runbook/targets-model.js';
import type {SessionEvent} from './events.js';
import {firstRollback} from './report.js';

export interface TemplateFacts {
  /** What the runbook acts on: its primary workload's name, else the runbook's title. */
  service?: string | null;
  namespace?: string | null;
  /** The release that failed (or is being announced). */
  failedVersion?: string | null;
  /** The version rolled back to. */
  targetVersion?: string | null;
  startedAt: Date;
  now: Date;
  who: string;
  severity?: string | null;
}

const utc = (d: Date) => `${d.toISOString().slice(0, 10)} ${d.toISOString().slice(11, 16)} UTC`;
const minutes = (ms: number) => {
  const m = Math.max(1, Math.round(ms / 60_000));
  return `${m} minute${m === 1 ? '' : 's'}`;
};

export function fillTemplate(text: string, facts: TemplateFacts): string {
  const elapsed = minutes(facts.now.getTime() - facts.startedAt.getTime());
  const values = placeholderValues(facts, elapsed);
  const rules: Array<[RegExp, (m: RegExpMatchArray) => string | null]> = [
    [/^(Version:\s*)v[\w.-]+(.*)$/, m => (facts.failedVersion ? `${m[1]}${facts.failedVersion}${m[2]}` : null)],
    [/^(Rolled back to:\s*)v[\w.-]+(.*)$/, m => (facts.targetVersion ? `${m[1]}${facts.targetVersion}${m[2]}` : null)],
    [/^(Target:\s*)v[\w.-]+(.*)$/, m => (facts.targetVersion ? `${m[1]}${facts.targetVersion}${m[2]}` : null)],
    [/^(Duration:\s*)~?\d+\s*minutes?(.*)$/, m => `${m[1]}${elapsed}${m[2]}`],
    [/^(Completed:\s*).*$/, m => `${m[1]}${utc(facts.now)}`],
    [/^(Incident Commander:\s*).*$/, m => `${m[1]}@${facts.who}`],
    [/^(• Incident:\s*)(?:P\d|SEV-?\d)( declared.*)$/i, m => (facts.severity ? `${m[1]}${facts.severity}${m[2]}` : null)],
    [/^(\W*Severity:\s*)(?:P\d|SEV-?\d)\b(.*)$/i, m => (facts.severity ? `${m[1]}${facts.severity}${m[2]}` : null)],
  ];
  return text
    .split('\n')
    .map(line => fillPlaceholders(line, values))
    .map(line => {
      for (const [pattern, fill] of rules) {
        const m = pattern.exec(line);
        if (m) return fill(m) ?? line;
      }
      return line;
    })
    .join('\n');
}

/** Placeholder names, in any case, with spaces, dashes or underscores between words, → what fills them. */
const PLACEHOLDERS: Record<string, keyof ReturnType<typeof placeholderValues>> = {
  service: 'service', service_name: 'service', app: 'service', application: 'service', component: 'service',
  namespace: 'namespace',
  version: 'version', new_version: 'version', release: 'version', release_version: 'version', failed_version: 'version', bad_version: 'version',
  previous_version: 'previous', prev_version: 'previous', target_version: 'previous', rollback_version: 'previous', last_good_version: 'previous', good_version: 'previous', stable_version: 'previous',
  severity: 'severity', sev: 'severity', sev_level: 'severity', severity_level: 'severity', priority: 'severity',
  time: 'now', now: 'now', timestamp: 'now', current_time: 'now', completed: 'now', completed_at: 'now', end_time: 'now', resolved_at: 'now',
  start: 'started', start_time: 'started', started: 'started', started_at: 'started', declared_at: 'started', incident_start: 'started',
  duration: 'duration', elapsed: 'duration',
  who: 'who', your_name: 'who', incident_commander: 'who', commander: 'who', ic: 'who', operator: 'who', author: 'who', on_call: 'who', oncall: 'who',
};

function placeholderValues(facts: TemplateFacts, elapsed: string) {
  return {
    service: facts.service ?? null,
    namespace: facts.namespace ?? null,
    version: facts.failedVersion ?? null,
    previous: facts.targetVersion ?? null,
    severity: facts.severity ?? null,
    now: utc(facts.now),
    started: utc(facts.startedAt),
    duration: elapsed,
    who: `@${facts.who}`,
  };
}

// `{{ service }}`, `{service}`, `<service>`, `[SERVICE]`, `${SERVICE}`, `$SERVICE`: a name of up to four words.
export const PLACEHOLDER = /\{\{\s*([A-Za-z][\w -]{0,40}?)\s*\}\}|\{([A-Za-z][\w -]{0,40}?)\}|<([A-Za-z][\w -]{0,40}?)>|\[([A-Za-z][\w -]{0,40}?)\]|\$\{([A-Za-z_]\w*)\}|\$([A-Za-z_]\w*)/g;

/** Fills the placeholders the session knows a value for; the others stay for the operator to fill. */
function fillPlaceholders(line: string, values: ReturnType<typeof placeholderValues>): string {
  return line.replace(PLACEHOLDER, (whole, ...names: Array<string | undefined>) => {
    const name = names.slice(0, 6).find(n => n !== undefined)!;
    const word = name.trim().toLowerCase().replace(/[\s-]+/g, '_');
    const key = Object.hasOwn(PLACEHOLDERS, word) ? PLACEHOLDERS[word] : undefined;
    const value = key ? values[key] : null;
    return value ?? whole;
  });
}

/** A revision of the workload as the ROLLOUT pane has it: its image's tag. */
export interface HistoryEntry {
  tag: string;
  current: boolean;
  revision?: number;
}

/** What the session knows for a message: the service, and the versions from the workload's rollout history. */
export function sessionFacts(runbook: Pick<Runbook, 'title' | 'targets' | 'rollback'>, answers: Readonly<Record<string, string | undefined>>, events: readonly SessionEvent[], history?: readonly HistoryEntry[]): Pick<TemplateFacts, 'service' | 'namespace' | 'failedVersion' | 'targetVersion'> {
  const rolledBack = firstRollback(events, runbook.rollback?.stepIds ?? []) !== null;
  const versions = history ? versionsFromHistory(history, {rolledBack}) : null;
  return {...serviceOf(runbook, answers), ...(versions ? {failedVersion: versions.failed, targetVersion: versions.target} : {})};
}

/** The service a message is about: the runbook's primary workload (its name filled from the session), else its title. */
export function serviceOf(runbook: Pick<Runbook, 'title' | 'targets'>, answers: Readonly<Record<string, string | undefined>>): {service: string; namespace: string | null} {
  const primary = runbook.targets?.primary;
  const workload = primary?.workload ? resolveName(primary.workload.name, answers) : null;
  const namespaceName = primary?.workload?.namespace ?? primary?.namespace ?? null;
  return {service: workload ?? runbook.title, namespace: namespaceName ? resolveName(namespaceName, answers) : null};
}

/** Keeps a filled message beside the session, for terminals without clipboard access. */
export function saveFilledTemplate(dir: string, name: string, text: string): string {
  // Like everything in the state directory, only the operator's (a filled message names hosts, people, tickets).
  mkdirSync(dir, {recursive: true, mode: 0o700});
  const file = join(dir, `${name.replace(/[^\w.-]+/g, '-')}.txt`);
  writeFileSync(file, `${text}\n`, {mode: 0o600});
  return file;
}

/**
 * From the rollout history (the image tags of the workload's revisions): the release that failed and the one rolled
 * back to (or to roll back to). Revision numbers cannot tell (an undo raises the old release to the newest revision),
 * versions can: with version tags the failed release is the highest version; the target is the one running now, or
 * the next lower version while the bad one still runs. Tags that are not versions (a commit sha, a date) are ordered
 * by revision, and whether the session has rolled back says which of the two newest failed.
 */
export function versionsFromHistory(
  history: readonly HistoryEntry[],
  options: {rolledBack?: boolean} = {},
): {failed: string | null; target: string | null} {
  const parse = (tag: string) => /^v?(\d+)\.(\d+)\.(\d+)/.exec(tag)?.slice(1).map(Number) ?? null;
  const tags = [...new Set(history.map(h => h.tag))];
  if (tags.length && tags.every(t => parse(t))) {
    const compare = (a: string, b: string) => {
      const [x, y] = [parse(a)!, parse(b)!];
      for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
      return 0;
    };
    const sorted = [...tags].sort(compare).reverse();
    const failed = sorted[0] ?? null;
    const current = history.find(h => h.current)?.tag ?? null;
    const target = current && current !== failed ? current : (sorted[1] ?? null);
    return {failed, target};
  }
  const byRevision = [...history].sort((a, b) => (b.revision ?? 0) - (a.revision ?? 0)).map(h => h.tag).filter((t, i, all) => all.indexOf(t) === i);
  const [newest = null, previous = null] = byRevision;
  return options.rolledBack ? {failed: previous, target: newest} : {failed: newest, target: previous};
}
