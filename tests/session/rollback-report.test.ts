// What the report and the metrics count as a rollback: a run the runbook model reads as one, or a step of the
// runbook's own rollback path marked done with a reason (not merely read), whatever the path is called.
import {describe, expect, it} from 'vitest';
import {readRunbookFile, walkSteps} from '../../source/runbook/index.js';
import {computeMetrics} from '../../source/session/metrics.js';
import {buildReport, firstRollback, isRollbackCommand, type SessionMeta} from '../../source/session/report.js';
import {guide, step, T0, Timeline} from './history.js';

const MIN = 60_000;
const fixture = (name: string) => readRunbookFile(new URL(`../fixtures/runbooks/${name}.md`, import.meta.url).pathname);
const node = fixture('node-agent-upgrade');
const backout = walkSteps(node).find(s => s.title === 'Backout plan')!;
const meta = (kind: SessionMeta['kind']): SessionMeta => ({
  version: 1, id: 's', kind, runbook: {path: node.path, hash: node.hash, title: node.title},
  createdAt: new Date(T0).toISOString(), updatedAt: new Date(T0).toISOString(), finished: true, finishedAt: new Date(T0 + 30 * MIN).toISOString(), totals: null, outline: null,
} as SessionMeta);

describe('a rollback', () => {
  it('is a step of the runbook’s rollback path marked done with a reason, whatever its heading says', () => {
    const marked = new Timeline(T0)
      .at(0, {type: 'note', stepId: backout.id, text: 'Incident declared: P2'})
      .at(9, {type: 'step-marked', stepId: backout.id, status: 'done', reason: 'rolled back by the platform team'});
    expect(firstRollback(marked.events, node.rollback!.stepIds)).toEqual({at: new Date(T0 + 9 * MIN).toISOString(), what: `step ${backout.id} marked done: rolled back by the platform team`});
    const report = buildReport(meta('incident'), marked.events, node);
    expect(report.incident).toMatchObject({recoveredAt: new Date(T0 + 9 * MIN).toISOString(), timeToRecoveryMs: 9 * MIN});
    // Metrics read the same path from the runbook.
    const metrics = computeMetrics([{meta: meta('deploy'), events: marked.events, rollbackSteps: node.rollback!.stepIds}]);
    expect(metrics.rollbackRate.value).toMatchObject({rolledBack: 1, deploys: 1});
  });

  it('is not a step merely read, nor one outside the path', () => {
    const whenTo = step('when-to-rollback');
    const read = new Timeline(T0).at(1, {type: 'step-marked', stepId: whenTo.id, status: 'done', reason: 'read'});
    expect(firstRollback(read.events, guide.rollback!.stepIds)).toBeNull();
    const upgrade = walkSteps(node).find(s => !node.rollback!.stepIds.includes(s.id))!;
    const elsewhere = new Timeline(T0).at(1, {type: 'step-marked', stepId: upgrade.id, status: 'done', reason: 'done by hand'});
    expect(firstRollback(elsewhere.events, node.rollback!.stepIds)).toBeNull();
    // The guide's rollback steps, marked done with a reason, count as before.
    const kube = step('option-2-via-kubernetes-emergency');
    const done = new Timeline(T0).at(5, {type: 'step-marked', stepId: kube.id, status: 'done', reason: 'rolled back from the console'});
    expect(firstRollback(done.events, guide.rollback!.stepIds)?.at).toBe(new Date(T0 + 5 * MIN).toISOString());
  });

  it('is a command the runbook model reads as a rollback, not one that merely says the word', () => {
    expect(isRollbackCommand('kubectl rollout undo sts/ledger-db -n ledger')).toBe(true);
    expect(isRollbackCommand('helm rollback checkout-web 3 -n web')).toBe(true);
    expect(isRollbackCommand('gh workflow run revert-release.yml -f version=v3')).toBe(true);
    expect(isRollbackCommand('./scripts/rollback.sh production')).toBe(true);
    expect(isRollbackCommand('echo "rollback done"')).toBe(false);
    expect(isRollbackCommand('kubectl rollout status deployment/web')).toBe(false);
  });
});
