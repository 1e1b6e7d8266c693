/**
 * Group commit of the webhook intake, on PGlite and on PostgreSQL, over real HTTP and through the group commit
 * itself: many concurrent deliveries all durable and answered after their commit, in fewer writes than deliveries;
 * duplicates inside one group; a failed group answers every delivery in it with an error and stores none of them;
 * the workers woken by the group's commit; the queue's backlog gauges on /metrics.
 */
import { randomBytes } from 'node:crypto';
import { post, seedChannel, shopifyHeaders, startTestMiddleware, waitFor } from './harness';
import { startPostgres, type TestPostgres } from '../../helpers/postgres';
import type { RunningMiddleware } from '../../../middleware/runtime/server';
import { createGroupCommit } from '../../../middleware/webhooks/intake/group-commit';
import type { AcceptedEvent } from '../../../middleware/sync/sync-service';
import { updateChannel } from '../../../middleware/tenancy/tenancy-service';

const SECRET = 'shpss_' + randomBytes(16).toString('hex');
type Store = 'pglite' | 'postgres';

let pg: TestPostgres | undefined;
afterAll(() => pg?.stop());

async function databaseFor(store: Store, name: string): Promise<{ kind: 'pglite'; dataDir: string } | { kind: 'postgres'; url: string }> {
  if (store === 'pglite') return { kind: 'pglite', dataDir: 'memory://' };
  pg ??= await startPostgres();
  return { kind: 'postgres', url: pg.createDatabase(name) };
}

const count = async (mw: RunningMiddleware, sql: string, params: unknown[]): Promise<number> =>
  Number((await mw.db.query<{ n: number }>(sql, params)).rows[0]?.n);

describe.each<Store>(['pglite', 'postgres'])('intake group commit on %s', (store) => {
  let mw: RunningMiddleware;
  let channelId: string;
  let url: string;

  beforeAll(async () => {
    // Workers off: records stay queued and jobs stay waiting, so what the intake wrote can be read as written.
    ({ mw } = await startTestMiddleware({ database: await databaseFor(store, 'group_commit'), workers: false, logLevel: 'silent' }));
    channelId = await seedChannel(mw, 'tenant-g', { kind: 'shopify', name: 'Shop', settings: { shopDomain: 'g.myshopify.com' }, secrets: { webhookSecret: SECRET } });
    url = `${mw.url}/webhooks/shopify/${channelId}`;
  }, 60_000);

  afterAll(async () => {
    await mw?.close();
  });

  const event = (id: string, over: Partial<AcceptedEvent> = {}): AcceptedEvent => ({
    tenantId: 'tenant-g',
    channelId,
    platformEventId: id,
    topic: 'refunds/create',
    externalKey: `shopify:${channelId}:${id}`,
    headers: { 'x-shopify-topic': 'refunds/create' },
    body: `{"id":"${id}"}`,
    ...over,
  });

  it('stores 120 concurrent deliveries, each durable when answered, with its record queued and its job, in fewer writes than deliveries', async () => {
    const n = 120;
    // Open the client's connections first (as a sender under load holds them), so the deliveries arrive together.
    await Promise.all(Array.from({ length: n }, async () => (await fetch(`${mw.url}/healthz`)).text()));
    const seenAtAnswer: number[] = [];
    const answers = await Promise.all(
      Array.from({ length: n }, async (_, i) => {
        const body = `{"id":${7000 + i},"order_id":"9${i}"}`;
        const res = await post(url, shopifyHeaders(SECRET, body, `many-${i}`), body);
        // Durable before the answer: the event and its record are readable the moment the answer arrives.
        seenAtAnswer.push(await count(mw, 'select count(*)::int as n from lb_webhook_events e join lb_sync_records s on s.event_id = e.id where e.id = $1', [res.json.eventId]));
        return res;
      }),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(n).fill(202));
    expect(seenAtAnswer).toEqual(Array(n).fill(1));
    const ids = answers.map((a) => String(a.json.syncRecordId));
    expect(new Set(ids).size).toBe(n);

    const records = await mw.db.query<{ id: string; state: string; received_at: string }>(
      `select s.id, s.state, e.received_at::text as received_at from lb_sync_records s join lb_webhook_events e on e.id = s.event_id where s.id = any($1::text[])`,
      [ids],
    );
    expect(records.rows).toHaveLength(n);
    expect(records.rows.every((r) => r.state === 'queued')).toBe(true);
    // One write's rows share its transaction's time: fewer distinct times than deliveries means groups formed.
    const writes = new Set(records.rows.map((r) => r.received_at)).size;
    expect(writes).toBeLessThan(n);

    // Each record: received then queued, and one waiting job naming it with the queued transition's time.
    const transitions = await mw.db.query<{ sync_record_id: string; steps: string; queued_at: string }>(
      `select sync_record_id, string_agg(coalesce(from_state, '-') || '>' || to_state, ',' order by id) as steps,
              max(at::text) filter (where to_state = 'queued') as queued_at
         from lb_sync_transitions where sync_record_id = any($1::text[]) group by 1`,
      [ids],
    );
    expect(transitions.rows).toHaveLength(n);
    expect(transitions.rows.every((t) => t.steps === '->received,received>queued')).toBe(true);
    const jobs = await mw.db.query<{ record: string; queued_at: string; state: string; retry_limit: number; dead_letter: string | null }>(
      `select data->>'syncRecordId' as record, data->>'queuedAt' as queued_at, state::text as state, retry_limit, dead_letter
         from pgboss.job where name = 'sync-record' and data->>'syncRecordId' = any($1::text[])`,
      [ids],
    );
    expect(jobs.rows).toHaveLength(n);
    const queuedAt = new Map(transitions.rows.map((t) => [t.sync_record_id, t.queued_at]));
    for (const job of jobs.rows) {
      expect(job.state).toBe('created');
      expect(job.queued_at).toBe(queuedAt.get(job.record));
      // The queue's settings, as pg-boss's own send gives them.
      expect(Number(job.retry_limit)).toBe(5);
      expect(job.dead_letter).toBe('sync-record-dead');
    }
  }, 60_000);

  it('answers a second copy inside the same group as a duplicate with the first copy ids, and stores one of each', async () => {
    const groups: number[] = [];
    const commit = createGroupCommit(mw.db, { onGroup: (size) => groups.push(size) });
    // Queued in one turn of the event loop: one group.
    const events = Array.from({ length: 10 }, (_, i) => event(`pair-${i}`));
    const results = await Promise.all([...events, ...events].map((e) => commit.accept(e)));
    expect(groups).toEqual([20]);
    for (let i = 0; i < 10; i++) {
      const [first, second] = [results[i], results[i + 10]];
      expect(first?.duplicate).toBe(false);
      expect(second?.duplicate).toBe(true);
      expect(second?.eventId).toBe(first?.eventId);
      expect(second?.syncRecordId).toBe(first?.syncRecordId);
    }
    expect(await count(mw, `select count(*)::int as n from lb_webhook_events where channel_id = $1 and platform_event_id like 'pair-%'`, [channelId])).toBe(10);
    expect(await count(mw, `select count(*)::int as n from pgboss.job where name = 'sync-record' and data->>'syncRecordId' = any($1::text[])`, [results.map((r) => r.syncRecordId)])).toBe(10);

    // A later group with an event already stored: a duplicate again, with the stored ids.
    const again = await commit.accept(event('pair-3'));
    expect(again).toEqual({ duplicate: true, eventId: results[3]?.eventId, syncRecordId: results[3]?.syncRecordId });
  });

  it('fails every delivery of a group whose write fails and stores none of them', async () => {
    const groups: number[] = [];
    const commit = createGroupCommit(mw.db, { onGroup: (size) => groups.push(size) });
    // One event names a tenant that does not exist: the foreign key fails the group's one statement.
    const events = [...Array.from({ length: 5 }, (_, i) => event(`failed-${i}`)), event('failed-bad', { tenantId: 'no-such-tenant' })];
    const settled = await Promise.allSettled(events.map((e) => commit.accept(e)));
    expect(settled.map((s) => s.status)).toEqual(Array(6).fill('rejected'));
    expect(groups).toEqual([]);
    expect(await count(mw, `select count(*)::int as n from lb_webhook_events where platform_event_id like 'failed-%'`, [])).toBe(0);
    expect(await count(mw, `select count(*)::int as n from lb_sync_records where external_key like $1`, [`shopify:${channelId}:failed-%`])).toBe(0);
    expect(await count(mw, `select count(*)::int as n from lb_sync_transitions t join lb_sync_records s on s.id = t.sync_record_id where s.external_key like $1`, [`shopify:${channelId}:failed-%`])).toBe(0);

    // The next group writes normally.
    const next = await commit.accept(event('failed-0'));
    expect(next.duplicate).toBe(false);
    expect(groups).toEqual([1]);
  });

  it('answers 5xx over HTTP when the store refuses the write, stores nothing, and accepts the same deliveries afterwards', async () => {
    await mw.db.query(`alter table lb_webhook_events add constraint test_refuse_all check (platform_event_id not like 'refused-%') not valid`);
    const bodies = Array.from({ length: 8 }, (_, i) => `{"id":${8800 + i}}`);
    let answers: { status: number }[];
    try {
      answers = await Promise.all(bodies.map((body, i) => post(url, shopifyHeaders(SECRET, body, `refused-${i}`), body)));
    } finally {
      await mw.db.query('alter table lb_webhook_events drop constraint test_refuse_all');
    }
    expect(answers.every((a) => a.status >= 500 && a.status < 600)).toBe(true);
    expect(await count(mw, `select count(*)::int as n from lb_webhook_events where platform_event_id like 'refused-%'`, [])).toBe(0);
    const retried = await Promise.all(bodies.map((body, i) => post(url, shopifyHeaders(SECRET, body, `refused-${i}`), body)));
    expect(retried.map((a) => a.status)).toEqual(Array(8).fill(202));
  });

  it('refuses a bad signature with 401 before anything is stored', async () => {
    const before = await count(mw, 'select count(*)::int as n from lb_webhook_events', []);
    const body = '{"id":1}';
    const res = await post(url, { ...shopifyHeaders(SECRET, body, 'forged'), 'x-shopify-hmac-sha256': shopifyHeaders('wrong', body, 'forged')['x-shopify-hmac-sha256'] as string }, body);
    expect(res.status).toBe(401);
    expect(await count(mw, 'select count(*)::int as n from lb_webhook_events', [])).toBe(before);
  });

  it('sees a channel disabled or re-keyed right after a delivery that was read with it (the write checks the row it was verified with)', async () => {
    const rotating = await seedChannel(mw, 'tenant-g', { kind: 'shopify', name: 'Rotating', settings: { shopDomain: 'r.myshopify.com' }, secrets: { webhookSecret: SECRET } });
    const at = `${mw.url}/webhooks/shopify/${rotating}`;
    const send = (secret: string, id: string) => {
      const body = `{"id":"${id}"}`;
      return post(at, shopifyHeaders(secret, body, id), body);
    };
    expect((await send(SECRET, 'rot-1')).status).toBe(202);

    const disabled = await updateChannel(mw.db, mw.secretBox, 'tenant-g', rotating, { enabled: false });
    expect(disabled.ok).toBe(true);
    expect((await send(SECRET, 'rot-2')).status).toBe(403);
    const enabled = await updateChannel(mw.db, mw.secretBox, 'tenant-g', rotating, { enabled: true });
    expect(enabled.ok).toBe(true);
    expect((await send(SECRET, 'rot-3')).status).toBe(202);

    const next = 'shpss_' + randomBytes(16).toString('hex');
    const rekeyed = await updateChannel(mw.db, mw.secretBox, 'tenant-g', rotating, { secrets: { webhookSecret: next } });
    expect(rekeyed.ok).toBe(true);
    expect((await send(SECRET, 'rot-4')).status).toBe(401);
    expect((await send(next, 'rot-5')).status).toBe(202);
    const stored = await mw.db.query<{ platform_event_id: string }>(
      'select platform_event_id from lb_webhook_events where channel_id = $1 order by platform_event_id',
      [rotating],
    );
    expect(stored.rows.map((r) => r.platform_event_id)).toEqual(['rot-1:refunds/create', 'rot-3:refunds/create', 'rot-5:refunds/create']);
  });

  it('writes nothing for an item whose channel changed since it was read, and writes the rest of its group', async () => {
    const groups: number[] = [];
    const commit = createGroupCommit(mw.db, { onGroup: (size) => groups.push(size) });
    const row = await mw.db.query<{ secrets_sealed: string }>('select secrets_sealed from lb_channels where id = $1', [channelId]);
    const sealed = row.rows[0]?.secrets_sealed ?? null;
    const [good, stale] = await Promise.all([
      commit.accept({ ...event('checked-good'), channelSecretsSealed: sealed }),
      commit.accept({ ...event('checked-stale'), channelSecretsSealed: 'not-the-sealed-secrets' }),
    ]);
    expect(groups).toEqual([2]);
    expect(good?.duplicate).toBe(false);
    expect(good?.channelChanged).toBeUndefined();
    expect(stale).toEqual({ duplicate: false, eventId: '', syncRecordId: null, channelChanged: true });
    expect(await count(mw, `select count(*)::int as n from lb_webhook_events where platform_event_id like 'checked-%'`, [])).toBe(1);
  });

  it('shows the sync queue backlog on /metrics: waiting jobs and the age of the oldest', async () => {
    const waiting = await count(mw, `select count(*)::int as n from pgboss.job where name = 'sync-record' and state < 'active'`, []);
    expect(waiting).toBeGreaterThan(0);
    await new Promise((r) => setTimeout(r, 1100));
    const text = await (await fetch(`${mw.url}/metrics`)).text();
    const gauge = (name: string): number => Number(new RegExp(`^${name}\\{queue="sync-record"\\} (\\S+)$`, 'm').exec(text)?.[1]);
    expect(gauge('ledgerbridge_queue_waiting_jobs')).toBe(waiting);
    expect(gauge('ledgerbridge_queue_oldest_waiting_seconds')).toBeGreaterThanOrEqual(1);
    expect(Number(/^ledgerbridge_queue_waiting_jobs\{queue="sync-record-dead"\} (\S+)$/m.exec(text)?.[1])).toBe(0);
  });
});

describe('intake group commit wakes the workers', () => {
  let mw: RunningMiddleware;
  afterAll(async () => {
    await mw?.close();
  });

  it('a committed group is taken by a worker at once, long before its next poll', async () => {
    const processed: string[] = [];
    ({ mw } = await startTestMiddleware({
      logLevel: 'silent',
      jobs: { pollingIntervalSeconds: 60 },
      processor: async (ctx) => {
        processed.push(ctx.record.id);
        return { kind: 'posted' };
      },
    }));
    const channelId = await seedChannel(mw, 'tenant-w', { kind: 'shopify', name: 'Shop', settings: { shopDomain: 'w.myshopify.com' }, secrets: { webhookSecret: SECRET } });
    // Let the workers' first look at the empty queue pass, so only a wake-up can bring the next job in time.
    await new Promise((r) => setTimeout(r, 500));
    const sent = Date.now();
    const answers = await Promise.all(
      Array.from({ length: 5 }, (_, i) => {
        const body = `{"id":${600 + i}}`;
        return post(`${mw.url}/webhooks/shopify/${channelId}`, shopifyHeaders(SECRET, body, `wake-${i}`), body);
      }),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(5).fill(202));
    await waitFor(async () => (processed.length >= 5 ? true : undefined), 10_000, 'five records processed');
    expect(Date.now() - sent).toBeLessThan(10_000);
    expect(new Set(processed)).toEqual(new Set(answers.map((a) => String(a.json.syncRecordId))));
  }, 30_000);
});
