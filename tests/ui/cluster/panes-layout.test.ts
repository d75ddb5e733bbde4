import {describe, expect, it} from 'vitest';
import {panesLayout} from '../../../source/ui/cluster/panes-layout.js';

describe('panesLayout', () => {
  it('120x40: beside the step, ≈ 40% wide, pods on top of rollout', () => {
    const l = panesLayout({columns: 120, bodyHeight: 37, shown: true});
    expect(l).toEqual({mode: 'side', width: 48, pods: {width: 48, height: 20}, rollout: {width: 48, height: 17}});
  });

  it('very wide terminals cap the panes at 60 columns; 110 is the threshold', () => {
    expect(panesLayout({columns: 200, bodyHeight: 50, shown: true})).toMatchObject({mode: 'side', width: 60});
    expect(panesLayout({columns: 110, bodyHeight: 30, shown: true}).mode).toBe('side');
    expect(panesLayout({columns: 109, bodyHeight: 30, shown: true}).mode).toBe('below');
  });

  it('80x24: folded under the step, pods and rollout side by side, the step keeps ≥ 10 rows', () => {
    const l = panesLayout({columns: 80, bodyHeight: 21, shown: true});
    expect(l).toEqual({mode: 'below', height: 9, stepHeight: 12, pods: {width: 43, height: 9}, rollout: {width: 36, height: 9}});
  });

  it('narrow: pods only; short: hidden; off or no cluster: hidden', () => {
    expect(panesLayout({columns: 60, bodyHeight: 30, shown: true})).toMatchObject({mode: 'below', rollout: null, pods: {width: 60}});
    expect(panesLayout({columns: 80, bodyHeight: 15, shown: true})).toEqual({mode: 'hidden', reason: 'small'});
    expect(panesLayout({columns: 120, bodyHeight: 37, shown: false})).toEqual({mode: 'hidden', reason: 'off'});
    expect(panesLayout({columns: 120, bodyHeight: 37, shown: true, configured: false})).toEqual({mode: 'hidden', reason: 'no-cluster'});
  });
});
