// The follow-ups on screen: the status bar names the next one and when it is due, a due one is announced once, and
// F's list ticks one with a note. The clock is injected; nothing waits for real time to pass.
import {join} from 'node:path';
import {cleanup, render} from 'ink-testing-library';
import {afterEach, describe, expect, it} from 'vitest';
import {readRunbookFile} from '../../source/runbook/index.js';
import {SessionController} from '../../source/session/controller.js';
import type {FollowUpsRecord} from '../../source/session/follow-ups.js';
import {MemorySessionStore} from '../../source/session/store.js';
import {announceKey, announcement, followUpStatus, toAnnounce} from '../../source/ui/follow-ups.js';
import {FollowUpsOverlay} from '../../source/ui/follow-ups-overlay.js';
import {StatusBar} from '../../source/ui/status-bar.js';
import {SHIPPED_GUIDE} from '../helpers/paths.js';
import {testTempDir} from '../helpers/temp.js';

afterEach(() => cleanup());

const MIN = 60_000;
const T0 = Date.parse('2025-03-03T09:00:00Z');
const plain = (frame: string | undefined) => (frame ?? '').replace(/\u001B\[[0-9;]*m/g, '');
const progress = {checked: 3, checks: 89, stepsDone: 9, steps: 40, failed: 0, skipped: 0};
const flush = () => new Promise(resolve => setTimeout(resolve, 20));

function deployed() {
  const dir = testTempDir('follow-ups-ui');
  const store = new MemorySessionStore('s1', join(dir, 'runs'));
  const controller = new SessionController({runbook: readRunbookFile(SHIPPED_GUIDE), store, shell: {env: {}, cwd: dir}, actor: {user: 'ops', host: 'laptop'}, now: () => new Date(T0)});
  controller.mark(controller.steps.find(s => s.id.endsWith('step-9-monitor-deployment'))!.id, 'done', 'rollout complete');
  controller.tickFollowUp('T+0', 'pods ready');
  return controller;
}

describe('the status bar line', () => {
  it('names the next follow-up and when it is due: in 12m, due now, overdue', () => {
    const record = deployed().followUps!;
    const at = (m: number) => new Date(T0 + m * MIN);
    const bar = (m: number, width = 140) => plain(render(<StatusBar progress={progress} running={false} width={width} followUp={followUpStatus(record, at(m))} />).lastFrame());
    expect(bar(3)).toContain('next: T+15min Check metrics baseline · in 12m');
    expect(bar(3)).toContain('3/89 checks');
    expect(bar(15)).toContain('next: T+15min Check metrics baseline · due now · F');
    expect(bar(45)).toContain('next: T+15min Check metrics baseline · overdue 30m · F');
    // Narrow: the keys give way first, the follow-up stays.
    expect(bar(3, 80)).toContain('next: T+15min');
    expect(plain(render(<StatusBar progress={progress} running={false} width={140} followUp={null} />).lastFrame())).not.toContain('next:');
  });

  it('a due follow-up is announced once', () => {
    const record = deployed().followUps!;
    const announced = new Set<string>();
    expect(toAnnounce(record, new Date(T0 + 5 * MIN), announced)).toEqual([]);
    const due = toAnnounce(record, new Date(T0 + 16 * MIN), announced);
    expect(announcement(due)).toBe('Follow-up due: T+15min Check metrics baseline (DevOps Engineer) — F to tick with a note');
    for (const item of due) announced.add(announceKey(record, item));
    expect(toAnnounce(record, new Date(T0 + 17 * MIN), announced)).toEqual([]);
    expect(toAnnounce(record, new Date(T0 + 31 * MIN), announced).map(i => i.id)).toEqual(['T+30min']);
  });
});

describe('F: the list of follow-ups', () => {
  it('lists them with who and when, and Enter, a note, Enter ticks the chosen one', async () => {
    const controller = deployed();
    let record: FollowUpsRecord = controller.followUps!;
    const view = (closed = () => {}) => (
      <FollowUpsOverlay record={record} now={new Date(T0 + 20 * MIN)} width={120} height={14} onTick={(id, note) => controller.tickFollowUp(id, note)} onClose={closed} />
    );
    const {lastFrame, stdin, rerender} = render(view());
    const frame = plain(lastFrame());
    expect(frame).toContain('✓ T+0      Immediate verification — DevOps Engineer · done 20m ago  “pods ready”');
    expect(frame).toContain('! T+15min  Check metrics baseline — DevOps Engineer · due now');
    expect(frame).toContain('○ T+30min  Review error logs — Backend Engineer · in 10m');
    stdin.write('\r');
    await flush();
    expect(plain(lastFrame())).toContain('What did T+15min show?');
    stdin.write('baseline p99 120ms');
    await flush();
    stdin.write('\r');
    await flush();
    record = controller.followUps!;
    rerender(view());
    expect(record.items[1]!.done?.note).toBe('baseline p99 120ms');
    expect(plain(lastFrame())).toContain('✓ T+15min  Check metrics baseline — DevOps Engineer · done');
    let closed = false;
    rerender(view(() => (closed = true)));
    stdin.write('\u001B');
    await flush();
    expect(closed).toBe(true);
  });
});
