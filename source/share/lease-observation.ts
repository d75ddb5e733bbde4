// What one elector has seen of the Lease, and client-go's tryAcquireOrRenew on it. The local time the record last
// changed (not the record's own timestamps) is what expiry is judged by, so clocks of different machines never meet.

import type {LeaseLock} from './lease-record.js';
import {errorText, leaseSeconds, microTime} from './lease-record.js';
import type {LeaseRecord} from './types.js';

export class LeaseObservation {
  record: LeaseRecord | null = null;
  /** Local ms when `record` was last seen to change (or written by us). */
  time = 0;
  lastError: string | null = null;
  private raw: string | null = null;

  constructor(
    private readonly lock: LeaseLock,
    private readonly leaseDurationMs: number,
    private readonly now: () => number,
  ) {}

  /** A record just read: a changed one restarts the local clock; only the annotations otherwise. */
  note(record: LeaseRecord, raw: string): void {
    if (raw !== this.raw) {
      this.set(record);
      this.raw = raw;
    } else if (this.record) {
      this.record = {...this.record, annotations: record.annotations};
    }
  }

  set(record: LeaseRecord): void {
    this.record = record;
    this.time = this.now();
  }

  /** client-go's IsLeader: the record last seen names us. */
  holds(): boolean {
    return this.record?.holderIdentity === this.lock.identity;
  }

  /** client-go's isLeaseValid: observedTime + the record's lease duration is still ahead. */
  valid(now: number): boolean {
    return this.record !== null && this.time + this.record.leaseDurationSeconds * 1000 > now;
  }

  /** leaderelection.go tryAcquireOrRenew, step for step. */
  async tryAcquireOrRenew(): Promise<boolean> {
    const now = this.now();
    const stamp = microTime(now);
    const record: LeaseRecord = {
      holderIdentity: this.lock.identity,
      leaseDurationSeconds: leaseSeconds(this.leaseDurationMs),
      acquireTime: stamp,
      renewTime: stamp,
      leaseTransitions: 0,
      annotations: this.record?.annotations ?? {},
    };
    // 1. The holder of a locally valid lease updates optimistically on the object it last saw.
    if (this.holds() && this.valid(now)) {
      const old = this.record!;
      const renewed = {...record, acquireTime: old.acquireTime, leaseTransitions: old.leaseTransitions};
      try {
        await this.lock.update(renewed);
        return this.succeeded(renewed);
      } catch (error) {
        this.lastError = errorText(error); // falling back to the slow path
      }
    }
    // 2. Get, or create when there is none.
    let got: {record: LeaseRecord; raw: string} | null;
    try {
      got = await this.lock.get();
      if (!got) {
        await this.lock.create({...record, annotations: {}});
        return this.succeeded({...record, annotations: {}});
      }
    } catch (error) {
      this.lastError = errorText(error);
      return false;
    }
    // 3. A changed record restarts the local clock; a live holder other than us makes us give up this round.
    this.note(got.record, got.raw);
    const old = got.record;
    if (old.holderIdentity !== '' && this.valid(now) && !this.holds()) return false;
    // 4. Update: keep acquireTime and transitions when renewing, count a transition when taking over.
    const next: LeaseRecord = this.holds()
      ? {...record, acquireTime: old.acquireTime, leaseTransitions: old.leaseTransitions, annotations: old.annotations}
      : {...record, leaseTransitions: old.leaseTransitions + 1, annotations: old.annotations};
    try {
      await this.lock.update(next);
    } catch (error) {
      this.lastError = errorText(error);
      return false;
    }
    return this.succeeded(next);
  }

  private succeeded(record: LeaseRecord): true {
    this.set(record);
    this.lastError = null;
    return true;
  }
}
