// One connection per external system in a whole session: the app mounted against the sandbox GitHub and
// cluster, with the panes watching, the pipeline polling, the native rollback dialog opened and a guide's `gh`
// step done natively with m — one Kubernetes client and one Octokit made in all, counted in their factories.
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {cleanup, render} from 'ink-testing-library';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {gitHubClientsMade} from '../../source/github/client.js';
import {kubeClientsMade} from '../../source/kube/client.js';
import {parseRunbook} from '../../source/runbook/index.js';
import {SessionController} from '../../source/session/controller.js';
import {MemorySessionStore} from '../../source/session/store.js';
import {App} from '../../source/ui/app.js';
import {initialViewState} from '../../source/ui/use-session-view-state.js';
import {startWorld, type TestWorld} from '../github/helpers.js';
import {KEYS, tick} from './harness.js';

let w: TestWorld;
let dir: string;
beforeAll(async () => {
  w = await startWorld({clusterScenario: 'default', clusterSpeed: 10, speed: 40});
  dir = mkdtempSync(join(tmpdir(), 'runbook-ui-clients-'));
});
afterAll(async () => {
  cleanup();
  await w?.close();
  if (dir) rmSync(dir, {recursive: true, force: true});
});

const runbook = `# Release drill

## Approve the release

\`\`\`bash
gh pr review --approve
gh pr checks
\`\`\`

## Roll back

\`\`\`bash
kubectl rollout undo deployment/overlord -n overlord-production
\`\`\`
`;

describe('a whole session', () => {
  it('makes one Kubernetes client and one Octokit, shared by the panes, the pipeline, the rollback dialog and m', async () => {
    const env = {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: dir,
      KUBECONFIG: w.cluster!.kubeconfigPath,
      GITHUB_API_URL: w.gh.url,
      GITHUB_TOKEN: w.gh.token,
      GITHUB_REPOSITORY: w.gh.repository,
    };
    const controller = new SessionController({
      runbook: parseRunbook(runbook, {path: 'drill.md'}),
      store: new MemorySessionStore('clients-session', join(dir, 'runs')),
      shell: {env, cwd: dir},
    });
    const kube = kubeClientsMade.count;
    const github = gitHubClientsMade.count;
    const app = render(
      <App
        controller={controller}
        target={() => ({mode: null, context: null, namespace: null, production: false})}
        initialView={initialViewState(0, false)}
        onView={() => {}}
        onQuit={() => {}}
      />,
    );
    const frame = () => app.lastFrame() ?? '';
    const waitFor = async (probe: () => boolean, what: string, ms = 15_000) => {
      const end = Date.now() + ms;
      while (!probe()) {
        if (Date.now() > end) throw new Error(`timed out waiting for ${what}; last frame:\n${frame()}`);
        await tick(25);
      }
    };
    const requests = (path: string) => w.gh.requests.filter(r => r.path.includes(path)).length;

    // The pipeline polls GitHub; m does the gh step natively (there is no release PR to approve: it says so).
    await waitFor(() => requests('/actions/runs') > 0, 'the pipeline polling');
    app.stdin.write('m');
    await waitFor(() => controller.session.runs.some(r => r.command.includes('native')), 'the native action recorded');
    await waitFor(() => /no open release pull request/.test(frame()), 'the native action’s outcome');

    // The panes watch the rollback step's namespace; u opens the native rollback, which reads the history.
    app.stdin.write('n');
    await waitFor(() => /overlord-[a-z0-9]+-[a-z0-9]+/.test(frame()), 'the pods in the panes');
    app.stdin.write('u');
    await waitFor(() => /rev(ision)?\s*\d/i.test(frame()) && /Esc/.test(frame()), 'the rollback dialog with its history');
    app.stdin.write(KEYS.escape);
    await tick(100);

    expect({kube: kubeClientsMade.count - kube, github: gitHubClientsMade.count - github}).toEqual({kube: 1, github: 1});
    app.unmount();
  });
});
