import {afterEach, describe, expect, it, vi} from 'vitest';

vi.hoisted(() => {
  process.env.FORCE_COLOR = '1';
});

import {cleanup, render} from 'ink-testing-library';
import {UndoDialog} from '../../../source/ui/cluster/undo-dialog.js';
import {initialUndoState, undoReducer, type UndoAction, type UndoChoice} from '../../../source/ui/cluster/use-undo-state.js';
import {COLOUR, GREEN, lines, lineWith, NS, plain, RED, widest} from './fixtures.js';

afterEach(() => {
  cleanup();
  delete process.env.NO_COLOR;
});

const choice = (revision: number, tag: string, current: boolean, plan: UndoChoice['plan']): UndoChoice => ({
  revision,
  image: `ghcr.io/legion14041981-ui/overlord-trading-system-v8:${tag}`,
  tag,
  changeCause: revision === 2 ? 'kubectl set image deployment/overlord overlord=…:v1.2.0' : '<none>',
  current,
  replicaSetName: `overlord-rs${revision}`,
  plan,
});
const CHOICES = [
  choice(1, 'v1.1.0', false, {action: 'patch', message: '', diff: ['overlord: image v1.2.0 → v1.1.0']}),
  choice(2, 'v1.2.0', true, {action: 'skip', message: 'deployment.apps/overlord skipped rollback (current template already matches revision 2)', diff: []}),
];
const state = (...actions: UndoAction[]) =>
  [{type: 'loaded', fromRevision: 2, fromImage: CHOICES[1]!.image, choices: CHOICES} as UndoAction, ...actions].reduce(undoReducer, initialUndoState(NS, 'overlord'));
const frameOf = (s: ReturnType<typeof state>, width = 60, height = 14) => render(<UndoDialog state={s} width={width} height={height} />).lastFrame() ?? '';

describe('UndoDialog', () => {
  it('choose: the history with the previous revision picked, the image change and the template diff', () => {
    const f = frameOf(state());
    expect(lines(f)[0]).toBe(`ROLLBACK deployment/overlord · ${NS}`);
    expect(f).toContain('now: revision 2 · v1.2.0');
    expect(lines(f).find(l => l.includes('v1.1.0') && l.startsWith('▸'))).toMatch(/^▸ {5}1 {2}v1\.1\.0$/);
    expect(plain(f)).toMatch(/● {3}2 {2}v1\.2\.0 \(current\) {2}kubectl set image/);
    expect(f).toContain('Target: revision 1 · image v1.2.0 → v1.1.0');
    expect(f).toContain('  overlord: image v1.2.0 → v1.1.0');
    expect(f).toContain('↑↓ revision · ⏎ continue · Esc cancel');
    expect(widest(f)).toBeLessThanOrEqual(60);
    cleanup();
    // The current revision says kubectl would skip it.
    expect(plain(frameOf(state({type: 'move', delta: 1})))).toContain('skipped rollback');
  });

  it('confirm: asks for the namespace and echoes what is typed, within 40 columns', () => {
    const f = frameOf(state({type: 'enter'}, {type: 'type', text: 'overlord-prod'}), 40, 14);
    expect(plain(f).replace(/\n/g, ' ')).toContain(`Type the namespace to confirm: ${NS}`);
    expect(plain(f)).toContain('> overlord-prod▏');
    expect(widest(f)).toBeLessThanOrEqual(40);
  });

  it('a mistyped namespace ends cancelled, with the message', () => {
    const f = frameOf(state({type: 'enter'}, {type: 'type', text: 'overlord-staging'}, {type: 'enter'}), 60, 14);
    expect(plain(f).replace(/\n/g, ' ')).toContain('⊘ "overlord-staging" typed, not the namespace overlord-production: rollback cancelled, nothing was changed');
    expect(f).toContain('⏎/Esc close');
  });

  it('following shows kubectl lines; success is green, the deadline red; NO_COLOR keeps the symbols', () => {
    const following = state(
      {type: 'enter'},
      {type: 'type', text: NS},
      {type: 'enter'},
      {type: 'performed', outcome: 'rolled-back', message: 'deployment.apps/overlord rolled back'},
      {type: 'progress', message: 'Waiting for deployment "overlord" rollout to finish: 1 out of 3 new replicas have been updated...'},
    );
    let f = frameOf(following, 60, 14);
    expect(f).toContain('deployment.apps/overlord rolled back');
    expect(f).toContain('◐ following the rollout…');
    cleanup();
    f = frameOf(undoReducer(following, {type: 'followed', outcome: 'success', message: 'deployment "overlord" successfully rolled out'}), 60, 14);
    expect(lineWith(f, 'successfully rolled out')).toContain(GREEN);
    expect(plain(f)).toContain('✓ deployment "overlord" successfully rolled out');
    cleanup();
    const failed = undoReducer(following, {type: 'followed', outcome: 'failed', message: 'deployment "overlord" exceeded its progress deadline'});
    f = frameOf(failed, 40, 10);
    expect(lineWith(f, 'exceeded')).toContain(RED);
    expect(lines(f)).toHaveLength(10);
    cleanup();
    process.env.NO_COLOR = '1';
    f = frameOf(failed, 40, 10);
    expect(f).not.toMatch(COLOUR);
    expect(plain(f)).toContain('✗ deployment "overlord" exceeded');
  });

  it('a small dialog keeps the outcome and the selected revision', () => {
    const f = frameOf(state({type: 'enter'}), 40, 7);
    const l = lines(f);
    expect(l).toHaveLength(7);
    expect(l.at(-1)).toBe('⏎ roll back · Esc cancel');
    expect(plain(f)).toContain('> ▏');
  });
});
