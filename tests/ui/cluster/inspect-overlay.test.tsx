import {afterEach, beforeEach, describe, expect, it, vi} from 'vitest';

// Ink's chalk decides on colour when it is loaded; highlights are only testable if it may use them.
vi.hoisted(() => {
  process.env.FORCE_COLOR = '1';
});

import {cleanup, render} from 'ink-testing-library';
import type {PodViewRead} from '../../../source/kube/pod-views.js';
import {InspectOverlay} from '../../../source/ui/cluster/inspect-overlay.js';
import {inspectLayout, type InspectState, openInspect, scrollTo, startSearch, submitSearch, toMatch} from '../../../source/ui/cluster/inspect-state.js';
import {lines, plain, widest} from './fixtures.js';

let savedNoColor: string | undefined;
beforeEach(() => {
  savedNoColor = process.env.NO_COLOR;
  delete process.env.NO_COLOR;
});
afterEach(() => {
  cleanup();
  if (savedNoColor === undefined) delete process.env.NO_COLOR;
  else process.env.NO_COLOR = savedNoColor;
});

const CRASH = [
  'INFO:     Started server process [1]',
  '2026-01-07 14:29:40,450 ERROR [overlord.main] startup failed: settings schema v1.2.0 requires TRADING_RISK_LIMITS',
  'Traceback (most recent call last):',
  'overlord.config.ConfigError: missing required setting: TRADING_RISK_LIMITS',
  '2026-01-07 14:29:40,470 CRITICAL [overlord.main] refusing to trade without risk limits; exiting with status 1',
  'ERROR:    Application startup failed. Exiting.',
];

const read = (lines: string[], over: Partial<PodViewRead> = {}): PodViewRead => ({title: 'LOGS overlord-7b9-hx2lp/overlord (previous container)', status: {text: '6 lines', tone: 'muted'}, lines, ...over});
const SIZE = {width: 80, height: 12};

function frame(r: PodViewRead, state: InspectState, size = SIZE) {
  const layout = inspectLayout(r.lines, size, state);
  return render(<InspectOverlay read={r} state={state} layout={layout} width={size.width} height={size.height} />).lastFrame() ?? '';
}

describe('InspectOverlay', () => {
  it('a previous container’s log: its title, every line wrapped to the width, and where the view is', () => {
    const size = {width: 80, height: 16};
    const f = frame(read(CRASH), openInspect('ns', 'overlord-7b9-hx2lp', 'previous'), size);
    const l = lines(f);
    expect(l).toHaveLength(size.height);
    expect(widest(f)).toBeLessThanOrEqual(size.width);
    expect(l[1]).toContain('LOGS overlord-7b9-hx2lp/overlord (previous container)');
    expect(plain(f)).toContain('CRITICAL [overlord.main] refusing to trade');
    // The long ERROR line wraps rather than being cut: its end is on the next row.
    expect(plain(f)).toMatch(/startup failed: settings[\s\S]*TRADING_RISK_LIMITS/);
    expect(plain(f)).toMatch(/rows \d+–\d+ of \d+|\d+ rows/);
  });

  it('text from the cluster cannot act on the terminal: escapes are shown, not obeyed', () => {
    const f = frame(read(['evil \u001b]52;c;aGk=\u0007 line', 'bidi \u202e txt']), openInspect('ns', 'p', 'logs'));
    expect(f).not.toContain('\u001b]52');
    expect(f).not.toContain('\u202e');
    expect(plain(f)).toContain('␛]52;c;aGk=␇');
  });

  it('a search highlights every match in inverse, the footer counts them, n N move between them', () => {
    const r = read(CRASH);
    let state = openInspect('ns', 'p', 'previous');
    const layoutWith = (s: InspectState) => inspectLayout(r.lines, SIZE, s);
    state = startSearch(state);
    const typing = frame(r, {...state, input: 'risk'});
    expect(plain(typing)).toContain('/risk▏');
    state = submitSearch({...state, input: 'error'}, layoutWith);
    const f = frame(r, state);
    expect(plain(f)).toMatch(/“error”: match 1\/\d+/);
    // inverse, around the match only
    expect(f).toMatch(/\u001B\[7m[^\u001B]*(\u001B\[[0-9;]*m)*ERROR/);
    const first = state.hit;
    state = toMatch(state, layoutWith(state), 1);
    expect(state.hit).toBeGreaterThan(first!);
    state = toMatch(state, layoutWith(state), -1);
    expect(state.hit).toBe(first);
    expect(plain(frame(r, {...state, search: 'nothing-like-this'}))).toContain('no match');
  });

  it('scrolls: a followed log stays at its end until moved, and follows again at the bottom', () => {
    const many = Array.from({length: 50}, (_, i) => `line ${i}`);
    let state = openInspect('ns', 'p', 'logs');
    let layout = inspectLayout(many, SIZE, state);
    expect(layout.top).toBe(layout.max);
    expect(plain(frame(read(many), state))).toContain('line 49');
    state = scrollTo(state, layout, 0);
    expect(state.top).toBe(0);
    expect(plain(frame(read(many), state))).toContain('line 0');
    layout = inspectLayout(many, SIZE, state);
    state = scrollTo(state, layout, layout.max + 5);
    expect(state.top).toBe('end');
  });

  it('says why there is nothing: the API server’s refusal, in full', () => {
    const f = frame(read([], {status: {text: 'HTTP 400: previous terminated container "overlord" in pod "p" not found', tone: 'error'}}), openInspect('ns', 'p', 'previous'), {width: 120, height: 8});
    expect(plain(f)).toContain('previous terminated container "overlord" in pod "p" not found');
  });
});
