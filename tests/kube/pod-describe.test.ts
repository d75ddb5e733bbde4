import {describe, expect, it} from 'vitest';
import {describeLines, describePod, namespaceEventLines, podEvents} from '../../source/kube/pod-describe.js';
import {containerToRead} from '../../source/kube/pod-views.js';
import type {KubeEvent, Pod} from '../../source/kube/types.js';

const NOW = Date.parse('2026-01-07T14:30:00Z');

/** A v1.2.0 pod in a crash loop, as the kubelet reports it between two restarts. */
const crashing = (): Pod =>
  ({
    metadata: {name: 'overlord-7b9c6d5f4-hx2lp', namespace: 'overlord-production', creationTimestamp: '2026-01-07T14:28:00Z'},
    spec: {nodeName: 'node-1', containers: [{name: 'overlord', image: 'ghcr.io/x/overlord:v1.2.0'}]},
    status: {
      phase: 'Running',
      startTime: '2026-01-07T14:28:00Z',
      conditions: [
        {type: 'Ready', status: 'False', reason: 'ContainersNotReady'},
        {type: 'PodScheduled', status: 'True'},
      ],
      containerStatuses: [
        {
          name: 'overlord',
          ready: false,
          restartCount: 4,
          state: {waiting: {reason: 'CrashLoopBackOff', message: 'back-off 40s restarting failed container=overlord'}},
          lastState: {terminated: {exitCode: 1, reason: 'Error', startedAt: '2026-01-07T14:29:40Z', finishedAt: '2026-01-07T14:29:41Z'}},
        },
      ],
    },
  }) as unknown as Pod;

const event = (name: string, reason: string, over: Partial<KubeEvent> = {}): KubeEvent =>
  ({
    metadata: {name: `${name}.${reason}`, namespace: 'overlord-production'},
    involvedObject: {kind: 'Pod', name},
    type: 'Warning',
    reason,
    message: `${reason} of ${name}`,
    count: 1,
    lastTimestamp: '2026-01-07T14:29:50Z',
    ...over,
  }) as KubeEvent;

describe('describePod', () => {
  it('reads phase, reason, node, conditions, and each container’s state and last state with its exit code', () => {
    const d = describePod(crashing(), [], NOW);
    expect(d).toMatchObject({name: 'overlord-7b9c6d5f4-hx2lp', node: 'node-1', phase: 'Running', reason: 'CrashLoopBackOff'});
    expect(d.conditions).toEqual([
      {type: 'Ready', status: 'False', reason: 'ContainersNotReady'},
      {type: 'PodScheduled', status: 'True'},
    ]);
    const [c] = d.containers;
    expect(c).toMatchObject({name: 'overlord', image: 'ghcr.io/x/overlord:v1.2.0', ready: false, restarts: 4});
    expect(c!.state).toMatchObject({state: 'Waiting', reason: 'CrashLoopBackOff'});
    expect(c!.lastState).toMatchObject({state: 'Terminated', reason: 'Error', exitCode: 1, finishedAt: '2026-01-07T14:29:41Z'});
  });

  it('keeps only the pod’s own events, oldest first, with kubectl’s “(x4 over 2m)”', () => {
    const events = [
      event('overlord-7b9c6d5f4-hx2lp', 'BackOff', {count: 4, firstTimestamp: '2026-01-07T14:28:00Z', lastTimestamp: '2026-01-07T14:29:50Z'}),
      event('overlord-7b9c6d5f4-hx2lp', 'Scheduled', {type: 'Normal', lastTimestamp: '2026-01-07T14:28:00Z'}),
      event('another-pod', 'BackOff'),
      event('overlord-7b9c6d5f4-hx2lp', 'ScalingReplicaSet', {involvedObject: {kind: 'ReplicaSet', name: 'overlord-7b9c6d5f4-hx2lp'}}),
    ];
    const rows = podEvents(events, 'overlord-7b9c6d5f4-hx2lp', NOW);
    expect(rows.map(r => r.reason)).toEqual(['Scheduled', 'BackOff']);
    expect(rows[1]!.age).toBe('10s (x4 over 2m)');
  });

  it('lays the description out as kubectl does: the waiting reason, the last state’s exit code, the events', () => {
    const text = describeLines(describePod(crashing(), [event('overlord-7b9c6d5f4-hx2lp', 'BackOff')], NOW)).join('\n');
    expect(text).toMatch(/^Status: +Running$/m);
    expect(text).toMatch(/^Reason: +CrashLoopBackOff$/m);
    expect(text).toMatch(/State: +Waiting\n +Reason: +CrashLoopBackOff/);
    expect(text).toMatch(/Last State: +Terminated\n +Reason: +Error\n +Exit Code: +1/);
    expect(text).toMatch(/Restart Count: +4/);
    expect(text).toMatch(/Image: +ghcr\.io\/x\/overlord:v1\.2\.0/);
    expect(text).toMatch(/^Node: +node-1$/m);
    expect(text).toMatch(/Warning +BackOff +10s/);
  });

  it('a pod the kubelet has not reported on yet: no last state, no events, nothing made up', () => {
    const pod = {metadata: {name: 'p', namespace: 'ns'}, spec: {containers: [{name: 'c', image: 'i'}]}, status: {phase: 'Pending'}} as unknown as Pod;
    const d = describePod(pod, [], NOW);
    expect(d.containers[0]).toMatchObject({state: {state: ''}, lastState: null, restarts: 0});
    expect(describeLines(d).join('\n')).toMatch(/Events:\n {2}<none>/);
  });
});

describe('namespace events and the container a log is read from', () => {
  it('lists the namespace’s events oldest first with the object each is about', () => {
    const lines = namespaceEventLines(
      [event('b', 'BackOff', {lastTimestamp: '2026-01-07T14:29:59Z'}), event('a', 'Pulled', {type: 'Normal', lastTimestamp: '2026-01-07T14:29:00Z'})],
      NOW,
    );
    expect(lines[0]).toMatch(/^LAST SEEN +TYPE +REASON +OBJECT +MESSAGE$/);
    expect(lines[1]).toMatch(/^60s +Normal +Pulled +pod\/a +Pulled of a$/);
    expect(lines[2]).toMatch(/^1s +Warning +BackOff +pod\/b +BackOff of b$/);
    expect(namespaceEventLines([], NOW)).toEqual(['No events found.']);
  });

  it('reads the crash-looping container of a pod with several, else the first', () => {
    const pod = crashing();
    pod.spec!.containers = [{name: 'sidecar'}, {name: 'overlord'}] as never;
    pod.status!.containerStatuses = [{name: 'sidecar', ready: true, restartCount: 0}, ...pod.status!.containerStatuses!];
    expect(containerToRead(pod)).toBe('overlord');
    pod.status!.containerStatuses = [];
    expect(containerToRead(pod)).toBe('sidecar');
  });
});
