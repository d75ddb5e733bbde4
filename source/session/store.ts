// One interface for every write the session makes, so the durable store can replace the memory one without
// the UI noticing. `append` returns only once the event is kept: the screen shows nothing that is not.

import type {SessionEvent} from './events.js';

export type StoreChange = 'appended' | 'replaced' | 'standing';

export interface SessionStore {
  readonly id: string;
  /** Where this session's command output goes (one file per run). */
  readonly outputDir: string;
  /** Where blocks' environment dumps go while they run: the state directory's tmp/, swept of a crash's leftovers. */
  readonly scratchDir?: string;
  /** A view of a session another process is writing: nothing may be appended. */
  readonly readOnly?: boolean;
  /** Why it is read-only, when it is not that another process writes it (a read-only or full state directory). */
  readonly readOnlyReason?: string | null;
  events(): readonly SessionEvent[];
  append(event: SessionEvent): void;
  /** Values to redact from everything written from now on (secrets the operator typed). */
  addSecrets?(values: string[]): void;
  /** Re-reads what another writer appended (read-only views). */
  refresh?(): void;
  /**
   * Tells when something changed by itself (a shared session followed live): events added at the end (`appended`),
   * the events replaced by another list (`replaced`: a follower took the wheel, a driver lost it), or only the store's
   * standing (`standing`: who drives, what is published), which changes what is shown, not the session.
   */
  subscribe?(listener: (change: StoreChange) => void): () => void;
  /**
   * A read-only store may still take this event: the result of a run this process started before it handed the
   * wheel over (a shared session), which must not be lost.
   */
  accepts?(event: SessionEvent): boolean;
  close(): void;
}

export class MemorySessionStore implements SessionStore {
  private readonly log: SessionEvent[] = [];

  constructor(
    readonly id: string,
    readonly outputDir: string,
  ) {}

  events(): readonly SessionEvent[] {
    return this.log;
  }

  append(event: SessionEvent): void {
    this.log.push(event);
  }

  close(): void {}
}
