// The pod diagnosis's policy: which key means what when a pod is selected or an overlay is open, how the selection
// moves and stays by name, what opening a view records, and that the record loads (old and new files alike).
import {describe, expect, it} from 'vitest';
import {eventSchema} from '../../source/session/schema.js';
import {lookedText} from '../../source/session/looked.js';
import {moveSelection, POD_HANDLERS, type PodCommandContext, type PodsInView} from '../../source/ui/cluster/pod-commands.js';
import {podsPaneLines} from '../../source/ui/cluster/pods-lines.js';
import {inspectLayout} from '../../source/ui/cluster/inspect-state.js';
import {keyName, resolveKey, type KeyState} from '../../source/ui/key-map.js';
import {initialViewState, viewReducer, type ViewAction, type ViewState} from '../../source/ui/use-session-view-state.js';
import {PODS, pod, snapshot} from './cluster/fixtures.js';

const idle: KeyState = {readOnly: false, running: false, focus: 'command', nativeFocus: false, reviewable: false, cluster: true, incidentDeclared: false, hasRollback: false, canSwitch: false};
const action = (r: ReturnType<typeof resolveKey>) => (r && 'action' in r ? r.action : null);

describe('keys', () => {
  it('l p d e are about the selected pod while there is one; Esc lets it go; without one they walk the runbook', () => {
    const selected = {...idle, podSelected: true};
    expect(['l', 'p', 'd', 'e', 'Esc'].map(k => action(resolveKey('step', k, selected)))).toEqual(['pod-logs', 'pod-previous', 'pod-describe', 'pod-events', 'pods-release']);
    expect(['l', 'p', 'd', 'J', 'K'].map(k => action(resolveKey('step', k, idle)))).toEqual(['next-step', 'previous-step', 'mark-done', 'pods-down', 'pods-up']);
    // A read-only view may look too (nothing is recorded there).
    expect(action(resolveKey('read-only', 'p', {...selected, readOnly: true}))).toBe('pod-previous');
  });

  it('the overlay scrolls, searches and closes; its search line takes text', () => {
    const keys = ['Down', 'Up', 'PageDown', 'PageUp', 'g', 'G', '/', 'n', 'N', 'Esc', 'd'];
    expect(keys.map(k => action(resolveKey('inspect', k, idle)))).toEqual([
      'inspect-down',
      'inspect-up',
      'inspect-page-down',
      'inspect-page-up',
      'inspect-top',
      'inspect-bottom',
      'inspect-search',
      'inspect-next',
      'inspect-previous',
      'inspect-close',
      'pod-describe',
    ]);
    const plain = {ctrl: false, meta: false} as Parameters<typeof keyName>[1];
    expect(keyName('n', plain, 'inspect-search')).toBe('text');
    expect(action(resolveKey('inspect-search', 'text', idle))).toBe('inspect-type');
    expect(action(resolveKey('inspect-search', 'Enter', idle))).toBe('inspect-submit');
    expect(action(resolveKey('inspect-search', 'Esc', idle))).toBe('inspect-cancel');
  });
});

describe('the selection in PODS', () => {
  const pods: PodsInView = {namespace: 'ns', names: PODS.map(p => p.name), offset: 0, total: PODS.length, rows: 2};

  it('starts at the first row shown, moves by one, and scrolls the pane to keep the pod in sight', () => {
    expect(moveSelection(null, pods, 0, 1)).toEqual({name: PODS[0]!.name, podsOffset: 0});
    expect(moveSelection(PODS[0]!.name, pods, 0, 1)).toEqual({name: PODS[1]!.name, podsOffset: 0});
    expect(moveSelection(PODS[1]!.name, pods, 0, 1)).toEqual({name: PODS[2]!.name, podsOffset: 1});
    expect(moveSelection(PODS[3]!.name, pods, 2, 1)).toEqual({name: PODS[3]!.name, podsOffset: 2});
    expect(moveSelection(PODS[2]!.name, pods, 2, -1)).toEqual({name: PODS[1]!.name, podsOffset: 1});
    expect(moveSelection(null, {...pods, names: []}, 0, 1)).toBeNull();
  });

  it('is drawn in inverse, by name: a pod added above it moves the row, not the selection', () => {
    const name = PODS[3]!.name;
    const row = (lines: ReturnType<typeof podsPaneLines>) => lines.find(l => l.some(s => s.inverse));
    const first = podsPaneLines(snapshot({podSelected: name}), 60, 10);
    const before = row(first);
    expect(before?.[0]!.text).toContain('hx2lp');
    const more = [pod('overlord-0aaaaaaaa-first'), ...PODS];
    const after = podsPaneLines(snapshot({pods: more, podsTotal: more.length, podSelected: name}), 60, 10);
    expect(row(after)?.[0]!.text).toContain('hx2lp');
    expect(after.indexOf(row(after)!)).toBe(first.indexOf(before!) + 1);
  });

  it('stays in sight in a short pane: the window moves to it', () => {
    const lines = podsPaneLines(snapshot({podSelected: PODS[3]!.name}), 60, 4);
    expect(lines.some(l => l.some(s => s.inverse && s.text.includes('hx2lp')))).toBe(true);
  });
});

describe('opening a view', () => {
  function harness(view: ViewState) {
    let state = view;
    const looks: unknown[] = [];
    const ctx: PodCommandContext = {
      view: () => state,
      dispatch: (a: ViewAction) => {
        state = viewReducer(state, a);
      },
      pods: {namespace: 'overlord-production', names: PODS.map(p => p.name), offset: 0, total: 4, rows: 10},
      record: look => looks.push(look),
    };
    return {ctx, looks, state: () => state};
  }

  it('J selects, p opens the previous container’s log of that pod and records the look; Esc closes, Esc lets go', () => {
    const h = harness(initialViewState());
    POD_HANDLERS['pods-down'](h.ctx, '');
    POD_HANDLERS['pods-down'](h.ctx, '');
    expect(h.state().podSelected).toBe(PODS[1]!.name);
    expect(h.state().message?.text).toMatch(/l logs · p previous/);
    POD_HANDLERS['pod-previous'](h.ctx, '');
    expect(h.state().inspect).toMatchObject({pod: PODS[1]!.name, namespace: 'overlord-production', view: 'previous', top: 'end'});
    expect(h.looks).toEqual([{view: 'previous', namespace: 'overlord-production', pod: PODS[1]!.name}]);
    // From the overlay, d describes the same pod (another look).
    POD_HANDLERS['pod-describe'](h.ctx, '');
    expect(h.state().inspect).toMatchObject({view: 'describe', top: 0});
    expect(h.looks).toHaveLength(2);
    POD_HANDLERS['inspect-close'](h.ctx, '');
    expect(h.state().inspect).toBeNull();
    POD_HANDLERS['pods-release'](h.ctx, '');
    expect(h.state().podSelected).toBeNull();
  });

  it('the search typed in the overlay goes to its first match', () => {
    const h = harness({...initialViewState(), podSelected: PODS[3]!.name});
    POD_HANDLERS['pod-logs'](h.ctx, '');
    const lines = Array.from({length: 40}, (_, i) => (i === 5 ? 'ERROR boom' : `line ${i}`));
    const size = {width: 60, height: 10};
    h.ctx.inspect = {layout: inspectLayout(lines, size, h.state().inspect!), layoutWith: s => inspectLayout(lines, size, s)};
    POD_HANDLERS['inspect-search'](h.ctx, '');
    for (const ch of 'boom') POD_HANDLERS['inspect-type'](h.ctx, ch);
    POD_HANDLERS['inspect-submit'](h.ctx, '');
    expect(h.state().inspect).toMatchObject({search: 'boom', input: null, hit: 5});
    const layout = inspectLayout(lines, size, h.state().inspect!);
    expect(layout.top).toBeLessThanOrEqual(5);
    expect(layout.top + layout.visible).toBeGreaterThan(5);
  });
});

describe('the record', () => {
  it('a look is a note with an optional field: older notes load, and older readers see the text', () => {
    const look = {view: 'previous', namespace: 'overlord-production', pod: 'overlord-7b9c6d5f4-hx2lp'} as const;
    const event = {type: 'note', at: '2026-01-07T14:30:00Z', stepId: 's1', text: lookedText(look), looked: look};
    expect(eventSchema.parse(event)).toMatchObject({looked: look});
    expect(event.text).toBe('Looked at the previous container’s logs of pod overlord-7b9c6d5f4-hx2lp (namespace overlord-production)');
    expect(eventSchema.parse({type: 'note', at: event.at, stepId: 's1', text: 'older note'})).not.toHaveProperty('looked');
    expect(() => eventSchema.parse({...event, looked: {...look, view: 'yaml'}})).toThrow();
  });
});
