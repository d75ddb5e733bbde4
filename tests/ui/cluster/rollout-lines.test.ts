// ROLLOUT keeps the rollback target in view (issue 17, item 6): at every height and width the
// previous revision and the current one are shown before any EVENTS line; EVENTS give way first.
import stringWidth from 'string-width';
import {describe, expect, it} from 'vitest';
import type {Deployment, KubeEvent, ReplicaSet} from '../../../source/kube/types.js';
import {rolloutSnapshot, type RolloutSnapshot} from '../../../source/ui/cluster/cluster-snapshot.js';
import type {PaneLine} from '../../../source/ui/cluster/pane-lines.js';
import {rolloutLayout, rolloutPaneLines} from '../../../source/ui/cluster/rollout-lines.js';
import {NS, rollout} from './fixtures.js';

const text = (l: PaneLine) => l.map(s => s.text).join('');
const render = (r: RolloutSnapshot, width: number, height: number) =>
  rolloutPaneLines({rollout: r, deployment: r.name, namespace: NS, error: null}, width, height).map(l => text(l).trimEnd());

const NOW = Date.parse('2025-03-14T22:16:00Z');
const at = (secondsAgo: number) => new Date(NOW - secondsAgo * 1000).toISOString();
const IMAGE = 'ghcr.io/legion14041981-ui/overlord-trading-system-v8';
const UID = 'deploy-uid';

function replicaSet(revision: number, hash: string, tag: string, createdAgo: number, replicas: number): ReplicaSet {
  return {
    metadata: {
      name: `overlord-${hash}`,
      namespace: NS,
      creationTimestamp: at(createdAgo),
      annotations: {'deployment.kubernetes.io/revision': String(revision)},
      ownerReferences: [{kind: 'Deployment', name: 'overlord', uid: UID, controller: true}],
    },
    spec: {replicas, template: {metadata: {labels: {app: 'overlord', 'pod-template-hash': hash}}, spec: {containers: [{name: 'overlord', image: `${IMAGE}:${tag}`}]}}},
    status: {replicas, readyReplicas: revision === 1 ? replicas : 0},
  } as ReplicaSet;
}

/** The bad release past its deadline: v1.2.0 crash-looping, v1.1.0 still serving, and a stream of events. */
function crashLoop(eventCount: number): RolloutSnapshot {
  const deployment = {
    metadata: {name: 'overlord', namespace: NS, uid: UID, generation: 2, annotations: {'deployment.kubernetes.io/revision': '2'}},
    spec: {replicas: 3, template: {metadata: {labels: {app: 'overlord'}}, spec: {containers: [{name: 'overlord', image: `${IMAGE}:v1.2.0`}]}}},
    status: {
      observedGeneration: 2, replicas: 4, updatedReplicas: 1, readyReplicas: 3, availableReplicas: 3, unavailableReplicas: 1,
      conditions: [{type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded'}],
    },
  } as Deployment;
  const sets = [replicaSet(1, '5d4f8b7c9', 'v1.1.0', 12 * 60, 3), replicaSet(2, '7b9c6d5f4', 'v1.2.0', 95, 1)];
  const events: KubeEvent[] = Array.from({length: eventCount}, (_, i) => ({
    metadata: {name: `e${i}`, namespace: NS},
    involvedObject: {kind: 'Pod', name: 'overlord-7b9c6d5f4-hx2lp'},
    type: 'Warning',
    reason: i % 2 ? 'Unhealthy' : 'BackOff',
    message: `event ${i}: Back-off restarting failed container overlord`,
    count: i + 1,
    lastTimestamp: at(i * 3),
  }));
  events.push({metadata: {name: 'scale', namespace: NS}, involvedObject: {kind: 'Deployment', name: 'overlord'}, type: 'Normal', reason: 'ScalingReplicaSet', message: 'Scaled up replica set overlord-7b9c6d5f4 from 0 to 1', lastTimestamp: at(95)});
  return rolloutSnapshot(deployment, sets, events, {status: 'live', label: '● 1s', tone: 'ok'}, NOW, eventCount + 1);
}

const indexOf = (lines: string[], re: RegExp) => lines.findIndex(l => re.test(l));

describe('ROLLOUT during the crash loop keeps the rollback target in view', () => {
  const r = crashLoop(12);

  it('the model: a failed rollout, two revisions with their ages, the events newest first', () => {
    expect(r.failed).toBe(true);
    expect(r.history.map(h => [h.revision, h.tag, h.age, h.current])).toEqual([[1, 'v1.1.0', '12m', false], [2, 'v1.2.0', '95s', true]]);
    expect(r.events.length).toBeGreaterThan(10);
    expect(r.events[0]?.message).toMatch(/^event 0:/);
  });

  it('at every height from 4 to 20 and width from 30 to 80: both revisions, before any EVENTS line, never too wide or tall', () => {
    for (let width = 30; width <= 80; width++) {
      for (let height = 4; height <= 20; height++) {
        const lines = render(r, width, height);
        const where = `${width}x${height}:\n${lines.join('\n')}`;
        expect(lines.length, where).toBeLessThanOrEqual(height);
        for (const l of lines) expect(stringWidth(l), where).toBeLessThanOrEqual(width);
        expect(lines[0], where).toMatch(/^ROLLOUT overlord · rev 2/);
        const previous = indexOf(lines, /^↶ {3}1 {2}v1\.1\.0 {2}12m ago/);
        const current = indexOf(lines, /^● {3}2 {2}v1\.2\.0 {2}95s ago/);
        expect(previous, where).toBeGreaterThan(0);
        expect(current, where).toBe(previous + 1);
        expect(lines.some(l => l.startsWith('deployment "overlord" exceeded')), where).toBe(true);
        const events = indexOf(lines, /^EVENTS/);
        if (events >= 0) {
          expect(events, where).toBeGreaterThan(current);
          // Events are the last to get room: the bars and the whole status line are in already.
          expect(lines[1], where).toMatch(/^[█░]+ 1\/3 updated/);
          // The newest first, as many as fit.
          expect(lines.slice(events + 1).map(l => l.trim().split(/\s+/)[3]), where).toEqual(r.events.slice(0, lines.length - events - 1).map(e => e.message.split(' ')[1]));
        }
      }
    }
  });

  it('EVENTS give way first, then the bars fold to one line of counts; the revisions stay', () => {
    const counts = (h: number) => {
      const lines = render(r, 60, h);
      return {events: Math.max(0, lines.length - 1 - indexOf(lines, /^EVENTS/)) * Number(indexOf(lines, /^EVENTS/) >= 0), bars: lines.filter(l => /^[█░]+ /.test(l)).length};
    };
    expect(counts(20)).toEqual({events: 11, bars: 3});
    expect(counts(11)).toEqual({events: 2, bars: 3});
    expect(counts(8)).toEqual({events: 0, bars: 3});
    expect(counts(5)).toEqual({events: 0, bars: 0});
    expect(render(r, 60, 5)).toEqual([
      'ROLLOUT overlord · rev 2 · v1.2.0',
      '1/3 updated  3/3 ready  3/3 available',
      'deployment "overlord" exceeded its progress deadline',
      '↶   1  v1.1.0  12m ago (rollback target)',
      '●   2  v1.2.0  95s ago (current)',
    ]);
    // The pane at 80x24 (folded under the step): the deadline error whole, then both revisions.
    expect(render(r, 36, 5)).toEqual([
      'ROLLOUT overlord · rev 2 · v1.2.0',
      'deployment "overlord" exceeded its',
      'progress deadline',
      '↶   1  v1.1.0  12m ago (rollback ta…',
      '●   2  v1.2.0  95s ago (current)',
    ]);
    expect(render(r, 30, 4)).toEqual([
      'ROLLOUT overlord · rev 2 · v…',
      'deployment "overlord" exceeded',
      '↶   1  v1.1.0  12m ago (rollb…',
      '●   2  v1.2.0  95s ago (curre…',
    ]);
  });

  it('a long tag is cut before the age, and older revisions come only once the events are in', () => {
    const history = [3, 4, 5, 6, 7].map(revision => ({revision, image: '', tag: revision === 6 ? 'sha256:0123456789ab' : `v1.${revision}.0`, changeCause: '<none>', current: revision === 7, replicaSetName: `rs-${revision}`, age: `${10 - revision}d`}));
    const many = rollout({history, events: crashLoop(3).events});
    const short = render(many, 30, 6);
    expect(short.find(l => l.startsWith('↶'))).toMatch(/^↶ {3}6 {2}sha256:0123456… {2}4d ago$/);
    expect(short.some(l => /^ {5}[345] /.test(l))).toBe(false);
    const layout = rolloutLayout(many, 3, 20);
    expect(layout.events).toBe(4);
    expect(layout.history.map(h => h.revision)).toEqual([3, 4, 5, 6, 7]);
    expect(rolloutLayout(many, 3, 16).history.map(h => h.revision)).toEqual([5, 6, 7]);
  });

  it('a first release has no rollback target: its one revision, then the events, as before', () => {
    const first = rollout({history: [{revision: 1, image: '', tag: 'v1.1.0', changeCause: '<none>', current: true, replicaSetName: 'rs-1', age: '2d'}]});
    const lines = render(first, 40, 12);
    expect(lines.filter(l => l.startsWith('↶'))).toEqual([]);
    expect(lines).toContain('●   1  v1.1.0  2d ago (current)');
    expect(lines.some(l => l.startsWith('EVENTS'))).toBe(true);
    expect(render(rollout({history: []}), 40, 4)[0]).toBe('ROLLOUT overlord · rev 2 · v1.2.0');
  });
});
