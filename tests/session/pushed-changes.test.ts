// A store that says itself when it changes (a shared session): the controller folds only the events added at the end
// when the last one it folded is still in place, refolds everything otherwise, and only redraws on a change of the
// store's standing. Whichever way, the state is the fold of the store's events.
import {describe, expect, it} from 'vitest';
import {parseRunbook} from '../../source/runbook/index.js';
import {SessionController} from '../../source/session/controller.js';
import type {SessionEvent} from '../../source/session/events.js';
import {applyEvent, emptySessionState} from '../../source/session/session-state.js';
import type {SessionStore, StoreChange} from '../../source/session/store.js';

const runbook = parseRunbook('# T\n\n## One\n\n- [ ] a\n- [ ] b\n- [ ] c\n', {path: 't.md'});
const step = runbook.sections[0]!.children[0] ?? runbook.sections[0]!;

class PushingStore implements SessionStore {
  readonly id = 's';
  readonly outputDir = '/nonexistent';
  readonly readOnly = true;
  list: SessionEvent[] = [];
  listener: ((change: StoreChange) => void) | null = null;
  events() {
    return this.list;
  }
  append(): void {
    throw new Error('read-only');
  }
  subscribe(listener: (change: StoreChange) => void) {
    this.listener = listener;
    return () => (this.listener = null);
  }
  close() {}
}

const tick = (n: number, itemId: string, checked = true): SessionEvent => ({type: 'check-toggled', itemId, stepId: step.id, checked, at: `2026-01-01T00:00:0${n}Z`, id: `w.${n}`});

describe('a store that pushes its changes', () => {
  it('folds appended events onto the state, refolds a replaced list, and redraws on standing alone', () => {
    const store = new PushingStore();
    store.list = [tick(1, 'a')];
    const controller = new SessionController({runbook, store, shell: {env: {}, vars: {}, cwd: '/'}});
    expect(controller.pushesChanges).toBe(true);
    const fold = () => store.list.reduce(applyEvent, emptySessionState());
    store.list = [...store.list, tick(2, 'b'), tick(3, 'a', false)];
    store.listener!('appended');
    expect(controller.session).toEqual(fold());
    // Not an extension of what was folded (another writer's list): folded again from the start.
    store.list = [tick(4, 'c')];
    store.listener!('appended');
    expect(controller.session).toEqual(fold());
    store.list = [tick(5, 'b'), tick(6, 'a')];
    store.listener!('replaced');
    expect(controller.session).toEqual(fold());
    const version = controller.snapshot();
    store.listener!('standing');
    expect(controller.snapshot()).toBe(version + 1);
    expect(controller.session).toEqual(fold());
  });
});
