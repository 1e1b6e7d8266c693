/**
 * Set-based job creation: SQL fragments that put jobs into pg-boss 10's job table as part of a caller's own
 * statement (a data-modifying CTE), so a group of records and their jobs are written together in one round trip.
 * The rows get what `boss.send` gives a job sent without options: the queue's retry limit, retry delay and backoff,
 * expiry, retention and dead-letter queue, priority 0, due now. Nothing here imports pg-boss.
 */

/** pg-boss's schema (its default; pg-boss-queue.ts creates it there). */
export const JOB_SCHEMA = 'pgboss';
/** The LISTEN/NOTIFY channel a send wakes workers on (payload: the queue name). */
export const JOB_WAKE_CHANNEL = 'ledgerbridge_jobs';

export interface JobInsertSource {
  /** A relation (CTE name) with one row per job to create. */
  from: string;
  /** Its column holding the new job's id (uuid). */
  id: string;
  /** An SQL expression over the relation's columns giving the job's data (jsonb). */
  data: string;
  /** A parameter placeholder (e.g. `$3`) holding the queue name. */
  queue: string;
}

/**
 * An `insert into pgboss.job ... select` creating one job per row of `source.from`, with the queue's settings
 * (a missing queue fails the statement: pg-boss's job table has no partition for it). Returns `id` per job.
 */
export function insertJobsSql(source: JobInsertSource): string {
  return `insert into ${JOB_SCHEMA}.job (id, name, data, priority, start_after, dead_letter, expire_in, keep_until, retry_limit, retry_delay, retry_backoff, policy)
    select s.${source.id}, n.name, ${source.data}, 0, now(), q.dead_letter,
           coalesce(q.expire_seconds * interval '1 second', interval '15 minutes'),
           now() + coalesce(q.retention_minutes * interval '1 minute', interval '14 days'),
           coalesce(q.retry_limit, 2),
           case when coalesce(q.retry_backoff, false) then greatest(coalesce(q.retry_delay, 0), 1) else coalesce(q.retry_delay, 0) end,
           coalesce(q.retry_backoff, false),
           q.policy
      from ${source.from} s
      cross join (select ${source.queue}::text as name) n
      left join ${JOB_SCHEMA}.queue q on q.name = n.name
    returning id`;
}

/** A scalar SQL expression that NOTIFYs the queue's workers once (delivered on commit) when `jobs` holds a row. */
export function wakeOnceSql(jobs: string, channelParam: string, queueParam: string): string {
  return `(select count(pg_notify(${channelParam}, ${queueParam}::text)) from (select 1 from ${jobs} limit 1) w)`;
}
