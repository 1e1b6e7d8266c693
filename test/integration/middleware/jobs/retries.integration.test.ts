/**
 * Retries with jittered exponential backoff, the delay cap, and dead letters, through the JobQueue port on PGlite,
 * on the real clock with second-long delays.
 *
 * pg-boss's backoff for the n-th retry (n from 1): delay = retryDelay * 2^(n-1) * (1 + random()); the queue's
 * retryDelayMax caps it. A retry's delay is read as start_after - started_on of the attempt that failed: the handler
 * throws at once, so that is the delay plus a few milliseconds of bookkeeping.
 */
import { openDb, type StoreHandle } from '../../../../middleware/store/open-db';
import { createPgBossQueue } from '../../../../middleware/jobs/pg-boss-queue';
import type { JobContext, JobQueue } from '../../../../middleware/jobs/job-queue';

const N = 8;
/** Bookkeeping between the attempt's start and its failure being recorded (seconds). */
const SLACK = 0.5;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let store: StoreHandle;
let queue: JobQueue;

interface Row {
  id: string;
  state: string;
  retry_count: number;
  delay: number;
}

/** Jobs of a queue with their state and how long after their last attempt started they may next start (seconds). */
async function rows(name: string): Promise<Row[]> {
  const { rows: found } = await store.query<Row>(
    `select id::text as id, state::text as state, retry_count, extract(epoch from start_after - started_on)::float8 as delay
       from pgboss.job where name = $1 order by id`,
    [name],
  );
  return found.map((r) => ({ ...r, retry_count: Number(r.retry_count), delay: Number(r.delay) }));
}

/** Waits until every job of the queue is in one of `states` (and, when given, has this retry count). */
async function settled(name: string, states: string[], count: number, retryCount?: number): Promise<Row[]> {
  for (let i = 0; i < 400; i++) {
    const found = await rows(name);
    if (found.length === count && found.every((r) => states.includes(r.state) && (retryCount === undefined || r.retry_count === retryCount))) return found;
    await sleep(20);
  }
  throw new Error(`jobs of ${name} did not reach ${states.join('/')}: ${JSON.stringify(await rows(name))}`);
}

beforeAll(async () => {
  store = await openDb({ kind: 'pglite', dataDir: 'memory://' });
  queue = await createPgBossQueue(store);
  await queue.start();
  await queue.ensureQueues([
    { name: 'flaky', retryLimit: 2, retryDelaySeconds: 1, retryBackoff: true, retryDelayMaxSeconds: 3_600, expireInSeconds: 60, deadLetter: 'flaky-dead' },
    { name: 'flaky-dead', retryLimit: 0, retryDelaySeconds: 1, retryBackoff: false, expireInSeconds: 60 },
    { name: 'capped', retryLimit: 3, retryDelaySeconds: 2, retryBackoff: true, retryDelayMaxSeconds: 3, expireInSeconds: 60 },
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
    for (let i = 0; i < N; i++) await queue.send('flaky', { refund: `R-${i}` });
    await queue.work('flaky', { batchSize: N, pollingIntervalSeconds: 0.5 }, async (job) => {
      attempts.push({ id: job.id, retryCount: job.retryCount, lastAttempt: job.lastAttempt });
      throw new Error('the platform said 503');
    });
    await queue.work('flaky-dead', { batchSize: N, pollingIntervalSeconds: 0.5 }, async (job) => void dead.push({ id: job.id, data: job.data }));

    const first = await settled('flaky', ['retry'], N, 0);
    for (const r of first) {
      expect(r.delay).toBeGreaterThanOrEqual(1);
      expect(r.delay).toBeLessThan(2 + SLACK);
    }
    // Jitter: N independent delays are not all the same.
    expect(new Set(first.map((r) => r.delay.toFixed(3))).size).toBeGreaterThan(1);
    expect(attempts).toHaveLength(N);
    expect(attempts.every((a) => a.retryCount === 0 && !a.lastAttempt)).toBe(true);
  }, 30_000);

  it('the second retry waits twice as long (2 * retryDelay * (1 + jitter))', async () => {
    const second = await settled('flaky', ['retry'], N, 1);
    for (const r of second) {
      expect(r.delay).toBeGreaterThanOrEqual(2);
      expect(r.delay).toBeLessThan(4 + SLACK);
    }
    expect(new Set(second.map((r) => r.delay.toFixed(3))).size).toBeGreaterThan(1);
    expect(attempts.filter((a) => a.retryCount === 1)).toHaveLength(N);
  }, 30_000);

  it('the last attempt says so, fails for good and lands in the dead-letter queue with its data', async () => {
    const final = await settled('flaky', ['failed'], N, 2);
    const last = attempts.filter((a) => a.retryCount === 2);
    expect(last).toHaveLength(N);
    expect(last.every((a) => a.lastAttempt)).toBe(true);
    expect(attempts).toHaveLength(3 * N); // first attempt + retryLimit (2) retries, no more

    await settled('flaky-dead', ['completed'], N);
    expect(dead.map((d) => (d.data as { refund: string }).refund).sort()).toEqual(Array.from({ length: N }, (_, i) => `R-${i}`).sort());
    expect(final.map((r) => r.id).sort()).not.toEqual(dead.map((d) => d.id).sort()); // new jobs, not the originals

    // Nothing more happens to a failed job.
    await sleep(1_500);
    expect(attempts).toHaveLength(3 * N);
  }, 30_000);
});

describe('retryDelayMax', () => {
  it('caps the backoff', async () => {
    let calls = 0;
    await queue.work('capped', { pollingIntervalSeconds: 0.5 }, async () => {
      calls += 1;
      throw new Error('still down');
    });
    await queue.send('capped', { n: 1 });
    const [first] = await settled('capped', ['retry'], 1, 0);
    // The first retry's natural range [2, 4) straddles the cap of 3.
    expect(first?.delay).toBeGreaterThanOrEqual(2);
    expect(first?.delay).toBeLessThan(3 + SLACK);
    const [second] = await settled('capped', ['retry'], 1, 1);
    // Uncapped this would be in [4, 8).
    expect(second?.delay).toBeGreaterThanOrEqual(3);
    expect(second?.delay).toBeLessThan(3 + SLACK);
    expect(calls).toBe(2);
  }, 30_000);
});
