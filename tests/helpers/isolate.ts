// Runs in every test worker before any test file (vitest.config.ts `setupFiles`): takes the developer's
// credentials and configuration out of reach, so no test (nor the app under test, nor anything it spawns) can find
// a GitHub token, a kubeconfig, a gh or git login, or talk to a real cluster or GitHub by accident.
// HOME is an empty directory made once per run by the global setup and removed after it, so `gh auth token`,
// ~/.kube/config, ~/.gitconfig and ~/.npmrc are never the developer's.
import {inject} from 'vitest';

/** Whole names removed from the environment. */
export const REMOVED = [
  'KUBECONFIG',
  'RUNBOOK_STATE_DIR',
  'GH_CONFIG_DIR',
  'XDG_CONFIG_HOME',
  'XDG_STATE_HOME',
  'XDG_DATA_HOME',
  'XDG_CACHE_HOME',
  'SSH_AUTH_SOCK',
  'NPM_TOKEN',
  'NODE_AUTH_TOKEN',
  // npm passes these to scripts it runs: a test that runs npm must not read the developer's ~/.npmrc (auth tokens).
  'npm_config_userconfig',
  'npm_config_cache',
];

/**
 * Prefixes removed: GitHub and gh (GH_TOKEN, GITHUB_TOKEN, GH_ENTERPRISE_TOKEN, GITHUB_ENTERPRISE_TOKEN, GH_HOST,
 * GITHUB_API_URL, GITHUB_REPOSITORY, …), git (GIT_DIR from a hook would point a test's git at this repository),
 * kubectl (KUBECONFIG, KUBE_*), the sandbox's env file (SANDBOX_*), and the app's own settings (RUNBOOK_*).
 */
export const REMOVED_PREFIXES = ['GH_', 'GITHUB_', 'GIT_', 'KUBE', 'SANDBOX_', 'RUNBOOK_'];

/** What the test suite itself reads, kept although it matches a prefix above. */
const KEPT = new Set(['RUNBOOK_TESTS_STRICT']);

export const isRemoved = (name: string) =>
  !KEPT.has(name) && (REMOVED.includes(name) || REMOVED_PREFIXES.some(prefix => name.startsWith(prefix)));

for (const name of Object.keys(process.env)) if (isRemoved(name)) delete process.env[name];

const home = inject('runbookTestHome');
if (!home) throw new Error('tests/helpers/isolate.ts needs the run\'s empty HOME from tests/helpers/global-setup.ts (globalSetup in vitest.config.ts)');
process.env.HOME = home;
// An npm run from a test must not check the registry for a newer npm (a fresh HOME has no record of the last check).
process.env.npm_config_update_notifier = 'false';
// No git identity in the empty HOME: a test that commits gets this one rather than failing or using the developer's.
process.env.GIT_AUTHOR_NAME = process.env.GIT_COMMITTER_NAME = 'Runbook Tests';
process.env.GIT_AUTHOR_EMAIL = process.env.GIT_COMMITTER_EMAIL = 'tests@runbook.invalid';
// Nor the machine's git configuration (credential helpers, url rewrites).
process.env.GIT_CONFIG_NOSYSTEM = '1';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The empty directory every test worker uses as HOME, made by the global setup. */
    runbookTestHome: string;
  }
}
