import type { QueueSpec } from '../jobs/job-queue';

export const SYNC_QUEUE = 'sync-record';
export const SYNC_DEAD_LETTER_QUEUE = 'sync-record-dead';

/** Job data: only the record id; the worker reads everything else from the store. */
export interface SyncJobData {
  syncRecordId: string;
  /** When the record was queued for this job (transition time, text with microseconds); absent on older jobs. */
  queuedAt?: string;
}

export interface SyncQueueOptions {
  expireInSeconds?: number;
  retryLimit?: number;
  retryDelaySeconds?: number;
  retryDelayMaxSeconds?: number;
}

/** The sync queues with the retry and expiry settings from configuration (`jobs.*`); defaults as SYNC_QUEUES. */
export function syncQueues(options: SyncQueueOptions = {}): QueueSpec[] {
  return SYNC_QUEUES.map((q) =>
    q.name === SYNC_QUEUE
      ? {
          ...q,
          expireInSeconds: options.expireInSeconds ?? q.expireInSeconds,
          retryLimit: options.retryLimit ?? q.retryLimit,
          retryDelaySeconds: options.retryDelaySeconds ?? q.retryDelaySeconds,
          retryDelayMaxSeconds: options.retryDelayMaxSeconds ?? q.retryDelayMaxSeconds,
        }
      : q,
  );
}

export const SYNC_QUEUES: readonly QueueSpec[] = [
  // Jobs pg-boss gave up on; the dead-letter worker settles their records (sync-worker.ts processDeadLetter).
  { name: SYNC_DEAD_LETTER_QUEUE, retryLimit: 2, retryDelaySeconds: 5, retryBackoff: true, expireInSeconds: 300 },
  {
    name: SYNC_QUEUE,
    // 6 attempts over roughly 10 minutes (jittered backoff from 5 s, capped at 5 min), then failed + dead letter.
    retryLimit: 5,
    retryDelaySeconds: 5,
    retryBackoff: true,
    retryDelayMaxSeconds: 300,
    // The longest one attempt may run. A worker that dies mid-job is noticed much sooner: its job's lease lapses
    // within seconds and another worker takes the job (middleware/jobs/consumer.ts).
    expireInSeconds: 120,
    deadLetter: SYNC_DEAD_LETTER_QUEUE,
  },
];
