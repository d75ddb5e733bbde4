import {describe, expect, it} from 'vitest';
import {initialUndoState, MAX_MESSAGES, previousIndex, undoReducer, type UndoAction, type UndoChoice, type UndoState} from '../../../source/ui/cluster/use-undo-state.js';

const NS = 'overlord-production';
const choice = (revision: number, tag: string, current = false, plan: UndoChoice['plan'] = {action: 'patch', message: '', diff: [`overlord: image v1.2.0 → ${tag}`]}): UndoChoice => ({
  revision,
  image: `ghcr.io/x/overlord:${tag}`,
  tag,
  changeCause: '<none>',
  current,
  replicaSetName: `overlord-rs${revision}`,
  plan,
});
const CHOICES = [choice(1, 'v1.1.0'), choice(2, 'v1.1.5'), choice(3, 'v1.2.0', true, {action: 'skip', message: 'skipped rollback', diff: []})];

const run = (actions: UndoAction[], from: UndoState = initialUndoState(NS, 'overlord')) => actions.reduce(undoReducer, from);
const loaded = () => run([{type: 'loaded', fromRevision: 3, fromImage: 'ghcr.io/x/overlord:v1.2.0', choices: CHOICES}]);

describe('undo reducer', () => {
  it('defaults to the previous revision (the second-highest, as kubectl) and moves within the history', () => {
    expect(previousIndex(CHOICES)).toBe(1);
    expect(previousIndex([choice(5, 'a'), choice(2, 'b'), choice(9, 'c')])).toBe(0);
    let s = loaded();
    expect(s).toMatchObject({phase: 'choose', selected: 1, fromRevision: 3});
    s = run([{type: 'move', delta: -1}, {type: 'move', delta: -1}], s);
    expect(s.selected).toBe(0);
    s = run([{type: 'move', delta: 5}], s);
    expect(s.selected).toBe(2);
    // An explicit target wins over the default.
    expect(run([{type: 'loaded', fromRevision: 3, fromImage: '', choices: CHOICES, selected: 0}]).selected).toBe(0);
  });

  it('an empty history or a failed read ends the dialog as failed', () => {
    expect(run([{type: 'loaded', fromRevision: 0, fromImage: '', choices: []}])).toMatchObject({phase: 'failed', result: {outcome: 'failed', message: 'no rollout history found for deployment "overlord"'}});
    expect(run([{type: 'load-failed', message: 'HTTP 403: forbidden'}])).toMatchObject({phase: 'failed', notice: 'HTTP 403: forbidden'});
  });

  it('a revision kubectl would refuse stays in choose with the reason', () => {
    const refused = run([{type: 'loaded', fromRevision: 2, fromImage: '', choices: [choice(1, 'a', false, {action: 'error', message: 'you cannot rollback a paused deployment', diff: []}), choice(2, 'b', true)], selected: 0}, {type: 'enter'}]);
    expect(refused).toMatchObject({phase: 'choose', notice: 'you cannot rollback a paused deployment', request: null});
  });

  it('typing the namespace confirms; the request names the chosen revision and its ReplicaSet', () => {
    let s = run([{type: 'enter'}], loaded());
    expect(s.phase).toBe('confirm');
    s = run([{type: 'type', text: 'overlord-prod'}, {type: 'type', text: 'uctionx'}, {type: 'erase'}, {type: 'type', text: '\r'}], s);
    expect(s.input).toBe(NS);
    // Arrows do nothing once the revision is chosen.
    expect(run([{type: 'move', delta: -1}], s).selected).toBe(1);
    s = run([{type: 'enter'}], s);
    expect(s).toMatchObject({phase: 'performing', request: {toRevision: 2, replicaSetName: 'overlord-rs2'}});
    // Esc cannot take back a patch on its way.
    expect(run([{type: 'escape'}], s).phase).toBe('performing');
  });

  it('a mistyped namespace cancels with a message and no request', () => {
    const s = run([{type: 'enter'}, {type: 'type', text: 'overlord-staging'}, {type: 'enter'}], loaded());
    expect(s).toMatchObject({phase: 'cancelled', request: null, result: {outcome: 'cancelled'}});
    expect(s.notice).toBe('"overlord-staging" typed, not the namespace overlord-production: rollback cancelled, nothing was changed');
    expect(run([{type: 'enter'}, {type: 'enter'}], loaded()).notice).toMatch(/^nothing typed/);
  });

  it('Esc before performing cancels; typing outside confirm is ignored', () => {
    expect(run([{type: 'escape'}], loaded())).toMatchObject({phase: 'cancelled', result: {message: 'rollback cancelled, nothing was changed'}});
    expect(run([{type: 'type', text: 'x'}], loaded()).input).toBe('');
    expect(run([{type: 'escape'}]).phase).toBe('cancelled');
  });

  const performing = () => run([{type: 'enter'}, {type: 'type', text: NS}, {type: 'enter'}], loaded());

  it('performed → following (kubectl lines, deduplicated, bounded) → done', () => {
    let s = run([{type: 'performed', outcome: 'rolled-back', message: 'deployment.apps/overlord rolled back'}], performing());
    expect(s).toMatchObject({phase: 'following', messages: ['deployment.apps/overlord rolled back']});
    const waiting = 'Waiting for deployment "overlord" rollout to finish: 1 out of 3 new replicas have been updated...';
    s = run([{type: 'progress', message: waiting}, {type: 'progress', message: waiting}], s);
    expect(s.messages).toHaveLength(2);
    for (let i = 0; i < 10; i++) s = run([{type: 'progress', message: `m${i}`}], s);
    expect(s.messages).toHaveLength(MAX_MESSAGES);
    s = run([{type: 'followed', outcome: 'success', message: 'deployment "overlord" successfully rolled out'}], s);
    expect(s).toMatchObject({phase: 'done', result: {outcome: 'rolled back', message: 'deployment "overlord" successfully rolled out'}});
    expect(s.messages.at(-1)).toBe('deployment "overlord" successfully rolled out');
  });

  it('skipped, refused patch and a failed rollout each end with their outcome', () => {
    expect(run([{type: 'performed', outcome: 'skipped', message: 'deployment.apps/overlord skipped rollback'}], performing())).toMatchObject({phase: 'done', result: {outcome: 'skipped'}});
    expect(run([{type: 'perform-failed', message: 'the rollout history changed'}], performing())).toMatchObject({phase: 'failed', result: {outcome: 'failed', message: 'the rollout history changed'}});
    const failed = run(
      [{type: 'performed', outcome: 'rolled-back', message: 'rolled back'}, {type: 'followed', outcome: 'failed', message: 'deployment "overlord" exceeded its progress deadline'}],
      performing(),
    );
    expect(failed).toMatchObject({phase: 'failed', result: {outcome: 'failed', message: 'deployment "overlord" exceeded its progress deadline'}});
    // Late results of another phase are ignored.
    expect(run([{type: 'followed', outcome: 'success', message: 'x'}], loaded()).phase).toBe('choose');
  });
});
