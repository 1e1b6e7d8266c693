/**
 * Graceful shutdown that cannot wait for a job: the running attempt outlives the shutdown deadline. close() still
 * returns within the deadline, the job is handed back to the queue (not lost, not left claimed by a dead worker),
 * and the next process on the same store resumes the record — told that the previous attempt was interrupted, so
 * it looks its write up before repeating it — and posts it once. (The case where the job finishes in time is in
 * webhook-intake.integration.test.ts.)
 */
import { randomBytes } from 'node:crypto';
import { post, seedChannel, shopifyHeaders, startTestMiddleware, waitFor } from './harness';
import type { RunningMiddleware } from '../../../middleware/runtime/server';
import type { ProcessContext } from '../../../middleware/sync/sync-worker';
import { openDb } from '../../../middleware/store/open-db';
import { SYNC_QUEUE } from '../../../middleware/sync/queues';
import { startPostgres, type TestPostgres } from '../../helpers/postgres';

const SECRET = randomBytes(24).toString('hex');
const MASTER_KEY = randomBytes(32).toString('base64');
const SHUTDOWN_MS = 1000;

let pg: TestPostgres;
let second: RunningMiddleware | undefined;

// A real PostgreSQL server: both processes use the same store (a fresh on-disk PGlite would cost ~10 s to create).
beforeAll(async () => {
  pg = await startPostgres();
}, 60_000);

afterAll(async () => {
  await second?.close();
  pg?.stop();
});

it('hands a job that outlives the shutdown deadline back to the queue; the next process resumes and posts it once', async () => {
  const database = { kind: 'postgres' as const, url: pg.createDatabase('shutdown') };
  const jobs = { retryLimit: 2, retryDelaySeconds: 1 };
  const started: string[] = [];
  const { mw: first } = await startTestMiddleware({
    database,
    masterKey: MASTER_KEY,
    shutdownTimeoutMs: SHUTDOWN_MS,
    logLevel: 'warn',
    jobs,
    // A NetSuite call that hangs past the deadline.
    processor: async ({ record }) => {
      started.push(record.id);
      return new Promise(() => undefined);
    },
  });
  const channelId = await seedChannel(first, 'tenant-shutdown', { kind: 'shopify', name: 'Shop', settings: { shopDomain: 's.myshopify.com' }, secrets: { webhookSecret: SECRET } });
  const body = '{"id":"8008"}';
  const res = await post(`${first.url}/webhooks/shopify/${channelId}`, shopifyHeaders(SECRET, body, 'evt-hang'), body);
  expect(res.status).toBe(202);
  const id = res.json.syncRecordId as string;
  await waitFor(async () => (started.includes(id) ? true : undefined), 10_000, 'attempt started');

  const t0 = Date.now();
  await first.close();
  // The deadline bounds the wait (HTTP drain + job grace), instead of hanging on the stuck attempt.
  expect(Date.now() - t0).toBeLessThan(2 * SHUTDOWN_MS + 1500);

  // Between the processes: the job is back in the queue for a retry, and the record still shows the open attempt.
  const store = await openDb({ ...database, poolSize: 1 });
  try {
    const job = await store.query<{ state: string }>(
      "select state from pgboss.job where name = $1 and data->>'syncRecordId' = $2",
      [SYNC_QUEUE, id],
    );
    expect(job.rows.map((r) => r.state)).toEqual(['retry']);
    const record = await store.query<{ state: string }>('select state from lb_sync_records where id = $1', [id]);
    expect(record.rows[0]?.state).toBe('posting');
  } finally {
    await store.close();
  }

  const resumed: ProcessContext[] = [];
  ({ mw: second } = await startTestMiddleware({
    database,
    masterKey: MASTER_KEY,
    logLevel: 'warn',
    jobs,
    processor: async (ctx) => {
      resumed.push(ctx);
      return { kind: 'posted' };
    },
  }));
  const db = second.db;
  await waitFor(async () => {
    const r = await db.query<{ state: string }>('select state from lb_sync_records where id = $1', [id]);
    return r.rows[0]?.state === 'posted' ? true : undefined;
  }, 15_000, 'posted by the next process');
  expect(resumed.map((c) => [c.record.id, c.resumed, c.attempt])).toEqual([[id, true, 2]]);
  const attempts = await db.query<{ attempt: number; outcome: string }>('select attempt, outcome from lb_sync_attempts where sync_record_id = $1 order by attempt', [id]);
  expect(attempts.rows).toEqual([
    { attempt: 1, outcome: 'interrupted' },
    { attempt: 2, outcome: 'posted' },
  ]);
}, 60_000);
