// The pipeline pane and the approval dialog against the sandbox GitHub (deploying to a sandbox
// cluster): the release merged through source/github/release.ts, the run for the merge commit
// followed to its approval, approved from the keyboard, and the deploy job running after it.
// SHOW_FRAMES=1 prints the frames at the refusal, the approval and the end.
import {Box} from 'ink';
import {cleanup, render} from 'ink-testing-library';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {ApprovalFlow} from '../../../source/ui/pipeline/approval-flow.js';
import type {PipelineSnapshot} from '../../../source/ui/pipeline/pipeline-snapshot.js';
import {PipelinePane} from '../../../source/ui/pipeline/pipeline-pane.js';
import type {ApprovalRecord} from '../../../source/ui/pipeline/use-approval.js';
import {usePipeline} from '../../../source/ui/pipeline/use-pipeline.js';
import {releaseToMerge, startWorld, type TestWorld} from '../../github/helpers.js';
import {lines, plain} from './fixtures.js';
import {itNeeds} from '../../helpers/requirements.js';

let w: TestWorld;
let env: Record<string, string>;
beforeAll(async () => {
  // speed 40: the jobs before the approval take about a second; the cluster rolls out in a few.
  w = await startWorld({clusterScenario: 'default', clusterSpeed: 10, speed: 40});
  env = {GITHUB_API_URL: w.gh.url, GITHUB_TOKEN: w.gh.token, GITHUB_REPOSITORY: w.gh.repository};
});
afterAll(async () => {
  cleanup();
  await w?.close();
});

function Screen({sha, approval, onRecord, as = env}: {sha?: string; approval: boolean; onRecord: (r: ApprovalRecord) => void; as?: Record<string, string>}) {
  const snapshot = usePipeline({env, sha, pollMs: 150});
  return (
    <Box flexDirection="column">
      <PipelinePane snapshot={snapshot} width={60} height={10} />
      {approval && snapshot.run ? <ApprovalFlow runId={snapshot.run.id} env={as} onRecord={onRecord} width={60} height={8} /> : null}
    </Box>
  );
}

describe('pipeline pane against the sandbox GitHub', () => {
  it('with no token, says not configured and starts nothing', async () => {
    const seen: PipelineSnapshot[] = [];
    function Probe() {
      seen.push(usePipeline({env: {}, pollMs: 50}));
      return null;
    }
    const before = w.gh.requests.length;
    const app = render(<Probe />);
    await new Promise(r => setTimeout(r, 300));
    app.unmount();
    expect(seen.at(-1)).toMatchObject({configured: false, run: null, error: null});
    expect(w.gh.requests.length).toBe(before);
  });

  it('without a sha follows the newest run on main, and says so', async () => {
    const app = render(<Screen approval={false} onRecord={() => {}} />);
    const end = Date.now() + 10_000;
    while (Date.now() < end && !/✓ success in/.test(plain(app.lastFrame() ?? ''))) await new Promise(r => setTimeout(r, 25));
    const l = lines(plain(app.lastFrame() ?? ''));
    expect(l[0]).toMatch(/^PIPELINE CI\/CD Full Cycle · #\d+ · latest on main +● final$/);
    expect(l.some(x => /^✓ Production Deployment +\d/.test(x))).toBe(true);
    app.unmount();
  });

  itNeeds(['kubectl'])('follows the merge commit’s run to the approval, approves it from the keyboard, and the deploy runs', async () => {
    const {sha} = await releaseToMerge(w);
    const records: ApprovalRecord[] = [];
    const onRecord = (r: ApprovalRecord) => records.push(r);
    const app = render(<Screen sha={sha} approval={false} onRecord={onRecord} />);
    const frame = () => plain(app.lastFrame() ?? '');
    const show = (when: string) => process.env.SHOW_FRAMES && console.log(`--- ${when}\n${frame()}`);
    const waitFor = async (probe: () => boolean, what: string, ms = 15_000) => {
      const end = Date.now() + ms;
      while (Date.now() < end) {
        if (probe()) return;
        await new Promise(r => setTimeout(r, 25));
      }
      throw new Error(`timed out waiting for ${what}; last frame:\n${frame()}`);
    };

    await waitFor(() => /Quality Gates/.test(frame()), 'the jobs');
    expect(lines(frame())[0]).toMatch(/^PIPELINE CI\/CD Full Cycle · #\d+ +(● \d+s|connecting…)$/);
    await waitFor(() => /Production Deployment +⏸ approval/.test(frame()) && frame().includes('⏸ waiting for approval: production'), 'the approval marker');
    expect(frame()).toMatch(/✓ Quality Gates +\d+s/);

    // A waiting run is a steady state: polls come back 304 and render nothing (the clock is off here).
    let renders = 0;
    let last: PipelineSnapshot | undefined;
    function Counter() {
      last = usePipeline({env, sha, pollMs: 50, clockMs: 0});
      renders++;
      return null;
    }
    const counter = render(<Counter />);
    await waitFor(() => last?.run?.waitingOn === 'production', 'a second watcher to see the wait');
    await new Promise(r => setTimeout(r, 100));
    const settled = renders;
    const requests = w.gh.requests.length;
    await new Promise(r => setTimeout(r, 500));
    const polls = w.gh.requests.slice(requests).filter(r => r.method === 'GET' && r.path.includes('/actions/runs/'));
    expect(polls.length).toBeGreaterThanOrEqual(6);
    expect(polls.every(r => r.status === 304)).toBe(true);
    expect(renders).toBe(settled);
    counter.unmount();

    // tech-lead may approve pull requests, not deployments: GitHub's refusal, shown and recorded.
    const asReviewer = {...env, GITHUB_TOKEN: w.gh.reviewerToken};
    app.rerender(<Screen sha={sha} approval onRecord={onRecord} as={asReviewer} />);
    await waitFor(() => frame().includes('you are not a reviewer'), 'the reviewer\'s view');
    app.stdin.write('a');
    await waitFor(() => frame().includes('comment (required)'), 'the comment prompt');
    // Text and Enter in one read, as a script or a fast paste sends them.
    app.stdin.write('lgtm\r');
    await waitFor(() => records.length === 1 && /refused/i.test(frame()), 'the refusal');
    expect(records[0]).toMatchObject({what: 'approve', environments: ['production'], comment: 'lgtm', result: 'refused'});
    expect(frame().replace(/\s*\n\s*/g, ' ')).toContain('✗ Approval refused');
    show('refused');
    records.length = 0;
    app.rerender(<Screen sha={sha} approval={false} onRecord={onRecord} />);

    app.rerender(<Screen sha={sha} approval onRecord={onRecord} />);
    await waitFor(() => frame().includes('a approve · r reject'), 'the pending deployment');
    expect(frame()).toMatch(/✓ production \(id \d+\) · you can approve/);
    expect(frame()).toContain('reviewers: devops-engineer');
    app.stdin.write('a');
    await waitFor(() => frame().includes('Approve — comment (required):'), 'the comment prompt');
    app.stdin.write('\r');
    await waitFor(() => frame().includes('A comment is required'), 'the required-comment hint');
    expect(records).toEqual([]);
    app.stdin.write('Staging verified, shipping v1.2.0');
    await waitFor(() => frame().includes('shipping v1.2.0▏'), 'the typed comment');
    app.stdin.write('\r');
    await waitFor(() => records.length > 0, 'the review to be recorded');
    expect(records[0]).toMatchObject({what: 'approve', environments: ['production'], comment: 'Staging verified, shipping v1.2.0', result: 'ok'});
    await waitFor(() => frame().includes('✓ Approved the deployment to production'), 'the outcome');
    show('approved');

    await waitFor(() => /Production Deployment +\d+s(…)?$/m.test(frame()) && !frame().includes('⏸ approval'), 'the deploy job running or done');
    app.rerender(<Screen sha={sha} approval={false} onRecord={onRecord} />);
    await waitFor(() => /^✓ success in /m.test(frame()), 'the run to succeed', 25_000);
    expect(frame()).toMatch(/✓ Production Deployment +\d+s$/m);
    show('done');
    expect(await w.image()).toMatch(/:v1\.2\.0$/);
    app.unmount();
  }, 40_000);
});
