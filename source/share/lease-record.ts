// The pieces of leader election that are not the loop: the lock interface, the timing options with client-go's
// defaults, MicroTime, and the state the screen reads. Kept apart so the lock and the tests import no loop.

import type {LeaseRecord, WheelState} from './types.js';
import {ANNOTATIONS} from './types.js';

/**
 * The Lease as seen through one client. `update` writes on the object last read or written (its resourceVersion is the
 * precondition, as client-go's LeaseLock does), so a stale writer gets 409 instead of overwriting a newer holder.
 */
export interface LeaseLock {
  readonly identity: string;
  /** The record, and the raw form whose change (not its timestamps) tells the elector the holder is alive. */
  get(): Promise<{record: LeaseRecord; raw: string} | null>;
  create(record: LeaseRecord): Promise<void>;
  update(record: LeaseRecord): Promise<void>;
  /** Merge-PATCH of metadata.annotations without a resourceVersion (null removes a key): a follower's wheel request. */
  patchAnnotations?(annotations: Record<string, string | null>): Promise<void>;
}

export interface ElectorTiming {
  /** How long a non-holder waits, from when it last saw the record change, before taking over (client-go: 15 s). */
  leaseDurationMs: number;
  /** How long the holder keeps retrying a failed renewal before it gives up leadership (client-go: 10 s). */
  renewDeadlineMs: number;
  /** Between tries (client-go: 2 s); the acquire loop adds up to jitterFactor × this at random. */
  retryPeriodMs: number;
  jitterFactor: number;
}

export const DEFAULT_TIMING: ElectorTiming = {leaseDurationMs: 15_000, renewDeadlineMs: 10_000, retryPeriodMs: 2000, jitterFactor: 1.2};

export interface ElectorOptions extends Partial<ElectorTiming> {
  lock: LeaseLock;
  now?: () => number;
  random?: () => number;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
  /**
   * An observer that sees the Lease handed to it (holder changed from someone else to this identity) starts renewing
   * at once: otherwise nobody would renew a handed-over lease and it would lapse. Default true.
   */
  takeWhenHanded?: boolean;
}

export type ElectorMode = 'stopped' | 'observe' | 'acquire' | 'lead';

export interface ElectorState extends WheelState {
  identity: string;
  mode: ElectorMode;
  leaseTransitions: number;
  renewTime: string | null;
  leaseDurationSeconds: number;
  /** Local time (ms) the record was last seen to change: the only clock expiry is judged by. */
  observedAt: number | null;
  lastError: string | null;
}

/** client-go's validation: otherwise a holder could lose the lease before it ever gave up renewing. */
export function checkTiming(t: ElectorTiming): void {
  if (!(t.leaseDurationMs > t.renewDeadlineMs)) throw new Error('leaseDuration must be greater than renewDeadline');
  if (!(t.renewDeadlineMs > t.jitterFactor * t.retryPeriodMs)) throw new Error('renewDeadline must be greater than retryPeriod*JitterFactor');
}

/** The Lease's leaseDurationSeconds is an int32: whole seconds, at least one. */
export function leaseSeconds(ms: number): number {
  return Math.max(1, Math.round(ms / 1000));
}

/** metav1.MicroTime as the API serialises it: UTC, six fractional digits. */
export function microTime(ms: number): string {
  return new Date(ms).toISOString().replace(/Z$/, '000Z');
}

/** The spec fields only, in a fixed order: annotations (a wheel request) must not count as the holder renewing. */
export function rawRecord(r: LeaseRecord): string {
  return JSON.stringify([r.holderIdentity, r.leaseDurationSeconds, r.acquireTime, r.renewTime, r.leaseTransitions]);
}

export function withoutWheelRequest(annotations: Record<string, string>): Record<string, string> {
  const out = {...annotations};
  delete out[ANNOTATIONS.wheelRequest];
  delete out[ANNOTATIONS.wheelRequestAt];
  return out;
}

export function wheelRequestOf(annotations: Record<string, string>): {from: string; at: string} | null {
  const from = annotations[ANNOTATIONS.wheelRequest];
  return from ? {from, at: annotations[ANNOTATIONS.wheelRequestAt] ?? ''} : null;
}

export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
