import {describe, expect, it} from 'vitest';
import {humanDuration, podStatus, type PodLike} from '../../source/kube/pod-status.js';

const NOW = Date.parse('2026-01-10T12:00:00Z');
const ago = (ms: number) => new Date(NOW - ms).toISOString().replace('.000Z', 'Z');
const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;

describe('humanDuration (apimachinery HumanDuration)', () => {
	it.each([
		[-5 * S, '<invalid>'],
		[-1500, '0s'],
		[-999, '0s'],
		[0, '0s'],
		[119 * S + 999, '119s'],
		[120 * S, '2m'],
		[125 * S, '2m5s'],
		[9 * M + 59 * S, '9m59s'],
		[10 * M + 30 * S, '10m'],
		[179 * M, '179m'],
		[3 * H, '3h'],
		[3 * H + 5 * M, '3h5m'],
		[7 * H + 59 * M, '7h59m'],
		[8 * H, '8h'],
		[47 * H, '47h'],
		[48 * H, '2d'],
		[2 * D + 5 * H, '2d5h'],
		[7 * D + 23 * H, '7d23h'],
		[8 * D, '8d'],
		[729 * D, '729d'],
		[730 * D, '2y'],
		[3 * 365 * D + 12 * D, '3y12d'],
		[8 * 365 * D, '8y'],
		[20 * 365 * D + 100 * D, '20y'],
	])('%d ms → %s', (ms, text) => {
		expect(humanDuration(ms)).toBe(text);
	});
});

function pod(partial: {
	containers?: string[];
	init?: Array<{name: string; restartPolicy?: string}>;
	status?: NonNullable<PodLike['status']>;
	deleting?: boolean;
	created?: string | Date;
}): PodLike {
	return {
		metadata: {creationTimestamp: partial.created ?? ago(45 * M), ...(partial.deleting ? {deletionTimestamp: ago(-30 * S)} : {})},
		spec: {containers: (partial.containers ?? ['app']).map(name => ({name})), ...(partial.init ? {initContainers: partial.init} : {})},
		status: partial.status ?? {},
	};
}

const running = (name = 'app', ready = true) => ({name, ready, restartCount: 0, state: {running: {startedAt: ago(44 * M)}}});

describe('podStatus (kubectl printPod)', () => {
	it('prints a healthy pod', () => {
		const s = podStatus(pod({status: {phase: 'Running', containerStatuses: [running()]}}), NOW);
		expect([s.ready, s.status, s.restarts, s.age]).toEqual(['1/1', 'Running', '0', '45m']);
	});

	it('uses the waiting reason and shows restarts with the last termination age', () => {
		const s = podStatus(
			pod({
				status: {
					phase: 'Running',
					containerStatuses: [
						{
							name: 'app', ready: false, restartCount: 4,
							state: {waiting: {reason: 'CrashLoopBackOff'}},
							lastState: {terminated: {exitCode: 1, reason: 'Error', finishedAt: ago(12 * S)}},
						},
					],
				},
			}),
			NOW,
		);
		expect([s.ready, s.status, s.restarts]).toEqual(['0/1', 'CrashLoopBackOff', '4 (12s ago)']);
	});

	it('lets the first container reason win and counts restarts across containers', () => {
		const s = podStatus(
			pod({
				containers: ['a', 'b'],
				status: {
					phase: 'Running',
					containerStatuses: [
						{name: 'a', ready: false, restartCount: 1, state: {waiting: {reason: 'ImagePullBackOff'}}},
						{name: 'b', ready: false, restartCount: 2, state: {waiting: {reason: 'CrashLoopBackOff'}}, lastState: {terminated: {exitCode: 1, finishedAt: new Date(NOW - 3 * M)}}},
					],
				},
			}),
			NOW,
		);
		expect([s.ready, s.status, s.restarts]).toEqual(['0/2', 'ImagePullBackOff', '3 (3m ago)']);
	});

	it('prints restarts without "ago" when no termination time is known', () => {
		const s = podStatus(pod({status: {phase: 'Running', containerStatuses: [{...running(), restartCount: 2}]}}), NOW);
		expect(s.restarts).toBe('2');
	});

	it('prints Terminating for a deleting pod that has not finished, but not for a terminal one', () => {
		expect(podStatus(pod({deleting: true, status: {phase: 'Running', containerStatuses: [running()]}}), NOW).status).toBe('Terminating');
		const done = {name: 'app', ready: false, restartCount: 0, state: {terminated: {exitCode: 0, reason: 'Completed'}}};
		expect(podStatus(pod({deleting: true, status: {phase: 'Succeeded', containerStatuses: [done]}}), NOW).status).toBe('Completed');
		expect(podStatus(pod({deleting: true, status: {phase: 'Running', reason: 'NodeLost'}}), NOW).status).toBe('Unknown');
	});

	it('prints phase and status reasons', () => {
		expect(podStatus(pod({status: {phase: 'Pending'}}), NOW).status).toBe('Pending');
		expect(podStatus(pod({status: {phase: 'Failed', reason: 'Evicted'}}), NOW).status).toBe('Evicted');
		const gated = {phase: 'Pending', conditions: [{type: 'PodScheduled', status: 'False', reason: 'SchedulingGated'}]};
		expect(podStatus(pod({status: gated}), NOW).status).toBe('SchedulingGated');
		const creating = {phase: 'Pending', containerStatuses: [{name: 'app', ready: false, restartCount: 0, state: {waiting: {reason: 'ContainerCreating'}}}]};
		expect(podStatus(pod({status: creating}), NOW).status).toBe('ContainerCreating');
	});

	it('prints terminated containers by reason, signal or exit code', () => {
		const term = (t: {exitCode: number; reason?: string; signal?: number}) =>
			podStatus(pod({status: {phase: 'Running', containerStatuses: [{name: 'app', ready: false, restartCount: 0, state: {terminated: t}}]}}), NOW).status;
		expect(term({exitCode: 0, reason: 'Completed'})).toBe('Completed');
		expect(term({exitCode: 137, reason: 'OOMKilled'})).toBe('OOMKilled');
		expect(term({exitCode: 137, signal: 9})).toBe('Signal:9');
		expect(term({exitCode: 3})).toBe('ExitCode:3');
	});

	it('turns Completed back into Running or NotReady while another container runs', () => {
		const statuses = [
			{name: 'a', ready: false, restartCount: 0, state: {terminated: {exitCode: 0, reason: 'Completed'}}},
			running('b'),
		];
		const readyPod = pod({containers: ['a', 'b'], status: {phase: 'Running', containerStatuses: statuses, conditions: [{type: 'Ready', status: 'True'}]}});
		expect(podStatus(readyPod, NOW)).toMatchObject({status: 'Running', ready: '1/2'});
		const notReady = pod({containers: ['a', 'b'], status: {phase: 'Running', containerStatuses: statuses, conditions: [{type: 'Ready', status: 'False'}]}});
		expect(podStatus(notReady, NOW).status).toBe('NotReady');
	});

	describe('init containers', () => {
		const init = [{name: 'migrate'}, {name: 'warm'}];
		const initStatus = (state: object, restartCount = 0, extra: object = {}) => ({name: 'migrate', ready: false, restartCount, state, ...extra});

		it('prints Init:i/n while an init container runs', () => {
			const s = podStatus(pod({init, status: {phase: 'Pending', initContainerStatuses: [initStatus({running: {}})]}}), NOW);
			expect([s.status, s.ready]).toEqual(['Init:0/2', '0/1']);
			const second = [{...initStatus({terminated: {exitCode: 0, reason: 'Completed'}})}, {name: 'warm', ready: false, restartCount: 0, state: {waiting: {reason: 'PodInitializing'}}}];
			expect(podStatus(pod({init, status: {phase: 'Pending', initContainerStatuses: second}}), NOW).status).toBe('Init:1/2');
		});

		it('prints Init:<reason> for failing init containers and counts their restarts', () => {
			const crash = initStatus({waiting: {reason: 'CrashLoopBackOff'}}, 3, {lastState: {terminated: {exitCode: 1, finishedAt: ago(20 * S)}}});
			const s = podStatus(pod({init, status: {phase: 'Pending', initContainerStatuses: [crash]}}), NOW);
			expect([s.status, s.restarts]).toEqual(['Init:CrashLoopBackOff', '3 (20s ago)']);
			expect(podStatus(pod({init, status: {initContainerStatuses: [initStatus({terminated: {exitCode: 2, reason: 'Error'}})]}}), NOW).status).toBe('Init:Error');
			expect(podStatus(pod({init, status: {initContainerStatuses: [initStatus({terminated: {exitCode: 2}})]}}), NOW).status).toBe('Init:ExitCode:2');
			expect(podStatus(pod({init, status: {initContainerStatuses: [initStatus({terminated: {exitCode: 1, signal: 15}})]}}), NOW).status).toBe('Init:Signal:15');
		});

		it('counts started sidecars as ready and keeps only their restarts once initialised', () => {
			const sidecars = [{name: 'proxy', restartPolicy: 'Always'}, {name: 'migrate'}];
			const s = podStatus(
				pod({
					init: sidecars,
					status: {
						phase: 'Running',
						conditions: [{type: 'Initialized', status: 'True'}],
						initContainerStatuses: [
							{name: 'proxy', ready: true, started: true, restartCount: 1, state: {running: {}}, lastState: {terminated: {exitCode: 1, finishedAt: ago(5 * M)}}},
							{name: 'migrate', ready: false, restartCount: 2, state: {terminated: {exitCode: 0, reason: 'Completed'}}},
						],
						containerStatuses: [running()],
					},
				}),
				NOW,
			);
			expect([s.ready, s.status, s.restarts]).toEqual(['2/2', 'Running', '1 (5m ago)']);
		});
	});

	it('prints <unknown> age without a creation time and accepts Date timestamps', () => {
		expect(podStatus({spec: {containers: [{name: 'a'}]}}, NOW).age).toBe('<unknown>');
		expect(podStatus(pod({created: new Date(NOW - 3 * D)}), new Date(NOW)).age).toBe('3d');
	});
});
