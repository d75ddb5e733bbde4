// What a test needs from the machine beyond Node and npm. A test that needs a missing tool is
// reported as skipped with the reason in its name (never silently passed); with
// RUNBOOK_TESTS_STRICT=1, which .ci/run sets, it fails instead, so CI always runs the whole suite.
import {accessSync, constants} from 'node:fs';
import {delimiter, join} from 'node:path';
import {describe, it} from 'vitest';

export type Requirement = 'kubectl' | 'root' | 'git' | 'gh';

/** What each requirement gates and how to get it: printed by the setup step and used in skip reasons. */
export const REQUIREMENTS: Record<Requirement, {probe: () => boolean; missing: string; install: string}> = {
  kubectl: {probe: () => onPath('kubectl'), missing: 'kubectl not found', install: 'install kubectl to run them'},
  root: {
    probe: () => process.getuid?.() === 0 && onPath('mount'),
    missing: 'not root (a tmpfs mount is needed)',
    install: 'run the suite as root to run them',
  },
  git: {probe: () => onPath('git'), missing: 'git not found', install: 'install git to run them'},
  gh: {probe: () => onPath('gh'), missing: 'gh not found', install: 'install gh (apt-get install gh) to run them'},
};

export const STRICT = process.env.RUNBOOK_TESTS_STRICT === '1';

export function onPath(command: string): boolean {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    try {
      accessSync(join(dir, command), constants.X_OK);
      return true;
    } catch {}
  }
  return false;
}

const cache = new Map<Requirement, boolean>();
export const has = (need: Requirement) => {
  if (!cache.has(need)) cache.set(need, REQUIREMENTS[need].probe());
  return cache.get(need)!;
};

/** The tag a skipped test carries in its name; the skip reporter counts tests by it. */
export const skipTag = (need: Requirement) => `[skipped: ${REQUIREMENTS[need].missing}]`;

const unmet = (needs: Requirement[]) => needs.filter(need => !has(need));

const strictFailure = (missing: Requirement[]) =>
  new Error(`${missing.map(n => REQUIREMENTS[n].missing).join(', ')}; RUNBOOK_TESTS_STRICT=1 forbids skipping: ${missing.map(n => REQUIREMENTS[n].install).join(', ')}`);

/** `describe` for a group that needs tools: skipped with the reason, or failed under RUNBOOK_TESTS_STRICT. */
export function describeNeeds(needs: Requirement[]) {
  return (name: string, body: () => void) => {
    const missing = unmet(needs);
    if (missing.length === 0) return describe(name, body);
    if (STRICT) return describe(name, () => it(`needs ${missing.join(', ')}`, () => { throw strictFailure(missing); }));
    return describe.skip(`${name} ${missing.map(skipTag).join(' ')}`, body);
  };
}

/** `it` for one test that needs tools: skipped with the reason, or failed under RUNBOOK_TESTS_STRICT. */
export function itNeeds(needs: Requirement[]) {
  return (name: string, body: () => unknown, timeout?: number) => {
    const missing = unmet(needs);
    if (missing.length === 0) return it(name, body, timeout);
    if (STRICT) return it(name, () => { throw strictFailure(missing); });
    return it.skip(`${name} ${missing.map(skipTag).join(' ')}`, body, timeout);
  };
}
