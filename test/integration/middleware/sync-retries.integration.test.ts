/**
 * Retries with jittered backoff and dead letters, through the real pg-boss queues on the embedded store. The retry
 * delays come from configuration (1 s here instead of 5 s) so the whole file runs in seconds:
 *   - a retryable failure is retried after pg-boss's jittered, doubling delay and then posts;
 *   - a record that keeps failing runs out of attempts (retryLimit 2 → 3 attempts), ends `failed`, and its job lands in
 *     the dead-letter queue, where the dead-letter worker leaves the settled record alone;
 *   - the dead-letter worker fails records a dead job left in flight (posting/queued), but never one a newer job owns.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { post, seedChannel, shopifyHeaders, startTestMiddleware, waitFor } from './harness';
import type { RunningMiddleware } from '../../../middleware/runtime/server';
import { ATTEMPTS_EXHAUSTED, processDeadLetter, type ProcessOutcome } from '../../../middleware/sync/sync-worker';
import { applyAction } from '../../../middleware/sync/sync-service';
import { SYNC_DEAD_LETTER_QUEUE, SYNC_QUEUE, type SyncJobData } from '../../../middleware/sync/queues';
import { setSyncState, startAttempt } from '../../../middleware/store/sql/sync-records';
import type { JobContext } from '../../../middleware/jobs/job-queue';

const SECRET = randomBytes(24).toString('hex');
const RETRY_DELAY_SECONDS = 1;
const RETRY_LIMIT = 2;

let mw: RunningMiddleware;
let channelId: string;
/** What the processor answers, by the Shopify event id inside the record's external key. */
const plan = new Map<string, (attempt: number) => ProcessOutcome>();

beforeAll(async () => {
  ({ mw } = await startTestMiddleware({
    logLevel: 'warn',
    jobs: { retryLimit: RETRY_LIMIT, retryDelaySeconds: RETRY_DELAY_SECONDS, retryDelayMaxSeconds: 60, superviseIntervalSeconds: 1 },
    processor: async ({ record, attempt }) => {
      const eventId = /:([^:]+):refunds\/create$/.exec(record.external_key)?.[1] ?? '';
      return (plan.get(eventId) ?? (() => ({ kind: 'posted' }) as const))(attempt);
    },
  }));
  channelId = await seedChannel(mw, 'tenant-retry', { kind: 'shopify', name: 'Shop', settings: { shopDomain: 'r.myshopify.com' }, secrets: { webhookSecret: SECRET } });
}, 30_000);

afterAll(async () => {
  await mw?.close();
});

async function send(eventId: string): Promise<string> {
  const body = `{"id":"${eventId}"}`;
  const res = await post(`${mw.url}/webhooks/shopify/${channelId}`, shopifyHeaders(SECRET, body, eventId), body);
  expect(res.status).toBe(202);
  return res.json.syncRecordId as string;
}

interface Attempt {
  attempt: number;
  outcome: string | null;
  error_code: string | null;
  started_ms: number;
  finished_ms: number | null;
}

async function attemptsOf(id: string): Promise<Attempt[]> {
  const r = await mw.db.query<Attempt>(
    `select attempt, outcome, error_code,
            (extract(epoch from started_at) * 1000)::float8 as started_ms, (extract(epoch from finished_at) * 1000)::float8 as finished_ms
       from lb_sync_attempts where sync_record_id = $1 order by attempt`,
    [id],
  );
  return r.rows.map((row) => ({ ...row, started_ms: Number(row.started_ms), finished_ms: row.finished_ms === null ? null : Number(row.finished_ms) }));
}

async function recordOf(id: string): Promise<{ state: string; state_code: string | null }> {
  const r = await mw.db.query<{ state: string; state_code: string | null }>('select state, state_code from lb_sync_records where id = $1', [id]);
  return r.rows[0] as { state: string; state_code: string | null };
}

const timeout = { kind: 'failed', code: 'netsuite_timeout', message: 'timed out', retryable: true } as const;

describe('sync job retries', () => {
  it('retries a retryable failure after the jittered backoff (1x–2x the delay), then posts', async () => {
    const events = Array.from({ length: 6 }, () => `retry-${randomUUID()}`);
    for (const e of events) plan.set(e, (attempt) => (attempt === 1 ? timeout : { kind: 'posted' }));
    const ids = await Promise.all(events.map(send));

    await waitFor(async () => ((await Promise.all(ids.map(recordOf))).every((r) => r.state === 'posted') ? true : undefined), 20_000, 'all posted');
    const delays: number[] = [];
    for (const id of ids) {
      const attempts = await attemptsOf(id);
      expect(attempts.map((a) => [a.attempt, a.outcome])).toEqual([
        [1, 'retry'],
        [2, 'posted'],
      ]);
      const [first, second] = attempts as [Attempt, Attempt];
      delays.push(second.started_ms - (first.finished_ms as number));
    }
    // pg-boss waits delay × (1 + random()) before the first retry; the worker polls every 0.5 s on top of that.
    for (const d of delays) {
      expect(d).toBeGreaterThanOrEqual(RETRY_DELAY_SECONDS * 1000 - 50);
      expect(d).toBeLessThan(RETRY_DELAY_SECONDS * 2000 + 1500);
    }
    // The delays pg-boss scheduled are jittered: not one fixed value for every job that failed together.
    const scheduled = await mw.db.query<{ delay_ms: number }>(
      `select (extract(epoch from j.start_after - a.finished_at) * 1000)::float8 as delay_ms
         from pgboss.job j join lb_sync_attempts a on a.sync_record_id = j.data->>'syncRecordId' and a.attempt = 1
        where j.name = $1 and j.data->>'syncRecordId' = any($2::text[]) and j.retry_count = 1`,
      [SYNC_QUEUE, ids],
    );
    const scheduledDelays = scheduled.rows.map((r) => Number(r.delay_ms));
    expect(scheduledDelays).toHaveLength(ids.length);
    for (const d of scheduledDelays) {
      expect(d).toBeGreaterThanOrEqual(RETRY_DELAY_SECONDS * 1000 - 50);
      expect(d).toBeLessThanOrEqual(RETRY_DELAY_SECONDS * 2000 + 250);
    }
    expect(Math.max(...scheduledDelays) - Math.min(...scheduledDelays)).toBeGreaterThan(20);
  }, 30_000);

  it('fails a record that runs out of attempts, dead-letters its job, and the dead-letter worker leaves it failed', async () => {
    const eventId = `dead-${randomUUID()}`;
    plan.set(eventId, () => timeout);
    const id = await send(eventId);
    // Attempts 1 and 2 are retried (1–2 s, then 2–4 s later); attempt 3 is the last.
    await waitFor(async () => ((await recordOf(id)).state === 'failed' ? true : undefined), 25_000, 'failed');
    expect((await attemptsOf(id)).map((a) => [a.attempt, a.outcome, a.error_code])).toEqual([
      [1, 'retry', 'netsuite_timeout'],
      [2, 'retry', 'netsuite_timeout'],
      [3, 'failed', 'netsuite_timeout'],
    ]);
    const second = (await attemptsOf(id))[1] as Attempt;
    const third = (await attemptsOf(id))[2] as Attempt;
    // The second retry waits twice as long (2–4 s): the backoff doubles.
    expect(third.started_ms - (second.finished_ms as number)).toBeGreaterThanOrEqual(RETRY_DELAY_SECONDS * 2000 - 50);

    const dead = await waitFor(async () => {
      const r = await mw.db.query<{ state: string }>('select state from pgboss.job where name = $1 and data->>\'syncRecordId\' = $2', [SYNC_DEAD_LETTER_QUEUE, id]);
      return r.rows[0]?.state === 'completed' ? r.rows : undefined;
    }, 10_000, 'dead letter handled');
    expect(dead).toHaveLength(1);
    expect(await recordOf(id)).toEqual({ state: 'failed', state_code: 'netsuite_timeout' });
    // /metrics shows jobs by queue and state (pg-boss's queue statistics, refreshed every supervise interval).
    await waitFor(async () => {
      const text = await fetch(`${mw.url}/metrics`).then((r) => r.text());
      return /ledgerbridge_jobs\{queue="sync-record-dead",state="total"\} [1-9]/.test(text) ? true : undefined;
    }, 10_000, 'dead-letter queue in /metrics');
  }, 35_000);
});

describe('the dead-letter worker', () => {
  /** A record in the store as the real intake leaves it (received → queued, job sent). */
  async function queuedRecord(): Promise<{ id: string; queuedAt: string }> {
    plan.set('never', () => timeout);
    const id = await send(`dl-${randomUUID()}`);
    const r = await mw.db.query<{ at: string }>("select max(at)::text as at from lb_sync_transitions where sync_record_id = $1 and to_state = 'queued'", [id]);
    return { id, queuedAt: r.rows[0]?.at as string };
  }

  function deadJob(data: SyncJobData): JobContext<SyncJobData> {
    return { id: randomUUID(), queue: SYNC_DEAD_LETTER_QUEUE, data, retryCount: 0, retryLimit: 0, lastAttempt: true };
  }

  const deps = () => ({ db: mw.db, logger: mw.logger, processor: async () => ({ kind: 'posted' }) as const });

  /** Waits for the real worker to settle the record, so the test owns it afterwards. */
  async function settled(id: string): Promise<void> {
    await waitFor(async () => ((await recordOf(id)).state === 'posted' ? true : undefined), 10_000, 'posted');
  }

  it('fails a record left posting by a dead job, closing its open attempt as interrupted', async () => {
    const { id, queuedAt } = await queuedRecord();
    await settled(id);
    // Put it back in flight the way a worker that died mid-attempt leaves it.
    await mw.db.transaction(async (tx) => {
      await setSyncState(tx, id, 'posted', 'posting', null, null);
      await startAttempt(tx, id);
    });
    expect(await processDeadLetter(deps(), deadJob({ syncRecordId: id, queuedAt }))).toBe('failed');
    expect(await recordOf(id)).toEqual({ state: 'failed', state_code: ATTEMPTS_EXHAUSTED });
    const attempts = await attemptsOf(id);
    expect(attempts.at(-1)).toMatchObject({ outcome: 'interrupted', error_code: ATTEMPTS_EXHAUSTED });
    expect(attempts.at(-1)?.finished_ms).not.toBeNull();
    // The partner sees it as an exception and can retry it.
    expect((await applyAction(mw.db, mw.jobs, 'tenant-retry', id, 'retry')).ok).toBe(true);
  });

  it('fails a record left queued by a dead job whose claim never ran', async () => {
    const { id, queuedAt } = await queuedRecord();
    await settled(id);
    await mw.db.transaction((tx) => setSyncState(tx, id, 'posted', 'queued', null, null));
    expect(await processDeadLetter(deps(), deadJob({ syncRecordId: id, queuedAt }))).toBe('failed');
    expect(await recordOf(id)).toEqual({ state: 'failed', state_code: ATTEMPTS_EXHAUSTED });
  });

  it('leaves alone a record the last attempt settled, and one a newer job owns (re-queued after the dead job was sent)', async () => {
    const { id, queuedAt } = await queuedRecord();
    await settled(id);
    expect(await processDeadLetter(deps(), deadJob({ syncRecordId: id, queuedAt }))).toBe('ignored');
    expect((await recordOf(id)).state).toBe('posted');

    // failed → (partner retry) → queued after the dead job's enqueue: the new job owns the record.
    await mw.db.transaction((tx) => setSyncState(tx, id, 'posted', 'failed', 'netsuite_timeout', 'timed out'));
    await new Promise((r) => setTimeout(r, 5));
    await mw.db.transaction((tx) => setSyncState(tx, id, 'failed', 'queued', null, null));
    expect(await processDeadLetter(deps(), deadJob({ syncRecordId: id, queuedAt }))).toBe('ignored');
    expect((await recordOf(id)).state).not.toBe('failed');
  });
});
