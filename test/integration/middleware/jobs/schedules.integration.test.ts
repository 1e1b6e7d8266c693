/**
 * Schedules through the JobQueue port, on PGlite and on a real PostgreSQL 15 server, on the real clock.
 *
 * Cron: pg-boss's cron pass (here every second) files at most one "send it" job per schedule and minute, whichever
 * process runs it; that job becomes one job in the target queue. A `* * * * *` schedule is due in every minute, so
 * within seconds it must have fired once for each minute the test spans, and never twice. Two queue instances on one
 * PostgreSQL stand for two processes.
 *
 * Interval (`scheduleEvery`): 1-second slots; two queue instances on one PostgreSQL both fire every slot, and each
 * slot must produce exactly one job, handled once.
 */
import { openDb, type StoreHandle } from '../../../../middleware/store/open-db';
import { createPgBossQueue } from '../../../../middleware/jobs/pg-boss-queue';
import type { JobQueue, QueueSpec } from '../../../../middleware/jobs/job-queue';
import { startPostgres, type TestPostgres } from '../../../helpers/postgres';

const spec = (name: string, extra: Partial<QueueSpec> = {}): QueueSpec => ({ name, retryLimit: 0, retryDelaySeconds: 1, retryBackoff: false, expireInSeconds: 60, ...extra });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const FAST_CRON = { cronMonitorIntervalSeconds: 1, cronWorkerIntervalSeconds: 1 };

interface Handled {
  instance: string;
  id: string;
  data: unknown;
}

async function jobsOf(store: StoreHandle, queue: string): Promise<Array<{ id: string; state: string; slot: string | null }>> {
  const { rows } = await store.query<{ id: string; state: string; slot: string | null }>(
    'select id::text as id, state::text as state, singleton_on::text as slot from pgboss.job where name = $1 order by singleton_on, created_on',
    [queue],
  );
  return rows;
}

/** The send-it jobs pg-boss's cron pass filed for a queue: one per fired occurrence, named by its minute. */
async function cronSlots(store: StoreHandle, queue: string): Promise<string[]> {
  const { rows } = await store.query<{ slot: string }>(
    "select singleton_on::text as slot from pgboss.job where name = '__pgboss__send-it' and data->>'name' = $1 order by singleton_on",
    [queue],
  );
  return rows.map((r) => r.slot);
}

/** The database's minutes from `from` to now, as pg-boss writes them ("YYYY-MM-DD HH:MM:00", UTC). */
async function minutesSince(store: StoreHandle, from: string): Promise<string[]> {
  const { rows } = await store.query<{ m: string }>(
    `select to_char(m, 'YYYY-MM-DD HH24:MI:SS') as m
       from generate_series(date_trunc('minute', $1::timestamptz at time zone 'UTC'), date_trunc('minute', now() at time zone 'UTC'), interval '1 minute') m`,
    [from],
  );
  return rows.map((r) => r.m);
}

async function dbNow(store: StoreHandle): Promise<string> {
  const { rows } = await store.query<{ now: string }>('select now()::text as now');
  return rows[0]?.now as string;
}

// One PostgreSQL cluster for the file (each describe gets its own database); started lazily by the first user.
let pg: TestPostgres | undefined;
async function database(name: string): Promise<string> {
  pg ??= await startPostgres();
  return pg.createDatabase(name);
}
afterAll(() => pg?.stop());

describe('cron schedules', () => {
  describe('on PGlite', () => {
    let store: StoreHandle;
    let queue: JobQueue;
    const handled: Handled[] = [];

    beforeAll(async () => {
      store = await openDb({ kind: 'pglite', dataDir: 'memory://' });
      queue = await createPgBossQueue(store, FAST_CRON);
      await queue.start();
      await queue.ensureQueues([spec('cron-every'), spec('cron-never')]);
      for (const name of ['cron-every', 'cron-never']) {
        await queue.work(name, { pollingIntervalSeconds: 0.5 }, async (job) => void handled.push({ instance: 'a', id: job.id, data: job.data }));
      }
    }, 30_000);

    afterAll(async () => {
      await queue?.stop({ timeoutMs: 2_000 });
      await store?.close();
    });

    it('fires a registered cron schedule into its queue once per matching minute, with its data', async () => {
      const from = await dbNow(store);
      await queue.schedule('cron-every', '* * * * *', { poll: 'magento' }, 'magento-poll');
      // Only on 29 February at midnight.
      await queue.schedule('cron-never', '0 0 29 2 *', { poll: 'never' });
      await sleep(4_000); // four cron passes

      const minutes = await minutesSince(store, from);
      expect(await cronSlots(store, 'cron-every')).toEqual(minutes);
      for (let i = 0; i < 40 && handled.length < minutes.length; i++) await sleep(100);
      const jobs = await jobsOf(store, 'cron-every');
      expect(jobs).toHaveLength(minutes.length);
      expect(jobs.every((j) => j.state === 'completed')).toBe(true);
      const every = handled.filter((h) => (h.data as { poll?: string }).poll === 'magento');
      expect(every.map((h) => h.id).sort()).toEqual(jobs.map((j) => j.id).sort());
      expect(await jobsOf(store, 'cron-never')).toHaveLength(0);
      expect(handled.some((h) => (h.data as { poll?: string }).poll === 'never')).toBe(false);
    }, 30_000);

    it('unschedule removes it', async () => {
      await queue.unschedule('cron-every', 'magento-poll');
      const { rows } = await store.query<{ name: string }>('select name from pgboss.schedule order by name');
      expect(rows.map((r) => r.name)).toEqual(['cron-never']);
    }, 30_000);
  });

  describe('on PostgreSQL, two queue instances', () => {
    const stores: StoreHandle[] = [];
    const queues: JobQueue[] = [];
    const handled: Handled[] = [];

    beforeAll(async () => {
      const url = await database('cron_two');
      stores.push(await openDb({ kind: 'postgres', url, poolSize: 2 }), await openDb({ kind: 'postgres', url, poolSize: 2 }));
      // Started one after the other: pg-boss migrates its schema on the first start.
      for (const [i, store] of stores.entries()) {
        const queue = await createPgBossQueue(store, { ...FAST_CRON, instanceName: `lb-${i}` });
        await queue.start();
        await queue.ensureQueues([spec('cron-minute')]);
        const instance = i === 0 ? 'a' : 'b';
        await queue.work('cron-minute', { pollingIntervalSeconds: 0.5 }, async (job) => void handled.push({ instance, id: job.id, data: job.data }));
        queues.push(queue);
      }
    }, 60_000);

    afterAll(async () => {
      for (const queue of queues) await queue.stop({ timeoutMs: 2_000 });
      for (const store of stores) await store.close();
    });

    it('both register the same schedule; each minute fires exactly one job, handled once', async () => {
      const store = stores[0] as StoreHandle;
      const from = await dbNow(store);
      await Promise.all(queues.map((q) => q.schedule('cron-minute', '* * * * *', { pull: 'netsuite-outbox' }, 'outbox')));
      await sleep(4_000);

      const minutes = await minutesSince(store, from);
      expect(await cronSlots(store, 'cron-minute')).toEqual(minutes);
      const jobs = await jobsOf(store, 'cron-minute');
      expect(jobs).toHaveLength(minutes.length);
      for (let i = 0; i < 40 && handled.length < jobs.length; i++) await sleep(100);
      expect(handled.map((h) => h.id).sort()).toEqual(jobs.map((j) => j.id).sort());
      expect(handled.every((h) => (h.data as { pull?: string }).pull === 'netsuite-outbox')).toBe(true);
    }, 60_000);
  });
});

describe('interval schedules (scheduleEvery, real clock, 1-second slots)', () => {
  /** Slots as epoch seconds, from pg-boss's "YYYY-MM-DD HH:MM:SS" (UTC wall time). */
  const slotSeconds = (slot: string | null): number => Date.parse(`${(slot ?? '').replace(' ', 'T')}Z`) / 1000;

  function expectConsecutive(slots: number[]): void {
    for (let i = 1; i < slots.length; i++) expect((slots[i] as number) - (slots[i - 1] as number)).toBe(1);
  }

  let store: StoreHandle;
  let queue: JobQueue;
  beforeAll(async () => {
    store = await openDb({ kind: 'pglite', dataDir: 'memory://' });
    queue = await createPgBossQueue(store);
    await queue.start();
  }, 30_000);
  afterAll(async () => {
    await queue?.stop({ timeoutMs: 2_000 });
    await store?.close();
  });

  it('on PGlite: one job per slot, slots consecutive, stopEvery stops it', async () => {
    await queue.ensureQueues([spec('poll-ebay')]);
    const handled: string[] = [];
    await queue.work('poll-ebay', { pollingIntervalSeconds: 0.5 }, async (job) => void handled.push(job.id));
    await queue.scheduleEvery('poll-ebay', 1, { poll: 'ebay' });
    await sleep(2_300);
    queue.stopEvery('poll-ebay');
    await sleep(1_200); // a firing in flight lands; nothing new after this
    const jobs = await jobsOf(store, 'poll-ebay');
    expect(jobs.length).toBeGreaterThanOrEqual(2);
    expect(jobs.length).toBeLessThanOrEqual(4);
    expectConsecutive(jobs.map((j) => slotSeconds(j.slot)));
    await sleep(1_200);
    expect(await jobsOf(store, 'poll-ebay')).toHaveLength(jobs.length);
    for (let i = 0; i < 40 && handled.length < jobs.length; i++) await sleep(50);
    expect(handled.sort()).toEqual(jobs.map((j) => j.id).sort());
  }, 30_000);

  it('rejects a period that is not a whole number of seconds >= 1', async () => {
    await expect(queue.scheduleEvery('poll-x', 0.5)).rejects.toThrow(/whole number of seconds/);
    await expect(queue.scheduleEvery('poll-x', 0)).rejects.toThrow(/whole number of seconds/);
  });

  describe('on PostgreSQL, two queue instances', () => {
    const stores: StoreHandle[] = [];
    const queues: JobQueue[] = [];

    beforeAll(async () => {
      const url = await database('every_two');
      for (let i = 0; i < 2; i++) {
        const store = await openDb({ kind: 'postgres', url, poolSize: 2 });
        const queue = await createPgBossQueue(store, { instanceName: `lb-${i}` });
        await queue.start();
        await queue.ensureQueues([spec('poll-magento')]);
        stores.push(store);
        queues.push(queue);
      }
    }, 60_000);

    afterAll(async () => {
      for (const queue of queues) await queue.stop({ timeoutMs: 2_000 });
      for (const store of stores) await store.close();
    });

    it('both keep the same schedule; each tick fires exactly once and is handled once', async () => {
      const handled: Array<{ instance: number; id: string }> = [];
      await Promise.all(
        queues.map((q, instance) => q.work('poll-magento', { pollingIntervalSeconds: 0.5 }, async (job) => void handled.push({ instance, id: job.id }))),
      );
      await Promise.all(queues.map((q) => q.scheduleEvery('poll-magento', 1, { poll: 'magento' }, 'store-1')));
      await sleep(3_300);
      for (const q of queues) q.stopEvery('poll-magento', 'store-1');
      await sleep(1_200);

      const store = stores[0] as StoreHandle;
      const jobs = await jobsOf(store, 'poll-magento');
      // Two processes each fire every slot: without the per-slot dedupe there would be about twice as many.
      expect(jobs.length).toBeGreaterThanOrEqual(3);
      expect(jobs.length).toBeLessThanOrEqual(5);
      const slots = jobs.map((j) => slotSeconds(j.slot));
      expect(new Set(slots).size).toBe(slots.length);
      expectConsecutive(slots);
      for (let i = 0; i < 40 && handled.length < jobs.length; i++) await sleep(50);
      expect(handled.map((h) => h.id).sort()).toEqual(jobs.map((j) => j.id).sort());
    }, 30_000);
  });
});
