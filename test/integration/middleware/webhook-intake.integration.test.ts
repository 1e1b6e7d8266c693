/**
 * Webhook intake on the embedded store, over real HTTP: verify → validate → store (event + record + job in one
 * transaction) → 2xx → the worker processes the record. One PGlite instance for the whole file (init costs ~3 s).
 */
import { createHmac, randomBytes } from 'node:crypto';
import { LogCapture, post, seedChannel, shopifyHeaders, startTestMiddleware, waitFor } from './harness';
import type { RunningMiddleware } from '../../../middleware/runtime/server';
import type { ProcessContext, ProcessOutcome } from '../../../middleware/sync/sync-worker';

const SHOPIFY_SECRET = 'shpss_' + randomBytes(16).toString('hex');
const LOOP_SECRET = 'loop-' + randomBytes(16).toString('hex');
const PAYMENTS_SECRET = 'pay-' + randomBytes(16).toString('hex');

let mw: RunningMiddleware;
let logs: LogCapture;
let shopifyId: string;
let loopId: string;
let paymentsId: string;
let unsecuredId: string;
const processed: ProcessContext[] = [];
const finished: string[] = [];
let processorDelayMs = 0;
let nextOutcome: (ctx: ProcessContext) => ProcessOutcome = () => ({ kind: 'posted' });

beforeAll(async () => {
  ({ mw, logs } = await startTestMiddleware({
    processor: async (ctx) => {
      processed.push(ctx);
      if (processorDelayMs) await new Promise((r) => setTimeout(r, processorDelayMs));
      finished.push(ctx.record.id);
      return nextOutcome(ctx);
    },
  }));
  shopifyId = await seedChannel(mw, 'tenant-a', { kind: 'shopify', name: 'Demo shop', settings: { shopDomain: 'demo-shop.myshopify.com' }, secrets: { webhookSecret: SHOPIFY_SECRET } });
  loopId = await seedChannel(mw, 'tenant-a', { kind: 'loop', name: 'Loop', secrets: { webhookSecret: LOOP_SECRET } });
  paymentsId = await seedChannel(mw, 'tenant-a', { kind: 'payments', name: 'Payments', secrets: { webhookSecret: PAYMENTS_SECRET } });
  unsecuredId = await seedChannel(mw, 'tenant-a', { kind: 'shopify', name: 'No secret yet', settings: { shopDomain: 'other.myshopify.com' } });
}, 30_000);

afterAll(async () => {
  await mw?.close();
});

async function recordState(id: string): Promise<string | undefined> {
  const r = await mw.db.query<{ state: string }>('select state from lb_sync_records where id = $1', [id]);
  return r.rows[0]?.state;
}

describe('webhook intake', () => {
  it('accepts a signed Shopify refund with 202 after storing it, keeps its big ids exact, then posts it', async () => {
    const body = '{"id":820982911946154508,"order_id":450789469123456789,"note":"Zoë\'s refund"}';
    const res = await post(`${mw.url}/webhooks/shopify/${shopifyId}`, shopifyHeaders(SHOPIFY_SECRET, body, 'evt-1'), body);
    expect(res.status).toBe(202);
    expect(res.json).toMatchObject({ received: true, duplicate: false });
    const { syncRecordId, eventId } = res.json;

    // Durable before the answer: the row is there the moment we got 2xx.
    const stored = await mw.db.query<{ body: string; platform_event_id: string; topic: string; headers: Record<string, string> }>(
      'select body, platform_event_id, topic, headers from lb_webhook_events where id = $1',
      [eventId],
    );
    expect(stored.rows[0]?.body).toBe(body);
    expect(stored.rows[0]?.platform_event_id).toBe('evt-1:refunds/create');
    expect(stored.rows[0]?.topic).toBe('refunds/create');
    expect(stored.rows[0]?.headers['x-shopify-hmac-sha256']).toBeDefined();

    await waitFor(async () => ((await recordState(syncRecordId)) === 'posted' ? true : undefined), 15_000, 'posted');
    const ctx = processed.find((p) => p.record.id === syncRecordId);
    expect(ctx?.event?.body).toContain('820982911946154508');
    expect(ctx?.resumed).toBe(false);
    const attempts = await mw.db.query<{ attempt: number; outcome: string }>('select attempt, outcome from lb_sync_attempts where sync_record_id = $1', [syncRecordId]);
    expect(attempts.rows).toEqual([{ attempt: 1, outcome: 'posted' }]);
  }, 20_000);

  it('stores one event and one sync record when the same webhook arrives 10 times at once', async () => {
    const body = '{"id":1001,"order_id":"2001"}';
    const headers = shopifyHeaders(SHOPIFY_SECRET, body, 'evt-concurrent');
    const answers = await Promise.all(Array.from({ length: 10 }, () => post(`${mw.url}/webhooks/shopify/${shopifyId}`, headers, body)));
    expect(answers.map((a) => a.status).sort()).toEqual([200, 200, 200, 200, 200, 200, 200, 200, 200, 202]);
    expect(new Set(answers.map((a) => a.json.syncRecordId)).size).toBe(1);
    const count = await mw.db.query<{ n: number }>(
      "select count(*)::int as n from lb_sync_records s join lb_webhook_events e on e.id = s.event_id where e.platform_event_id = 'evt-concurrent:refunds/create'",
    );
    expect(count.rows[0]?.n).toBe(1);
  });

  it('refuses a bad signature with 401 and stores nothing', async () => {
    const body = '{"id":1}';
    const headers = shopifyHeaders('wrong-secret-wrong-secret', body, 'evt-bad');
    const res = await post(`${mw.url}/webhooks/shopify/${shopifyId}`, headers, body);
    expect(res.status).toBe(401);
    expect(res.json.error.code).toBe('webhook_bad_signature');
    const n = await mw.db.query<{ n: number }>("select count(*)::int as n from lb_webhook_events where platform_event_id like 'evt-bad%'");
    expect(n.rows[0]?.n).toBe(0);
  });

  it('fails closed: a channel without a secret refuses even a well-formed delivery', async () => {
    const body = '{"id":1}';
    const res = await post(`${mw.url}/webhooks/shopify/${unsecuredId}`, shopifyHeaders('anything-at-all-here', body, 'evt-x'), body);
    expect(res.status).toBe(401);
    expect(res.json.error.code).toBe('webhook_secret_not_configured');
  });

  it('answers 404 for an unknown channel or a kind that does not match the channel', async () => {
    expect((await post(`${mw.url}/webhooks/shopify/nope`, {}, '{}')).status).toBe(404);
    expect((await post(`${mw.url}/webhooks/loop/${shopifyId}`, {}, '{}')).json.error.code).toBe('channel_not_found');
    expect((await post(`${mw.url}/webhooks/teapot/${shopifyId}`, {}, '{}')).status).toBe(404);
  });

  it('refuses a correctly signed body that is not UTF-8 or not a JSON object with 400 and a code', async () => {
    const badUtf8 = Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d]);
    const r1 = await post(`${mw.url}/webhooks/shopify/${shopifyId}`, shopifyHeaders(SHOPIFY_SECRET, badUtf8, 'evt-u'), badUtf8);
    expect(r1).toMatchObject({ status: 400, json: { error: { code: 'invalid_utf8' } } });
    const r2 = await post(`${mw.url}/webhooks/shopify/${shopifyId}`, shopifyHeaders(SHOPIFY_SECRET, '[1,2]', 'evt-arr'), '[1,2]');
    expect(r2).toMatchObject({ status: 400, json: { error: { code: 'invalid_body' } } });
    const r3 = await post(`${mw.url}/webhooks/shopify/${shopifyId}`, shopifyHeaders(SHOPIFY_SECRET, '{"a":', 'evt-j'), '{"a":');
    expect(r3).toMatchObject({ status: 400, json: { error: { code: 'invalid_json' } } });
  });

  it('refuses a body over the size limit with 413', async () => {
    const big = '{"a":"' + 'x'.repeat(1024 * 1024 + 10) + '"}';
    const res = await post(`${mw.url}/webhooks/shopify/${shopifyId}`, shopifyHeaders(SHOPIFY_SECRET, big, 'evt-big'), big);
    expect(res).toMatchObject({ status: 413, json: { error: { code: 'payload_too_large' } } });
  });

  it('takes Loop (X-Loop-Signature) and the payments bearer secret, deduping each by its event key', async () => {
    const loopBody = '{"id":"ret_1","trigger":"return.created"}';
    const loopSig = createHmac('sha256', LOOP_SECRET).update(loopBody).digest('base64');
    const l1 = await post(`${mw.url}/webhooks/loop/${loopId}`, { 'x-loop-signature': loopSig, 'content-type': 'application/json' }, loopBody);
    const l2 = await post(`${mw.url}/webhooks/loop/${loopId}`, { 'x-loop-signature': loopSig, 'content-type': 'application/json' }, loopBody);
    expect([l1.status, l2.status]).toEqual([202, 200]);

    const payBody = '{"id":"evt_pay_1","type":"payment.succeeded","data":{"id":"pay_1"}}';
    const p1 = await post(`${mw.url}/webhooks/payments/${paymentsId}`, { authorization: `Bearer ${PAYMENTS_SECRET}` }, payBody);
    expect(p1.status).toBe(202);
    const p2 = await post(`${mw.url}/webhooks/payments/${paymentsId}`, { authorization: 'Bearer wrong-secret-000000' }, payBody);
    expect(p2).toMatchObject({ status: 401, json: { error: { code: 'webhook_bad_signature' } } });
    const stored = await mw.db.query<{ headers: Record<string, string> }>('select headers from lb_webhook_events where id = $1', [p1.json.eventId]);
    expect(stored.rows[0]?.headers.authorization).toBeUndefined();
  });

  it('records a retryable failure as an attempt and requeues the record for the pg-boss backoff retry', async () => {
    // Only this record's first attempt fails (other records may still be in flight from earlier tests).
    nextOutcome = (ctx) =>
      ctx.record.external_key.endsWith('evt-retry:refunds/create') && ctx.attempt === 1
        ? { kind: 'failed', code: 'netsuite_timeout', message: 'timed out', retryable: true }
        : { kind: 'posted' };
    const body = '{"id":5005}';
    const res = await post(`${mw.url}/webhooks/shopify/${shopifyId}`, shopifyHeaders(SHOPIFY_SECRET, body, 'evt-retry'), body);
    const id = res.json.syncRecordId;
    // The retry itself waits pg-boss's jittered backoff (from 5 s); the crash-recovery test covers re-delivery.
    await waitFor(async () => {
      const a = await mw.db.query<{ n: number }>("select count(*)::int as n from lb_sync_attempts where sync_record_id = $1 and outcome = 'retry'", [id]);
      return a.rows[0]?.n === 1 ? true : undefined;
    }, 10_000, 'first attempt recorded as retry');
    expect(await recordState(id)).toBe('queued');
    const history = await mw.db.query<{ to_state: string }>('select to_state from lb_sync_transitions where sync_record_id = $1 order by id', [id]);
    expect(history.rows.map((r) => r.to_state)).toEqual(['received', 'queued', 'posting', 'queued']);
    nextOutcome = () => ({ kind: 'posted' });
  }, 15_000);

  it('exposes intake and sync metrics, health and readiness', async () => {
    const metrics = await (await fetch(`${mw.url}/metrics`)).text();
    expect(metrics).toMatch(/ledgerbridge_webhook_intake_total\{channel_kind="shopify",outcome="accepted"\} \d+/);
    expect(metrics).toMatch(/ledgerbridge_webhook_intake_total\{channel_kind="shopify",outcome="duplicate"\} 9/);
    expect(metrics).toMatch(/ledgerbridge_sync_records\{state="posted"\} \d+/);
    expect(metrics).toMatch(/ledgerbridge_webhook_intake_seconds_bucket/);
    expect((await fetch(`${mw.url}/healthz`)).status).toBe(200);
    const ready = await fetch(`${mw.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ready', checks: { database: { ok: true }, migrations: { ok: true }, jobs: { ok: true } } });
  });

  it('never writes a channel secret to the logs, and logs carry request and sync-record ids', () => {
    expect(logs.lines.length).toBeGreaterThan(5);
    for (const secret of [SHOPIFY_SECRET, LOOP_SECRET, PAYMENTS_SECRET]) expect(logs.text).not.toContain(secret);
    const accepted = logs.lines.map((l) => JSON.parse(l)).find((l) => l.msg === 'webhook accepted');
    expect(accepted).toMatchObject({ requestId: expect.any(String), syncRecordId: expect.any(String) });
    expect(logs.lines.map((l) => JSON.parse(l)).some((l) => l.msg === 'sync attempt finished' && typeof l.syncRecordId === 'string')).toBe(true);
  });

  it('shuts down gracefully: stops taking requests and lets the running job finish', async () => {
    processorDelayMs = 800;
    const body = '{"id":6006}';
    const res = await post(`${mw.url}/webhooks/shopify/${shopifyId}`, shopifyHeaders(SHOPIFY_SECRET, body, 'evt-shutdown'), body);
    expect(res.status).toBe(202);
    const id = res.json.syncRecordId as string;
    await waitFor(async () => (processed.some((p) => p.record.id === id) ? true : undefined), 10_000, 'job started');
    expect(finished).not.toContain(id);
    const url = mw.url;
    await mw.close();
    // close() waited for the in-flight job instead of abandoning it mid-attempt.
    expect(finished).toContain(id);
    await expect(fetch(`${url}/healthz`)).rejects.toThrow();
  }, 20_000);
});
