// `npm start` on a machine with nothing configured: the guide, rehearsed against the built-in sandbox.
import {join} from 'node:path';
import {afterEach, describe, expect} from 'vitest';
import {itNeeds} from '../helpers/requirements.js';
import {Terminal, tempDir} from '../helpers/tui.js';

afterEach(() => Terminal.stopAll());

describe('the first run', () => {
  // The guide's own block runs the real kubectl against the sandbox.
  itNeeds(['kubectl'])('opens the guide labelled REHEARSAL, and the guide’s kubectl commands reach the sandbox', async () => {
    const home = tempDir('home');
    const t = new Terminal(['--state-dir', join(home, 'state')], {
      size: '120x40',
      env: {HOME: home},
      unset: ['KUBECONFIG', 'GH_TOKEN', 'GITHUB_TOKEN', 'GH_ENTERPRISE_TOKEN'],
    });
    await t.wait('REHEARSAL · (sandbox \\(default\\) · )?ctx sandbox · ns overlord-production', 30);
    t.keys('/');
    t.type('Check Pods');
    t.keys('Enter');
    await t.wait('Check Pods Status  17/51');
    t.keys('Enter');
    const prompt = await t.wait('Enter keeps: .*sandbox/cluster/kubeconfig');
    expect(prompt).toContain('/path/to/kubeconfig-production.yaml');
    t.keys('Enter');
    await t.wait('overlord-[a-z0-9]+-[a-z0-9]+ +1/1 +Running', 30);
    await t.wait('✓ exit 0');
    t.keys('q');
    await t.wait('Production Deployment Guide — ');
  });
});
