// R, I and the failed-step hint all go where the runbook's one rollback path is (rollback-finder.ts), whatever the
// runbook calls it: "Roll back", "Reverting a release", "Backout plan", the guide's "Rollback Procedures".
import {readFileSync} from 'node:fs';
import {cleanup} from 'ink-testing-library';
import {afterEach, describe, expect, it} from 'vitest';
import {SHIPPED_GUIDE} from '../helpers/paths.js';
import {KEYS, mountSession} from './harness.js';

afterEach(() => cleanup());

const fixture = (name: string) => readFileSync(new URL(`../fixtures/runbooks/${name}.md`, import.meta.url), 'utf8');

const withBackout = `# Web release

## Deploy

\`\`\`bash
echo deploying
exit 3
\`\`\`

## Backout plan

\`\`\`bash
kubectl rollout undo deployment/web -n web
\`\`\`
`;

const withoutRollback = `# Web scale-up

## Scale

\`\`\`bash
echo scaling
exit 3
\`\`\`

## Check

- [ ] Pods are Ready
`;

describe('R', () => {
  it('opens the rollback section, as the runbook names it', async () => {
    const payments = mountSession(fixture('payments-api-release'));
    await payments.press('R');
    await payments.waitFor(/Roll back\s+\d+\/\d+ · not started/);

    const ledger = mountSession(fixture('ledger-db-statefulset'));
    await ledger.press('R');
    await ledger.waitFor(/Reverting a release\s+\d+\/\d+ · not started/);
  });

  it('opens the guide’s first rollback step that runs something, as before', async () => {
    const guide = mountSession(readFileSync(SHIPPED_GUIDE, 'utf8'));
    await guide.press('R');
    await guide.waitFor(/Automated Rollback\s+\d+\/\d+ · not started/);
  });

  it('says so when the runbook has no rollback path', async () => {
    const s = mountSession(withoutRollback);
    await s.press('R');
    await s.waitFor(/This runbook has no rollback section/);
  });
});

describe('a failed step', () => {
  it('offers R when the runbook has a rollback path under any name, and not otherwise', async () => {
    const backout = mountSession(withBackout);
    await backout.press(KEYS.enter);
    await backout.waitFor(/✗ Failed — Enter retry · s skip · R rollback procedures · I declare an incident/);

    const none = mountSession(withoutRollback);
    await none.press(KEYS.enter);
    const frame = await none.waitFor(/✗ Failed — Enter retry · s skip/);
    expect(frame).not.toMatch(/R rollback procedures/);
  });

  it('I declares an incident on the runbook’s own severity scale and opens its rollback path', async () => {
    const s = mountSession(fixture('orders-api-incident'));
    await s.press('I');
    await s.waitFor(/Declare an incident: severity SEV1 \(orders cannot be placed\)/);
    await s.type('2');
    await s.press(KEYS.enter);
    await s.waitFor(/Revert the release\s+\d+\/\d+ · not started/);
    // Declared on a step not yet started: the record says so, not "from a failed step".
    expect(s.controller.session.notes.map(n => n.text)).toEqual([expect.stringMatching(/^Incident declared: SEV2 \(from a step not started: .+\)$/)]);
  });
});
