// Who writes to a shared session, and the names its cluster objects take. Identities go into the Lease (so they must
// name a person and a process, not just a host), writer tags into event ids (so two writers' ids never collide).

import {createHash, randomBytes} from 'node:crypto';
import {currentActor} from '../session/locks.js';

/** `user@host/pid`: what the Lease's holderIdentity and a branch's author say. */
export function wheelIdentity(): string {
  const {user, host} = currentActor();
  return `${user}@${host}/${process.pid}`;
}

/** 8 random hex digits: one per writer process, so event ids of two drivers can never be the same. */
export function writerTag(): string {
  return randomBytes(4).toString('hex');
}

/** The n-th event a writer publishes: unique across writers, which is what dedupe on merge relies on. */
export function nextEventId(tag: string, n: number): string {
  return `${tag}.${n}`;
}

function shortHash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 8);
}

/**
 * `runbook-<id>` as a DNS subdomain (ConfigMap and Lease names). Ids may hold capitals and `_`, which names may not:
 * lowercasing alone would map `Deploy` and `deploy` to one object, so any change adds a hash of the original.
 */
export function sessionObjectName(sessionId: string): string {
  let slug = sessionId.toLowerCase().replace(/_/g, '-');
  if (slug !== sessionId || !/[a-z0-9]$/.test(slug)) slug = `${slug}-${shortHash(sessionId)}`;
  return `runbook-${slug}`;
}

const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/** The session id as a label value (≤ 63 characters, alphanumeric at both ends); long ids keep a hash to stay distinct. */
export function sessionLabelValue(sessionId: string): string {
  if (sessionId.length <= 63 && LABEL_VALUE.test(sessionId)) return sessionId;
  const head = sessionId.slice(0, 54).replace(/[^A-Za-z0-9]+$/, '');
  return `${head}-${shortHash(sessionId)}`.replace(/^-/, '');
}

/** Free text (a runbook's title) as a label value, for `kubectl get -l runbook.dev/runbook=…`; '' when nothing is left. */
export function labelSlug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .slice(0, 63)
    .replace(/^-+|-+$/g, '');
}

/** The first 16 hex digits of a runbook hash, as a label value. */
export function hashLabel(hash: string): string {
  return hash.replace(/^sha256:/i, '').replace(/[^A-Fa-f0-9]/g, '').slice(0, 16).toLowerCase();
}
