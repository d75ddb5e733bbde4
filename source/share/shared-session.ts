// A session shared through the cluster, as the screen sees it: a SessionStore whose events are this process's own
// journal while it drives and the cluster's copy while it follows, and the wheel (who drives, who asked, what a
// former driver left on a branch). The role changes under the screen: the controller reloads on every change.
//
// Driving: each event is written to the local journal first (the writer's durable record: redacted there), then the
// stored copy is published. Following: nothing is recorded, except the result of a run this process started while it
// drove — that goes to its branch, where the new driver takes it in (a run "running on <host>" gets its result).

import type {DurableSessionStore} from '../session/durable-store.js';
import type {SessionEvent} from '../session/events.js';
import type {SessionStore, StoreChange} from '../session/store.js';
import type {SharedEventLog} from './event-log.js';
import {nextEventId, writerTag} from './identity.js';
import type {LeaseElector} from './lease-elector.js';
import type {SessionPublisher} from './publisher.js';
import type {SessionFollow} from './session-follow.js';
import {lostTo, personOf, type Wheel, type WheelRole, type WheelView} from './types.js';
import {eventIdOf, seedMissing} from './merge.js';
import {onlyResultsOf, runningRuns, waitingBranches} from './branches.js';

export interface SharedParts {
  id: string;
  namespace: string;
  identity: string;
  elector: LeaseElector;
  log: SharedEventLog;
  publisher: SessionPublisher;
  follow: SessionFollow;
  /** A watch of the Lease that nudges the elector (absent in tests that drive the elector alone). */
  leaseWatch?: {start(): unknown; stop(): void};
}

export interface SharedSessionOptions {
  role: WheelRole;
  /** The driver's journal; a follower gets one when it takes the wheel. */
  local: DurableSessionStore | null;
  outputDir: string;
  scratchDir: string;
  /** Opens (or creates) this session's journal here, for a follower taking the wheel. */
  openLocal: () => DurableSessionStore;
  now?: () => number;
}

export class SharedSession implements SessionStore, Wheel {
  private role: WheelRole;
  private local: DurableSessionStore | null;
  private lost: {at: number; to: string} | null = null;
  private counter = 0;
  private readonly tag = writerTag();
  private readonly listeners = new Set<(change: StoreChange) => void>();
  /** Runs this process started: their results are kept even after the wheel has gone. */
  private readonly ownRuns = new Set<string>();
  private readonly unsubscribe: Array<() => void> = [];
  private takingOver: Promise<void> | null = null;
  /** Who drove before this process took the wheel (the note says it, with the process: two of one person's differ). */
  private lastOtherHolder: string | null = null;
  private autoAccepting = false;
  private finished = false;
  readonly outputDir: string;
  readonly scratchDir: string;

  constructor(
    private readonly parts: SharedParts,
    private readonly options: SharedSessionOptions,
  ) {
    this.role = options.role;
    this.local = options.local;
    this.outputDir = options.outputDir;
    this.scratchDir = options.scratchDir;
    this.unsubscribe.push(
      parts.follow.onChange(() => this.followChanged()),
      parts.elector.onChange(() => this.wheelChanged()),
      parts.elector.onLost(to => this.loseWheel(to)),
      parts.publisher.onChange(() => this.notify('standing')),
    );
  }

  get id(): string {
    return this.parts.id;
  }

  /** The state directory of this process's journal of the session, once it has one. */
  get journalDir(): string | null {
    return this.local?.stateDir ?? null;
  }

  get readOnly(): boolean {
    return this.role !== 'driver';
  }

  get readOnlyReason(): string | null {
    if (this.role === 'driver') return null;
    if (this.lost) return `You lost the wheel ${lostTo(this.lost, this.parts.identity)}: nothing more is recorded here (T asks for it back)`;
    const holder = this.parts.elector.state.holder;
    return holder ? `Following ${personOf(holder)}: read-only — T asks for the wheel` : 'Following: nobody drives — T takes the wheel';
  }

  events(): readonly SessionEvent[] {
    return this.role === 'driver' && this.local ? this.local.events() : this.parts.follow.events();
  }

  append(event: SessionEvent): void {
    const local = this.local;
    if (!local || (this.role !== 'driver' && !this.accepts(event))) throw new Error(this.readOnlyReason ?? 'read-only');
    event.id ??= nextEventId(this.tag, ++this.counter);
    local.append(event); // on disk, redacted, before anyone sees it
    if (event.type === 'run-started') this.ownRuns.add(event.runId);
    // The stored copy is the redacted one: that, never the event as given, goes to the cluster.
    this.parts.publisher.publish(local.events().at(-1)!);
  }

  accepts(event: SessionEvent): boolean {
    return this.role !== 'driver' && this.local !== null && event.type === 'run-finished' && this.ownRuns.has(event.runId);
  }

  addSecrets(values: string[]): void {
    this.local?.addSecrets(values);
  }

  subscribe(listener: (change: StoreChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Resolves once the follower's copy is current (its first list arrived), or after `ms` regardless. */
  async settled(ms: number): Promise<void> {
    const until = Date.now() + ms;
    while (Date.now() < until && this.parts.follow.status() !== 'live') await new Promise(r => setTimeout(r, 50));
  }

  /** Publishes what the journal has that the cluster may not (a resumed session, events from before sharing). */
  publishBacklog(): void {
    const events = this.local?.events() ?? [];
    events.forEach((event, index) => this.parts.publisher.publish(event.id ? event : {...event, id: eventIdOf(this.id, event, index)}));
  }

  view(): WheelView {
    const state = this.parts.elector.state;
    const follow = this.parts.follow;
    const branches = waitingBranches(follow.branches(), this.parts.identity, this.role === 'driver' ? (this.local?.events() ?? []) : null);
    return {
      role: this.role,
      holder: state.holder,
      // The request that brought the wheel here is answered: a driver never sees itself asking.
      request: state.request && !(this.role === 'driver' && state.request.from === this.parts.identity) ? state.request : null,
      expiredAt: this.role === 'follower' ? state.expiredAt : null,
      lost: this.lost,
      me: this.parts.identity,
      namespace: this.parts.namespace,
      branches,
      live: follow.status() === 'live',
      published: this.parts.publisher.acknowledged,
      pending: this.parts.publisher.pending,
    };
  }

  async ask(): Promise<string> {
    if (this.role === 'driver') return 'You have the wheel';
    const state = this.parts.elector.state;
    this.lost = null;
    if (!state.holder || state.expiredAt) {
      this.parts.elector.acquire();
      this.notify('standing');
      return state.holder ? `${personOf(state.holder)}'s lease has run out: taking the wheel` : 'Nobody drives: taking the wheel';
    }
    await this.parts.elector.requestWheel();
    // Acquiring too: a driver that never answers (its laptop died) lets the lease run out, and the wheel comes here.
    this.parts.elector.acquire();
    this.notify('standing');
    return `Asked ${personOf(state.holder)} for the wheel: it comes when they hand it over, or when their lease runs out`;
  }

  async handOver(): Promise<string> {
    const request = this.parts.elector.state.request;
    if (this.role !== 'driver' || !request) return 'Nobody has asked for the wheel';
    // Everything recorded so far reaches the log first: the new driver starts from all of it.
    await this.parts.publisher.flush(10_000);
    if (this.parts.publisher.pending > 0) throw new Error(`not handed over: ${this.parts.publisher.pending} events are not published yet (${this.parts.publisher.lastError ?? 'the cluster does not answer'}); try again`);
    await this.parts.elector.handTo(request.from);
    this.role = 'follower';
    this.notify('replaced');
    return `Handed the wheel to ${personOf(request.from)}: you follow, read-only`;
  }

  async acceptBranches(): Promise<string> {
    if (this.role !== 'driver') return 'Only the driver accepts branches';
    const branches = this.parts.follow.branches().filter(b => b.from !== this.parts.identity);
    if (!branches.length) return 'No branch is waiting';
    let added = 0;
    for (const branch of branches) {
      await this.parts.log.acceptBranch(branch.name);
      added += seedMissing(this.local!, branch.events, this.id);
    }
    this.notify('appended');
    const from = [...new Set(branches.map(b => personOf(b.from)))].join(', ');
    return `Accepted ${added} event${added === 1 ? '' : 's'} from ${from} (merged by id: none lost, none twice)`;
  }

  /**
   * Everything recorded published and the lease given back, then the cluster left alone. The journal stays open for
   * whoever closes the session (it may still be marked finished); `close` closes it too.
   */
  async finish(): Promise<void> {
    if (this.finished) return;
    this.finished = true;
    if (this.role === 'driver') {
      await this.parts.publisher.flush(5000).catch(() => undefined);
      await this.parts.elector.release().catch(() => undefined);
    }
    for (const off of this.unsubscribe) off();
    this.parts.follow.stop();
    this.parts.leaseWatch?.stop();
    this.parts.elector.stop();
    this.parts.publisher.stop();
  }

  close(): void {
    if (!this.finished) void this.finish();
    this.local?.close();
  }

  private notify(change: StoreChange) {
    for (const listener of this.listeners) listener(change);
  }

  private followChanged() {
    // Not taken in (the cluster did not answer): the branch stays, and the next change of the log tries again.
    if (this.role === 'driver') void this.acceptRunResults().catch(() => undefined);
    this.notify(this.role === 'driver' ? 'standing' : 'appended');
  }

  private wheelChanged() {
    const holder = this.parts.elector.state.holder;
    if (holder && holder !== this.parts.identity) this.lastOtherHolder = holder;
    // Someone else drives now: this process simply follows them (the loss was said when it happened).
    if (this.lost && holder && holder !== this.parts.identity && this.role === 'follower') this.lost = null;
    if (this.parts.elector.isLeader() && this.role !== 'driver') {
      // The log unreadable at that moment: still a follower, and tried again while the wheel is here (never a crash).
      const retry = () => void setTimeout(() => !this.finished && this.wheelChanged(), 1000).unref();
      this.takingOver ??= this.takeOver().catch(retry).finally(() => (this.takingOver = null));
    }
    this.notify('standing');
  }

  /** The wheel came here: the journal gets every event of the log it lacks (read afresh, not from the watch), then it drives. */
  private async takeOver() {
    const from = this.lastOtherHolder;
    const {events, branches} = await this.parts.log.readAll();
    const local = (this.local ??= this.options.openLocal());
    seedMissing(local, events, this.id);
    // Its own branch (what it recorded after the wheel had gone) is in its journal but not the log: there first, as
    // resumeLog expects. Should that fail, the branch waits for the next driver's B: nothing is lost.
    for (const branch of branches) if (branch.from === this.parts.identity) await this.parts.log.acceptBranch(branch.name).catch(() => undefined);
    this.parts.publisher.resumeLog();
    this.role = 'driver';
    this.lost = null;
    const stepId = [...local.events()].reverse().find(e => e.type === 'step-entered');
    if (stepId?.type === 'step-entered') {
      this.append({type: 'note', stepId: stepId.stepId, text: `Took the wheel${from ? ` from ${from}` : ''} (${this.parts.identity})`, at: new Date(this.options.now?.() ?? Date.now()).toISOString(), by: actorOf(this.parts.identity)});
    }
    this.notify('replaced');
  }

  private loseWheel(to: string) {
    if (this.role !== 'driver') return;
    this.role = 'follower';
    this.lost = {at: this.options.now?.() ?? Date.now(), to};
    this.notify('replaced');
  }

  /**
   * A former driver's branch that holds only results of runs the log shows still running is taken in at once: those
   * are facts, not decisions. Anything else waits for B.
   */
  private async acceptRunResults() {
    // On every change of the log (each of this driver's own appends too): the journal is scanned only for a branch.
    if (this.autoAccepting || !this.local || !this.parts.follow.branches().some(b => b.from !== this.parts.identity)) return;
    const running = runningRuns(this.local.events());
    const ready = this.parts.follow.branches().filter(b => b.from !== this.parts.identity && onlyResultsOf(b.events, running));
    if (!ready.length) return;
    this.autoAccepting = true;
    try {
      for (const branch of ready) {
        await this.parts.log.acceptBranch(branch.name);
        seedMissing(this.local, branch.events, this.id);
      }
    } finally {
      this.autoAccepting = false;
      this.notify('appended');
    }
  }
}

const actorOf = (identity: string) => {
  const [user = '', host = ''] = identity.replace(/\/\d+$/, '').split('@');
  return {user, host};
};
