// The guide's Step 1 done by hand in a rehearsal's workspace — the clone of the sandbox repository every block runs
// in — for whole-program tests that start at Step 2: the release branch exists on the sandbox GitHub once pushed.
import {existsSync, readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {execa} from 'execa';
import {waitFor} from './wait.js';

/** `<state>/sandbox/workspace`: where a rehearsal started with `--state-dir <state>` runs its blocks. */
export const rehearsalWorkspace = (stateDir: string) => join(stateDir, 'sandbox', 'workspace');

/** Branches `release/<version>` from origin/develop, bumps pyproject.toml, commits and pushes; resolves with the sha. */
export async function pushReleaseBranch(stateDir: string, home: string, version = 'v1.2.0'): Promise<string> {
  const workspace = rehearsalWorkspace(stateDir);
  await waitFor(() => existsSync(join(workspace, '.git')), 30_000, 'the rehearsal workspace clone');
  const git = async (...args: string[]) => {
    const r = await execa('git', args, {cwd: workspace, reject: false, env: {HOME: home, GIT_CONFIG_NOSYSTEM: '1', GIT_TERMINAL_PROMPT: '0'}});
    if (r.exitCode !== 0) throw new Error(`git ${args.join(' ')}: ${String(r.stderr)}`);
    return String(r.stdout).trim();
  };
  await git('checkout', '-q', '-b', `release/${version}`, 'origin/develop');
  const pyproject = join(workspace, 'pyproject.toml');
  writeFileSync(pyproject, readFileSync(pyproject, 'utf8').replace(/^version = ".*"$/m, `version = "${version.slice(1)}"`));
  await git('commit', '-qam', `chore: Bump version to ${version.slice(1)}`);
  await git('push', '-q', 'origin', `release/${version}`);
  return git('rev-parse', 'HEAD');
}
