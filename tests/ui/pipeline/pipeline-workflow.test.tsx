// The PIPELINE pane follows the runbook's workflow on the repository's default branch, or, when the runbook names
// none, the newest run of any workflow there, labelled so. Against the sandbox GitHub.
import {Box} from 'ink';
import {cleanup, render} from 'ink-testing-library';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {dispatchRollback} from '../../../source/github/release.js';
import {PipelinePane} from '../../../source/ui/pipeline/pipeline-pane.js';
import {usePipeline} from '../../../source/ui/pipeline/use-pipeline.js';
import {startWorld, type TestWorld} from '../../github/helpers.js';
import {lines, plain} from './fixtures.js';

let w: TestWorld;
let env: Record<string, string>;
beforeAll(async () => {
  w = await startWorld({speed: 40});
  env = {GITHUB_API_URL: w.gh.url, GITHUB_TOKEN: w.gh.token, GITHUB_REPOSITORY: w.gh.repository};
});
afterAll(async () => {
  cleanup();
  await w?.close();
});

function Pane({workflow}: {workflow?: string}) {
  const snapshot = usePipeline({env, ...(workflow ? {workflow} : {}), pollMs: 100});
  return <PipelinePane snapshot={snapshot} width={70} height={4} />;
}

describe('the pipeline pane follows the runbook’s workflow', () => {
  it('rollback.yml, none, or the CI workflow: each the newest of its kind on the default branch', async () => {
    const app = render(
      <Box flexDirection="column">
        <Pane workflow="rollback.yml" />
        <Pane />
        <Pane workflow="ci-cd-full-cycle.yml" />
      </Box>,
    );
    const frame = () => lines(plain(app.lastFrame() ?? ''));
    const waitFor = async (probe: (l: string[]) => boolean, what: string) => {
      const end = Date.now() + 15_000;
      while (Date.now() < end) {
        if (probe(frame())) return frame();
        await new Promise(r => setTimeout(r, 25));
      }
      throw new Error(`timed out waiting for ${what}; last frame:\n${frame().join('\n')}`);
    };
    const titles = (l: string[]) => [l[0], l[4], l[8]].map(t => (t ?? '').replace(/\s{2,}.*$/, ''));

    // Before any rollback: no rollback.yml run on main yet; the newest of any workflow is the CI push.
    let l = await waitFor(x => /looking for the newest run of rollback\.yml on main/.test(x.join('\n')) && /CI\/CD Full Cycle/.test(x[4] ?? '') && /CI\/CD Full Cycle/.test(x[8] ?? ''), 'the first look');
    expect(titles(l)).toEqual(['PIPELINE · latest on main', expect.stringMatching(/^PIPELINE CI\/CD Full Cycle · #\d+ · latest on main$/), expect.stringMatching(/^PIPELINE CI\/CD Full Cycle · #\d+ · latest on main$/)]);

    // The runbook's rollback is dispatched on main: the rollback pane and the any-workflow pane show it; CI's stays.
    await dispatchRollback(await w.target(), {environment: 'production', targetVersion: 'v1.1.0', intervalMs: 100, timeoutMs: 15_000});
    l = await waitFor(x => /^PIPELINE Rollback/.test(x[0] ?? '') && /^PIPELINE Rollback/.test(x[4] ?? ''), 'the rollback run');
    expect(titles(l)).toEqual([
      expect.stringMatching(/^PIPELINE Rollback · #\d+ · latest on main$/),
      expect.stringMatching(/^PIPELINE Rollback · #\d+ · latest on main$/),
      expect.stringMatching(/^PIPELINE CI\/CD Full Cycle · #\d+ · latest on main$/),
    ]);
    // The default branch came from the repository, not from a name written in the code.
    expect(w.gh.requests.some(r => r.method === 'GET' && /\/repos\/[^/]+\/[^/]+$/.test(r.path))).toBe(true);
    app.unmount();
  });
});
