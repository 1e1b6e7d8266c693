/** JobQueue on pg-boss 12, over PostgreSQL (its own small pool) or PGlite (the store's one connection). */
import type { PgBoss as PgBossType, ConstructorOptions } from 'pg-boss';
import type { Db } from '../store/db';
import type { StoreHandle } from '../store/open-db';
import type { JobCounts, JobQueue, QueueSpec } from './job-queue';

export interface PgBossQueueOptions {
  instanceName?: string;
  /** Called with pg-boss's background errors (logged by the caller). */
  onError?: (error: Error) => void;
  /** Run pg-boss maintenance and cron in this process (on by default). */
  supervise?: boolean;
  /** How often expired jobs are found and maintenance runs (pg-boss's supervise/monitor interval). */
  superviseIntervalSeconds?: number;
  /** How often this process looks for due cron occurrences (pg-boss's cronMonitorIntervalSeconds; 1-45, default 30). */
  cronMonitorIntervalSeconds?: number;
  /**
   * pg-boss's source of time and timers. Tests pass pg-boss's TestClock to drive cron, retries and polling without
   * waiting; production leaves it unset (the system clock).
   */
  clock?: ConstructorOptions['clock'];
}

/** The singleton key under which an interval schedule's slots are deduplicated. */
function everyKey(queue: string, key: string | undefined): string {
  return `every:${queue}:${key ?? ''}`;
}

/** Adapts a transaction's Db to pg-boss's IDatabase so a job send joins the transaction. */
function bossDbOf(tx: Db): { executeSql(text: string, values?: unknown[]): Promise<{ rows: unknown[] }> } {
  return { executeSql: async (text, values) => ({ rows: (await tx.query(text, values)).rows }) };
}

export async function createPgBossQueue(store: StoreHandle, options: PgBossQueueOptions = {}): Promise<JobQueue> {
  const { PgBoss, fromPglite } = await import('pg-boss');
  const common: Partial<ConstructorOptions> = {
    instanceName: options.instanceName ?? 'ledgerbridge',
    supervise: options.supervise ?? true,
    schedule: options.supervise ?? true,
    ...(options.superviseIntervalSeconds
      ? { superviseIntervalSeconds: options.superviseIntervalSeconds, monitorIntervalSeconds: options.superviseIntervalSeconds }
      : {}),
    ...(options.cronMonitorIntervalSeconds ? { cronMonitorIntervalSeconds: options.cronMonitorIntervalSeconds } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
  };
  const boss: PgBossType =
    store.kind === 'postgres'
      ? new PgBoss({ ...common, connectionString: store.connectionString, max: 4 })
      : new PgBoss({ ...common, db: fromPglite(store.pglite), backend: 'pglite' });
  boss.on('error', (error) => options.onError?.(error));
  let running = false;
  const retryLimits = new Map<string, number>();
  const intervals = new Map<string, IntervalSchedule>();
  /** Database clock minus this process's clock (ms), measured at start: slots are cut by the database clock. */
  let dbSkewMs = 0;

  interface IntervalSchedule {
    queue: string;
    key: string;
    periodMs: number;
    data: object;
    timer?: NodeJS.Timeout;
  }

  async function fire(entry: IntervalSchedule): Promise<void> {
    try {
      // singletonSeconds files the job under floor(db_now / period) (the unique index on name, slot and key), so
      // every process firing in the same slot produces one job; the others get null back.
      await boss.send(entry.queue, entry.data, { singletonKey: entry.key, singletonSeconds: entry.periodMs / 1000 });
    } catch (error) {
      options.onError?.(error instanceof Error ? error : new Error(String(error)));
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

    async ensureQueues(specs: readonly QueueSpec[]) {
      // Dead-letter queues must exist before the queues that name them.
      const ordered = [...specs].sort((a, b) => Number(Boolean(a.deadLetter)) - Number(Boolean(b.deadLetter)));
      for (const spec of ordered) {
        retryLimits.set(spec.name, spec.retryLimit);
        const queueOptions = {
          retryLimit: spec.retryLimit,
          retryDelay: spec.retryDelaySeconds,
          retryBackoff: spec.retryBackoff,
          expireInSeconds: spec.expireInSeconds,
          ...(spec.retryDelayMaxSeconds !== undefined ? { retryDelayMax: spec.retryDelayMaxSeconds } : {}),
          ...(spec.deadLetter ? { deadLetter: spec.deadLetter } : {}),
        };
        const existing = await boss.getQueue(spec.name);
        if (!existing) {
          try {
            await boss.createQueue(spec.name, { ...queueOptions, policy: spec.policy ?? 'standard' });
          } catch (error) {
            // Another process created it between our check and create: fine, it is there now.
            if (!(await boss.getQueue(spec.name))) throw error;
          }
        } else {
          const { retryDelayMax: _m, deadLetter: _d, ...updatable } = queueOptions;
          await boss.updateQueue(spec.name, updatable);
        }
      }
    },

    async send(queue, data, sendOptions = {}) {
      return boss.send(queue, data, {
        ...(sendOptions.tx ? { db: bossDbOf(sendOptions.tx) } : {}),
        ...(sendOptions.singletonKey ? { singletonKey: sendOptions.singletonKey } : {}),
        ...(sendOptions.startAfterSeconds ? { startAfter: sendOptions.startAfterSeconds } : {}),
      });
    },

    async work(queue, workOptions, handler) {
      const retryLimit = retryLimits.get(queue) ?? (await boss.getQueue(queue))?.retryLimit ?? 0;
      await boss.work(
        queue,
        {
          batchSize: workOptions.batchSize ?? 1,
          pollingIntervalSeconds: workOptions.pollingIntervalSeconds ?? 2,
          // Each job settles on its own: one job's failure must not retry its batch-mates.
          perJobResults: true,
        },
        async (jobs) => {
          const results = await Promise.allSettled(
            jobs.map((job) =>
              handler({
                id: job.id,
                queue,
                data: job.data as never,
                retryCount: job.retryCount,
                retryLimit,
                lastAttempt: job.retryCount >= retryLimit,
              }),
            ),
          );
          return results.map((result, i) => ({
            id: jobs[i]?.id ?? '',
            status: result.status === 'fulfilled' ? ('completed' as const) : ('failed' as const),
            ...(result.status === 'rejected' ? { output: serialize(result.reason) } : {}),
          }));
        },
      );
    },

    async schedule(queue, cron, data = {}, key) {
      await boss.schedule(queue, cron, data, { tz: 'UTC', ...(key ? { key } : {}) });
    },

    async unschedule(queue, key) {
      await boss.unschedule(queue, key);
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
      const out: JobCounts[] = [];
      for (const name of queues) {
        const q = await boss.getQueue(name);
        if (!q) continue;
        const stats = q as unknown as Record<string, unknown>;
        out.push({
          queue: name,
          byState: {
            queued: Number(stats.queuedCount ?? 0),
            active: Number(stats.activeCount ?? 0),
            deferred: Number(stats.deferredCount ?? 0),
            failed: Number(stats.failedCount ?? 0),
            total: Number(stats.totalCount ?? 0),
          },
        });
      }
      return out;
    },

    async stop({ timeoutMs }) {
      if (!running) return;
      running = false;
      for (const entry of intervals.values()) if (entry.timer) clearTimeout(entry.timer);
      // graceful: stop fetching, wait for active handlers up to timeout; close: pg-boss ends its own pool (PGlite is
      // closed by its owner).
      await boss.stop({ graceful: true, timeout: timeoutMs, close: store.kind === 'postgres' });
    },
  };
}

function serialize(reason: unknown): object {
  if (reason instanceof Error) return { name: reason.name, message: reason.message, code: (reason as { code?: unknown }).code };
  return { message: String(reason) };
}
