// client-go's LeaderElector (tools/leaderelection/leaderelection.go) ported over a LeaseLock, so exactly one runbook
// process writes a shared session at a time. Only the local clock judges expiry: the record's timestamps are a change
// signal, so clock offsets between machines do not matter. There is no fencing: a writer must check isLeader() right
// before each write, and that check turns false the moment the lease is no longer locally valid.
//
// Departures from client-go, each because a person is at the other end: an 'observe' mode that tracks the holder
// without competing; handTo() to pass the wheel on request; a renewal that sees another holder gives up at once
// (a record naming someone else cannot become ours again by retrying).

import type {ElectorMode, ElectorOptions, ElectorState, ElectorTiming, LeaseLock} from './lease-record.js';
import {ANNOTATIONS, type LeaseRecord} from './types.js';
import {checkTiming, DEFAULT_TIMING, errorText, leaseSeconds, microTime, wheelRequestOf, withoutWheelRequest} from './lease-record.js';
import {LeaseObservation} from './lease-observation.js';

export type {ElectorMode, ElectorOptions, ElectorState, LeaseLock} from './lease-record.js';
export {DEFAULT_TIMING, microTime} from './lease-record.js';

export class LeaseElector {
  readonly identity: string;
  private readonly lock: LeaseLock;
  private readonly timing: ElectorTiming;
  private readonly now: () => number;
  private readonly random: () => number;
  private readonly setTimer: (fn: () => void, ms: number) => unknown;
  private readonly clearTimer: (handle: unknown) => void;
  private readonly takeWhenHanded: boolean;

  private mode: ElectorMode = 'stopped';
  /** Every mode switch takes a new generation; timers and replies of older ones change nothing. */
  private generation = 0;
  private timer: unknown = null;
  private readonly obs: LeaseObservation;
  private lost: {at: number; to: string} | null = null;
  /** Lock calls run one at a time: a hand-over must not race a renewal on the same cached object. */
  private chain: Promise<unknown> = Promise.resolve();
  private readonly listeners = new Set<(state: ElectorState) => void>();
  private readonly lostListeners = new Set<(newHolder: string) => void>();
  private lastEmitted = '';

  constructor(options: ElectorOptions) {
    this.lock = options.lock;
    this.identity = options.lock.identity;
    this.timing = {...DEFAULT_TIMING, ...definedOnly(options)};
    checkTiming(this.timing);
    this.now = options.now ?? (() => Date.now());
    this.random = options.random ?? Math.random;
    this.setTimer = options.setTimer ?? ((fn, ms) => setTimeout(fn, ms).unref());
    this.clearTimer = options.clearTimer ?? (h => clearTimeout(h as NodeJS.Timeout));
    this.takeWhenHanded = options.takeWhenHanded ?? true;
    this.obs = new LeaseObservation(this.lock, this.timing.leaseDurationMs, this.now);
  }

  /** client-go's IsLeader plus its locally-valid check: false as soon as another process may have taken over. */
  isLeader(): boolean {
    return this.mode === 'lead' && this.obs.holds() && this.obs.valid(this.now());
  }

  get state(): ElectorState {
    const now = this.now();
    const r = this.obs.record;
    const holder = r?.holderIdentity ?? '';
    const ends = this.obs.time + (r?.leaseDurationSeconds ?? 0) * 1000;
    return {
      role: this.isLeader() ? 'driver' : 'follower',
      holder,
      request: r ? wheelRequestOf(r.annotations) : null,
      expiredAt: holder !== '' && holder !== this.identity && ends <= now ? ends : null,
      lost: this.lost,
      identity: this.identity,
      mode: this.mode,
      leaseTransitions: r?.leaseTransitions ?? 0,
      renewTime: r?.renewTime ?? null,
      leaseDurationSeconds: r?.leaseDurationSeconds ?? 0,
      observedAt: r ? this.obs.time : null,
      lastError: this.obs.lastError,
    };
  }

  onChange(listener: (state: ElectorState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Called once each time this process loses the wheel without handing it over; '' when the new holder is unknown. */
  onLost(listener: (newHolder: string) => void): () => void {
    this.lostListeners.add(listener);
    return () => this.lostListeners.delete(listener);
  }

  start(mode: 'acquire' | 'observe'): void {
    this.switchTo(mode);
    if (mode === 'acquire') void this.acquireTick(this.generation);
    else void this.observeTick(this.generation);
  }

  /** An observer starts competing; what it observed so far counts, so an already expired lease is taken on the first try. */
  acquire(): void {
    if (this.mode === 'acquire' || this.mode === 'lead') return;
    this.start('acquire');
  }

  stop(): void {
    this.switchTo('stopped');
    this.emit();
  }

  /**
   * The Lease changed (a watch saw it): look now rather than at the next retry. A hand-over then reaches a follower that
   * asked within a round trip instead of a 2–4 s retry; expiry is still judged only by this process's own observation.
   */
  nudge(annotations?: Record<string, string>): void {
    // The driver looks again only when someone asks for the wheel (its own renewals change the Lease every 2 s).
    if (this.mode === 'lead') {
      const asked = annotations ? wheelRequestOf(annotations) : null;
      if (asked && asked.from !== this.state.request?.from) void this.lookAgain(this.generation);
      return;
    }
    if (this.mode !== 'acquire' && this.mode !== 'observe') return;
    if (this.timer !== null) this.clearTimer(this.timer);
    this.timer = null;
    if (this.mode === 'acquire') void this.acquireTick(this.generation);
    else void this.observeTick(this.generation);
  }

  /** A GET outside the loops (the lock's cache gets the newer resourceVersion, so the next renewal does not conflict). */
  private async lookAgain(gen: number): Promise<void> {
    const got = await this.serial(() => this.lock.get()).catch(() => null);
    if (!got || gen !== this.generation) return;
    this.obs.note(got.record, got.raw);
    this.emit();
  }

  /** A follower asks the driver for the wheel: annotations only, no resourceVersion, so it never fights a renewal. */
  async requestWheel(): Promise<void> {
    if (!this.lock.patchAnnotations) throw new Error('this lock cannot annotate the Lease');
    const at = new Date(this.now()).toISOString();
    await this.lock.patchAnnotations({[ANNOTATIONS.wheelRequest]: this.identity, [ANNOTATIONS.wheelRequestAt]: at});
    if (this.obs.record) this.obs.record = {...this.obs.record, annotations: {...this.obs.record.annotations, [ANNOTATIONS.wheelRequest]: this.identity, [ANNOTATIONS.wheelRequestAt]: at}};
    this.emit();
  }

  /**
   * The driver passes the wheel: the Lease names `to` as a new holder (fresh times, transitions+1, request cleared) and
   * this process turns observer. `to`'s elector, acquiring or observing, finds itself holder and renews (client-go's
   * slow path accepts a record that already names it). On failure the wheel is kept and the error thrown.
   */
  async handTo(to: string): Promise<void> {
    if (!this.isLeader()) throw new Error('cannot hand over the wheel: this process does not hold it');
    this.switchTo('observe');
    try {
      await this.serial(() => this.writeAs(to, leaseSeconds(this.timing.leaseDurationMs), true));
    } catch (error) {
      this.obs.lastError = errorText(error);
      if (this.obs.holds() && this.obs.valid(this.now())) this.becomeLeader(this.generation);
      else this.emit();
      throw error;
    }
    this.emit();
    this.scheduleObserve(this.generation, this.timing.retryPeriodMs);
  }

  /** client-go's ReleaseOnCancel: an empty holder and a 1 s lease, so the next candidate need not wait 15 s. */
  async release(): Promise<void> {
    const was = this.mode;
    if (!this.isLeader()) return;
    this.switchTo(was === 'stopped' ? 'stopped' : 'observe');
    await this.serial(() => this.writeAs('', 1, false)).catch(error => {
      this.obs.lastError = errorText(error);
    });
    this.emit();
    if (this.mode === 'observe') this.scheduleObserve(this.generation, this.timing.retryPeriodMs);
  }

  /** One PUT of a record for a holder other than this process (hand-over, release), retried once on a conflict. */
  private async writeAs(holder: string, durationSeconds: number, transition: boolean): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      const prev = this.obs.record!;
      const at = microTime(this.now());
      const next: LeaseRecord = {
        holderIdentity: holder,
        leaseDurationSeconds: durationSeconds,
        acquireTime: at,
        renewTime: at,
        leaseTransitions: prev.leaseTransitions + (transition ? 1 : 0),
        annotations: withoutWheelRequest(prev.annotations),
      };
      try {
        await this.lock.update(next);
        this.obs.set(next);
        return;
      } catch (error) {
        if (attempt >= 1) throw error;
        const got = await this.lock.get();
        if (got) this.obs.note(got.record, got.raw);
        if (!got || !this.obs.holds()) throw error;
      }
    }
  }

  // ---- loops -------------------------------------------------------------------------------------------------------

  private switchTo(mode: ElectorMode): void {
    this.generation++;
    if (this.timer !== null) this.clearTimer(this.timer);
    this.timer = null;
    this.mode = mode;
  }

  private schedule(gen: number, ms: number, fn: () => void): void {
    if (gen !== this.generation) return;
    if (this.timer !== null) this.clearTimer(this.timer);
    this.timer = this.setTimer(() => {
      this.timer = null;
      if (gen === this.generation) fn();
    }, ms);
  }

  private scheduleObserve(gen: number, ms: number): void {
    this.schedule(gen, ms, () => void this.observeTick(gen));
  }

  private async observeTick(gen: number): Promise<void> {
    const before = this.obs.record?.holderIdentity;
    try {
      const got = await this.serial(() => this.lock.get());
      if (gen !== this.generation) return;
      this.obs.lastError = null;
      if (got) this.obs.note(got.record, got.raw);
    } catch (error) {
      if (gen !== this.generation) return;
      this.obs.lastError = errorText(error);
    }
    this.emit();
    const handed = this.takeWhenHanded && before !== undefined && before !== this.identity && this.obs.holds();
    if (handed) this.start('acquire');
    else this.scheduleObserve(gen, this.timing.retryPeriodMs);
  }

  /** client-go's acquire: JitterUntil(tryAcquireOrRenew, RetryPeriod, 1.2, sliding) until it succeeds. */
  private async acquireTick(gen: number): Promise<void> {
    const ok = await this.serial(() => this.obs.tryAcquireOrRenew());
    if (gen !== this.generation) return;
    if (ok) return this.becomeLeader(gen);
    this.emit();
    const wait = this.timing.retryPeriodMs * (1 + this.random() * this.timing.jitterFactor);
    this.schedule(gen, wait, () => void this.acquireTick(gen));
  }

  private becomeLeader(gen: number): void {
    if (this.mode !== 'lead') {
      this.switchTo('lead');
      gen = this.generation;
    }
    this.lost = null;
    this.emit();
    this.schedule(gen, this.timing.retryPeriodMs, () => this.renewRound(gen));
  }

  /** client-go's renew: PollImmediateUntil(RetryPeriod, tryAcquireOrRenew) bounded by RenewDeadline, then again. */
  private renewRound(gen: number): void {
    const deadline = this.now() + this.timing.renewDeadlineMs;
    // The deadline holds even when a request hangs: the timer fires whatever the lock is doing.
    const deadlineTimer = this.setTimer(() => {
      if (gen === this.generation) this.loseLeadership();
    }, this.timing.renewDeadlineMs);
    const attempt = async (): Promise<void> => {
      const ok = await this.serial(() => this.obs.tryAcquireOrRenew());
      if (gen !== this.generation) return;
      this.emit();
      if (ok) {
        this.clearTimer(deadlineTimer);
        this.schedule(gen, this.timing.retryPeriodMs, () => this.renewRound(gen));
      } else if (!this.obs.holds() && this.obs.valid(this.now())) {
        this.clearTimer(deadlineTimer);
        this.loseLeadership();
      } else if (this.now() + this.timing.retryPeriodMs < deadline) {
        this.schedule(gen, this.timing.retryPeriodMs, () => void attempt());
      }
    };
    void attempt();
  }

  private loseLeadership(): void {
    const holder = this.obs.record?.holderIdentity ?? '';
    const to = holder === this.identity ? '' : holder;
    this.switchTo('observe');
    this.lost = {at: this.now(), to};
    for (const listener of this.lostListeners) listener(to);
    this.emit();
    this.scheduleObserve(this.generation, 0);
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.chain.then(fn, fn);
    this.chain = run.catch(() => undefined);
    return run;
  }

  private emit(): void {
    const state = this.state;
    const key = JSON.stringify({...state, observedAt: null});
    if (key === this.lastEmitted) return;
    this.lastEmitted = key;
    for (const listener of this.listeners) listener(state);
  }
}

function definedOnly(options: ElectorOptions): Partial<ElectorTiming> {
  const out: Partial<ElectorTiming> = {};
  for (const key of ['leaseDurationMs', 'renewDeadlineMs', 'retryPeriodMs', 'jitterFactor'] as const) {
    if (options[key] !== undefined) out[key] = options[key];
  }
  return out;
}
