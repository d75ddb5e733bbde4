// The release on GitHub from the keyboard, in a rehearsal: open the PR, merge it, follow the CI/CD run, approve the
// production deployment, and watch the pods roll out the new release.
import {join} from 'node:path';
import {afterEach, describe, expect} from 'vitest';
import {itNeeds} from '../helpers/requirements.js';
import {pushReleaseBranch} from '../helpers/sandbox-git.js';
import {sleep, Terminal, tempDir} from '../helpers/tui.js';

afterEach(() => Terminal.stopAll());

describe('the release pipeline in the TUI', () => {
  // Step 1 (the release branch) is pushed with git from the rehearsal's workspace, as the operator would.
  itNeeds(['git'])('opens and merges the release PR natively, then approves production from the keyboard', async () => {
    const home = tempDir('release');
    const t = new Terminal(['rehearse', '--speed', '12', '--state-dir', join(home, 'state')], {
      size: '150x45',
      env: {HOME: home},
      unset: ['KUBECONFIG', 'GH_TOKEN', 'GITHUB_TOKEN', 'GH_ENTERPRISE_TOKEN', 'GITHUB_REPOSITORY', 'GITHUB_API_URL'],
    });
    await t.wait('REHEARSAL · sandbox \\(default\\)', 30);
    await t.wait('PIPELINE CI/CD Full Cycle', 30);
    await pushReleaseBranch(join(home, 'state'), home);
    t.keys('/');
    t.type('Pull Request to Main');
    t.keys('Enter');
    await t.wait('m opens the release PR via the API');
    t.keys('m');
    await t.wait('✓ Opened #[0-9]+');
    t.keys('n', 'n');
    await t.wait('m squash-merges via the API');
    // The sandbox's colleague approves the PR three seconds after it opens; merging before that is refused (405),
    // as GitHub would, and the operator tries again.
    for (let i = 0; i < 4; i++) {
      t.keys('m');
      try {
        await t.wait('(✓ Squashed and merged #[0-9]+|cannot be merged yet)', 20);
      } catch {
        continue;
      }
      if (/✓ Squashed and merged/.test(t.screen())) break;
      await sleep(2000);
    }
    await t.wait('✓ Squashed and merged');
    await t.wait('⏸ waiting for approval: production', 60);
    t.keys('A');
    await t.wait('a approve · r reject');
    t.keys('a');
    await t.wait('[Cc]omment');
    t.type('Rehearsal: all checks green');
    t.keys('Enter');
    let screen = await t.wait('ROLLOUT overlord · rev 2 · v1.2.0', 60);
    // The dialog says what its approval did until the run stops waiting; the operator closes it to see the pipeline.
    if (screen.includes('⏎/Esc close')) {
      t.keys('Escape');
      await t.gone('⏎/Esc close');
      screen = t.screen();
    }
    expect(screen).toMatch(/PIPELINE CI\/CD Full Cycle · #\d+/);
  });
});
