// The driver's side of a shared session: events are queued as they happen and one background loop sends everything
// queued as a single append, so a burst of 200 events costs a few PUTs, not 200. The log is written only while the
// elector says this process holds the wheel, checked right before each write; once the wheel is lost the unacknowledged
// events, and all later ones, go to this writer's branch, for the new driver to accept or drop.

import {setTimeout as sleep} from 'node:timers/promises';
import type {SessionEvent} from '../session/events.js';
import type {AppendOptions, SharedEventLog} from './event-log.js';
import {writerTag as newWriterTag} from './identity.js';
import type {LeaseElector} from './lease-elector.js';
import {errorText} from './lease-record.js';

export interface PublisherOptions {
  log: Pick<SharedEventLog, 'append' | 'appendBranch'>;
  elector: Pick<LeaseElector, 'isLeader' | 'onLost'>;
  /** user@host/pid, written on the branch so the new driver can say whose events they are. */
  identity: string;
  /** Names this writer's branch (default: a random tag). */
  writerTag?: string;
  /** Events per append at most (default 500); a chunk boundary splits a batch anyway. */
  maxBatch?: number;
  /** First wait after a failed send, doubled up to 5 s (default 500 ms). */
  retryMs?: number;
}

export class SessionPublisher {
  readonly writerTag: string;
  /** Events the log acknowledged (written by us, or found already there). */
  acknowledged = 0;
  lastAcknowledgedId: string | null = null;
  /** Events written to this writer's branch after the wheel was lost. */
  branched = 0;
  lastError: string | null = null;

  private readonly queue: SessionEvent[] = [];
  private inFlight = 0;
  private target: 'log' | 'branch' = 'log';
  private running = false;
  private stopped = false;
  private failures = 0;
  private sendController: AbortController | null = null;
  private readonly stopController = new AbortController();
  private readonly listeners = new Set<() => void>();
  private readonly unsubscribe: () => void;

  constructor(private readonly options: PublisherOptions) {
    this.writerTag = options.writerTag ?? newWriterTag();
    this.unsubscribe = options.elector.onLost(() => this.divert());
  }

  /** Queued or being sent. */
  get pending(): number {
    return this.queue.length + this.inFlight;
  }

  /** True once the wheel was lost: events go to the branch, not the log. */
  get branching(): boolean {
    return this.target === 'branch';
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  publish(event: SessionEvent): void {
    if (this.stopped) return;
    this.queue.push(event);
    this.notify();
    void this.run();
  }

  /** Resolves true once nothing is pending (everything acknowledged or branched), false after `timeoutMs`. */
  async flush(timeoutMs: number): Promise<boolean> {
    const until = Date.now() + timeoutMs;
    while (this.pending > 0 && Date.now() < until && !this.stopped) {
      void this.run();
      await new Promise<void>(resolve => {
        const done = () => {
          off();
          clearTimeout(timer);
          resolve();
        };
        const off = this.onChange(done);
        const timer = setTimeout(done, Math.max(1, until - Date.now()));
      });
    }
    return this.pending === 0;
  }

  /** Back to the log after this process holds the wheel again (its branch accepted first, by the caller). */
  resumeLog(): void {
    this.target = 'log';
    this.notify();
    void this.run();
  }

  stop(): void {
    this.stopped = true;
    this.unsubscribe();
    this.sendController?.abort();
    this.stopController.abort();
    this.notify();
  }

  /** The wheel is gone: no further write to the log, the one in flight abandoned (its events go to the branch). */
  private divert(): void {
    if (this.target === 'branch') return;
    this.target = 'branch';
    this.sendController?.abort();
    this.notify();
  }

  private async run(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      while (!this.stopped && this.queue.length > 0) {
        const batch = this.queue.splice(0, this.options.maxBatch ?? 500);
        this.inFlight = batch.length;
        const sent = await this.send(batch);
        this.inFlight = 0;
        if (!sent) this.queue.unshift(...batch);
        this.notify();
        if (!sent) await this.backoff();
      }
    } finally {
      this.running = false;
    }
  }

  private async send(batch: SessionEvent[]): Promise<boolean> {
    if (this.target === 'log' && !this.options.elector.isLeader()) this.divert();
    if (this.target === 'log') {
      const controller = (this.sendController = new AbortController());
      const options: AppendOptions = {signal: controller.signal, guard: () => this.target === 'log' && this.options.elector.isLeader()};
      try {
        await this.options.log.append(batch, options);
        this.acknowledge(batch);
        return true;
      } catch (error) {
        if (this.stopped) return false;
        this.lastError = errorText(error);
        if (this.options.elector.isLeader() && this.target === 'log') return false;
        // Whether that append landed or not, the branch holds the events too: accepting it dedupes by id.
        this.divert();
      } finally {
        this.sendController = null;
      }
    }
    try {
      await this.options.log.appendBranch(this.options.identity, this.writerTag, batch, this.stopController.signal);
      this.branched += batch.length;
      this.failures = 0;
      return true;
    } catch (error) {
      this.lastError = errorText(error);
      return false;
    }
  }

  private acknowledge(batch: SessionEvent[]): void {
    this.acknowledged += batch.length;
    this.lastAcknowledgedId = batch.at(-1)?.id ?? this.lastAcknowledgedId;
    this.lastError = null;
    this.failures = 0;
  }

  private async backoff(): Promise<void> {
    this.failures++;
    const ms = Math.min(5000, (this.options.retryMs ?? 500) * 2 ** (this.failures - 1));
    await sleep(ms, undefined, {signal: this.stopController.signal}).catch(() => undefined);
  }

  private notify(): void {
    for (const listener of this.listeners) listener();
  }
}
