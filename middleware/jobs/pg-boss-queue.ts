/**
 * JobQueue on pg-boss 10, over PostgreSQL (pg-boss's own small pool) or PGlite (the store's one connection, through
 * a small `db: { executeSql }` adapter: pg-boss 10 has no built-in PGlite backend).
 *
 * What this module adds to pg-boss 10 to keep the JobQueue contract:
 *   - per-job results in a batch: each job of a fetched batch is completed or failed on its own (pg-boss 10 settles
 *     a batch as one), so one job's failure never retries its batch-mates;
 *   - `retryDelayMaxSeconds`: pg-boss 10 has no delay cap, so after a failed attempt the retry's start_after is
 *     lowered to at most now + the cap (the queue's spec as this process registered it in ensureQueues);
 *   - queue counts by state, read from pg-boss's job table.
 */
import PgBoss from 'pg-boss';
import type { PGlite } from '@electric-sql/pglite';
import type { Db } from '../store/db';
import type { StoreHandle } from '../store/open-db';
import type { JobCounts, JobQueue, QueueSpec } from './job-queue';

export interface PgBossQueueOptions {
  /** A name for this process's connections (PostgreSQL application_name). */
  instanceName?: string;
  /** Called with pg-boss's background errors (logged by the caller). */
  onError?: (error: Error) => void;
  /** Run pg-boss maintenance (expiry, archiving) and cron in this process (on by default). */
  supervise?: boolean;
  /** How often expired jobs are found and maintenance runs (pg-boss's maintenance and monitor intervals). */
  superviseIntervalSeconds?: number;
  /** How often this process looks for due cron occurrences (pg-boss's cronMonitorIntervalSeconds; 1-45, default 30). */
  cronMonitorIntervalSeconds?: number;
  /** How often the cron sender polls its internal queue (pg-boss's cronWorkerIntervalSeconds; default 5). */
  cronWorkerIntervalSeconds?: number;
}

/** pg-boss's schema (its default). */
const SCHEMA = 'pgboss';

/** The singleton key under which an interval schedule's slots are deduplicated. */
function everyKey(queue: string, key: string | undefined): string {
  return `every:${queue}:${key ?? ''}`;
}

type BossDb = { executeSql(text: string, values?: unknown[]): Promise<{ rows: unknown[] }> };

/** Adapts a transaction's Db to pg-boss's Db so a job send joins the transaction. */
function bossDbOf(tx: Db): BossDb {
  return { executeSql: async (text, values) => ({ rows: (await tx.query(text, values)).rows }) };
}

/**
 * pg-boss's Db on a PGlite instance. Statements with parameters go through `query` (one statement); without
 * parameters the text may hold several statements (schema creation, migrations, locked blocks), which go through
 * `exec`, their rows flattened so a RETURNING before a trailing COMMIT is not lost. One connection serves every
 * caller, so a failed statement inside a BEGIN ... COMMIT block is rolled back before the error is rethrown (a pool
 * would have handed out a fresh connection instead).
 */
function pgliteBossDb(pglite: PGlite): BossDb {
  return {
    async executeSql(text, values) {
      try {
        if (values && values.length > 0) return { rows: (await pglite.query(text, values)).rows };
        const results = await pglite.exec(text);
        return { rows: results.flatMap((r) => r.rows) };
      } catch (error) {
        await pglite.query('ROLLBACK').catch(() => undefined);
        throw error;
      }
    },
  };
}

export async function createPgBossQueue(store: StoreHandle, options: PgBossQueueOptions = {}): Promise<JobQueue> {
  const supervise = options.supervise ?? true;
  const common: PgBoss.ConstructorOptions = {
    schema: SCHEMA,
    application_name: options.instanceName ?? 'ledgerbridge',
    supervise,
    schedule: supervise,
    ...(options.superviseIntervalSeconds
      ? { maintenanceIntervalSeconds: options.superviseIntervalSeconds, monitorStateIntervalSeconds: options.superviseIntervalSeconds }
      : {}),
    ...(options.cronMonitorIntervalSeconds ? { cronMonitorIntervalSeconds: options.cronMonitorIntervalSeconds } : {}),
    ...(options.cronWorkerIntervalSeconds ? { cronWorkerIntervalSeconds: options.cronWorkerIntervalSeconds } : {}),
  };
  const boss =
    store.kind === 'postgres'
      ? new PgBoss({ ...common, connectionString: store.connectionString, max: 4 })
      : new PgBoss({ ...common, db: pgliteBossDb(store.pglite) as PgBoss.Db });
  boss.on('error', (error) => options.onError?.(error));
  let running = false;
  /** Resolved once stop() has passed its deadline: batches still running are let go (pg-boss failed them back). */
  let abandon: () => void = () => undefined;
  const abandoned = new Promise<'abandoned'>((resolve) => {
    abandon = () => resolve('abandoned');
  });
  const specs = new Map<string, QueueSpec>();
  const intervals = new Map<string, IntervalSchedule>();
  /** Database clock minus this process's clock (ms), measured at start: slots are cut by the database clock. */
  let dbSkewMs = 0;

  const sql = async <T>(text: string, values: unknown[]): Promise<T[]> => (await boss.getDb().executeSql(text, values)).rows as T[];

  interface IntervalSchedule {
    queue: string;
    key: string;
    periodMs: number;
    data: object;
    timer?: NodeJS.Timeout;
  }

  const reportError = (error: unknown) => options.onError?.(error instanceof Error ? error : new Error(String(error)));

  async function fire(entry: IntervalSchedule): Promise<void> {
    try {
      // singletonSeconds files the job under floor(db_now / period) (the unique index on name, slot and key), so
      // every process firing in the same slot produces one job; the others get null back.
      await boss.send(entry.queue, entry.data, { singletonKey: entry.key, singletonSeconds: entry.periodMs / 1000 });
    } catch (error) {
      reportError(error);
    }
  }

  /** Arms the next firing at the middle of the next slot, so clock skew below half a period cannot miss a slot. */
  function arm(entry: IntervalSchedule): void {
    if (!running || intervals.get(entry.key) !== entry) return;
    const dbNow = Date.now() + dbSkewMs;
    const nextMid = (Math.floor(dbNow / entry.periodMs) + 1) * entry.periodMs + entry.periodMs / 2;
    entry.timer = setTimeout(() => {
      void fire(entry).finally(() => arm(entry));
    }, nextMid - dbNow);
    entry.timer.unref();
  }

  function startInterval(entry: IntervalSchedule): void {
    void fire(entry).finally(() => arm(entry));
  }

  /** Lowers the start_after of jobs just failed back to `retry` to at most now + the queue's delay cap. */
  async function capRetryDelays(queue: string, ids: string[]): Promise<void> {
    const cap = specs.get(queue)?.retryDelayMaxSeconds;
    if (cap === undefined || ids.length === 0) return;
    await sql(
      `update ${SCHEMA}.job set start_after = least(start_after, now() + $3::float8 * interval '1 second')
        where name = $1 and id = any($2::uuid[]) and state = 'retry'`,
      [queue, ids, cap],
    );
  }

  return {
    get running() {
      return running;
    },

    async start() {
      await boss.start();
      const { rows } = await store.query<{ ms: string | number }>('select extract(epoch from clock_timestamp()) * 1000 as ms');
      dbSkewMs = Number(rows[0]?.ms ?? Date.now()) - Date.now();
      running = true;
      for (const entry of intervals.values()) startInterval(entry);
    },

    async ensureQueues(list: readonly QueueSpec[]) {
      // Dead-letter queues must exist before the queues that name them.
      const ordered = [...list].sort((a, b) => Number(Boolean(a.deadLetter)) - Number(Boolean(b.deadLetter)));
      for (const spec of ordered) {
        specs.set(spec.name, spec);
        const queueOptions: PgBoss.Queue = {
          name: spec.name,
          policy: spec.policy ?? 'standard',
          retryLimit: spec.retryLimit,
          retryDelay: spec.retryDelaySeconds,
          retryBackoff: spec.retryBackoff,
          expireInSeconds: spec.expireInSeconds,
          ...(spec.deadLetter ? { deadLetter: spec.deadLetter } : {}),
        };
        for (let attempt = 1; ; attempt++) {
          const existing = await boss.getQueue(spec.name);
          if (existing) {
            // The policy a queue was created with stays (pg-boss 10 would otherwise overwrite it with the one given).
            await boss.updateQueue(spec.name, { ...queueOptions, policy: existing.policy ?? queueOptions.policy });
            break;
          }
          try {
            await boss.createQueue(spec.name, queueOptions);
            break;
          } catch (error) {
            // Processes starting together create the same queue at once: PostgreSQL may pick one of them as a
            // deadlock victim (creating a queue attaches a partition to pg-boss's job table). Look again after a
            // short random pause: the other process's queue is there, or this one tries once more.
            if (attempt >= 5) throw error;
            await new Promise((resolve) => setTimeout(resolve, 50 + Math.random() * 200));
          }
        }
      }
    },

    async send(queue, data, sendOptions = {}) {
      return boss.send(queue, data, {
        ...(sendOptions.tx ? { db: bossDbOf(sendOptions.tx) as PgBoss.Db } : {}),
        ...(sendOptions.singletonKey ? { singletonKey: sendOptions.singletonKey } : {}),
        ...(sendOptions.startAfterSeconds ? { startAfter: sendOptions.startAfterSeconds } : {}),
      });
    },

    async work(queue, workOptions, handler) {
      await boss.work<object>(
        queue,
        {
          batchSize: workOptions.batchSize ?? 1,
          pollingIntervalSeconds: workOptions.pollingIntervalSeconds ?? 2,
          includeMetadata: true,
        },
        async (jobs) => {
          const settled = Promise.allSettled(
            jobs.map((job) =>
              handler({
                id: job.id,
                queue,
                data: job.data as never,
                retryCount: job.retryCount,
                retryLimit: job.retryLimit,
                lastAttempt: job.retryCount >= job.retryLimit,
              }),
            ),
          );
          // A handler still running at stop()'s deadline: pg-boss has already failed its job back to `retry`;
          // returning lets pg-boss's worker end (the handler's late outcome is ignored).
          const results = await Promise.race([settled, abandoned]);
          if (results === 'abandoned') return;
          // Each job settles on its own. pg-boss's own completion of the batch afterwards only touches jobs still
          // active, so it changes nothing here.
          const done = jobs.filter((_, i) => results[i]?.status === 'fulfilled').map((job) => job.id);
          if (done.length > 0) await boss.complete(queue, done);
          const failed: string[] = [];
          for (const [i, result] of results.entries()) {
            const job = jobs[i];
            if (result.status !== 'rejected' || !job) continue;
            await boss.fail(queue, job.id, serialize(result.reason));
            failed.push(job.id);
          }
          await capRetryDelays(queue, failed);
        },
      );
    },

    async schedule(queue, cron, data = {}) {
      // pg-boss 10 keeps one cron schedule per queue: scheduling again replaces it, whatever the key.
      await boss.schedule(queue, cron, data, { tz: 'UTC' });
    },

    async unschedule(queue) {
      await boss.unschedule(queue);
    },

    async scheduleEvery(queue, everySeconds, data = {}, key) {
      if (!Number.isInteger(everySeconds) || everySeconds < 1) throw new Error('scheduleEvery: everySeconds must be a whole number of seconds >= 1');
      const entry: IntervalSchedule = { queue, key: everyKey(queue, key), periodMs: everySeconds * 1000, data };
      const previous = intervals.get(entry.key);
      if (previous?.timer) clearTimeout(previous.timer);
      intervals.set(entry.key, entry);
      if (running) startInterval(entry);
    },

    stopEvery(queue, key) {
      const entry = intervals.get(everyKey(queue, key));
      if (entry?.timer) clearTimeout(entry.timer);
      intervals.delete(everyKey(queue, key));
    },

    async counts(queues: readonly string[]): Promise<JobCounts[]> {
      const rows = await sql<{ name: string; state: string; due: boolean; n: number | string }>(
        `select name, state::text as state, start_after <= now() as due, count(*) as n
           from ${SCHEMA}.job where name = any($1::text[]) group by 1, 2, 3`,
        [[...queues]],
      );
      return queues.map((queue) => {
        const byState = { queued: 0, active: 0, deferred: 0, failed: 0, total: 0 };
        for (const row of rows) {
          if (row.name !== queue) continue;
          const n = Number(row.n);
          byState.total += n;
          if (row.state === 'active') byState.active += n;
          else if (row.state === 'failed') byState.failed += n;
          else if (row.state === 'created' || row.state === 'retry') {
            if (row.due) byState.queued += n;
            else byState.deferred += n;
          }
        }
        return { queue, byState };
      });
    },

    async stop({ timeoutMs }) {
      if (!running) return;
      running = false;
      for (const entry of intervals.values()) if (entry.timer) clearTimeout(entry.timer);
      // graceful: stop fetching, wait for active handlers up to timeout, then fail what still runs (back to retry);
      // close: pg-boss ends its own pool (PGlite is closed by its owner).
      const stopping = Date.now();
      await boss.stop({ graceful: true, timeout: timeoutMs, close: store.kind === 'postgres', wait: true });
      abandon();
      // pg-boss 10 removes its stopped workers on a 1-second loop that starts when stop() begins and outlives it;
      // waiting for that loop's next turn (after the workers let go above have ended) leaves no pg-boss timer
      // running once this resolves.
      const elapsed = Date.now() - stopping;
      await new Promise((resolve) => setTimeout(resolve, Math.ceil((elapsed + 200) / 1000) * 1000 + 100 - elapsed));
    },
  };
}

function serialize(reason: unknown): object {
  if (reason instanceof Error) return { name: reason.name, message: reason.message, code: (reason as { code?: unknown }).code };
  return { message: String(reason) };
}
