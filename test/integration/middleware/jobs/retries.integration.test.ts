/**
 * Retries with jittered exponential backoff, the delay cap, and dead letters, through the JobQueue port on PGlite.
 * pg-boss's TestClock holds the time still while a failure is recorded, so each retry's start_after can be read
 * against the exact moment it failed, then moved past it to run the retry.
 *
 * pg-boss's backoff for the n-th retry (n from 1): delay = retryDelay * 2^(n-1) * (1 + random()), capped by
 * retryDelayMax.
 */
import { TestClock } from 'pg-boss';
import { openDb, type StoreHandle } from '../../../../middleware/store/open-db';
import { createPgBossQueue } from '../../../../middleware/jobs/pg-boss-queue';
import type { JobContext, JobQueue } from '../../../../middleware/jobs/job-queue';

const START = Date.parse('2030-01-01T00:00:00Z');
const N = 8;

let store: StoreHandle;
let queue: JobQueue;
let clock: TestClock;

interface Row {
  id: string;
  state: string;
  retry_count: number;
  delay: number;
}

/** Jobs of a queue with their state and how far after the clock's now they may next start (seconds). */
async function rows(name: string): Promise<Row[]> {
  const { rows: found } = await store.query<Row>(
    `select id::text as id, state::text as state, retry_count, extract(epoch from start_after)::float8 - $2::float8 as delay
       from pgboss.job where name = $1 order by id`,
    [name, clock.now() / 1000],
  );
  return found.map((r) => ({ ...r, retry_count: Number(r.retry_count), delay: Number(r.delay) }));
}

/** Waits in real time (the fake clock does not move) until every job of the queue is in one of `states`. */
async function settled(name: string, states: string[], count: number): Promise<Row[]> {
  for (let i = 0; i < 100; i++) {
    const found = await rows(name);
    if (found.length === count && found.every((r) => states.includes(r.state))) return found;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`jobs of ${name} did not reach ${states.join('/')}: ${JSON.stringify(await rows(name))}`);
}

/** Jumps the clock (firing nothing on the way), then lets every timer the jump passed fire once at the new time. */
async function jump(ms: number): Promise<void> {
  await clock.setTime(clock.now() + ms);
  await clock.tick(0);
}

beforeAll(async () => {
  store = await openDb({ kind: 'pglite', dataDir: 'memory://' });
  clock = new TestClock(START);
  queue = await createPgBossQueue(store, { clock });
  await queue.start();
  await queue.ensureQueues([
    { name: 'flaky', retryLimit: 2, retryDelaySeconds: 10, retryBackoff: true, retryDelayMaxSeconds: 3_600, expireInSeconds: 60, deadLetter: 'flaky-dead' },
    { name: 'flaky-dead', retryLimit: 0, retryDelaySeconds: 1, retryBackoff: false, expireInSeconds: 60 },
    { name: 'capped', retryLimit: 3, retryDelaySeconds: 10, retryBackoff: true, retryDelayMaxSeconds: 15, expireInSeconds: 60 },
  ]);
}, 30_000);

afterAll(async () => {
  await queue?.stop({ timeoutMs: 2_000 });
  await store?.close();
});

describe('retries with jittered backoff, then the dead-letter queue', () => {
  const attempts: Array<Pick<JobContext<unknown>, 'id' | 'retryCount' | 'lastAttempt'>> = [];
  const dead: Array<{ id: string; data: unknown }> = [];

  it('a failed job is retried after retryDelay * (1 + jitter), each job with its own delay', async () => {
    await queue.work('flaky', { batchSize: N, pollingIntervalSeconds: 1 }, async (job) => {
      attempts.push({ id: job.id, retryCount: job.retryCount, lastAttempt: job.lastAttempt });
      throw new Error('the platform said 503');
    });
    await queue.work('flaky-dead', { batchSize: N, pollingIntervalSeconds: 1 }, async (job) => void dead.push({ id: job.id, data: job.data }));
    for (let i = 0; i < N; i++) await queue.send('flaky', { refund: `R-${i}` });

    await clock.tick(1_000); // one poll: all N fetched, all fail
    const first = await settled('flaky', ['retry'], N);
    // pg-boss counts attempts on claim: a job failed back to `retry` still carries its last attempt's count.
    expect(first.every((r) => r.retry_count === 0)).toBe(true);
    for (const r of first) {
      expect(r.delay).toBeGreaterThanOrEqual(10);
      expect(r.delay).toBeLessThan(20);
    }
    // Jitter: N independent delays are not all the same.
    expect(new Set(first.map((r) => r.delay.toFixed(3))).size).toBeGreaterThan(1);
    expect(attempts).toHaveLength(N);
    expect(attempts.every((a) => a.retryCount === 0 && !a.lastAttempt)).toBe(true);
  }, 30_000);

  it('is not retried before its delay, then the second retry waits twice as long (2 * retryDelay * (1 + jitter))', async () => {
    await clock.tick(9_000); // now +10 s: before every job's start_after (>= 10 s after the failure at +1 s)
    expect(attempts).toHaveLength(N);
    await jump(11_000); // now +21 s: every first retry is due, and all fail at this one instant
    const second = await settled('flaky', ['retry'], N);
    expect(second.every((r) => r.retry_count === 1)).toBe(true);
    for (const r of second) {
      expect(r.delay).toBeGreaterThanOrEqual(20);
      expect(r.delay).toBeLessThan(40);
    }
    expect(new Set(second.map((r) => r.delay.toFixed(3))).size).toBeGreaterThan(1);
    expect(attempts.filter((a) => a.retryCount === 1)).toHaveLength(N);
  }, 30_000);

  it('the last attempt says so, fails for good and lands in the dead-letter queue with its data', async () => {
    await jump(41_000);
    const final = await settled('flaky', ['failed'], N);
    const last = attempts.filter((a) => a.retryCount === 2);
    expect(last).toHaveLength(N);
    expect(last.every((a) => a.lastAttempt)).toBe(true);
    expect(attempts).toHaveLength(3 * N); // first attempt + retryLimit (2) retries, no more

    const deadRows = await settled('flaky-dead', ['created', 'active', 'completed'], N);
    expect(deadRows).toHaveLength(N);
    await clock.tick(1_000); // the dead-letter worker polls
    await settled('flaky-dead', ['completed'], N);
    expect(dead.map((d) => (d.data as { refund: string }).refund).sort()).toEqual(Array.from({ length: N }, (_, i) => `R-${i}`).sort());
    expect(final.map((r) => r.id).sort()).not.toEqual(dead.map((d) => d.id).sort()); // new jobs, not the originals

    // Nothing more happens to a failed job.
    await clock.tick(600_000);
    expect(attempts).toHaveLength(3 * N);
  }, 30_000);
});

describe('retryDelayMax', () => {
  it('caps the backoff', async () => {
    let calls = 0;
    await queue.work('capped', { pollingIntervalSeconds: 1 }, async () => {
      calls += 1;
      throw new Error('still down');
    });
    await queue.send('capped', { n: 1 });
    await clock.tick(1_000);
    const [first] = await settled('capped', ['retry'], 1);
    // The first retry's natural range [10, 20) straddles the cap of 15.
    expect(first?.delay).toBeGreaterThanOrEqual(10);
    expect(first?.delay).toBeLessThanOrEqual(15);
    await jump(16_000);
    const [second] = await settled('capped', ['retry'], 1);
    expect(second?.retry_count).toBe(1);
    // Uncapped this would be in [20, 40).
    expect(second?.delay).toBeCloseTo(15, 3);
    expect(calls).toBe(2);
  }, 30_000);
});
