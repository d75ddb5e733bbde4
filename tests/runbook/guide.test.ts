import {readFileSync} from 'node:fs';
import {describe, expect, it} from 'vitest';
import {countChecklist, readRunbookFile, walkSteps, type Block, type Runbook} from '../../source/runbook/index.js';
import {SEED_GUIDE, SHIPPED_GUIDE} from '../helpers/paths.js';

const guide = readRunbookFile(SEED_GUIDE);
const steps = walkSteps(guide);
const blocks = steps.flatMap(s => s.blocks);
const stepTitled = (title: string) => steps.find(s => s.title === title)!;
const allText = (rb: Runbook) => JSON.stringify(rb);

describe('the production deployment guide', () => {
  it('has 62 tasks and 27 criteria, none checked', () => {
    expect(countChecklist(guide)).toEqual({task: 62, criterion: 27});
    expect(steps.flatMap(s => s.checklist).every(i => !i.checked)).toBe(true);
  });

  it('never counts the - [x] lines of the PR body heredoc as checklist items', () => {
    const pr = stepTitled('Step 2: Create Pull Request to Main');
    expect(pr.checklist).toEqual([]);
    expect(pr.blocks[0]!.code).toContain('- [x] Code review completed');
  });

  it('takes the title from the first heading and keeps the heading tree', () => {
    expect(guide.title).toBe('Production Deployment Guide');
    expect(guide.sections.map(s => s.title)).toContain('Rollback Procedures');
    const verification = guide.sections.find(s => s.title === 'Post-Deployment Verification')!;
    expect(verification.isStep).toBe(false);
    expect(verification.children[0]!.title).toBe('Step 10: Verify Deployment Success');
    expect(verification.children[0]!.children.map(c => c.title)).toContain('Check Pods Status');
  });

  it('repairs the Mac Roman mojibake with a warning and never shows it', () => {
    expect(guide.warnings.some(w => /Mac Roman/.test(w))).toBe(true);
    const text = allText(guide);
    expect(text).not.toMatch(/‚úÖ|üî¥|‚â•|‚è∏/);
    expect(text).toContain('✅');
    expect(text).toContain('🔴');
    expect(stepTitled('1. Code Quality Gates').checklist[2]!.text).toBe('Code coverage ≥ 85%');
  });

  it('reads the shipped copy exactly like the damaged original, without a repair warning', () => {
    const shipped = readRunbookFile(SHIPPED_GUIDE);
    expect(shipped.warnings).toEqual([]);
    expect(walkSteps(shipped).map(s => s.id)).toEqual(steps.map(s => s.id));
    expect(countChecklist(shipped)).toEqual({task: 62, criterion: 27});
  });

  it('marks the kubectl rollout undo block dangerous, confirmed by namespace', () => {
    const undo = blocks.find(b => b.commands.some(c => c.startsWith('kubectl rollout undo')))!;
    expect(undo.kind).toBe('command');
    expect(undo.dangerous).toBe(true);
    expect(undo.dangers.join()).toMatch(/rolls back deployment\/overlord/);
    expect(undo.confirm).toEqual({kind: 'namespace', value: 'overlord-production'});
  });

  it('marks the force push dangerous, confirmed by branch', () => {
    const push = blocks.find(b => b.commands.some(c => c.includes('--force')))!;
    expect(push.dangerous).toBe(true);
    expect(push.confirm).toEqual({kind: 'branch', value: 'main'});
  });

  it('does not mark read-only blocks dangerous', () => {
    const pods = stepTitled('Check Pods Status').blocks[0]!;
    expect(pods.dangerous).toBe(false);
    expect(blocks.filter(b => b.dangerous)).toHaveLength(3);
  });

  it('classifies the Slack messages as templates and the yaml block as config', () => {
    const slack = stepTitled('Deployment Failure').blocks;
    expect(slack.map(b => b.kind)).toEqual(['template']);
    expect(slack[0]!.code).toContain('🚨 DEPLOYMENT FAILED - ROLLBACK INITIATED');
    const yaml = blocks.find(b => b.lang === 'yaml')!;
    expect(yaml.kind).toBe('config');
    expect(yaml.commands).toEqual([]);
    const approvalComment = stepTitled('Step 8: Approve Production Deployment').blocks[0]!;
    expect(approvalComment.kind).toBe('template');
  });

  it('lists what each command block would run, joined across continuations and heredocs', () => {
    const pr = stepTitled('Step 2: Create Pull Request to Main').blocks[0]!;
    expect(pr.commands).toHaveLength(2);
    expect(pr.commands[0]).toMatch(/^gh pr create \\\n {2}--base main/);
    expect(pr.commands[0]).toMatch(/EOF\n\)"$/);
    expect(pr.commands[1]).toBe('gh pr view --web');
    const release = stepTitled('Step 1: Create Release Branch').blocks[0]!;
    expect(release.commands).toContain('nano pyproject.toml');
    expect(release.commands.every(c => !c.includes('#'))).toBe(true);
  });

  it('knows KUBECONFIG, SERVICE_IP, RUN_ID and PREV_TAG as variables', () => {
    const byName = new Map(guide.variables.map(v => [v.name, v]));
    for (const name of ['KUBECONFIG', 'SERVICE_IP', 'RUN_ID', 'PREV_TAG']) expect(byName.has(name), name).toBe(true);
    expect(byName.get('KUBECONFIG')).toMatchObject({kind: 'placeholder', suggestion: '/path/to/kubeconfig-staging.yaml'});
    expect(byName.get('SERVICE_IP')).toMatchObject({kind: 'computed'});
    expect(byName.get('SERVICE_IP')!.steps).toContain(stepTitled('Test Critical User Flows').id);
    expect(byName.get('RUN_ID')!.kind).toBe('computed');
    expect(byName.get('PREV_TAG')!.kind).toBe('computed');
    expect(byName.get('COMMIT_SHA')).toMatchObject({kind: 'placeholder'});
    expect(byName.has('HOME')).toBe(false);
  });

  it('offers the placeholders of a block for substitution', () => {
    const staging = stepTitled('2. Staging Verification').blocks[0]!;
    expect(staging.placeholders).toContainEqual({text: '/path/to/kubeconfig-staging.yaml', variable: 'KUBECONFIG'});
    const release = stepTitled('Step 1: Create Release Branch').blocks[0]!;
    expect(release.placeholders).toContainEqual({text: '/path/to/overlord-trading-system-v8', variable: null});
  });

  it('marks commands that need the whole terminal as interactive', () => {
    const interactive = (title: string) => stepTitled(title).blocks.some((b: Block) => b.interactive);
    expect(interactive('Step 1: Create Release Branch')).toBe(true); // nano
    expect(interactive('Step 5: Monitor Workflow Execution')).toBe(true); // gh run watch
    expect(interactive('Verify Database Migrations')).toBe(true); // kubectl exec -it
    expect(interactive('Application Logs')).toBe(true); // logs -f
    expect(interactive('Check Pods Status')).toBe(false);
  });

  it('keeps tables as tables', () => {
    const severity = stepTitled('Severity Levels').content.find(c => c.type === 'table');
    expect(severity).toMatchObject({type: 'table', header: ['Level', 'Description', 'Response Time', 'Example']});
    if (severity?.type === 'table') expect(severity.rows[0]).toEqual(['P0', 'Complete outage', '5 minutes', 'Service down']);
  });

  it('gives the same ids on every read, all unique', () => {
    const again = readRunbookFile(SEED_GUIDE);
    const ids = (rb: Runbook) => walkSteps(rb).flatMap(s => [s.id, ...s.blocks.map(b => b.id), ...s.checklist.map(c => c.id)]);
    expect(ids(again)).toEqual(ids(guide));
    expect(new Set(ids(guide)).size).toBe(ids(guide).length);
  });

  it('keeps the ids of other sections when one section is edited', async () => {
    const {parseRunbook} = await import('../../source/runbook/index.js');
    const text = readFileSync(SHIPPED_GUIDE, 'utf8');
    const edited = text
      .replace('### Step 3: Code Review & Approval', '### Step 3: Code Review and Approval')
      .replace('- [ ] Release notes prepared\n', '- [ ] Release notes prepared\n- [ ] A new item\n');
    const before = walkSteps(parseRunbook(text));
    const after = walkSteps(parseRunbook(edited));
    const changed = after.map(s => s.id).filter(id => !before.some(b => b.id === id));
    expect(changed).toEqual(['production-deployment-guide/deployment-procedure/step-3-code-review-and-approval']);
    const checks = (list: typeof before) => list.flatMap(s => s.checklist.map(c => c.id));
    expect(checks(after).filter(id => !checks(before).includes(id))).toHaveLength(1 + 6);
  });
});

describe('the guide’s rollback triggers', () => {
  it('are assessment items, not checks: tickable, counted apart', () => {
    const when = walkSteps(readRunbookFile(SEED_GUIDE)).find(s => s.title === 'When to Rollback')!;
    expect(when.checklist).toEqual([]);
    expect(when.triggers.map(t => t.text)).toEqual([
      '🔴 Critical errors preventing core functionality',
      '🔴 Data corruption detected',
      '🔴 Security vulnerability exposed',
      '🔴 > 5% error rate sustained for > 5 minutes',
      '🔴 Complete service outage',
      '🟡 Performance degradation > 50%',
      '🟡 Elevated error rates (1-5%)',
      '🟡 Unexpected behavior affecting users',
      '🟡 Failed post-deployment tests',
    ]);
    expect(when.triggers.every(t => t.kind === 'trigger' && !t.checked)).toBe(true);
  });
});
