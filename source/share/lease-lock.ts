// client-go's resourcelock.LeaseLock on our KubeClient: the Lease object last read or written is cached, and update
// PUTs only a new spec (and annotations) on it, so its resourceVersion is the precondition. The real API server
// refuses a Lease PUT without resourceVersion (422, AllowUnconditionalUpdate=false): we never send one.

import type {KubeClient} from '../kube/client.js';
import {RESOURCE_PATHS} from '../kube/types.js';
import {sessionLabelValue, sessionObjectName} from './identity.js';
import {type LeaseLock, rawRecord} from './lease-record.js';
import {LABELS, type LeaseRecord} from './types.js';

interface LeaseObject {
  apiVersion: 'coordination.k8s.io/v1';
  kind: 'Lease';
  metadata: {name: string; namespace: string; resourceVersion?: string; labels?: Record<string, string>; annotations?: Record<string, string>; [k: string]: unknown};
  spec?: {holderIdentity?: string; leaseDurationSeconds?: number; acquireTime?: string | null; renewTime?: string | null; leaseTransitions?: number};
}

export interface KubeLeaseLockOptions {
  /** Each request gives up after this long, so a hung connection cannot outlast the renew deadline (default 5 s). */
  timeoutMs?: number;
}

/** The Lease of a shared session: `runbook-<id>` in the session's namespace. */
export function leaseName(sessionId: string): string {
  return sessionObjectName(sessionId);
}

export class KubeLeaseLock implements LeaseLock {
  readonly identity: string;
  readonly name: string;
  private cached: LeaseObject | null = null;

  constructor(
    private readonly client: Pick<KubeClient, 'request'>,
    private readonly namespace: string,
    private readonly sessionId: string,
    identity: string,
    private readonly options: KubeLeaseLockOptions = {},
  ) {
    this.identity = identity;
    this.name = leaseName(sessionId);
  }

  private get path(): string {
    return `${RESOURCE_PATHS.leases(this.namespace)}/${encodeURIComponent(this.name)}`;
  }

  private signal(): AbortSignal {
    return AbortSignal.timeout(this.options.timeoutMs ?? 5000);
  }

  async get(): Promise<{record: LeaseRecord; raw: string} | null> {
    try {
      this.cached = await this.client.request<LeaseObject>('GET', this.path, undefined, {signal: this.signal()});
    } catch (error) {
      if ((error as {code?: number}).code === 404) return null;
      throw error;
    }
    const record = recordOf(this.cached);
    return {record, raw: rawRecord(record)};
  }

  async create(record: LeaseRecord): Promise<void> {
    const body: LeaseObject = {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: {
        name: this.name,
        namespace: this.namespace,
        labels: {[LABELS.managedBy]: 'runbook', [LABELS.session]: sessionLabelValue(this.sessionId)},
        annotations: record.annotations,
      },
      spec: specOf(record),
    };
    this.cached = await this.client.request<LeaseObject>('POST', RESOURCE_PATHS.leases(this.namespace), body, {signal: this.signal()});
  }

  async update(record: LeaseRecord): Promise<void> {
    const base = this.cached;
    // Without a cached object there is no resourceVersion to send: that would be a 422 on a real server.
    if (!base?.metadata.resourceVersion) throw new Error('lease not read yet: get() before update()');
    const body: LeaseObject = {...base, metadata: {...base.metadata, annotations: record.annotations}, spec: specOf(record)};
    this.cached = await this.client.request<LeaseObject>('PUT', this.path, body, {signal: this.signal()});
  }

  async patchAnnotations(annotations: Record<string, string | null>): Promise<void> {
    const patch = {metadata: {annotations}};
    await this.client.request('PATCH', this.path, patch, {contentType: 'application/merge-patch+json', signal: this.signal()});
  }
}

function specOf(r: LeaseRecord): NonNullable<LeaseObject['spec']> {
  return {
    holderIdentity: r.holderIdentity,
    leaseDurationSeconds: r.leaseDurationSeconds,
    acquireTime: r.acquireTime,
    renewTime: r.renewTime,
    leaseTransitions: r.leaseTransitions,
  };
}

/** The record the elector works on; fields a foreign writer left out read as client-go reads them (zero values). */
export function recordOf(lease: LeaseObject | {spec?: LeaseObject['spec']; metadata?: {annotations?: Record<string, string>}}): LeaseRecord {
  const s = lease.spec ?? {};
  return {
    holderIdentity: s.holderIdentity ?? '',
    leaseDurationSeconds: s.leaseDurationSeconds ?? 0,
    acquireTime: s.acquireTime ?? null,
    renewTime: s.renewTime ?? null,
    leaseTransitions: s.leaseTransitions ?? 0,
    annotations: lease.metadata?.annotations ?? {},
  };
}
