// Where each runbook's rollback path is, and why: front matter, a heading (or the title), or a rollback command.
import {describe, expect, it} from 'vitest';
import {findRollbackPath, isInRollbackPath, parseRunbook, readRunbookFile, saysRollBack, walkSteps, type Runbook} from '../../source/runbook/index.js';
import {SEED_GUIDE, SHIPPED_GUIDE} from '../helpers/paths.js';

const fixture = (name: string) => readRunbookFile(new URL(`../fixtures/runbooks/${name}.md`, import.meta.url).pathname);
const titles = (rb: Runbook, indices: number[]) => indices.map(i => walkSteps(rb)[i]!.title);

/** The path in a form that reads in a test: why, where it opens, and every step of it. */
function where(rb: Runbook) {
  const path = rb.rollback;
  if (!path) return null;
  return {reason: path.reason, why: path.why, opens: walkSteps(rb)[path.first]!.title, runnable: path.firstRunnable === null ? null : walkSteps(rb)[path.firstRunnable]!.title, steps: titles(rb, path.stepIndices)};
}

describe('the rollback path of each runbook', () => {
  it('the guide: the "Rollback Procedures" section, opening on "When to Rollback", as today', () => {
    for (const file of [SHIPPED_GUIDE, SEED_GUIDE]) {
      const rb = readRunbookFile(file);
      expect(where(rb)).toEqual({
        reason: 'heading',
        why: 'the heading "Rollback Procedures"',
        opens: 'When to Rollback',
        runnable: 'Automated Rollback',
        steps: ['When to Rollback', 'Automated Rollback', 'Option 1: Via GitHub Actions', 'Option 2: Via Kubernetes (Emergency)', 'Option 3: Re-deploy Previous Version', 'Post-Rollback Actions'],
      });
      // The same steps the four `/rollback/i` call sites open on today: the first id with "rollback" in it (app.tsx,
      // open.tsx) and the first such step with commands (use-session-keys.ts).
      const steps = walkSteps(rb);
      expect(rb.rollback!.first).toBe(steps.findIndex(s => /rollback/i.test(s.id)));
      expect(rb.rollback!.firstRunnable).toBe(steps.findIndex(s => /rollback/i.test(s.id) && s.blocks.some(b => b.kind === 'command')));
      // The "Rollback Success" message template is not part of it.
      expect(isInRollbackPath(rb.rollback, steps.find(s => s.title === 'Rollback Success')!.id)).toBe(false);
      expect(isInRollbackPath(rb.rollback, steps.find(s => s.title === 'Option 2: Via Kubernetes (Emergency)')!.id)).toBe(true);
    }
  });

  it('payments-api: its own "Roll back" section', () => {
    expect(where(fixture('payments-api-release'))).toEqual({reason: 'heading', why: 'the heading "Roll back"', opens: 'Roll back', runnable: 'Roll back', steps: ['Roll back']});
  });

  it('ledger-db: "Reverting a release"', () => {
    expect(where(fixture('ledger-db-statefulset'))).toMatchObject({reason: 'heading', opens: 'Reverting a release', steps: ['Reverting a release']});
  });

  it('the crash-looping alert: no rollback heading, so the step that runs kubectl rollout undo', () => {
    expect(where(fixture('kube-pod-crash-looping'))).toEqual({
      reason: 'command', why: 'the step "Mitigation" runs kubectl rollout undo deployment/$DEPLOYMENT', opens: 'Mitigation', runnable: 'Mitigation', steps: ['Mitigation'],
    });
  });

  it('a rollback-only runbook: all of it, from its first step', () => {
    const rb = fixture('checkout-web-rollback');
    expect(where(rb)).toEqual({
      reason: 'heading', why: 'the title "Roll back checkout-web"', opens: 'Introduction', runnable: 'Find the last good revision',
      steps: ['Introduction', 'Find the last good revision', 'Undo the release', 'Confirm'],
    });
    expect(rb.rollback!.first).toBe(0);
  });

  it('front matter: the heading it names, over one inference would pick', () => {
    const rb = fixture('search-front-matter');
    expect(where(rb)).toEqual({reason: 'front-matter', why: 'the front matter\'s rollback: "Emergency recovery"', opens: 'Emergency recovery', runnable: 'Emergency recovery', steps: ['Emergency recovery']});
    expect(rb.rollback!.firstId).toBe('search-release/emergency-recovery');
  });

  it('two services: "Roll back both"', () => {
    expect(where(fixture('shop-two-services'))).toMatchObject({reason: 'heading', opens: 'Roll back both', steps: ['Roll back both']});
  });

  it('the node agent: "Backout plan"', () => {
    expect(where(fixture('node-agent-upgrade'))).toMatchObject({reason: 'heading', why: 'the heading "Backout plan"', opens: 'Backout plan'});
  });
});

describe('findRollbackPath', () => {
  const rb = (text: string) => parseRunbook(text);

  it('knows the ways a heading says roll back, and what is not one', () => {
    for (const title of ['Rollback Procedures', 'Roll back', 'roll-back', 'ROLLBACK', 'Rolling back', 'Backout plan', 'Back out the change', 'Reverting a release', 'Revert', 'Undo the release', 'Post-Rollback Actions', 'Rollbacks'])
      expect(saysRollBack(title), title).toBe(true);
    for (const title of ['Roll out', 'Background', 'Feedback', 'Undo', 'Deploy', 'Rollout status', 'Backup the database'])
      expect(saysRollBack(title), title).toBe(false);
  });

  it('takes the outermost heading, at any level, and opens on its first step', () => {
    const r = rb('# T\n\n## Deploy\n\n```bash\nkubectl apply -f x.yaml\n```\n\n## If it breaks\n\n### Rollback procedure\n\nDecide first.\n\n#### Roll back the deployment\n\n```bash\nkubectl rollout undo deploy/x\n```\n');
    expect(where(r)).toMatchObject({reason: 'heading', why: 'the heading "Rollback procedure"', opens: 'Rollback procedure', runnable: 'Roll back the deployment', steps: ['Rollback procedure', 'Roll back the deployment']});
  });

  it('matches front matter titles in any case, or by id, and takes a list of them', () => {
    const text = (fm: string) => `---\n${fm}\n---\n# T\n\n## Deploy\n\n\`\`\`bash\nx\n\`\`\`\n\n## Plan B\n\ntext\n\n## Plan C\n\n\`\`\`bash\ny\n\`\`\`\n`;
    expect(where(rb(text('rollback: plan b')))).toMatchObject({reason: 'front-matter', steps: ['Plan B']});
    expect(where(rb(text('rollback: "## Plan C"')))).toMatchObject({steps: ['Plan C']});
    expect(where(rb(text('rollback: [t/plan-c, Plan B]')))).toMatchObject({opens: 'Plan C', steps: ['Plan B', 'Plan C'], runnable: 'Plan C'});
  });

  it('prefers a rollback command to a heading that only talks about rolling back', () => {
    const r = rb('# T\n\n## Rollback plan\n\nWe roll back with helm if it fails.\n\n## Release\n\n```bash\nhelm upgrade app ./chart -n a\n```\n\n## Recover\n\n```bash\nhelm rollback app -n a\n```\n');
    expect(where(r)).toMatchObject({reason: 'command', why: 'the step "Recover" runs helm rollback app', opens: 'Recover'});
    const prose = rb('# T\n\n## Release\n\n```bash\nhelm upgrade app ./chart\n```\n\n## Backout plan\n\nCall the vendor.\n');
    expect(where(prose)).toMatchObject({reason: 'heading', opens: 'Backout plan', runnable: null});
  });

  it('finds a dispatched rollback workflow, and not a release one', () => {
    const r = rb('# T\n\n## Ship\n\n```bash\ngh workflow run release.yml\n```\n\n## Recover\n\n```bash\ngh workflow run revert-prod.yml -f env=prod\n```\n');
    expect(where(r)).toMatchObject({reason: 'command', why: 'the step "Recover" runs gh workflow run revert-prod.yml', steps: ['Recover']});
  });

  it('says none when there is none, and gives the same answer without the cached targets', () => {
    expect(rb('# T\n\n## Deploy\n\n```bash\nkubectl apply -f x.yaml\n```\n').rollback).toBeNull();
    const guide = readRunbookFile(SHIPPED_GUIDE);
    const {targets: _targets, ...withoutTargets} = guide;
    expect(findRollbackPath(withoutTargets)).toEqual(guide.rollback);
    const alert = fixture('kube-pod-crash-looping');
    const {targets: _t, ...bare} = alert;
    expect(findRollbackPath(bare)).toEqual(alert.rollback);
  });
});
