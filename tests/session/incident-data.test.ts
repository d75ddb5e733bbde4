// Incident data comes from the runbook: its severity table (P0–P3 or SEV1–SEV4), else the documented default, and its
// own communication templates filled from the session (service, versions from the workload's images, times, who).
import {describe, expect, it} from 'vitest';
import {parseRunbook, readRunbookFile, walkSteps, type Runbook} from '../../source/runbook/index.js';
import {DEFAULT_SEVERITY_LEVELS, matchSeverity, severityTable} from '../../source/runbook/severity.js';
import {declaredIncident, emptySessionState} from '../../source/session/session-state.js';
import {fillTemplate, serviceOf, versionsFromHistory} from '../../source/session/templates.js';
import {viewReducer, initialViewState} from '../../source/ui/use-session-view-state.js';
import {SHIPPED_GUIDE} from '../helpers/paths.js';

const fixture = (name: string) => readRunbookFile(new URL(`../fixtures/runbooks/${name}.md`, import.meta.url).pathname);
const guide = readRunbookFile(SHIPPED_GUIDE);
const payments = fixture('payments-api-release');
const orders = fixture('orders-api-incident');
const templates = (rb: Runbook) => walkSteps(rb).flatMap(s => s.blocks.filter(b => b.kind === 'template').map(b => ({step: s.title, code: b.code})));
const template = (rb: Runbook, step: string) => templates(rb).find(t => t.step === step)!.code;

const startedAt = new Date('2025-05-02T03:00:00Z');
const now = new Date('2025-05-02T03:17:00Z');

describe('the severity table', () => {
  it('is the guide’s own P0–P3 table, read from it', () => {
    const table = severityTable(guide);
    expect(table.source).toBe('runbook');
    expect(table.levels.map(l => [l.level, l.description, l.responseTime])).toEqual([
      ['P0', 'Complete outage', '5 minutes'],
      ['P1', 'Major degradation', '15 minutes'],
      ['P2', 'Partial outage', '1 hour'],
      ['P3', 'Minor issue', '4 hours'],
    ]);
  });

  it('is a SEV1–SEV4 table when the runbook has one, whatever its column names', () => {
    const table = severityTable(orders);
    expect(table.source).toBe('runbook');
    expect(table.levels.map(l => [l.level, l.description, l.responseTime, l.example])).toEqual([
      ['SEV1', 'Orders cannot be placed', '5 min', 'Checkout returns 500 for everyone'],
      ['SEV2', 'Orders are slow or fail for some', '15 min', 'p99 above 5 s'],
      ['SEV3', 'A non-critical orders feature is broken', '4 h', 'Order history empty'],
      ['SEV4', 'Cosmetic or internal only', 'Next business day', 'Typo in a receipt'],
    ]);
  });

  it('is the documented P0–P3 default for a runbook without one', () => {
    const table = severityTable(payments);
    expect(table.source).toBe('default');
    expect(table.levels).toEqual(DEFAULT_SEVERITY_LEVELS);
    expect(table.levels.map(l => l.level)).toEqual(['P0', 'P1', 'P2', 'P3']);
  });

  it('picks a level by its number or its name, on the runbook’s own scale', () => {
    const sev = severityTable(orders).levels;
    expect(['1', 'sev1', 'SEV-1', 'sev 1'].map(i => matchSeverity(i, sev))).toEqual(['SEV1', 'SEV1', 'SEV1', 'SEV1']);
    expect(matchSeverity('P1', sev)).toBeNull();
    expect(matchSeverity('0', sev)).toBeNull();
    const p = severityTable(guide).levels;
    expect(['0', 'p0', 'P3'].map(i => matchSeverity(i, p))).toEqual(['P0', 'P0', 'P3']);
    expect(matchSeverity('7', p)).toBeNull();
  });

  it('is what the I prompt accepts, and the incident note keeps a SEV level', () => {
    const levels = severityTable(orders).levels;
    let view = viewReducer(initialViewState(), {type: 'reason', purpose: 'incident', stepId: 's', levels});
    view = viewReducer(view, {type: 'type', text: 'P1'});
    view = viewReducer(view, {type: 'submit'});
    expect(view.modal).toMatchObject({hint: 'type the severity: SEV1, SEV2, SEV3 or SEV4'});
    view = viewReducer(viewReducer(view, {type: 'erase'}), {type: 'erase'});
    view = viewReducer(viewReducer(view, {type: 'type', text: '2'}), {type: 'submit'});
    expect(view.pending).toEqual({kind: 'mark', purpose: 'incident', stepId: 's', text: 'SEV2'});
    const state = {...emptySessionState(), notes: [{stepId: 's', text: 'Incident declared: SEV2 (from a failed step)', at: '2025-05-02T03:00:00Z'}]};
    expect(declaredIncident(state as never)?.severity).toBe('SEV2');
  });
});

describe('communication templates', () => {
  it('are filled from the session in the runbook’s own words: service, severity, versions, times, who', () => {
    const facts = {...serviceOf(orders, {}), failedVersion: 'v2.5.0', targetVersion: 'v2.4.1', severity: 'SEV2', startedAt, now, who: 'alice'};
    expect(facts.service).toBe('orders-api');
    expect(fillTemplate(template(orders, 'Tell the channel'), facts)).toBe(
      ['SEV2 orders-api incident declared at 2025-05-02 03:00 UTC by @alice', 'Release under suspicion: v2.5.0 (last good: v2.4.1)', 'Namespace: orders'].join('\n'),
    );
    expect(fillTemplate(template(orders, 'Close'), facts)).toBe(
      ['✅ orders-api recovered: back on v2.4.1 after 17 minutes.', 'Severity: SEV2 · closed 2025-05-02 03:17 UTC by @alice.'].join('\n'),
    );
  });

  it('leave what the session does not know for the operator to fill', () => {
    const facts = {...serviceOf(orders, {}), startedAt, now, who: 'alice'};
    expect(fillTemplate(template(orders, 'Tell the channel'), facts).split('\n')).toEqual([
      '[SEVERITY] orders-api incident declared at 2025-05-02 03:00 UTC by @alice',
      'Release under suspicion: <version> (last good: <previous version>)',
      'Namespace: orders',
    ]);
  });

  it('name the service after the primary workload, filled from the session’s answers, else the runbook’s title', () => {
    expect(serviceOf(payments, {}).service).toBe('payments-api');
    expect(serviceOf(guide, {}).service).toBe(guide.targets.primary.workload!.name.text);
    const crash = fixture('kube-pod-crash-looping');
    expect(serviceOf(crash, {DEPLOYMENT: 'cart', NAMESPACE: 'shop'})).toEqual({service: 'cart', namespace: 'shop'});
    expect(serviceOf(crash, {}).service).toBe(crash.title);
    const notifyOnly = parseRunbook('# Status page update\n\n## Post\n\n```text\n{{service}} is degraded\n```\n', {path: 'n.md'});
    expect(serviceOf(notifyOnly, {}).service).toBe('Status page update');
  });

  it('keep filling the guide’s example lines: the versions, the duration, the commander, the severity', () => {
    const filled = fillTemplate(template(guide, 'Deployment Failure'), {...serviceOf(guide, {}), failedVersion: 'v2.0.0', targetVersion: 'v1.9.3', severity: 'P0', startedAt, now, who: 'alice'});
    expect(filled).toContain('Version: v2.0.0 (failed)');
    expect(filled).toContain('Target: v1.9.3 (previous stable version)');
    expect(filled).toContain('Duration: 17 minutes before rollback');
    expect(filled).toContain('• Incident: P0 declared');
    expect(filled).toContain('Incident Commander: @alice');
  });
});

describe('versions from the workload’s images', () => {
  it('are version tags ordered as versions, before and after the rollback', () => {
    expect(versionsFromHistory([{tag: 'v2.4.1', current: false, revision: 1}, {tag: 'v2.5.0', current: true, revision: 2}])).toEqual({failed: 'v2.5.0', target: 'v2.4.1'});
    expect(versionsFromHistory([{tag: 'v2.5.0', current: false, revision: 2}, {tag: 'v2.4.1', current: true, revision: 3}])).toEqual({failed: 'v2.5.0', target: 'v2.4.1'});
  });

  it('are other tags (commit shas) ordered by revision, the session saying whether it rolled back', () => {
    const before = [{tag: '3f9c2a1', current: false, revision: 4}, {tag: 'a17be09', current: true, revision: 5}];
    expect(versionsFromHistory(before)).toEqual({failed: 'a17be09', target: '3f9c2a1'});
    const after = [{tag: 'a17be09', current: false, revision: 5}, {tag: '3f9c2a1', current: true, revision: 6}];
    expect(versionsFromHistory(after, {rolledBack: true})).toEqual({failed: 'a17be09', target: '3f9c2a1'});
  });
});
