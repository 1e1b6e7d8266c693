/**
 * Schedules through the JobQueue port, on PGlite and on a real PostgreSQL 15 server.
 *
 * Cron: pg-boss's cron pass runs on its own timers and reads the time through the schema's job_now(); pg-boss's
 * TestClock drives both, so minutes of schedule pass in a second of test. Two queue instances sharing one clock
 * stand for two processes.
 *
 * Interval (`scheduleEvery`): runs on the real clock with 1-second slots; two queue instances on one PostgreSQL both
 * fire every slot, and each slot must produce exactly one job, handled once.
 */
import { TestClock } from 'pg-boss';
import { openDb, type StoreHandle } from '../../../../middleware/store/open-db';
import { createPgBossQueue } from '../../../../middleware/jobs/pg-boss-queue';
import type { JobQueue, QueueSpec } from '../../../../middleware/jobs/job-queue';
import { startPostgres, type TestPostgres } from '../../../helpers/postgres';

const spec = (name: string, extra: Partial<QueueSpec> = {}): QueueSpec => ({ name, retryLimit: 0, retryDelaySeconds: 1, retryBackoff: false, expireInSeconds: 60, ...extra });
const START = Date.parse('2030-01-01T00:00:10Z');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

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

// One PostgreSQL cluster for the file (each describe gets its own database); started lazily by the first user.
let pg: TestPostgres | undefined;
async function database(name: string): Promise<string> {
  pg ??= await startPostgres();
  return pg.createDatabase(name);
}
afterAll(() => pg?.stop());

async function advance(clock: TestClock, ms: number, step = 30_000): Promise<void> {
  for (let moved = 0; moved < ms; moved += step) await clock.tick(Math.min(step, ms - moved));
}

describe('cron schedules (pg-boss TestClock)', () => {
  describe('on PGlite', () => {
    let store: StoreHandle;
    let queue: JobQueue;
    let clock: TestClock;
    const handled: Handled[] = [];

    beforeAll(async () => {
      store = await openDb({ kind: 'pglite', dataDir: 'memory://' });
      clock = new TestClock(START);
      queue = await createPgBossQueue(store, { clock, cronMonitorIntervalSeconds: 30 });
      await queue.start();
      await queue.ensureQueues([spec('cron-even'), spec('cron-never')]);
      for (const name of ['cron-even', 'cron-never']) {
        await queue.work(name, { pollingIntervalSeconds: 1 }, async (job) => void handled.push({ instance: 'a', id: job.id, data: job.data }));
      }
    }, 30_000);

    afterAll(async () => {
      await queue?.stop({ timeoutMs: 2_000 });
      await store?.close();
    });

    it('fires a registered cron schedule into its queue once per matching minute, with its data', async () => {
      await queue.schedule('cron-even', '*/2 * * * *', { poll: 'magento' }, 'magento-poll');
      // Only on 31 December: never within this test.
      await queue.schedule('cron-never', '0 0 31 12 *', { poll: 'never' });

      await advance(clock, 9 * 60_000); // 00:00:10 → 00:09:10

      expect(await cronSlots(store, 'cron-even')).toEqual(['2030-01-01 00:00:00', '2030-01-01 00:02:00', '2030-01-01 00:04:00', '2030-01-01 00:06:00', '2030-01-01 00:08:00']);
      const jobs = await jobsOf(store, 'cron-even');
      expect(jobs).toHaveLength(5);
      expect(jobs.every((j) => j.state === 'completed')).toBe(true);
      const even = handled.filter((h) => (h.data as { poll?: string }).poll === 'magento');
      expect(even.map((h) => h.id).sort()).toEqual(jobs.map((j) => j.id).sort());
      expect(await jobsOf(store, 'cron-never')).toHaveLength(0);
      expect(handled.some((h) => (h.data as { poll?: string }).poll === 'never')).toBe(false);
    }, 30_000);

    it('unschedule stops it', async () => {
      await queue.unschedule('cron-even', 'magento-poll');
      const before = (await jobsOf(store, 'cron-even')).length;
      await advance(clock, 3 * 60_000);
      expect(await jobsOf(store, 'cron-even')).toHaveLength(before);
    }, 30_000);
  });

  describe('on PostgreSQL, two queue instances', () => {
    const stores: StoreHandle[] = [];
    const queues: JobQueue[] = [];
    let clock: TestClock;
    const handled: Handled[] = [];

    beforeAll(async () => {
      const url = await database('cron_two');
      clock = new TestClock(START);
      stores.push(await openDb({ kind: 'postgres', url, poolSize: 2 }), await openDb({ kind: 'postgres', url, poolSize: 2 }));
      // Started one after the other: pg-boss migrates its schema on the first start.
      for (const [i, store] of stores.entries()) {
        const queue = await createPgBossQueue(store, { clock, cronMonitorIntervalSeconds: 30, instanceName: `lb-${i}` });
        await queue.start();
        await queue.ensureQueues([spec('cron-minute')]);
        const instance = i === 0 ? 'a' : 'b';
        await queue.work('cron-minute', { pollingIntervalSeconds: 1 }, async (job) => void handled.push({ instance, id: job.id, data: job.data }));
        queues.push(queue);
      }
    }, 60_000);

    afterAll(async () => {
      for (const queue of queues) await queue.stop({ timeoutMs: 2_000 });
      for (const store of stores) await store.close();
    });

    it('both register the same schedule; each minute fires exactly one job, handled once', async () => {
      await Promise.all(queues.map((q) => q.schedule('cron-minute', '* * * * *', { pull: 'netsuite-outbox' }, 'outbox')));
      await advance(clock, 6 * 60_000); // 00:00:10 → 00:06:10

      const store = stores[0] as StoreHandle;
      expect(await cronSlots(store, 'cron-minute')).toEqual(['00:00', '00:01', '00:02', '00:03', '00:04', '00:05', '00:06'].map((m) => `2030-01-01 ${m}:00`));
      const jobs = await jobsOf(store, 'cron-minute');
      expect(jobs).toHaveLength(7);
      // Handlers may still be finishing the last poll's job: wait in real time (the fake clock stays put).
      for (let i = 0; i < 50 && handled.length < jobs.length; i++) await sleep(50);
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
