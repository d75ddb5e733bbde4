// The shapes of a session shared through the cluster (issue 18): what the driver publishes, what followers read, and
// who holds the wheel. No React, no client-node here: the UI and the commands import these types only.

import type {SessionEvent} from '../session/events.js';
import type {SessionKind} from '../session/schema.js';

export const DEFAULT_SHARE_NAMESPACE = 'runbook-sessions';

/** Labels every object of a shared session carries (selectors, `kubectl get -l`). */
export const LABELS = {
  managedBy: 'app.kubernetes.io/managed-by',
  session: 'runbook.dev/session',
  runbook: 'runbook.dev/runbook',
  hash: 'runbook.dev/runbook-hash',
  /** head | log | branch */
  part: 'runbook.dev/part',
} as const;

/** Lease annotations: a follower asking for the wheel (PATCHed by the follower, read by the driver on renewal). */
export const ANNOTATIONS = {
  wheelRequest: 'runbook.dev/wheel-request',
  wheelRequestAt: 'runbook.dev/wheel-request-at',
  /** On a branch ConfigMap: who wrote it (user@host/pid). */
  branchFrom: 'runbook.dev/branch-from',
} as const;

/** What a follower needs to show the session without the driver's files: the runbook itself travels with it. */
export interface SessionHead {
  id: string;
  runbook: {path: string; title: string; hash: string};
  kind: SessionKind;
  startedAt: string;
  /** user@host/pid of the driver that first shared it. */
  sharedBy: string;
  /** The runbook's markdown (the follower renders exactly what the driver walks). */
  runbookText: string;
  /** A rehearsal's scenario, so a follower labels it the same. */
  rehearsal?: {scenario: string} | undefined;
}

/** A writer's events that did not reach the log (it lost the wheel): the new driver may accept them. */
export interface Branch {
  /** The ConfigMap's name. */
  name: string;
  /** user@host/pid that wrote it. */
  from: string;
  events: SessionEvent[];
}

/** The Lease as the elector sees it (coordination.k8s.io/v1 spec, times as the server's strings). */
export interface LeaseRecord {
  holderIdentity: string;
  leaseDurationSeconds: number;
  acquireTime: string | null;
  renewTime: string | null;
  leaseTransitions: number;
  annotations: Record<string, string>;
}

export type WheelRole = 'driver' | 'follower';

/** Everything the screen says about the wheel. */
export interface WheelState {
  role: WheelRole;
  /** Who holds the Lease now ('' when released), as last seen. */
  holder: string;
  /** A follower's pending request (seen by the driver on its next renewal, by followers as they poll). */
  request: {from: string; at: string} | null;
  /** Set on a follower when the holder stopped renewing: the lease ran out (local clock) at this time. */
  expiredAt: number | null;
  /** Set when this process held the wheel and lost it without handing it over (partition, renew deadline). */
  lost: {at: number; to: string} | null;
}

/** What the screen shows of the wheel, and the branches waiting to be accepted. */
export interface WheelView extends WheelState {
  /** This process, user@host/pid. */
  me: string;
  namespace: string;
  /** Branches of other writers waiting for the driver (B accepts them). */
  branches: Array<{name: string; from: string; events: number}>;
  /** The follower's watch is live (else the view may lag: it says so). */
  live: boolean;
  /** Events published and acknowledged by the cluster, and still waiting (the driver's). */
  published: number;
  pending: number;
}

/** The shared session as the screen drives it (given by context; no client or HTTP in the components). */
export interface Wheel {
  view(): WheelView;
  /** A follower asks the driver for the wheel (or takes it at once when the lease has run out). */
  ask(): Promise<string>;
  /** The driver hands the wheel to whoever asked: everything published first. */
  handOver(): Promise<string>;
  /** The driver takes the waiting branches into the log (merged by id: nothing lost, nothing doubled). */
  acceptBranches(): Promise<string>;
  subscribe(listener: () => void): () => void;
}

/** `alice@laptop/4242` → `alice@laptop`: the pid says nothing to a person. */
export const personOf = (identity: string) => identity.replace(/\/\d+$/, '') || 'nobody';

/** Who the wheel went to, in words: nobody yet when the lease simply could not be renewed (a partition). */
export const lostTo = (lost: {to: string}, me: string) => (lost.to && lost.to !== me ? `to ${personOf(lost.to)}` : '(its lease could not be renewed)');
