// Each command of a block has its own outcome, in the real binary in a real terminal: a search that finds nothing in
// the middle of a block lets the rest run, and what did not run after a failure is counted in commands, not lines.
import {writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {Terminal, tempDir} from '../helpers/tui.js';

afterEach(() => Terminal.stopAll());

const RUNBOOK = `# Outcomes

Blocks of several commands.

## Check the logs

\`\`\`bash
echo first-ran
printf 'all good\\nstill good\\n' | grep -i error
echo smoke-tests-ran
\`\`\`

## Deploy

\`\`\`bash
echo one-ran
if true; then
  echo two-started
  false
fi
echo "out-$((1 + 2))" \\
  three
echo "out-$((2 + 2))" four
\`\`\`
`;

async function open(size = '120x40') {
  const dir = tempDir('outcomes');
  const file = join(dir, 'outcomes.md');
  writeFileSync(file, RUNBOOK);
  const term = new Terminal([file, '--state-dir', join(dir, 'state')], {size, cwd: dir});
  await term.wait('Check the logs');
  return term;
}

describe('the commands of a block', () => {
  it('go on after a search that finds nothing, and the step is done', async () => {
    const t = await open();
    t.keys('n');
    await t.wait('Check the logs  [0-9]+/[0-9]+ · not started');
    t.keys('Enter');
    const screen = await t.wait('✓ exit 0');
    expect(screen).toContain('smoke-tests-ran');
    expect(screen).toMatch(/✓ no matches {2}printf 'all good/);
    expect(screen).toMatch(/✓ echo smoke-tests-ran/);
    await t.wait('Check the logs  [0-9]+/[0-9]+ · done');
  });

  it('count what did not run after a failure in commands, a command of several lines being one', async () => {
    const t = await open();
    t.keys('n', 'n');
    await t.wait('Deploy  [0-9]+/[0-9]+ · not started');
    t.keys('Enter');
    const screen = await t.wait('2 commands did not run');
    expect(screen).toContain('✗ exit 1 · command 2 of 4');
    expect(screen).toMatch(/✗ if true; then …/);
    expect(screen).toContain('· not run  echo "out-$((1 + 2))" three');
    expect(screen).toContain('· not run  echo "out-$((2 + 2))" four');
    expect(screen).toContain('two-started');
    // The source shows `out-$((…))`; only running them would print these.
    expect(screen).not.toContain('out-3');
    expect(screen).not.toContain('out-4');
  });
});
