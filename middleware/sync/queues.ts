import type { QueueSpec } from '../jobs/job-queue';

export const SYNC_QUEUE = 'sync-record';
export const SYNC_DEAD_LETTER_QUEUE = 'sync-record-dead';

/** Job data: only the record id; the worker reads everything else from the store. */
export interface SyncJobData {
  syncRecordId: string;
}

/** The sync queues; `expireInSeconds` comes from configuration (jobs.expireInSeconds). */
export function syncQueues(expireInSeconds = 120): QueueSpec[] {
  return SYNC_QUEUES.map((q) => (q.name === SYNC_QUEUE ? { ...q, expireInSeconds } : q));
}

export const SYNC_QUEUES: readonly QueueSpec[] = [
  { name: SYNC_DEAD_LETTER_QUEUE, retryLimit: 0, retryDelaySeconds: 0, retryBackoff: false, expireInSeconds: 300 },
  {
    name: SYNC_QUEUE,
    // 6 attempts over roughly 10 minutes (jittered backoff from 5 s, capped at 5 min), then failed + dead letter.
    retryLimit: 5,
    retryDelaySeconds: 5,
    retryBackoff: true,
    retryDelayMaxSeconds: 300,
    // A worker that dies mid-job hands the job back after this long.
    expireInSeconds: 120,
    deadLetter: SYNC_DEAD_LETTER_QUEUE,
  },
];
