import {afterEach, describe, expect, it} from 'vitest';
import {cleanup} from 'ink-testing-library';
import {KEYS, mountSession, tick} from './harness.js';

afterEach(() => cleanup());

const runbook = `# Drill

## Read me

Nothing to run here.

## Echo

\`\`\`bash
echo hello-from-block
\`\`\`

- [ ] Saw the greeting
- [ ] Told the team

## Fail

\`\`\`bash
echo about to fail
exit 3
\`\`\`

## Rollback

\`\`\`bash
kubectl rollout undo deployment/api -n prod
\`\`\`
`;

describe('the session screen', () => {
  it('moves between steps and marks a read-only step done when leaving it', async () => {
    const s = mountSession(runbook);
    await tick(50);
    expect(s.frame()).toMatch(/Read me\s+\d+\/\d+ · not started/);
    await s.press('n');
    await s.waitFor(/Echo\s+2\/4 · not started/);
    expect(s.controller.session.marks['drill/read-me']?.status).toBe('done');
    await s.press(KEYS.left);
    await s.waitFor(/Read me\s+\d+\/\d+ · done/);
  });
});

describe('the session screen, acting', () => {
  it('runs the focused block and shows its output with exit status', async () => {
    const s = mountSession(runbook);
    await s.press('n');
    await s.press(KEYS.enter);
    await s.waitFor(/✓ exit 0/);
    expect(s.frame()).toContain('hello-from-block');
    expect(s.frame()).toMatch(/Echo\s+\d+\/\d+ · in progress/);
  });

  it('ticks with Space and Enter, and a step with everything done is done', async () => {
    const s = mountSession(runbook);
    await s.press('n', KEYS.enter);
    await s.waitFor(/✓ exit 0/);
    await s.press(KEYS.down, ' ', KEYS.down, KEYS.enter);
    await s.waitFor(/\[x\] Told the team/);
    expect(s.frame()).toMatch(/\[x\] Saw the greeting/);
    expect(s.frame()).toMatch(/Echo\s+\d+\/\d+ · done/);
  });

  it('marks a failed step and says what to do next', async () => {
    const s = mountSession(runbook);
    await s.press('n', 'n', KEYS.enter);
    await s.waitFor(/✗ exit 3/);
    expect(s.frame()).toMatch(/Fail\s+\d+\/\d+ · failed/);
    expect(s.frame()).toMatch(/Enter retry · s skip · R rollback procedures/);
    await s.press('R');
    await s.waitFor(/DANGEROUS: rolls back deployment\/api — you will type the namespace "prod"/);
  });

  it('skips a step only with a reason', async () => {
    const s = mountSession(runbook);
    await s.press('n', 's');
    await s.waitFor(/Skip this step — why\?/);
    await s.press(KEYS.enter);
    await s.waitFor(/a reason is required/);
    await s.type('done by hand');
    await s.press(KEYS.enter);
    await s.waitFor(/Echo\s+\d+\/\d+ · skipped/);
    expect(s.controller.session.marks['drill/echo']).toEqual({status: 'skipped', reason: 'done by hand'});
  });

  it('shows every key behind ?', async () => {
    const s = mountSession(runbook);
    await s.press('?');
    await s.waitFor(/Keys/);
    for (const word of ['next step', 'cancel the running command', 'skip the step', 'search steps', 'quit']) expect(s.frame()).toContain(word);
    await s.press(KEYS.escape);
    await tick(100);
    expect(s.frame()).not.toContain('search steps by title');
  });

  it('shows the outline with each step’s state and checklist count', async () => {
    const s = mountSession(runbook, {outline: true});
    await s.press('n', 'n', KEYS.enter);
    await s.waitFor(/✗ exit 3/);
    expect(s.frame()).toMatch(/✓ Read me/);
    expect(s.frame()).toMatch(/○ Echo\s+0\/2/);
    expect(s.frame()).toMatch(/▸✗ Fail/);
  });

  it('finds a step with / search', async () => {
    const s = mountSession(runbook);
    await s.press('/');
    await s.type('rollb');
    await s.press(KEYS.enter);
    await s.waitFor(/Rollback\s+\d+\/\d+ · not started/);
  });
});

describe('a failed deploy step', () => {
  it('offers to declare an incident, which records it and goes to the rollback procedures', async () => {
    const s = mountSession(runbook);
    await s.press('n', 'n', KEYS.enter);
    await s.waitFor(/I declare an incident/);
    await s.press('I');
    await s.waitFor(/Declare an incident: severity/);
    await s.type('7');
    await s.press(KEYS.enter);
    await s.waitFor(/type the severity: P0, P1, P2 or P3/);
    await s.press(KEYS.backspace);
    await s.type('1');
    await s.press(KEYS.enter);
    await s.waitFor(/Rollback\s+\d+\/\d+ · not started/);
    expect(s.controller.session.notes.map(n => n.text)).toEqual([expect.stringMatching(/^Incident declared: P1 \(from a failed step: .+\)$/)]);
  });
});
