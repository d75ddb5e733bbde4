import {cleanup} from 'ink-testing-library';
import {afterEach, describe, expect, it} from 'vitest';
import {KEYS, mountSession, tick} from './harness.js';

afterEach(() => cleanup());

const runbook = `# Drill

## One

Read.

## Two

Read.

## Three

Read.
`;

describe('entering a step', () => {
  it('is recorded by going there, not by drawing the screen', async () => {
    const s = mountSession(runbook);
    await tick(50);
    // Mounting the screen carries out no work: the first step is recorded where the session opens.
    expect(s.controller.session.currentStepId).toBeNull();
    await s.press('n');
    await s.waitFor(/Two\s+2\/3/);
    expect(s.controller.session.currentStepId).toBe('drill/two');
    await s.press('G');
    await s.waitFor(/Three\s+3\/3/);
    expect(s.controller.session.currentStepId).toBe('drill/three');
    await s.press(KEYS.left);
    await s.waitFor(/Two\s+2\/3/);
    expect(s.controller.session.currentStepId).toBe('drill/two');
    // Past the last step is the last step.
    await s.press('n', 'n', 'n');
    await s.waitFor(/Three\s+3\/3/);
    expect(s.controller.session.currentStepId).toBe('drill/three');
  });
});
