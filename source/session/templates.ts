// The guide's communication templates filled from what the session knows (versions, times, who), so the message
// sent at 3 a.m. says what actually happened, not the example's "v1.2.0 … 8 minutes".

import {mkdirSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';

export interface TemplateFacts {
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
  const rules: Array<[RegExp, (m: RegExpMatchArray) => string | null]> = [
    [/^(Version:\s*)v[\w.-]+(.*)$/, m => (facts.failedVersion ? `${m[1]}${facts.failedVersion}${m[2]}` : null)],
    [/^(Rolled back to:\s*)v[\w.-]+(.*)$/, m => (facts.targetVersion ? `${m[1]}${facts.targetVersion}${m[2]}` : null)],
    [/^(Target:\s*)v[\w.-]+(.*)$/, m => (facts.targetVersion ? `${m[1]}${facts.targetVersion}${m[2]}` : null)],
    [/^(Duration:\s*)~?\d+\s*minutes?(.*)$/, m => `${m[1]}${elapsed}${m[2]}`],
    [/^(Completed:\s*).*$/, m => `${m[1]}${utc(facts.now)}`],
    [/^(Incident Commander:\s*).*$/, m => `${m[1]}@${facts.who}`],
    [/^(• Incident:\s*)P\d( declared.*)$/, m => (facts.severity ? `${m[1]}${facts.severity}${m[2]}` : null)],
  ];
  return text
    .split('\n')
    .map(line => {
      for (const [pattern, fill] of rules) {
        const m = pattern.exec(line);
        if (m) return fill(m) ?? line;
      }
      return line;
    })
    .join('\n');
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
 * From the rollout history: the release that failed and the one rolled back to (or to roll back to). Revision
 * numbers cannot tell (an undo raises the old release to the newest revision), versions can: the failed release is
 * the highest version; the target is the one running now, or the next lower version while the bad one still runs.
 */
export function versionsFromHistory(history: ReadonlyArray<{tag: string; current: boolean}>): {failed: string | null; target: string | null} {
  const parse = (tag: string) => (/^v?(\d+)\.(\d+)\.(\d+)/.exec(tag) ?? []).slice(1).map(Number);
  const compare = (a: string, b: string) => {
    const [x, y] = [parse(a), parse(b)];
    for (let i = 0; i < 3; i++) if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) - (y[i] ?? 0);
    return 0;
  };
  const tags = [...new Set(history.map(h => h.tag))].sort(compare).reverse();
  const failed = tags[0] ?? null;
  const current = history.find(h => h.current)?.tag ?? null;
  const target = current && current !== failed ? current : (tags[1] ?? null);
  return {failed, target};
}
