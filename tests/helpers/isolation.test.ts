// The environment every test runs in (tests/helpers/isolate.ts): none of the developer's tokens, kubeconfig or
// configuration, and a HOME that is the run's own empty directory, for the tests and for what they spawn.
import {execFileSync} from 'node:child_process';
import {existsSync, realpathSync} from 'node:fs';
import {homedir, tmpdir, userInfo} from 'node:os';
import {join} from 'node:path';
import {describe, expect, inject, it} from 'vitest';
import {resolveToken} from '../../source/github/client.js';
import {createKubeClient} from '../../source/kube/client.js';
import {connectGitHub} from '../../source/ui/pipeline/github-target.js';

const CREDENTIALS = [
  'GH_TOKEN', 'GITHUB_TOKEN', 'GH_ENTERPRISE_TOKEN', 'GITHUB_ENTERPRISE_TOKEN', 'GH_HOST', 'GITHUB_API_URL', 'GITHUB_REPOSITORY',
  'GH_CONFIG_DIR', 'KUBECONFIG', 'RUNBOOK_STATE_DIR', 'XDG_CONFIG_HOME', 'XDG_STATE_HOME', 'SSH_AUTH_SOCK', 'npm_config_userconfig',
];

describe('the test environment', () => {
  it('has no tokens, kubeconfig or app settings from the developer', () => {
    for (const name of CREDENTIALS) expect(process.env[name], name).toBeUndefined();
    const leaked = Object.keys(process.env).filter(name => /^(GH_|GITHUB_|KUBE|SANDBOX_)/.test(name) || (name.startsWith('RUNBOOK_') && name !== 'RUNBOOK_TESTS_STRICT'));
    expect(leaked).toEqual([]);
  });

  it('has the run’s own empty HOME, not the user’s', () => {
    const home = inject('runbookTestHome');
    expect(process.env.HOME).toBe(home);
    expect(homedir()).toBe(home);
    expect(realpathSync(home).startsWith(realpathSync(tmpdir()))).toBe(true);
    expect(home).not.toBe(userInfo().homedir);
    for (const file of ['.kube/config', '.config/gh', '.gitconfig', '.npmrc', '.netrc']) expect(existsSync(join(home, file)), file).toBe(false);
  });

  it('is what spawned programs see too', () => {
    const seen = execFileSync('sh', ['-c', 'printf "%s|%s|%s" "$HOME" "${GH_TOKEN-unset}" "${KUBECONFIG-unset}"'], {encoding: 'utf8'});
    expect(seen).toBe(`${inject('runbookTestHome')}|unset|unset`);
  });

  it('gives the app no GitHub token (not even from `gh auth token`) and no kubeconfig', async () => {
    await expect(resolveToken(process.env, 'github.com')).rejects.toMatchObject({kind: 'no-token'});
    // What the session screen's pipeline pane does on mount: no token, so no GitHub and no request.
    expect(await connectGitHub({})).toEqual({state: 'none'});
    expect(await createKubeClient({env: process.env})).toBeNull();
  });
});
