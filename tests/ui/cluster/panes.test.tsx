import {afterEach, beforeEach, describe, expect, it, vi} from 'vitest';

// Ink's chalk decides on colour when it is loaded; the panes' colours are only testable if it may use them.
vi.hoisted(() => {
  process.env.FORCE_COLOR = '1';
});

import {cleanup, render} from 'ink-testing-library';
import {PodsPane} from '../../../source/ui/cluster/pods-pane.js';
import {RolloutPane} from '../../../source/ui/cluster/rollout-pane.js';
import {COLOUR, GREEN, lines, lineWith, NS, plain, pod, RED, rollout, snapshot, widest, YELLOW} from './fixtures.js';

let savedNoColor: string | undefined;
beforeEach(() => {
  savedNoColor = process.env.NO_COLOR;
  delete process.env.NO_COLOR;
});
afterEach(() => {
  cleanup();
  if (savedNoColor === undefined) delete process.env.NO_COLOR;
  else process.env.NO_COLOR = savedNoColor;
});

const frameOf = (node: React.ReactElement) => render(node).lastFrame() ?? '';

describe('PodsPane', () => {
  it('at 60 columns: title with the freshness on the right, kubectl columns, rows in name order', () => {
    const f = frameOf(<PodsPane snapshot={snapshot()} width={60} height={8} />);
    const l = lines(f);
    expect(l[0]).toMatch(new RegExp(`^PODS ${NS} +● 1s$`));
    expect(l[0]!.length).toBe(60);
    expect(l[1]).toMatch(/^NAME +READY +STATUS +RESTARTS +AGE$/);
    // Every other column is whole; NAME gives way, keeping the pod's own suffix.
    expect(l[2]).toMatch(/^overlord-5d4f8…-2xk4q +1\/1 +Running +0 +2d$/);
    expect(l[5]).toMatch(/^overlord-7b9c6…-hx2lp +0\/1 +CrashLoopBackOff +4 \(12s ago\) +45s$/);
    expect(widest(f)).toBeLessThanOrEqual(60);
  });

  it('at 40 columns: NAME is cut first (in the middle, keeping the suffix), then the restart time and AGE', () => {
    const f = frameOf(<PodsPane snapshot={snapshot()} width={40} height={8} />);
    const l = lines(f);
    expect(widest(f)).toBeLessThanOrEqual(40);
    expect(l[1]).toMatch(/^NAME +READY +STATUS +RST$/);
    const bad = l.find(x => x.includes('CrashLoopBackOff'))!;
    expect(bad).toMatch(/^overlo…-hx2lp +0\/1 +CrashLoopBackOff +4$/);
    // Names stay tellable apart.
    expect(l.filter(x => /^overlo…-(2xk4q|8qpzt|t4mwx) /.test(x))).toHaveLength(3);
  });

  it('colours rows by k9s tone and the live label green; NO_COLOR keeps the text and marks bad rows', () => {
    let f = frameOf(<PodsPane snapshot={snapshot()} width={60} height={8} />);
    expect(lineWith(f, 'CrashLoopBackOff')).toContain(RED);
    expect(lineWith(f, '2xk4q')).toContain('\u001B[36m');
    expect(lineWith(f, 'PODS')).toContain(`${GREEN}● 1s`);
    cleanup();
    process.env.NO_COLOR = '1';
    f = frameOf(<PodsPane snapshot={snapshot()} width={40} height={8} />);
    expect(f).not.toMatch(COLOUR);
    expect(lineWith(f, 'CrashLoopBackOff')).toMatch(/^✗ /);
    expect(lineWith(f, '2xk4q')).toMatch(/^ {2}overlord/);
    expect(widest(f)).toBeLessThanOrEqual(40);
  });

  it('never shows stale or reconnecting data as fresh', () => {
    let f = frameOf(<PodsPane snapshot={snapshot({podsStatus: {status: 'stale', label: 'stale 40s', tone: 'error'}})} width={40} height={6} />);
    expect(lines(f)[0]).toMatch(/stale 40s$/);
    expect(f).not.toContain('●');
    expect(lineWith(f, 'PODS')).toContain(`${RED}stale 40s`);
    cleanup();
    f = frameOf(<PodsPane snapshot={snapshot({podsStatus: {status: 'reconnecting', label: 'reconnecting 4s', tone: 'warn'}})} width={40} height={6} />);
    expect(lineWith(f, 'PODS')).toContain(`${YELLOW}reconnecting 4s`);
  });

  it('renders only the rows that fit, says how many more, and scrolls by offset', () => {
    const many = Array.from({length: 50}, (_, i) => pod(`web-${String(i).padStart(2, '0')}-abcde`));
    let l = lines(frameOf(<PodsPane snapshot={snapshot({pods: many})} width={60} height={8} />));
    expect(l).toHaveLength(8);
    expect(l.slice(2, 7).map(x => x.slice(0, 6))).toEqual(['web-00', 'web-01', 'web-02', 'web-03', 'web-04']);
    expect(l[7]).toBe('+45 more (50 pods)');
    cleanup();
    l = lines(frameOf(<PodsPane snapshot={snapshot({pods: many})} width={60} height={8} offset={10} />));
    expect(l[2]).toMatch(/^web-10/);
    expect(l[7]).toBe('+35 more · 10 above (50 pods)');
    cleanup();
    // A snapshot carrying only the window useCluster computed (rows 100-104 of 5,000).
    const window = Array.from({length: 5}, (_, i) => pod(`churn-${String(100 + i).padStart(5, '0')}-xyz`));
    l = lines(frameOf(<PodsPane snapshot={snapshot({pods: window, podsOffset: 100, podsTotal: 5000})} width={60} height={8} offset={100} />));
    expect(l[2]).toMatch(/^churn-00100/);
    expect(l[7]).toBe('+4895 more · 100 above (5000 pods)');
  });

  it('says why there are no rows', () => {
    const f = frameOf(<PodsPane snapshot={snapshot({pods: [], error: 'list: connect ECONNREFUSED 127.0.0.1:1', podsStatus: {status: 'error', label: 'error', tone: 'error'}})} width={40} height={4} />);
    expect(lines(f)[1]).toBe('list: connect ECONNREFUSED 127.0.0.1:1');
  });
});

describe('RolloutPane', () => {
  it('title, bars, status line, history with the current revision marked, events — all within 60 columns', () => {
    const f = frameOf(<RolloutPane snapshot={snapshot()} width={60} height={16} />);
    const l = lines(f);
    expect(l[0]).toBe('ROLLOUT overlord · rev 2 · v1.2.0');
    expect(l[1]).toBe('██████░░░░ 2/3 updated');
    expect(l[2]).toBe('██████████ 3/3 ready');
    expect(l[3]).toBe('██████████ 3/3 available');
    expect(plain(f).replace(/\n/g, ' ')).toContain('Waiting for deployment "overlord" rollout to finish: 2 out of 3 new replicas have been updated...');
    expect(f).toContain('REVISION');
    expect(lineWith(f, '  1  v1.1.0')).toBeTruthy();
    expect(lines(f).find(x => x.includes('v1.2.0 (current)'))).toMatch(/^● {3}2 {2}v1\.2\.0 \(current\) {2}kubectl set image/);
    expect(lineWith(f, 'BackOff')).toMatch(/5s BackOff {2}Back-off restarting/);
    expect(lineWith(f, 'BackOff')).toContain(YELLOW);
    expect(lineWith(f, 'ScalingReplicaSet')).toContain('45s');
    expect(widest(f)).toBeLessThanOrEqual(60);
  });

  it('the deadline error in red, success in green, at 40 columns', () => {
    const failed = rollout({message: 'deployment "overlord" exceeded its progress deadline', failed: true});
    let f = frameOf(<RolloutPane snapshot={snapshot({rollout: failed})} width={40} height={12} />);
    expect(widest(f)).toBeLessThanOrEqual(40);
    expect(plain(f).replace(/\n/g, ' ')).toContain('deployment "overlord" exceeded its progress deadline');
    expect(lineWith(f, 'exceeded')).toContain(RED);
    cleanup();
    const ok = rollout({message: 'deployment "overlord" successfully rolled out', done: true, counts: {desired: 3, current: 3, updated: 3, ready: 3, available: 3, unavailable: 0, old: 0}});
    f = frameOf(<RolloutPane snapshot={snapshot({rollout: ok})} width={40} height={12} />);
    expect(lineWith(f, 'successfully')).toContain(GREEN);
    cleanup();
    process.env.NO_COLOR = '1';
    f = frameOf(<RolloutPane snapshot={snapshot({rollout: failed})} width={40} height={12} />);
    expect(f).not.toMatch(COLOUR);
    expect(plain(f)).toContain('██████░░░░');
  });

  it('a short pane keeps title, counts, status and both revisions; stale data is named on the title', () => {
    const f = frameOf(<RolloutPane snapshot={snapshot({rollout: rollout({freshness: {status: 'stale', label: 'stale 40s', tone: 'error'}})})} width={50} height={6} />);
    const l = lines(f);
    expect(l).toHaveLength(6);
    expect(l[0]).toMatch(/^ROLLOUT overlord · rev 2 · v1\.2\.0 +stale 40s$/);
    expect(l[1]).toBe('2/3 updated  3/3 ready  3/3 available');
    expect(l[2]).toMatch(/^Waiting for deployment/);
    expect(l[4]).toMatch(/^↶ {3}1 {2}v1\.1\.0 \(rollback target\)/);
    expect(l[5]).toMatch(/^● {3}2 {2}v1\.2\.0 \(current\)/);
    expect(f).not.toContain('REVISION');
    expect(f).not.toContain('EVENTS');
  });

  it('before the deployment is known, or when it is missing', () => {
    let f = frameOf(<RolloutPane snapshot={snapshot({rollout: null})} width={40} height={4} />);
    expect(lines(f)[1]).toMatch(/loading…/);
    cleanup();
    f = frameOf(<RolloutPane snapshot={snapshot({rollout: null, error: 'deployments.apps "overlord" not found'})} width={40} height={4} />);
    expect(lines(f)[1]).toBe('deployments.apps "overlord" not found');
  });
});
