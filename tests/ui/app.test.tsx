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
    expect(s.frame()).toMatch(/Read me\s+not started/);
    await s.press('n');
    await s.waitFor(/Drill › Echo|Echo\s+not started/);
    expect(s.controller.session.marks['drill/read-me']?.status).toBe('done');
    await s.press(KEYS.left);
    await s.waitFor(/Read me\s+done/);
  });
});
