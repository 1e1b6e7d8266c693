/**
 * JobQueue on pg-boss 10, over PostgreSQL (pg-boss's own small pool) or PGlite (the store's one connection, through
 * a small `db: { executeSql }` adapter: pg-boss 10 has no built-in PGlite backend).
 *
 * What this module adds to pg-boss 10 to keep the JobQueue contract:
 *   - its own consumer instead of pg-boss's batch worker (consumer.ts): slots refilled one job at a time as they
 *     free, optional per-group slot limits, each job completed or failed on its own;
 *   - leases: active jobs carry a short expiry renewed every heartbeat while their handler runs, and every process
 *     working a queue reclaims the jobs whose lease lapsed (their process died) for an immediate retry, so a killed
 *     process's jobs run again within seconds instead of after the queue's expireInSeconds;
 *   - wake-ups: a send NOTIFYs `ledgerbridge_jobs` (inside the sender's transaction: delivered on commit), and
 *     every process LISTENs, so a free slot takes new work at once instead of at its next poll;
 *   - `retryDelayMaxSeconds`: pg-boss 10 has no delay cap, so after a failed attempt the retry's start_after is
 *     lowered to at most now + the cap (the queue's spec as this process registered it in ensureQueues);
 *   - queue counts by state, read from pg-boss's job table.
 */
import PgBoss from 'pg-boss';
import { Client } from 'pg';
import type { PGlite } from '@electric-sql/pglite';
import type { Db } from '../store/db';
import type { StoreHandle } from '../store/open-db';
import type { JobCounts, JobHandler, JobQueue, QueueBacklog, QueueSpec } from './job-queue';
import { JOB_SCHEMA, JOB_WAKE_CHANNEL } from './job-sql';
import { Consumer, type ConsumerPorts, type FetchedJob } from './consumer';

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
  /** How long an active job's lease lasts without renewal (default 5 s; never more than the queue's expireInSeconds). */
  leaseSeconds?: number;
  /** How often leases are renewed and lapsed leases reclaimed (default 1 s; below leaseSeconds). */
  heartbeatSeconds?: number;
}

export const DEFAULT_LEASE_SECONDS = 5;
export const DEFAULT_HEARTBEAT_SECONDS = 1;
/** The LISTEN/NOTIFY channel a send wakes workers on (payload: the queue name). */
const WAKE_CHANNEL = JOB_WAKE_CHANNEL;

/** pg-boss's schema (its default). */
const SCHEMA = JOB_SCHEMA;

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
  const leaseSeconds = options.leaseSeconds ?? DEFAULT_LEASE_SECONDS;
  const heartbeatMs = Math.min((options.heartbeatSeconds ?? DEFAULT_HEARTBEAT_SECONDS) * 1000, (leaseSeconds * 1000) / 2);
  const consumers: Consumer[] = [];
  let heartbeatTimer: NodeJS.Timeout | undefined;
  let beating = false;
  let stopListening: (() => Promise<void>) | undefined;
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
      const id = await boss.send(entry.queue, entry.data, { singletonKey: entry.key, singletonSeconds: entry.periodMs / 1000 });
      if (id !== null) {
        await notify(bossQuery, entry.queue);
        wakeLocal(entry.queue);
      }
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

  /** Lowers the start_after of a job just failed back to `retry` to at most now + its queue's delay cap. */
  async function capRetryDelay(db: Db, queue: string, id: string): Promise<void> {
    const cap = specs.get(queue)?.retryDelayMaxSeconds;
    if (cap === undefined) return;
    await db.query(
      `update ${SCHEMA}.job set start_after = least(start_after, now() + $3::float8 * interval '1 second')
        where name = $1 and id = $2::uuid and state = 'retry'`,
      [queue, id, cap],
    );
  }

  const wakeLocal = (queue: string): void => {
    for (const c of consumers) if (c.queue === queue) c.wake();
  };

  const notify = async (db: { query(text: string, values?: unknown[]): Promise<unknown> }, queue: string): Promise<void> => {
    await db.query('select pg_notify($1, $2)', [WAKE_CHANNEL, queue]);
  };

  const bossQuery = { query: (text: string, values: unknown[] = []) => boss.getDb().executeSql(text, values) };

  /** The activation (id, retry_count) still active and held: fails it the way pg-boss does, in one transaction. */
  async function failActivation(queue: string, id: string, retryCount: number, reason: unknown, now: boolean): Promise<boolean> {
    const failed = await store.transaction(async (tx) => {
      const held = await tx.query(
        `select 1 from ${SCHEMA}.job where name = $1 and id = $2::uuid and retry_count = $3 and state = 'active' for update`,
        [queue, id, retryCount],
      );
      if (held.rows.length === 0) return false;
      await boss.fail(queue, id, serialize(reason), { db: bossDbOf(tx) as PgBoss.Db });
      if (now) {
        await tx.query(`update ${SCHEMA}.job set start_after = now() where name = $1 and id = $2::uuid and state = 'retry'`, [queue, id]);
        await notify(tx, queue);
      } else {
        await capRetryDelay(tx, queue, id);
      }
      return true;
    });
    if (failed && now) wakeLocal(queue);
    return failed;
  }

  const ports: ConsumerPorts = {
    async fetch(queue, excludeGroups, lease, groupKey) {
      const key = groupKey ?? 'null::text';
      try {
        const rows = await sql<{ id: string; data: unknown; retry_count: number; retry_limit: number; cap: number; group_key: string | null }>(
          `with next as (
             select j.id, ${key} as group_key, j.expire_in as cap
               from ${SCHEMA}.job j
              where j.name = $1 and j.state < 'active' and j.start_after < now()
                and coalesce(${key}, '') <> all($2::text[])
              order by j.priority desc, j.created_on, j.id
              limit 1
              for update of j skip locked
           )
           update ${SCHEMA}.job j
              set state = 'active',
                  started_on = now(),
                  retry_count = case when j.started_on is not null then j.retry_count + 1 else j.retry_count end,
                  expire_in = least(next.cap, $3::float8 * interval '1 second')
             from next
            where j.name = $1 and j.id = next.id
           returning j.id::text as id, j.data, j.retry_count, j.retry_limit, extract(epoch from next.cap)::float8 as cap, next.group_key`,
          [queue, excludeGroups, lease],
        );
        const row = rows[0];
        if (!row) return undefined;
        const job: FetchedJob = {
          id: row.id,
          data: row.data,
          retryCount: Number(row.retry_count),
          retryLimit: Number(row.retry_limit),
          capSeconds: Number(row.cap),
          group: row.group_key === null ? '' : String(row.group_key),
        };
        return job;
      } catch (error) {
        // A singleton queue whose next job's key already has one active job: pg-boss's unique index refuses the
        // activation; that job waits for the active one (pg-boss's own fetch does the same).
        if ((error as { code?: string }).code === '23505') return undefined;
        throw error;
      }
    },

    async renew(queue, held, lease) {
      const rows = await sql<{ id: string }>(
        `update ${SCHEMA}.job j
            set expire_in = least(h.cap * interval '1 second', (now() - j.started_on) + $2::float8 * interval '1 second')
           from unnest($3::uuid[], $4::int[], $5::float8[]) as h(id, retry_count, cap)
          where j.name = $1 and j.id = h.id and j.retry_count = h.retry_count and j.state = 'active'
          returning j.id::text as id`,
        [queue, lease, held.map((h) => h.id), held.map((h) => h.retryCount), held.map((h) => h.capSeconds)],
      );
      return new Set(rows.map((r) => r.id));
    },

    async complete(queue, id, retryCount) {
      await sql(
        `update ${SCHEMA}.job set state = 'completed', completed_on = now()
          where name = $1 and id = $2::uuid and retry_count = $3 and state = 'active'`,
        [queue, id, retryCount],
      );
    },

    async fail(queue, id, retryCount, reason, now) {
      await failActivation(queue, id, retryCount, reason, now);
    },

    onError: (error) => reportError(error),
  };

  /**
   * Hands back, for an immediate retry, the jobs of the queues this process works whose lease lapsed before their
   * attempt's time was up: their worker stopped renewing (its process died). A job past its queue's expireInSeconds
   * is its holder's to fail (or pg-boss maintenance's, when the holder is gone too).
   */
  async function reap(): Promise<void> {
    const queues = [...new Set(consumers.map((c) => c.queue))];
    if (queues.length === 0) return;
    const lapsed = await sql<{ id: string; name: string; retry_count: number }>(
      `select j.id::text as id, j.name, j.retry_count
         from ${SCHEMA}.job j join ${SCHEMA}.queue q on q.name = j.name
        where j.name = any($1::text[]) and j.state = 'active' and j.started_on + j.expire_in < now()
          and j.expire_in < q.expire_seconds * interval '1 second'
        limit 100`,
      [queues],
    );
    for (const job of lapsed) {
      await failActivation(job.name, job.id, Number(job.retry_count), new Error('the job lease lapsed: its worker stopped renewing it'), true);
    }
  }

  async function beat(): Promise<void> {
    if (beating) return;
    beating = true;
    try {
      for (const c of consumers) await c.heartbeat().catch(reportError);
      if (running) await reap().catch(reportError);
    } finally {
      beating = false;
    }
  }

  function armHeartbeat(): void {
    if (heartbeatTimer) return;
    heartbeatTimer = setInterval(() => void beat(), heartbeatMs);
    heartbeatTimer.unref();
  }

  /** LISTENs for sends from any process; a lost connection is opened again (polling covers the gap). */
  async function listen(): Promise<() => Promise<void>> {
    if (store.kind === 'pglite') return store.pglite.listen(WAKE_CHANNEL, (queue) => wakeLocal(queue));
    let client: Client | undefined;
    let closed = false;
    let retry: NodeJS.Timeout | undefined;
    const connect = async (): Promise<void> => {
      const next = new Client({ connectionString: store.connectionString, application_name: `${options.instanceName ?? 'ledgerbridge'}-listen` });
      next.on('notification', (message) => {
        if (message.payload) wakeLocal(message.payload);
      });
      next.on('error', (error) => {
        reportError(error);
        void next.end().catch(() => undefined);
        if (client === next) client = undefined;
        if (!closed) {
          retry = setTimeout(() => void connect().catch(reportError), 1000);
          retry.unref();
        }
      });
      await next.connect();
      await next.query(`listen ${WAKE_CHANNEL}`);
      if (closed) await next.end();
      else client = next;
    };
    await connect();
    return async () => {
      closed = true;
      if (retry) clearTimeout(retry);
      await client?.end().catch(() => undefined);
    };
  }

  return {
    get running() {
      return running;
    },

    async start() {
      await boss.start();
      const { rows } = await store.query<{ ms: string | number }>('select extract(epoch from clock_timestamp()) * 1000 as ms');
      dbSkewMs = Number(rows[0]?.ms ?? Date.now()) - Date.now();
      stopListening = await listen();
      running = true;
      armHeartbeat();
      for (const entry of intervals.values()) startInterval(entry);
      for (const c of consumers) c.start();
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
      const id = await boss.send(queue, data, {
        ...(sendOptions.tx ? { db: bossDbOf(sendOptions.tx) as PgBoss.Db } : {}),
        ...(sendOptions.singletonKey ? { singletonKey: sendOptions.singletonKey } : {}),
        ...(sendOptions.startAfterSeconds ? { startAfter: sendOptions.startAfterSeconds } : {}),
      });
      if (id !== null && !sendOptions.startAfterSeconds) {
        // Inside the sender's transaction the NOTIFY is delivered when it commits, when the job becomes visible.
        await notify(sendOptions.tx ?? bossQuery, queue);
        if (!sendOptions.tx) wakeLocal(queue);
      }
      return id;
    },

    async work(queue, workOptions, handler) {
      const slots = workOptions.batchSize ?? 1;
      if (!Number.isInteger(slots) || slots < 1) throw new Error('work: batchSize must be a whole number >= 1');
      const consumer = new Consumer(
        ports,
        {
          queue,
          slots,
          pollingIntervalMs: (workOptions.pollingIntervalSeconds ?? 2) * 1000,
          leaseSeconds,
          ...(workOptions.group ? { group: { key: workOptions.group.key, limit: Math.max(1, Math.floor(workOptions.group.limit)) } } : {}),
        },
        handler as JobHandler<unknown>,
      );
      consumers.push(consumer);
      if (running) consumer.start();
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

    async backlog(queues: readonly string[]): Promise<QueueBacklog[]> {
      const rows = await sql<{ name: string; waiting: number | string; oldest: number | string | null }>(
        `select name, count(*) as waiting, extract(epoch from now() - min(start_after))::float8 as oldest
           from ${SCHEMA}.job where name = any($1::text[]) and state < 'active' and start_after <= now() group by name`,
        [[...queues]],
      );
      return queues.map((queue) => {
        const row = rows.find((r) => r.name === queue);
        return { queue, waiting: Number(row?.waiting ?? 0), oldestWaitingSeconds: Math.max(0, Number(row?.oldest ?? 0)) };
      });
    },

    async stop({ timeoutMs }) {
      if (!running) return;
      running = false;
      for (const entry of intervals.values()) if (entry.timer) clearTimeout(entry.timer);
      const stopping = Date.now();
      // Stop fetching; handlers still running keep their leases (the heartbeat goes on) until the deadline, when
      // what still runs is failed back to its queue for an immediate retry and let go.
      for (const c of consumers) c.stopFetching();
      let deadline: NodeJS.Timeout | undefined;
      const timedOut = new Promise<'timeout'>((resolve) => {
        deadline = setTimeout(() => resolve('timeout'), timeoutMs);
      });
      const idle = await Promise.race([Promise.all(consumers.map((c) => c.idle())), timedOut]);
      clearTimeout(deadline);
      if (idle === 'timeout') for (const c of consumers) await c.handBack('the worker shut down while the job was active');
      if (heartbeatTimer) clearInterval(heartbeatTimer);
      heartbeatTimer = undefined;
      while (beating) await new Promise((resolve) => setTimeout(resolve, 10));
      await stopListening?.().catch(reportError);
      stopListening = undefined;
      // pg-boss's own workers (its cron sender): stop them; close ends pg-boss's pool (PGlite is closed by its owner).
      const left = Math.max(0, timeoutMs - (Date.now() - stopping));
      await boss.stop({ graceful: true, timeout: Math.max(left, 100), close: store.kind === 'postgres', wait: true });
      // pg-boss 10 removes its stopped workers on a 1-second loop that starts when stop() begins and outlives it;
      // waiting for that loop's next turn leaves no pg-boss timer running once this resolves.
      const elapsed = Date.now() - stopping;
      await new Promise((resolve) => setTimeout(resolve, Math.ceil((elapsed + 200) / 1000) * 1000 + 100 - elapsed));
    },
  };
}

function serialize(reason: unknown): object {
  if (reason instanceof Error) return { name: reason.name, message: reason.message, code: (reason as { code?: unknown }).code };
  return { message: String(reason) };
}
