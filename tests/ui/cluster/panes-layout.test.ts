import {describe, expect, it} from 'vitest';
import {panesLayout} from '../../../source/ui/cluster/panes-layout.js';

describe('panesLayout (in the room the outline leaves)', () => {
  it('120 columns of room: beside the step, half of it, pods on top of rollout; the step keeps 60', () => {
    const l = panesLayout({columns: 120, bodyHeight: 37, shown: null});
    expect(l).toEqual({mode: 'side', width: 59, pods: {width: 59, height: 20}, rollout: {width: 59, height: 17}});
    expect(panesLayout({columns: 110, bodyHeight: 37, shown: null})).toMatchObject({mode: 'side', width: 49});
  });

  it('at most 60 columns; beside the step only while it keeps 60 columns and they get 40', () => {
    expect(panesLayout({columns: 200, bodyHeight: 50, shown: null})).toMatchObject({mode: 'side', width: 60});
    expect(panesLayout({columns: 101, bodyHeight: 30, shown: null})).toMatchObject({mode: 'side', width: 40});
    expect(panesLayout({columns: 100, bodyHeight: 30, shown: null}).mode).toBe('below');
    // 120x40 with the outline (26 + 1): folded under the step rather than squeezed.
    expect(panesLayout({columns: 93, bodyHeight: 37, shown: null}).mode).toBe('below');
  });

  it('80x24: folded under the step, pods and rollout side by side, the step keeps ≥ 10 rows', () => {
    const l = panesLayout({columns: 80, bodyHeight: 21, shown: null});
    expect(l).toEqual({mode: 'below', height: 9, stepHeight: 12, pods: {width: 43, height: 9}, rollout: {width: 36, height: 9}});
  });

  it('narrow: pods only; short: hidden behind c, which brings them under the step; off or no cluster: hidden', () => {
    expect(panesLayout({columns: 60, bodyHeight: 30, shown: null})).toMatchObject({mode: 'below', rollout: null, pods: {width: 60}});
    expect(panesLayout({columns: 80, bodyHeight: 15, shown: null})).toEqual({mode: 'hidden', reason: 'small'});
    expect(panesLayout({columns: 80, bodyHeight: 15, shown: true})).toMatchObject({mode: 'below', height: 7, stepHeight: 8});
    expect(panesLayout({columns: 120, bodyHeight: 37, shown: false})).toEqual({mode: 'hidden', reason: 'off'});
    expect(panesLayout({columns: 120, bodyHeight: 37, shown: true, configured: false})).toEqual({mode: 'hidden', reason: 'no-cluster'});
  });
});
