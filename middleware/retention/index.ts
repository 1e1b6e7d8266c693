/**
 * Retention: a pg-boss cron schedule (shared by every process on the store; at most one run per matching minute)
 * that prunes what is done and older than the retention (config `retention`, LEDGERBRIDGE_RETENTION_DAYS, default
 * 90 days): sync records in a final state (posted, skipped, cancelled) with their transitions, attempts and webhook
 * events. Records that are received, queued, posting, parked or failed are never pruned, whatever their age, and
 * neither is an event whose record is one of them. A platform event's dedupe key is kept while the platform may
 * still redeliver the event (retention.redeliveryWindowHours), so a late redelivery is still answered as a
 * duplicate. Deletes run in batches of retention.batchSize, each its own transaction.
 */
import type { Logger } from 'pino';
import type { Db } from '../store/db';
import type { JobQueue } from '../jobs/job-queue';
import { deleteExpiredDedupeRows, pruneFinalRecordsBatch } from '../store/sql/retention';

export interface RetentionSettings {
  days: number;
  redeliveryWindowHours: number;
  batchSize: number;
  /** Batches one run does at most (the next run continues). */
  maxBatchesPerRun: number;
  cron: string;
}

export interface PruneReport {
  syncRecords: number;
  transitions: number;
  attempts: number;
  events: number;
  eventsCompacted: number;
  dedupeRowsDeleted: number;
  batches: number;
  /** True when the run stopped at maxBatchesPerRun with more to prune. */
  more: boolean;
}

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

export const RETENTION_QUEUE = 'lb-retention';

/** One prune run: batches until nothing is left to prune or maxBatchesPerRun is reached. */
export async function pruneExpired(db: Db, settings: RetentionSettings, now: Date = new Date()): Promise<PruneReport> {
  const cutoff = new Date(now.getTime() - settings.days * DAY_MS);
  const redeliveryCutoff = new Date(now.getTime() - settings.redeliveryWindowHours * HOUR_MS);
  const report: PruneReport = { syncRecords: 0, transitions: 0, attempts: 0, events: 0, eventsCompacted: 0, dedupeRowsDeleted: 0, batches: 0, more: false };
  while (report.batches < settings.maxBatchesPerRun) {
    const batch = await pruneFinalRecordsBatch(db, { cutoff, redeliveryCutoff, limit: settings.batchSize });
    report.batches += 1;
    report.syncRecords += batch.syncRecords;
    report.transitions += batch.transitions;
    report.attempts += batch.attempts;
    report.events += batch.events;
    report.eventsCompacted += batch.eventsCompacted;
    if (batch.syncRecords < settings.batchSize) break;
  }
  while (report.batches < settings.maxBatchesPerRun) {
    const deleted = await deleteExpiredDedupeRows(db, { redeliveryCutoff, limit: settings.batchSize });
    report.batches += 1;
    report.dedupeRowsDeleted += deleted;
    if (deleted < settings.batchSize) return report;
  }
  report.more = true;
  return report;
}

export interface RunningRetention {
  /** One run now (tests, operators); runs never overlap within a process. */
  run(): Promise<PruneReport>;
}

/** Registers the retention queue, its cron schedule and its worker. */
export async function startRetention(deps: { db: Db; jobs: JobQueue; logger: Logger; now?: () => Date }, settings: RetentionSettings): Promise<RunningRetention> {
  let running: Promise<PruneReport> | null = null;
  const run = (): Promise<PruneReport> => {
    running ??= pruneExpired(deps.db, settings, deps.now?.() ?? new Date())
      .then((report) => {
        deps.logger.info({ retention: { days: settings.days, ...report } }, 'retention prune finished');
        return report;
      })
      .finally(() => {
        running = null;
      });
    return running;
  };
  await deps.jobs.ensureQueues([{ name: RETENTION_QUEUE, retryLimit: 0, retryDelaySeconds: 0, retryBackoff: false, expireInSeconds: 3600, policy: 'singleton' }]);
  await deps.jobs.schedule(RETENTION_QUEUE, settings.cron, {}, 'retention');
  await deps.jobs.work(RETENTION_QUEUE, { batchSize: 1, pollingIntervalSeconds: 30 }, async () => {
    await run();
  });
  return { run };
}
