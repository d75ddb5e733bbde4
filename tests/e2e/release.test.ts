// The release on GitHub from the keyboard, in a rehearsal: open the PR, merge it, follow the CI/CD run, approve the
// production deployment, and watch the pods roll out the new release.
import {execFileSync} from 'node:child_process';
import {mkdtempSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {Terminal} from '../helpers/tui.js';

let term: Terminal | null = null;
afterEach(() => term?.stop());

describe('the release pipeline in the TUI', () => {
  it('opens and merges the release PR natively, then approves production from the keyboard', () => {
    const home = mkdtempSync(join(tmpdir(), 'runbook-release-'));
    term = new Terminal(['rehearse', '--speed', '12', '--state-dir', join(home, 'state')], {
      size: '150x45',
      env: {HOME: home},
      unset: ['KUBECONFIG', 'GH_TOKEN', 'GITHUB_TOKEN', 'GH_ENTERPRISE_TOKEN', 'GITHUB_REPOSITORY', 'GITHUB_API_URL'],
    });
    const t = term;
    t.wait('REHEARSAL · sandbox \\(default\\)', 30);
    t.wait('PIPELINE CI/CD Full Cycle', 30);
    t.keys('/');
    t.type('Pull Request to Main');
    t.keys('Enter');
    t.wait('m opens the release PR via the API');
    t.keys('m');
    t.wait('✓ Opened #[0-9]+');
    t.keys('n', 'n');
    t.wait('m squash-merges via the API');
    // The sandbox's colleague approves the PR three seconds after it opens; merging before that is refused (405),
    // as GitHub would, and the operator tries again.
    for (let i = 0; i < 4; i++) {
      t.keys('m');
      try {
        t.wait('(✓ Squashed and merged #[0-9]+|cannot be merged yet)', 20);
      } catch {
        continue;
      }
      if (/✓ Squashed and merged/.test(t.screen())) break;
      execFileSync('sleep', ['2']);
    }
    t.wait('✓ Squashed and merged');
    t.wait('⏸ waiting for approval: production', 60);
    t.keys('A');
    t.wait('a approve · r reject');
    t.keys('a');
    t.wait('[Cc]omment');
    t.type('Rehearsal: all checks green');
    t.keys('Enter');
    const screen = t.wait('ROLLOUT overlord · rev 2 · v1.2.0', 60);
    expect(screen).toMatch(/PIPELINE CI\/CD Full Cycle · #\d+/);
  });
});
