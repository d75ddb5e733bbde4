// Pure pieces of the sandbox: selectors, patches, the store's history window.
import {describe, expect, it} from 'vitest';
import {applyJsonPatch, applyMergePatch, applyStrategicMergePatch} from '../../source/sandbox/cluster/patch.js';
import {podTemplateHash} from '../../source/sandbox/cluster/pod-util.js';
import {parseFieldSelector, parseLabelSelector} from '../../source/sandbox/cluster/selectors.js';
import {ObjectStore} from '../../source/sandbox/cluster/store.js';
import type {KubeObject} from '../../source/sandbox/cluster/types.js';

const obj = (labels: Record<string, string>, extra: object = {}): KubeObject => ({metadata: {name: 'x', namespace: 'ns', labels}, ...extra});

describe('label selectors', () => {
	it.each([
		['app=overlord', {app: 'overlord'}, true],
		['app==overlord', {app: 'other'}, false],
		['app!=overlord', {}, true],
		['app in (a, overlord)', {app: 'overlord'}, true],
		['app notin (a,overlord)', {app: 'overlord'}, false],
		['tier', {tier: 'x'}, true],
		['!tier', {tier: 'x'}, false],
		['app=overlord,tier in (web,api),!canary', {app: 'overlord', tier: 'api'}, true],
	])('%s', (selector, labels, expected) => {
		expect(parseLabelSelector(selector)!(obj(labels))).toBe(expected);
	});

	it('rejects garbage with a 400', () => {
		expect(() => parseLabelSelector('a b c')).toThrow(/unable to parse/);
	});
});

describe('field selectors', () => {
	it('matches dotted paths with = and !=', () => {
		const ev = obj({}, {involvedObject: {name: 'overlord', kind: 'Deployment'}, status: {phase: 'Running'}});
		expect(parseFieldSelector('involvedObject.name=overlord,involvedObject.kind=Deployment')!(ev)).toBe(true);
		expect(parseFieldSelector('metadata.namespace=ns,metadata.name!=y')!(ev)).toBe(true);
		expect(parseFieldSelector('status.phase=Pending')!(ev)).toBe(false);
	});
});

describe('patches', () => {
	const deployment = {
		metadata: {annotations: {a: '1'}},
		spec: {template: {spec: {containers: [{name: 'overlord', image: 'v1', env: [{name: 'A', value: '1'}]}, {name: 'side', image: 's1'}]}}},
	};

	it('strategic merge merges containers by name', () => {
		const out = applyStrategicMergePatch(deployment, {
			spec: {template: {spec: {'$setElementOrder/containers': [{name: 'overlord'}, {name: 'side'}], containers: [{name: 'overlord', image: 'v2'}]}}},
		});
		expect(out.spec.template.spec.containers).toEqual([
			{name: 'overlord', image: 'v2', env: [{name: 'A', value: '1'}]},
			{name: 'side', image: 's1'},
		]);
		const deleted = applyStrategicMergePatch(deployment, {spec: {template: {spec: {containers: [{name: 'side', $patch: 'delete'}]}}}});
		expect(deleted.spec.template.spec.containers.map((c: any) => c.name)).toEqual(['overlord']);
	});

	it('merge patch replaces lists and deletes nulls', () => {
		const out = applyMergePatch(deployment, {metadata: {annotations: {a: null, b: '2'}}, spec: {template: {spec: {containers: [{name: 'only'}]}}}});
		expect(out.metadata.annotations).toEqual({b: '2'});
		expect(out.spec.template.spec.containers).toEqual([{name: 'only'}]);
	});

	it('JSON patch does add, replace, remove, test', () => {
		const out = applyJsonPatch(deployment, [
			{op: 'replace', path: '/metadata/annotations', value: {z: '9'}},
			{op: 'add', path: '/spec/template/spec/containers/-', value: {name: 'third'}},
			{op: 'remove', path: '/spec/template/spec/containers/1'},
			{op: 'test', path: '/metadata/annotations/z', value: '9'},
		]);
		expect(out.metadata.annotations).toEqual({z: '9'});
		expect(out.spec.template.spec.containers.map((c: any) => c.name)).toEqual(['overlord', 'third']);
		expect(() => applyJsonPatch(deployment, [{op: 'test', path: '/metadata/annotations/a', value: '2'}])).toThrow(/failed/);
	});
});

describe('pod-template-hash', () => {
	it('is stable, ignores its own label and uses the safe alphabet', () => {
		const a = podTemplateHash({metadata: {labels: {app: 'x'}}, spec: {containers: [{name: 'c', image: 'i:1'}]}});
		const b = podTemplateHash({metadata: {labels: {app: 'x', 'pod-template-hash': a}}, spec: {containers: [{name: 'c', image: 'i:1', resources: {}}]}});
		expect(a).toBe(b);
		expect(a).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]{6,10}$/);
		expect(podTemplateHash({metadata: {labels: {app: 'x'}}, spec: {containers: [{name: 'c', image: 'i:2'}]}})).not.toBe(a);
	});
});

describe('object store', () => {
	it('counts resourceVersions globally and replays from a bounded history', () => {
		const store = new ObjectStore(10);
		const seen: string[] = [];
		store.subscribe(e => seen.push(`${e.type}:${e.rv}`));
		const a = store.create('pods', {metadata: {name: 'a', namespace: 'n'}});
		expect(a.metadata.resourceVersion).toBe('1');
		expect(store.mutate('pods', 'n', 'a', () => {})).toBe(a);
		store.mutate('pods', 'n', 'a', p => {
			p.metadata.labels = {x: 'y'};
		});
		store.remove('pods', 'n', 'a');
		expect(seen).toEqual(['ADDED:1', 'MODIFIED:2', 'DELETED:3']);
		expect((store.eventsSince(1) as unknown[]).length).toBe(2);
		for (let i = 0; i < 20; i++) store.create('pods', {metadata: {name: `p${i}`, namespace: 'n'}});
		expect(store.eventsSince(1)).toBe('expired');
		expect(Array.isArray(store.eventsSince(store.currentRv() - 5))).toBe(true);
		store.expireHistory();
		expect(store.eventsSince(store.currentRv() - 1)).toBe('expired');
		expect(store.eventsSince(store.currentRv())).toEqual([]);
		expect(store.list('pods', 'n').map(p => p.metadata.name).slice(0, 3)).toEqual(['p0', 'p1', 'p10']);
	});
});
