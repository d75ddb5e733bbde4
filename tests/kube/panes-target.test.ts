// What the PODS and ROLLOUT panes follow at each step of a runbook: the step's namespace and workloads, else the
// last step visited that named some, else the front matter's, else the runbook's own; names that read variables
// only once the session has answered them.
import {describe, expect, it} from 'vitest';
import {panesTarget, visitOrder, type PanesTarget} from '../../source/kube/panes-target.js';
import {readRunbookFile, walkSteps, type Runbook} from '../../source/runbook/index.js';
import {SHIPPED_GUIDE} from '../helpers/paths.js';

const fixture = (name: string) => readRunbookFile(new URL(`../fixtures/runbooks/${name}.md`, import.meta.url).pathname);
const shown = (t: PanesTarget) => ({
  namespace: t.namespace,
  workloads: t.workloads.map(w => `${w.kind}/${w.name}@${w.namespace ?? '-'}`),
  main: t.workloads[t.main] ? `${t.workloads[t.main]!.kind}/${t.workloads[t.main]!.name}` : null,
});

/** The panes at each step, walking the runbook in order (each step visited once, as an operator reading it would). */
function walk(rb: Runbook, answers: Record<string, string> = {}) {
  let visited: string[] = [];
  const out: Record<string, ReturnType<typeof shown> & {from: string | null}> = {};
  for (const step of walkSteps(rb)) {
    const t = panesTarget(rb.targets, step.id, visited, answers);
    out[step.title] = {...shown(t), from: t.workloadFrom};
    visited = visitOrder(visited, step.id);
  }
  return out;
}

describe('panesTarget', () => {
  it('a per-service release runbook: payments-api in payments from the first screen on', () => {
    const rb = fixture('payments-api-release');
    const steps = walk(rb);
    for (const [title, t] of Object.entries(steps)) {
      expect({title, ...t, from: undefined}).toEqual({title, namespace: 'payments', workloads: ['deployment/payments-api@payments'], main: 'deployment/payments-api', from: undefined});
    }
    // The introduction names nothing: the runbook's own workload; every other step names it itself.
    expect(steps[walkSteps(rb)[0]!.title]!.from).toBe('runbook');
    expect(steps['Release']!.from).toBe('step');
  });

  it('a StatefulSet runbook and a DaemonSet runbook show their kind', () => {
    expect(walk(fixture('ledger-db-statefulset'))['Change the image']).toMatchObject({namespace: 'ledger', workloads: ['statefulset/ledger-db@ledger']});
    expect(walk(fixture('node-agent-upgrade'))['Watch it roll across the nodes']).toMatchObject({namespace: 'monitoring', workloads: ['daemonset/node-agent@monitoring']});
  });

  it('the guide: production’s overlord, staging with no workload named (the namespace’s only one is found live)', () => {
    const rb = readRunbookFile(SHIPPED_GUIDE);
    const steps = walk(rb);
    const intro = walkSteps(rb)[0]!.title;
    expect(steps[intro]).toMatchObject({namespace: 'overlord-production', main: 'deployment/overlord'});
    expect(steps['2. Staging Verification']).toEqual({namespace: 'overlord-staging', workloads: [], main: null, from: null});
    expect(steps['Step 9: Monitor Deployment']).toMatchObject({namespace: 'overlord-production', main: 'deployment/overlord', from: 'step'});
    expect(steps['Check Pods Status']).toMatchObject({namespace: 'overlord-production', main: 'deployment/overlord'});
  });

  it('a step touching two services: both in view, each in its namespace; later steps keep the last one used', () => {
    const rb = fixture('shop-two-services');
    const steps = walk(rb);
    expect(steps['Check both services']).toEqual({
      namespace: 'billing',
      workloads: ['deployment/orders-api@orders', 'deployment/billing-worker@billing'],
      main: 'deployment/billing-worker',
      from: 'step',
    });
    expect(steps['Release orders-api']).toMatchObject({namespace: 'orders', workloads: ['deployment/orders-api@orders']});
    expect(steps['Tag the release']).toMatchObject({namespace: 'billing', workloads: ['deployment/billing-worker@billing'], from: 'earlier-step'});
    // The session's order counts, not the reading order: back on orders, then to the tag step.
    const ids = walkSteps(rb).map(s => s.id);
    const tag = ids[4]!;
    expect(shown(panesTarget(rb.targets, tag, [ids[1]!, ids[3]!, ids[2]!], {}))).toMatchObject({namespace: 'orders', main: 'deployment/orders-api'});
  });

  it('front matter targets hold where the steps name none, both workloads in view', () => {
    expect(walk(fixture('search-front-matter'))['Start the deploy']).toEqual({
      namespace: 'search',
      workloads: ['deployment/search-api@search', 'statefulset/search-index@search'],
      main: 'deployment/search-api',
      from: 'front-matter',
    });
  });

  it('an alert runbook: $NAMESPACE and $DEPLOYMENT count once answered, not before', () => {
    const rb = fixture('kube-pod-crash-looping');
    expect(walk(rb)['Mitigation']).toEqual({namespace: null, workloads: [], main: null, from: null});
    expect(walk(rb, {NAMESPACE: 'shop', DEPLOYMENT: 'cart'})['Mitigation']).toEqual({namespace: 'shop', workloads: ['deployment/cart@shop'], main: 'deployment/cart', from: 'step'});
    // Only the namespace known: the panes go there and look for its only workload.
    expect(walk(rb, {NAMESPACE: 'shop'})['Diagnosis']).toEqual({namespace: 'shop', workloads: [], main: null, from: null});
  });

  it('visitOrder keeps each step once, at its latest visit', () => {
    expect(visitOrder(['a', 'b', 'c'], 'b')).toEqual(['a', 'c', 'b']);
    expect(visitOrder(['a', 'b'], 'b')).toEqual(['a', 'b']);
  });
});
