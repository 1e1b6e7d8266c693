/**
 * The continuous consumer through the JobQueue port on PGlite, on the real clock:
 *   - no head-of-line blocking: slots are refilled one job at a time as they free, so fast jobs run while slow
 *     ones (3 s each) hold their slots;
 *   - per-group slot limits: one group's slow jobs never hold more than its limit, the others keep flowing;
 *   - wake-ups: a send (also one committed inside a transaction) is taken at once, not at the next poll;
 *   - leases: a job running far longer than its lease keeps it (renewed) and runs once although another worker
 *     watches the queue; a job whose holder stopped renewing is reclaimed within a lease and run again once;
 *   - the attempt time limit (expireInSeconds): a handler that never returns is let go, told through its signal,
 *     and the attempt fails like any other (retried, then failed).
 */
import { openDb, type StoreHandle } from '../../../../middleware/store/open-db';
import { createPgBossQueue } from '../../../../middleware/jobs/pg-boss-queue';
import type { JobQueue, QueueSpec } from '../../../../middleware/jobs/job-queue';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const spec = (name: string, extra: Partial<QueueSpec> = {}): QueueSpec => ({
  name,
  retryLimit: 2,
  retryDelaySeconds: 1,
  retryBackoff: false,
  expireInSeconds: 120,
  ...extra,
});

let store: StoreHandle;
let a: JobQueue;
let b: JobQueue;

async function until<T>(what: string, fn: () => T | undefined | Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

beforeAll(async () => {
  store = await openDb({ kind: 'pglite', dataDir: 'memory://' });
  // Two workers on one store; short leases so the lease tests run in seconds.
  a = await createPgBossQueue(store, { leaseSeconds: 1, heartbeatSeconds: 0.25 });
  b = await createPgBossQueue(store, { leaseSeconds: 1, heartbeatSeconds: 0.25 });
  await a.start();
  await b.start();
  await a.ensureQueues([spec('mixed'), spec('grouped'), spec('wake'), spec('long'), spec('orphan'), spec('hung', { retryLimit: 1, expireInSeconds: 2 })]);
}, 30_000);

afterAll(async () => {
  await a?.stop({ timeoutMs: 2_000 });
  await b?.stop({ timeoutMs: 2_000 });
  await store?.close();
});

describe('no head-of-line blocking', () => {
  it('60 fast jobs all finish within 2 s of being queued while 5 slow ones (3 s each) hold their slots', async () => {
    const slowDone: number[] = [];
    const fastDone = new Map<number, number>();
    await a.work<{ kind: 'slow' | 'fast'; n: number }>('mixed', { batchSize: 6, pollingIntervalSeconds: 0.5 }, async (job) => {
      if (job.data.kind === 'slow') {
        await sleep(3_000);
        slowDone.push(Date.now());
      } else {
        fastDone.set(job.data.n, Date.now());
      }
    });
    for (let n = 0; n < 5; n++) await a.send('mixed', { kind: 'slow', n });
    await sleep(300); // the slow ones are running
    const queuedAt = new Map<number, number>();
    for (let n = 0; n < 60; n++) {
      queuedAt.set(n, Date.now());
      await a.send('mixed', { kind: 'fast', n });
    }
    await until('fast jobs', () => (fastDone.size === 60 ? true : undefined), 10_000);
    const waits = [...fastDone].map(([n, at]) => at - (queuedAt.get(n) as number));
    process.stdout.write(`fast jobs behind 5 slow ones: longest wait ${Math.max(...waits)} ms\n`);
    expect(Math.max(...waits)).toBeLessThan(2_000);
    // ...while the slow ones were still running.
    expect(slowDone).toHaveLength(0);
    await until('slow jobs', () => (slowDone.length === 5 ? true : undefined), 10_000);
  }, 30_000);
});

describe('per-group slot limit', () => {
  it("one group's slow jobs hold at most its limit; the other group's jobs keep flowing", async () => {
    let running = 0;
    let most = 0;
    const slowDone: number[] = [];
    const fastDone: number[] = [];
    await a.work<{ conn: string }>('grouped', { batchSize: 5, pollingIntervalSeconds: 0.5, group: { key: "j.data->>'conn'", limit: 2 } }, async (job) => {
      if (job.data.conn === 'slow') {
        running += 1;
        most = Math.max(most, running);
        await sleep(1_000);
        running -= 1;
        slowDone.push(Date.now());
      } else {
        fastDone.push(Date.now());
      }
    });
    const t0 = Date.now();
    for (let n = 0; n < 6; n++) await a.send('grouped', { conn: 'slow', n });
    for (let n = 0; n < 20; n++) await a.send('grouped', { conn: 'fast', n });
    await until('fast jobs', () => (fastDone.length === 20 ? true : undefined), 10_000);
    expect(Math.max(...fastDone) - t0).toBeLessThan(2_000);
    await until('slow jobs', () => (slowDone.length === 6 ? true : undefined), 10_000);
    expect(most).toBe(2);
    // Six 1-second jobs, two at a time: three rounds.
    expect(Math.max(...slowDone) - t0).toBeGreaterThanOrEqual(3_000);
  }, 30_000);
});

describe('wake-ups', () => {
  it('a send is taken at once, not at the next poll (30 s); one inside a transaction as soon as it commits', async () => {
    const handled = new Map<string, number>();
    await b.work<{ tag: string }>('wake', { batchSize: 1, pollingIntervalSeconds: 30 }, async (job) => void handled.set(job.data.tag, Date.now()));
    await sleep(500); // past the worker's first look at the queue

    const sent = Date.now();
    await a.send('wake', { tag: 'plain' });
    await until('plain send', () => handled.get('plain'), 5_000);
    expect((handled.get('plain') as number) - sent).toBeLessThan(1_000);

    let committed = 0;
    await store.transaction(async (tx) => {
      await a.send('wake', { tag: 'in-tx' }, { tx });
      await sleep(300);
      expect(handled.has('in-tx')).toBe(false);
      committed = Date.now();
    });
    await until('transactional send', () => handled.get('in-tx'), 5_000);
    expect((handled.get('in-tx') as number) - committed).toBeLessThan(1_000);
  }, 30_000);
});

describe('leases', () => {
  it('a job running 4 s on a 1 s lease keeps it (renewed) and runs once, although another worker watches', async () => {
    const runs: string[] = [];
    for (const [name, q] of [
      ['a', a],
      ['b', b],
    ] as const) {
      await q.work('long', { batchSize: 2, pollingIntervalSeconds: 0.25 }, async () => {
        runs.push(name);
        await sleep(4_000);
      });
    }
    const id = await a.send('long', {});
    const row = await until(
      'long job completed',
      async () => (await store.query<{ state: string; retry_count: number }>('select state::text as state, retry_count from pgboss.job where id = $1', [id])).rows.find((r) => r.state === 'completed'),
      15_000,
    );
    expect(runs).toHaveLength(1);
    expect(Number(row.retry_count)).toBe(0);
  }, 30_000);

  it('a job whose holder stopped renewing is reclaimed within a lease and runs again, once', async () => {
    const runs: Array<{ retryCount: number; at: number }> = [];
    await b.work('orphan', { batchSize: 2, pollingIntervalSeconds: 0.25 }, async (job) => void runs.push({ retryCount: job.retryCount, at: Date.now() }));
    // A holder that died right after taking the job: active, leased for 1 s, never renewed (no worker of this
    // queue holds it).
    await store.transaction(async (tx) => {
      await a.send('orphan', { n: 1 }, { tx });
      await tx.query("update pgboss.job set state = 'active', started_on = now(), expire_in = interval '1 second' where name = 'orphan'");
    });
    const taken = Date.now();
    await until('orphan run again', () => (runs.length > 0 ? true : undefined), 10_000);
    await sleep(1_500);
    expect(runs).toHaveLength(1);
    expect(runs[0]?.retryCount).toBe(1);
    const stall = (runs[0]?.at as number) - taken;
    process.stdout.write(`orphaned job (1 s lease) ran again after ${stall} ms\n`);
    expect(stall).toBeLessThan(3_000);
  }, 30_000);
});

describe('attempt time limit', () => {
  it('a handler still running at expireInSeconds is let go (signal aborted) and the attempt fails: retried, then failed', async () => {
    const runs: Array<{ retryCount: number; at: number; aborted?: number }> = [];
    await a.work('hung', { batchSize: 1, pollingIntervalSeconds: 0.25 }, (job) => {
      const run: { retryCount: number; at: number; aborted?: number } = { retryCount: job.retryCount, at: Date.now() };
      runs.push(run);
      job.signal?.addEventListener('abort', () => (run.aborted = Date.now()));
      return new Promise<void>(() => undefined);
    });
    const id = await a.send('hung', {});
    await until(
      'hung job failed',
      async () => (await store.query<{ state: string }>('select state::text as state from pgboss.job where id = $1', [id])).rows.find((r) => r.state === 'failed'),
      15_000,
    );
    expect(runs.map((r) => r.retryCount)).toEqual([0, 1]);
    for (const r of runs) {
      expect(r.aborted).toBeDefined();
      expect((r.aborted as number) - r.at).toBeGreaterThanOrEqual(1_900);
      expect((r.aborted as number) - r.at).toBeLessThan(3_000);
    }
  }, 30_000);
});
