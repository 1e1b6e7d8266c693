/**
 * The job port the rest of the middleware uses. pg-boss 10 implements it (pg-boss-queue.ts) on PostgreSQL or PGlite;
 * nothing outside middleware/jobs imports pg-boss. The vocabulary is pg-boss's: retryLimit, jittered retryBackoff
 * (capped by retryDelayMax, which pg-boss-queue.ts adds), expireInSeconds, dead-letter queues, cron schedules and
 * singleton keys.
 *
 * Two kinds of schedule:
 *   - `schedule` (cron, UTC): pg-boss's cron. Minute granularity: at most one job per matching minute, however many
 *     processes registered it. One cron schedule per queue.
 *   - `scheduleEvery` (every N seconds): for polling (Magento, eBay, the NetSuite outbox pull), which needs
 *     sub-minute periods. Time is cut into N-second slots by the database clock and each slot fires exactly one job
 *     across every process that registered the same (queue, key).
 */
import type { Db } from '../store/db';

export interface QueueSpec {
  name: string;
  /** Retries after the first attempt before the job fails (and goes to the dead-letter queue). */
  retryLimit: number;
  /** First retry delay in seconds; doubled with jitter each retry when retryBackoff is on. */
  retryDelaySeconds: number;
  retryBackoff: boolean;
  retryDelayMaxSeconds?: number;
  /**
   * The longest one attempt may run: past it the handler is let go and the attempt counts as failed (retried with
   * backoff). A worker that dies is noticed much sooner: active jobs hold a short lease their worker renews (see
   * consumer.ts), and a job whose lease lapses is handed to another worker at once.
   */
  expireInSeconds: number;
  deadLetter?: string;
  /**
   * 'standard' keeps every job. 'singleton' (at most one queued per singletonKey, pg-boss's policy) is what makes
   * `singletonKey` deduplicate; on a standard queue the key is ignored.
   */
  policy?: 'standard' | 'singleton' | 'short';
}

export interface SendOptions {
  /** Send inside this transaction: the job exists only if the transaction commits. */
  tx?: Db;
  singletonKey?: string;
  startAfterSeconds?: number;
}

export interface JobContext<T> {
  id: string;
  queue: string;
  data: T;
  /** 0 on the first attempt. */
  retryCount: number;
  retryLimit: number;
  /** True when this is the job's last attempt (a throw now fails it for good). */
  lastAttempt: boolean;
  /**
   * Aborted when this process no longer owns the job: its lease was lost, the attempt ran past the queue's
   * expireInSeconds, or a shutdown handed the job back. Whatever the handler does afterwards is ignored.
   */
  signal?: AbortSignal;
}

export type JobHandler<T> = (job: JobContext<T>) => Promise<void>;

export interface WorkOptions {
  /**
   * How many jobs this worker runs at once (its slots). Jobs are not fetched in batches: each slot is refilled with
   * the next due job as soon as it frees. Default 1.
   */
  batchSize?: number;
  /** The longest a worker with free slots sleeps between looks at the queue when nothing wakes it. Default 2. */
  pollingIntervalSeconds?: number;
  /**
   * Fair sharing of the slots: `key` is an SQL expression over the job row `j` (pg-boss's job table, e.g.
   * `j.data->>'tenant'`) naming the job's group; at most `limit` slots run jobs of one group at a time, so one
   * group's slow jobs leave the other slots to the other groups. Jobs whose key is null share the empty group.
   */
  group?: { key: string; limit: number };
}

export interface JobCounts {
  queue: string;
  /**
   * queued (created or retry, due now), deferred (created or retry, due later), active, failed, and total (every job
   * of the queue still in pg-boss's job table, completed included).
   */
  byState: Record<string, number>;
}

export interface QueueBacklog {
  queue: string;
  /** Jobs due now and not yet taken by a worker (created or retry, start_after passed). */
  waiting: number;
  /** Seconds the oldest of them has been due (0 when none waits). */
  oldestWaitingSeconds: number;
}

export interface JobQueue {
  start(): Promise<void>;
  /** Creates or updates queues (idempotent; safe from several processes). */
  ensureQueues(specs: readonly QueueSpec[]): Promise<void>;
  send<T extends object>(queue: string, data: T, options?: SendOptions): Promise<string | null>;
  work<T>(queue: string, options: WorkOptions, handler: JobHandler<T>): Promise<void>;
  /**
   * A cron schedule (UTC) that sends `data` to `queue`, shared by all processes. A queue holds one cron schedule:
   * scheduling it again (any key) replaces it. `key` names the schedule for the reader; it does not make a second one.
   */
  schedule(queue: string, cron: string, data?: object, key?: string): Promise<void>;
  /** Removes the queue's cron schedule (all processes). */
  unschedule(queue: string, key?: string): Promise<void>;
  /**
   * Sends `data` to `queue` once per `everySeconds`-long slot (whole seconds, >= 1), exactly once per slot across
   * all processes that register the same (queue, key). Fires for the current slot right away. Local to this
   * process: every process that should keep the schedule alive registers it (any one alive is enough). Give the
   * target queue policy 'short' to collapse ticks that pile up while no worker runs.
   */
  scheduleEvery(queue: string, everySeconds: number, data?: object, key?: string): Promise<void>;
  /** Stops this process's interval schedule for (queue, key). */
  stopEvery(queue: string, key?: string): void;
  counts(queues: readonly string[]): Promise<JobCounts[]>;
  /**
   * How far the workers are behind, per queue: the waiting jobs and how long the oldest has waited. Reads only the
   * waiting jobs (pg-boss's index on name and start_after for jobs not yet active), not the completed ones.
   */
  backlog(queues: readonly string[]): Promise<QueueBacklog[]>;
  readonly running: boolean;
  /**
   * Stops fetching; waits up to timeoutMs for in-flight handlers (their leases still renewed). At the deadline the
   * jobs still running are failed back to their queue for an immediate retry by this or another process (handed
   * back, never lost); the sync worker's resume path looks a write up before repeating it. A handler still running
   * then is let go: its signal is aborted and its outcome ignored.
   */
  stop(options: { timeoutMs: number }): Promise<void>;
}
