// What a test needs from the machine beyond Node and npm. A test that needs a missing tool is
// reported as skipped with the reason in its name (never silently passed); with
// RUNBOOK_TESTS_STRICT=1, which .ci/run sets, it fails instead, so CI always runs the whole suite.
import {describe, it} from 'vitest';
import {has, REQUIREMENTS, type Requirement, skipTag, STRICT} from './needs.js';

export {has, onPath, REQUIREMENTS, type Requirement, skipTag, STRICT} from './needs.js';

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
