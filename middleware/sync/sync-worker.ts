/**
 * Processes sync-record jobs: claim the record (queued → posting, a new attempt), run the processor outside any
 * transaction, then record the outcome. The record's state, read under a row lock, is the exactly-once guard: a job
 * for a record that is no longer queued (cancelled, already posted, taken by another worker) does nothing.
 *
 * A record found in `posting` means the previous attempt never finished (its process died or its job expired):
 * that attempt is closed as `interrupted` and the processor is told `resumed: true`, so it looks its write up by
 * externalId before writing again (the outcome of the interrupted write is unknown).
 */
import type { Logger } from 'pino';
import type { Db } from '../store/db';
import type { JobContext, JobQueue } from '../jobs/job-queue';
import type { Metrics } from '../observability/metrics';
import { getWebhookEvent } from '../store/sql/webhook-events';
import { finishAttempt, lockSyncRecord, requeuedSince, setSyncState, startAttempt, type SyncRecordRow } from '../store/sql/sync-records';
import { transition, type SyncEvent } from './sync-states';
import { SYNC_DEAD_LETTER_QUEUE, SYNC_QUEUE, type SyncJobData } from './queues';

export type ProcessOutcome =
  /** NetSuite has the records, written by this sync record or proven present; `message` may say what was done. */
  | { kind: 'posted'; code?: string; message?: string }
  /** Nothing was written in NetSuite, on purpose: the code and message say why (a final state a person can retry). */
  | { kind: 'skipped'; code: string; message: string }
  | { kind: 'parked'; code: string; message: string }
  /** `detail` (e.g. `{ step: 'fulfillment' }`) is kept on the attempt. */
  | { kind: 'failed'; code: string; message: string; retryable: boolean; detail?: Record<string, unknown> };

export interface ProcessContext {
  record: SyncRecordRow;
  event: { id: string; platformEventId: string; topic: string; body: string } | undefined;
  attempt: number;
  /** The previous attempt was interrupted: look the write up before repeating it. */
  resumed: boolean;
  logger: Logger;
  /** Aborted when this process no longer owns the job (lease lost, attempt out of time, shutdown deadline). */
  signal?: AbortSignal;
}

/** What turns a sync record into NetSuite writes; the flows (refunds, payments, returns) provide it. */
export type SyncProcessor = (context: ProcessContext) => Promise<ProcessOutcome>;

/**
 * The processor used until a flow claims a topic: it parks the record with a plain reason rather than pretending
 * to post it, so nothing is silently dropped and the record shows up as an exception once it ages.
 */
export const parkUnhandled: SyncProcessor = async ({ record }) => ({
  kind: 'parked',
  code: 'no_processor',
  message: `No sync flow handles topic "${record.topic}" yet.`,
});

export class RetryLaterError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'RetryLaterError';
  }
}

export interface SyncWorkerDeps {
  db: Db;
  processor: SyncProcessor;
  logger: Logger;
  metrics?: Metrics;
}

type Claim = { record: SyncRecordRow; attempt: number; resumed: boolean } | undefined;

async function claim(db: Db, id: string): Promise<Claim> {
  return db.transaction(async (tx) => {
    const record = await lockSyncRecord(tx, id);
    if (!record) return undefined;
    if (record.state === 'posting') {
      await finishAttempt(tx, id, record.attempt_count, 'interrupted', 'attempt_interrupted', 'The worker stopped before the attempt finished.');
      const attempt = await startAttempt(tx, id);
      return { record: { ...record, attempt_count: attempt }, attempt, resumed: true };
    }
    const next = transition(record.state, 'start');
    if (!next.ok) return undefined;
    await setSyncState(tx, id, record.state, next.value, null, null);
    const attempt = await startAttempt(tx, id);
    return { record: { ...record, state: next.value, attempt_count: attempt }, attempt, resumed: false };
  });
}

async function settle(db: Db, id: string, attempt: number, outcome: ProcessOutcome, lastAttempt: boolean): Promise<'posted' | 'skipped' | 'parked' | 'failed' | 'retry' | 'lost'> {
  return db.transaction(async (tx) => {
    const record = await lockSyncRecord(tx, id);
    // Another worker resumed this record after our job expired: its attempt owns the outcome now.
    if (!record || record.state !== 'posting' || record.attempt_count !== attempt) return 'lost';
    let event: SyncEvent;
    let result: 'posted' | 'skipped' | 'parked' | 'failed' | 'retry';
    let code: string | null = null;
    let message: string | null = null;
    let detail: Record<string, unknown> | null = null;
    if (outcome.kind === 'posted') {
      event = 'succeed';
      result = 'posted';
      code = outcome.code ?? null;
      message = outcome.message ?? null;
    } else {
      code = outcome.code;
      message = outcome.message;
      if (outcome.kind === 'skipped') {
        event = 'skip';
        result = 'skipped';
      } else if (outcome.kind === 'parked') {
        event = 'park';
        result = 'parked';
      } else {
        detail = outcome.detail ?? null;
        event = outcome.retryable && !lastAttempt ? 'requeue' : 'fail';
        result = outcome.retryable && !lastAttempt ? 'retry' : 'failed';
      }
    }
    const next = transition('posting', event);
    if (!next.ok) throw new Error(next.error.message);
    await finishAttempt(tx, id, attempt, result, code, message, detail);
    await setSyncState(tx, id, 'posting', next.value, code, message);
    return result;
  });
}

export async function processSyncJob(deps: SyncWorkerDeps, job: JobContext<SyncJobData>): Promise<void> {
  const id = job.data.syncRecordId;
  const logger = deps.logger.child({ syncRecordId: id, jobId: job.id });
  const claimed = await claim(deps.db, id);
  if (!claimed) {
    deps.metrics?.syncOutcomes.inc({ outcome: 'not_queued' });
    logger.debug('sync job ignored: record not queued');
    return;
  }
  const stored = claimed.record.event_id ? await getWebhookEvent(deps.db, claimed.record.event_id) : undefined;
  let outcome: ProcessOutcome;
  try {
    outcome = await deps.processor({
      record: claimed.record,
      event: stored && { id: stored.id, platformEventId: stored.platform_event_id, topic: stored.topic, body: stored.body },
      attempt: claimed.attempt,
      resumed: claimed.resumed,
      logger,
      ...(job.signal ? { signal: job.signal } : {}),
    });
  } catch (error) {
    // An unexpected throw is treated as retryable: the processor's writes are idempotent by externalId.
    outcome = { kind: 'failed', code: 'unexpected_error', message: (error as Error).message ?? String(error), retryable: true };
  }
  const result = await settle(deps.db, id, claimed.attempt, outcome, job.lastAttempt);
  deps.metrics?.syncOutcomes.inc({ outcome: result });
  logger.info({ attempt: claimed.attempt, outcome: result, resumed: claimed.resumed }, 'sync attempt finished');
  // Let pg-boss schedule the retry with its jittered backoff (and dead-letter the job after its last attempt).
  if (result === 'retry' || (result === 'failed' && outcome.kind === 'failed' && outcome.retryable)) {
    throw new RetryLaterError(outcome.kind === 'failed' ? outcome.code : 'retry', 'sync attempt will be retried');
  }
}

export const ATTEMPTS_EXHAUSTED = 'attempts_exhausted';

/**
 * A sync job pg-boss gave up on lands in the dead-letter queue: its last attempt threw, or it expired or was failed
 * by a shutdown without settling. A record such a job leaves in flight (`posting`: the attempt never settled;
 * `queued`: the claim never ran) is failed with `attempts_exhausted`, so it shows up as an exception a person can
 * retry instead of waiting forever. Records the last attempt settled are left alone, and so is a record put back
 * in the queue (retry, release, un-cancel) after this job was sent: a newer job owns it.
 */
export async function processDeadLetter(deps: SyncWorkerDeps, job: JobContext<SyncJobData>): Promise<'failed' | 'ignored'> {
  const id = job.data.syncRecordId;
  const logger = deps.logger.child({ syncRecordId: id, jobId: job.id });
  const result = await deps.db.transaction(async (tx) => {
    const record = await lockSyncRecord(tx, id);
    if (!record || (record.state !== 'posting' && record.state !== 'queued')) return 'ignored' as const;
    if (job.data.queuedAt && (await requeuedSince(tx, id, job.data.queuedAt))) return 'ignored' as const;
    const message = 'The job ran out of attempts before an attempt settled; retry the record once the cause is fixed.';
    if (record.state === 'posting') await finishAttempt(tx, id, record.attempt_count, 'interrupted', ATTEMPTS_EXHAUSTED, message);
    const next = transition(record.state, 'fail');
    if (!next.ok) throw new Error(next.error.message);
    await setSyncState(tx, id, record.state, next.value, ATTEMPTS_EXHAUSTED, message);
    return 'failed' as const;
  });
  deps.metrics?.syncOutcomes.inc({ outcome: result === 'failed' ? 'dead_letter_failed' : 'dead_letter_ignored' });
  if (result === 'failed') logger.warn('dead-lettered sync job: record failed with attempts_exhausted');
  else logger.info('dead-lettered sync job: record already settled');
  return result;
}

/**
 * The group a sync job's slot counts against: the NetSuite connection of the record's channel (a channel without
 * one: its tenant). An SQL expression over pg-boss's job row `j` (see WorkOptions.group).
 */
export const SYNC_JOB_GROUP = `(select coalesce('connection:' || c.connection_id, 'tenant:' || c.tenant_id)
   from lb_sync_records r join lb_channels c on c.id = r.channel_id where r.id = j.data->>'syncRecordId')`;

export interface SyncWorkerOptions {
  /** Sync jobs this process runs at once; each slot takes the next job as soon as it frees. */
  batchSize: number;
  pollingIntervalSeconds: number;
  /**
   * Slots one NetSuite connection may hold at once, so slow NetSuite calls on one connection leave the other slots
   * to the other connections and tenants. Default: all slots but one (at least 1).
   */
  perConnectionSlots?: number;
}

export function perConnectionSlotsOf(options: SyncWorkerOptions): number {
  return Math.max(1, Math.min(options.batchSize, options.perConnectionSlots ?? options.batchSize - 1));
}

export async function startSyncWorkers(deps: SyncWorkerDeps, jobs: JobQueue, options: SyncWorkerOptions): Promise<void> {
  const work = { batchSize: options.batchSize, pollingIntervalSeconds: options.pollingIntervalSeconds };
  await jobs.work<SyncJobData>(SYNC_QUEUE, { ...work, group: { key: SYNC_JOB_GROUP, limit: perConnectionSlotsOf(options) } }, (job) =>
    processSyncJob(deps, job),
  );
  await jobs.work<SyncJobData>(SYNC_DEAD_LETTER_QUEUE, work, async (job) => {
    await processDeadLetter(deps, job);
  });
}
