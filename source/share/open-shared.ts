// Starting a shared session, as its driver or as a follower: the permissions checked first (one line naming what is
// missing), the wheel taken or observed, the cluster's copy written or read. Errors here are a person's to act on.

import {resolve} from 'node:path';
import type {KubeClient} from '../kube/client.js';
import type {DurableSessionStore} from '../session/durable-store.js';
import {runsDir} from '../session/session-files.js';
import {SharedEventLog} from './event-log.js';
import {wheelIdentity} from './identity.js';
import {LeaseElector} from './lease-elector.js';
import {KubeLeaseLock, leaseName} from './lease-lock.js';
import {ResourceWatch} from '../kube/resource-watch.js';
import {SessionPublisher} from './publisher.js';
import {checkShareAccess} from './rbac.js';
import {SessionFollow} from './session-follow.js';
import {SharedSession, type SharedParts} from './shared-session.js';
import {seedMissing} from './merge.js';
import {personOf, type SessionHead} from './types.js';

/** Sharing cannot start: one line, said before any screen. */
export class ShareError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ShareError';
  }
}

/** Lease timing: the tests shorten it; an operator never does. */
export interface ShareTiming {
  leaseDurationMs?: number;
  renewDeadlineMs?: number;
  retryPeriodMs?: number;
}

interface Common {
  client: KubeClient;
  namespace: string;
  stateDir: string;
  timing?: ShareTiming;
}

function partsFor(common: Common, id: string): SharedParts {
  const identity = wheelIdentity();
  const elector = new LeaseElector({lock: new KubeLeaseLock(common.client, common.namespace, id, identity), ...timingOf(common.timing)});
  const log = new SharedEventLog({client: common.client, namespace: common.namespace, sessionId: id});
  const publisher = new SessionPublisher({log, elector, identity});
  const follow = new SessionFollow({client: common.client, namespace: common.namespace, sessionId: id});
  // Every change of the Lease makes the elector look at once: a hand-over arrives within a round trip.
  const leaseWatch = new ResourceWatch({client: common.client, kind: 'leases', namespace: common.namespace, fieldSelector: `metadata.name=${leaseName(id)}`, batchMs: 0, onEvent: (_type, lease) => elector.nudge(lease.metadata.annotations)});
  return {id, namespace: common.namespace, identity, elector, log, publisher, follow, leaseWatch};
}

const timingOf = (timing: ShareTiming = {}) => {
  const fromEnv = Number(process.env.RUNBOOK_SHARE_LEASE_SECONDS);
  // Tests (and only tests) shorten the lease through the environment: a 15 s wait per test would be most of a suite.
  if (Number.isFinite(fromEnv) && fromEnv > 0 && !timing.leaseDurationMs) {
    return {leaseDurationMs: fromEnv * 1000, renewDeadlineMs: fromEnv * 666, retryPeriodMs: Math.max(200, fromEnv * 133)};
  }
  return timing;
};

const paths = (stateDir: string, id: string) => ({outputDir: resolve(runsDir(stateDir, id)), scratchDir: resolve(stateDir, 'tmp')});

async function checked(common: Common) {
  const missing = await checkShareAccess(common.client, common.namespace);
  if (missing) throw new ShareError(missing);
}

/** The wheel, within a few retry periods, or a line saying who has it. */
async function waitForWheel(elector: LeaseElector, ms: number): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (elector.isLeader()) return;
    await new Promise(r => setTimeout(r, 100));
  }
  const {holder, lastError} = elector.state;
  if (holder) throw new ShareError(`this session is driven by ${personOf(holder)}: 'runbook join' follows it (T asks for the wheel)`);
  throw new ShareError(`could not take the session's Lease: ${lastError ?? 'the cluster did not answer'}`);
}

/** `runbook FILE --share`: this process drives; what the journal holds is published before the screen opens. */
export async function startDriving(common: Common & {local: DurableSessionStore; head: SessionHead}): Promise<SharedSession> {
  await checked(common);
  const parts = partsFor(common, common.local.id);
  try {
    // The head first: it makes the namespace when missing, which the Lease needs (an existing head is kept as it is).
    await parts.log.ensureHead({...common.head, sharedBy: common.head.sharedBy || parts.identity});
    parts.elector.start('acquire');
    await waitForWheel(parts.elector, 3 * (timingOf(common.timing).retryPeriodMs ?? 2000) + 1000);
  } catch (error) {
    parts.elector.stop();
    throw error instanceof ShareError ? error : new ShareError(`could not share the session: ${(error as Error).message}`);
  }
  // A session resumed here after others drove it: what they recorded comes into this journal before anything new.
  const {events} = await parts.log.readAll();
  seedMissing(common.local, events, common.local.id);
  parts.follow.start();
  parts.leaseWatch?.start();
  const session = new SharedSession(parts, {role: 'driver', local: common.local, ...paths(common.stateDir, common.local.id), openLocal: () => common.local});
  session.publishBacklog();
  return session;
}

/** `runbook join ID`: this process follows; the head (and the runbook's text) once the first list has arrived. */
export async function startFollowing(common: Common & {id: string; openLocal: (head: SessionHead) => DurableSessionStore}): Promise<{session: SharedSession; head: SessionHead}> {
  await checked(common);
  const parts = partsFor(common, common.id);
  const {head} = await parts.log.readAll();
  if (!head) throw new ShareError(`no shared session ${common.id} in namespace ${common.namespace}: 'runbook status --cluster' lists them`);
  parts.follow.start();
  parts.elector.start('observe');
  parts.leaseWatch?.start();
  const session = new SharedSession(parts, {role: 'follower', local: null, ...paths(common.stateDir, common.id), openLocal: () => common.openLocal(head)});
  return {session, head};
}
