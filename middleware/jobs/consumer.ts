/**
 * The continuous consumer behind JobQueue.work: a fixed number of slots, each refilled with one job the moment it
 * frees (no batches, so one slow job never holds up the jobs fetched with it), woken by new work (a send in this
 * process, or a NOTIFY from another one) and otherwise polling every pollingInterval.
 *
 * Leases: a fetched job is active with a short lease (pg-boss's expire_in set to `leaseSeconds`, never more than
 * the queue's expireInSeconds), renewed every heartbeat while its handler runs. A process that dies stops renewing,
 * and its jobs are reclaimed a lease later (by the reaper of any process working the queue) instead of after the
 * queue's expireInSeconds. expireInSeconds stays the longest one attempt may run: at that point the handler is let
 * go and the job fails like any failed attempt (retried with backoff).
 *
 * Each activation of a job is fenced by (id, retry_count): pg-boss adds one to retry_count every time a job is
 * fetched again, so renewing, completing or failing only ever touches the activation this process holds. A job
 * whose lease was lost (this process stalled past its lease and another took the job) is no longer renewed, its
 * handler's signal is aborted and its outcome ignored.
 */
import type { JobContext, JobHandler } from './job-queue';

export interface FetchedJob {
  id: string;
  data: unknown;
  retryCount: number;
  retryLimit: number;
  /** The queue's expireInSeconds when the job was fetched: the longest this attempt may run. */
  capSeconds: number;
  group: string | null;
}

export interface ConsumerPorts {
  /** Takes one due job (none when `excludeGroups` are the only groups with due jobs). */
  fetch(queue: string, excludeGroups: string[], leaseSeconds: number, groupKey: string | undefined): Promise<FetchedJob | undefined>;
  /** Extends the leases of these activations; answers the ids still held. */
  renew(queue: string, held: Array<{ id: string; retryCount: number; capSeconds: number }>, leaseSeconds: number): Promise<Set<string>>;
  complete(queue: string, id: string, retryCount: number): Promise<void>;
  /** Fails this activation (retry or failed + dead letter, pg-boss's rules); `now`: retry without backoff. */
  fail(queue: string, id: string, retryCount: number, reason: unknown, now: boolean): Promise<void>;
  onError(error: unknown): void;
}

export interface ConsumerOptions {
  queue: string;
  slots: number;
  pollingIntervalMs: number;
  leaseSeconds: number;
  group?: { key: string; limit: number };
}

interface Held {
  job: FetchedJob;
  controller: AbortController;
  /** The lease was lost or the attempt ran out of time: nothing more is written for this activation. */
  released: boolean;
  capTimer?: NodeJS.Timeout;
  done: Promise<void>;
}

export class Consumer {
  private readonly held = new Map<string, Held>();
  private running = false;
  private pumping = false;
  private again = false;
  private pollTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly ports: ConsumerPorts,
    private readonly options: ConsumerOptions,
    private readonly handler: JobHandler<unknown>,
  ) {}

  get queue(): string {
    return this.options.queue;
  }

  /** Jobs this consumer holds (their handlers are running). */
  get inFlight(): number {
    return this.held.size;
  }

  start(): void {
    this.running = true;
    this.wake();
  }

  /** New work may be due: fill the free slots now. */
  wake(): void {
    if (!this.running) return;
    if (this.pumping) {
      this.again = true;
      return;
    }
    void this.pump();
  }

  private groupsAtLimit(): string[] {
    const group = this.options.group;
    if (!group) return [];
    const used = new Map<string, number>();
    for (const h of this.held.values()) {
      if (h.job.group === null) continue;
      used.set(h.job.group, (used.get(h.job.group) ?? 0) + 1);
    }
    return [...used].filter(([, n]) => n >= group.limit).map(([g]) => g);
  }

  private async pump(): Promise<void> {
    this.pumping = true;
    if (this.pollTimer) clearTimeout(this.pollTimer);
    try {
      do {
        this.again = false;
        while (this.running && this.held.size < this.options.slots) {
          const job = await this.ports.fetch(this.options.queue, this.groupsAtLimit(), this.options.leaseSeconds, this.options.group?.key);
          if (!job) break;
          if (!this.running) {
            // Stopped while fetching: hand the job straight back.
            await this.ports.fail(this.options.queue, job.id, job.retryCount, new Error('worker stopping'), true);
            break;
          }
          this.run(job);
        }
      } while (this.again && this.running);
    } catch (error) {
      this.ports.onError(error);
    } finally {
      this.pumping = false;
      if (this.running) {
        this.pollTimer = setTimeout(() => this.wake(), this.options.pollingIntervalMs);
        this.pollTimer.unref();
      }
    }
  }

  private run(job: FetchedJob): void {
    const controller = new AbortController();
    const entry: Held = { job, controller, released: false, done: Promise.resolve() };
    const context: JobContext<unknown> = {
      id: job.id,
      queue: this.options.queue,
      data: job.data,
      retryCount: job.retryCount,
      retryLimit: job.retryLimit,
      lastAttempt: job.retryCount >= job.retryLimit,
      signal: controller.signal,
    };
    let capReached: () => void = () => undefined;
    const cap = new Promise<'cap'>((resolve) => {
      capReached = () => resolve('cap');
    });
    entry.capTimer = setTimeout(capReached, job.capSeconds * 1000);
    entry.capTimer.unref();
    this.held.set(job.id, entry);
    entry.done = (async () => {
      const attempt = this.handler(context).then(
        () => ({ ok: true as const }),
        (error: unknown) => ({ ok: false as const, error }),
      );
      const result = await Promise.race([attempt, cap]);
      clearTimeout(entry.capTimer);
      try {
        if (entry.released) return;
        entry.released = true;
        if (result === 'cap') {
          controller.abort(new Error('the attempt ran longer than the queue allows'));
          await this.ports.fail(this.options.queue, job.id, job.retryCount, new Error(`job ran longer than ${job.capSeconds} s`), false);
        } else if (result.ok) {
          await this.ports.complete(this.options.queue, job.id, job.retryCount);
        } else {
          await this.ports.fail(this.options.queue, job.id, job.retryCount, result.error, false);
        }
      } catch (error) {
        // The job stays active until its lease lapses; a reaper then hands it back.
        this.ports.onError(error);
      } finally {
        this.held.delete(job.id);
        this.wake();
      }
    })();
  }

  /** Renews the leases of the jobs still running; a job whose lease is gone is let go. */
  async heartbeat(): Promise<void> {
    const active = [...this.held.values()].filter((h) => !h.released);
    if (active.length === 0) return;
    const renewed = await this.ports.renew(
      this.options.queue,
      active.map((h) => ({ id: h.job.id, retryCount: h.job.retryCount, capSeconds: h.job.capSeconds })),
      this.options.leaseSeconds,
    );
    for (const h of active) {
      if (renewed.has(h.job.id) || h.released) continue;
      h.released = true;
      h.controller.abort(new Error('the job lease was lost: another worker owns the job now'));
      this.ports.onError(new Error(`lease lost for job ${h.job.id} of ${this.options.queue}; its outcome is ignored`));
    }
  }

  /** Stops fetching. In-flight handlers keep running (and their leases renewed) until `handBack`. */
  stopFetching(): void {
    this.running = false;
    if (this.pollTimer) clearTimeout(this.pollTimer);
  }

  /** Resolves once every handler this consumer runs has settled. */
  async idle(): Promise<void> {
    while (this.held.size > 0) await Promise.all([...this.held.values()].map((h) => h.done));
  }

  /** Hands the jobs still running back to their queue at once (a retry); their handlers' outcomes are ignored. */
  async handBack(reason: string): Promise<void> {
    for (const h of [...this.held.values()]) {
      if (h.released) continue;
      h.released = true;
      clearTimeout(h.capTimer);
      h.controller.abort(new Error(reason));
      try {
        await this.ports.fail(this.options.queue, h.job.id, h.job.retryCount, new Error(reason), true);
      } catch (error) {
        this.ports.onError(error);
      }
      this.held.delete(h.job.id);
    }
  }
}
