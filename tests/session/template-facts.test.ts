// Honest templates: a field is filled only from what the session holds; everything else is a visible "<fill in: …>"
// asked before the copy. The guide's stock values (runs/12345, @devops-lead, PASSING, IN PROGRESS, Closed) never
// survive in a message marked filled; the message sent is in the report.
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {walkSteps, type Runbook} from '../../source/runbook/index.js';
import {SessionController} from '../../source/session/controller.js';
import {buildReport, formatReportMarkdown, type SessionMeta} from '../../source/session/report.js';
import {SessionActions} from '../../source/session/session-actions.js';
import {MemorySessionStore} from '../../source/session/store.js';
import {honestFill, marker} from '../../source/session/template-facts.js';
import {testTempDir} from '../helpers/temp.js';
import {guide, kubeRollback, RUNBOOK, T0, Timeline} from './history.js';

const MIN = 60_000;
const code = (rb: Runbook, step: string) => walkSteps(rb).find(s => s.title === step)!.blocks.find(b => b.kind === 'template')!.code;
const facts = (min: number) => ({service: 'overlord', failedVersion: 'v1.2.0', targetVersion: 'v1.1.0', severity: 'P1', startedAt: new Date(T0), now: new Date(T0 + min * MIN), who: 'alice'});
const STOCK = ['runs/12345', '@devops-lead', 'PASSING', 'IN PROGRESS', 'Closed', '2026-01-07', 'Estimated 10%', '0.02%'];

/** Detected at 1, declared at 2; health check and smoke test failed at 3 and 4; rolled back and out at 9. */
function failedDeploy() {
  return new Timeline(T0)
    .at(0, {type: 'session-started', runbook: RUNBOOK})
    .at(1, {type: 'incident', phase: 'detected', what: 'pod overlord-1 CrashLoopBackOff', source: 'pod'})
    .at(2, {type: 'note', stepId: kubeRollback.id, text: 'Incident declared: P1'})
    .run(3, 's', 'b1', 'curl -fsS https://overlord/health', 22, 0.1)
    .run(4, 's', 'b2', './scripts/smoke-test.sh production', 1, 0.5);
}

describe('an honest message', () => {
  it('states what the checks found, the rollback’s and the incident’s real state, and asks the rest', () => {
    const t = failedDeploy();
    const before = honestFill(code(guide, 'Deployment Failure'), facts(6), t.events, {}, guide.rollback!.stepIds);
    expect(before.text).toContain('Version: v1.2.0 (failed)');
    expect(before.text).toContain('Reason: pod overlord-1 CrashLoopBackOff');
    expect(before.text).toContain('Rollback Status: NOT STARTED');
    expect(before.text).toContain('Target: v1.1.0 (previous stable version)');
    expect(before.text).toContain('• Incident: P1 declared, open');
    // Counted from the detection: 5 minutes at minute 6.
    expect(before.text).toContain('Duration: 5 minutes before rollback');
    expect(before.text).toContain(`• Users affected: ${marker('Users affected')}`);
    expect(before.open).toEqual(expect.arrayContaining([marker('Users affected'), marker('Service'), marker('Next update')]));
    for (const stock of STOCK) expect(before.text).not.toContain(stock);

    t.run(8, kubeRollback.id, kubeRollback.blocks[0]!.id, 'kubectl rollout undo deployment/overlord -n overlord-production', 0, 0.5)
      .run(8.5, kubeRollback.id, kubeRollback.blocks[0]!.id, 'kubectl rollout status deployment/overlord -n overlord-production', 0, 0.5)
      .at(20, {type: 'incident', phase: 'resolved', what: 'back to v1.1.0, error rate normal'});
    const success = honestFill(code(guide, 'Rollback Success'), facts(21), t.events, {pods: {ready: 3, desired: 3}}, guide.rollback!.stepIds);
    expect(success.text).toContain('Rolled back to: v1.1.0');
    expect(success.text).toContain('• All pods running: 3/3');
    expect(success.text).toMatch(/Incident: Closed \(P1 resolved \d{4}-\d\d-\d\d \d\d:\d\d UTC\)/);
    expect(success.text).toContain(`Post-mortem: ${marker('Post-mortem')}`);
    const failedChecks = honestFill(code(guide, 'Deployment Success'), facts(21), t.events, {runUrl: 'https://github.com/o/r/actions/runs/987'});
    expect(failedChecks.text).toMatch(/• Health checks: FAILING \(exit 22 at .*\)/);
    expect(failedChecks.text).toMatch(/• Smoke tests: FAILING \(exit 1 at .*\)/);
  });

  it('says the incident is open while it is, and fills the workflow from the run the pipeline pane follows', () => {
    const t = failedDeploy();
    const success = honestFill(code(guide, 'Rollback Success'), facts(12), t.events, {}, guide.rollback!.stepIds);
    expect(success.text).toContain('Incident: P1 declared, open');
    const progress = honestFill(code(guide, 'Deployment In Progress'), facts(1), [], {runUrl: 'https://github.com/o/r/actions/runs/987'});
    expect(progress.text).toContain('Workflow: https://github.com/o/r/actions/runs/987');
    expect(progress.text).toContain(`Awaiting approval from: ${marker('Awaiting approval from')}`);
    const unknown = honestFill(code(guide, 'Deployment In Progress'), facts(1), []);
    expect(unknown.text).toContain(`Workflow: ${marker('Workflow')}`);
    // Answers fill the markers; one left empty stays visible.
    const answered = honestFill(code(guide, 'Deployment In Progress'), facts(1), [], {}, null, {[marker('Workflow')]: 'https://ci/run/5', [marker('Status')]: ''});
    expect(answered.text).toContain('Workflow: https://ci/run/5');
    expect(answered.open).toContain(marker('Status'));
    expect(answered.open).not.toContain(marker('Workflow'));
  });

  it('is asked before it is copied, and the copy is in the report', async () => {
    const dir = testTempDir('templates');
    const store = new MemorySessionStore('s1', join(dir, 'runs'));
    const c = new SessionController({runbook: guide, store, shell: {env: {PATH: process.env.PATH!, HOME: dir}, cwd: dir}, actor: {user: 'ops', host: 'laptop'}});
    const actions = new SessionActions(c);
    const block = walkSteps(guide).find(s => s.title === 'Deployment In Progress')!.blocks.find(b => b.kind === 'template')!;
    const questions = actions.templateQuestions(block.id, {history: []});
    expect(questions.map(q => q.kind === 'placeholder' && q.text)).toEqual(expect.arrayContaining([marker('Workflow'), marker('Awaiting approval from')]));
    const copied: string[] = [];
    const said: string[] = [];
    const screen = {say: (t: string) => said.push(t), go: () => {}, copy: (t: string) => copied.push(t)};
    actions.carryOut({kind: 'run', blockId: block.id, answers: {variables: {}, placeholders: {[marker('Awaiting approval from')]: '@sre-oncall'}, confirmed: false}}, screen, {history: [], screen: {runUrl: 'https://ci/runs/42'}});
    expect(copied[0]).toContain('Awaiting approval from: @sre-oncall');
    expect(copied[0]).toContain('Workflow: https://ci/runs/42');
    expect(said.at(-1)).toMatch(/field\(s\) left to fill: .*<fill in: Status>/);
    const meta = {version: 1, id: 's1', kind: 'deploy', runbook: RUNBOOK, createdAt: new Date(T0).toISOString(), updatedAt: new Date(T0).toISOString(), finished: false, finishedAt: null, totals: null, outline: null} as SessionMeta;
    const md = formatReportMarkdown(buildReport(meta, store.events(), guide));
    expect(md).toContain('## Messages sent');
    expect(md).toContain('Awaiting approval from: @sre-oncall');
  });
});
