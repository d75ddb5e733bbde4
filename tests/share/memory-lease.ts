// An in-memory Lease with the API server's update semantics (resourceVersion precondition → 409, AlreadyExists on a
// second create), and LeaseLocks on it that cache what they last saw, as client-go's and ours do.
import type {LeaseLock} from '../../source/share/lease-record.js';
import {rawRecord} from '../../source/share/lease-record.js';
import type {LeaseRecord} from '../../source/share/types.js';

export class ApiFailure extends Error {
  constructor(readonly code: number, message: string) {
    super(message);
  }
}

export class MemoryLease {
  record: LeaseRecord | null = null;
  rv = 0;
  writes = 0;

  /** Writes a record as another party would (kubectl, a test stealing the lease). */
  force(record: Partial<LeaseRecord>): void {
    this.record = {...this.record!, ...record};
    this.rv++;
  }

  lock(identity: string): MemoryLock {
    return new MemoryLock(this, identity);
  }
}

export class MemoryLock implements LeaseLock {
  private cachedRv: number | null = null;
  /** Set to simulate a partition: every call fails. */
  down = false;

  constructor(private readonly server: MemoryLease, readonly identity: string) {}

  private check(): void {
    if (this.down) throw new Error('connect ECONNREFUSED');
  }

  async get(): Promise<{record: LeaseRecord; raw: string} | null> {
    this.check();
    if (!this.server.record) return null;
    this.cachedRv = this.server.rv;
    const record = structuredClone(this.server.record);
    return {record, raw: rawRecord(record)};
  }

  async create(record: LeaseRecord): Promise<void> {
    this.check();
    if (this.server.record) throw new ApiFailure(409, 'AlreadyExists');
    this.server.record = structuredClone(record);
    this.cachedRv = ++this.server.rv;
    this.server.writes++;
  }

  async update(record: LeaseRecord): Promise<void> {
    this.check();
    if (this.cachedRv === null) throw new ApiFailure(422, 'metadata.resourceVersion: must be specified for an update');
    if (this.cachedRv !== this.server.rv) throw new ApiFailure(409, 'the object has been modified');
    this.server.record = structuredClone(record);
    this.cachedRv = ++this.server.rv;
    this.server.writes++;
  }

  async patchAnnotations(annotations: Record<string, string | null>): Promise<void> {
    this.check();
    if (!this.server.record) throw new ApiFailure(404, 'NotFound');
    const next = {...this.server.record.annotations};
    for (const [k, v] of Object.entries(annotations)) {
      if (v === null) delete next[k];
      else next[k] = v;
    }
    this.server.record = {...this.server.record, annotations: next};
    this.server.rv++;
  }
}
