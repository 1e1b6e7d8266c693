/**
 * The sync worker under one slow NetSuite connection, through the real middleware on PGlite (webhook intake, the
 * sync queue, the default 5 slots): five refunds whose processor waits 3 s (a slow NetSuite call) on one
 * connection, then 60 records of other tenants, of another channel of the same tenant without that connection, that
 * need no NetSuite call. The fast ones all post within 2 s of being queued while the slow ones still run, and the
 * slow connection never holds more than its share of the slots (all but one).
 */
import { randomBytes } from 'node:crypto';
import { post, seedChannel, shopifyHeaders, startTestMiddleware, waitFor } from './harness';
import type { RunningMiddleware } from '../../../middleware/runtime/server';

const SECRET = randomBytes(24).toString('hex');
const SLOW_MS = 3_000;

let mw: RunningMiddleware;
let running = 0;
let most = 0;
const slowChannels = new Set<string>();

beforeAll(async () => {
  ({ mw } = await startTestMiddleware({
    logLevel: 'warn',
    processor: async ({ record }) => {
      if (!slowChannels.has(record.channel_id)) return { kind: 'posted' };
      running += 1;
      most = Math.max(most, running);
      await new Promise((r) => setTimeout(r, SLOW_MS));
      running -= 1;
      return { kind: 'posted' };
    },
  }));
}, 30_000);

afterAll(async () => {
  await mw?.close();
});

const shop = (name: string) => ({ kind: 'shopify' as const, name, settings: { shopDomain: `${name}.myshopify.com` }, secrets: { webhookSecret: SECRET } });

async function send(channelId: string, eventId: string): Promise<string> {
  const body = `{"id":"${eventId}"}`;
  const res = await post(`${mw.url}/webhooks/shopify/${channelId}`, shopifyHeaders(SECRET, body, eventId), body);
  expect(res.status).toBe(202);
  return res.json.syncRecordId as string;
}

/** When each record was queued and posted (database clock, ms). */
async function timesOf(ids: string[]): Promise<Array<{ id: string; queued: number; posted: number | null }>> {
  const r = await mw.db.query<{ id: string; queued: number; posted: number | null }>(
    `select sync_record_id as id,
            (extract(epoch from min(at) filter (where to_state = 'queued')) * 1000)::float8 as queued,
            (extract(epoch from max(at) filter (where to_state = 'posted')) * 1000)::float8 as posted
       from lb_sync_transitions where sync_record_id = any($1::text[]) group by 1`,
    [ids],
  );
  return r.rows.map((row) => ({ id: row.id, queued: Number(row.queued), posted: row.posted === null ? null : Number(row.posted) }));
}

it('60 records needing no NetSuite call post within 2 s while 5 slow refunds hold one connection', async () => {
  // Two channels of tenant A on one NetSuite connection (the slow one), a third channel of A without it, and
  // channels of tenants B and C.
  const slowA = await seedChannel(mw, 'tenant-a', shop('a-slow-1'));
  const slowB = await seedChannel(mw, 'tenant-a', shop('a-slow-2'));
  await mw.db.query(
    `insert into lb_netsuite_connections (id, tenant_id, name, account_id, auth_kind, credentials_sealed)
     values ('conn-slow', 'tenant-a', 'slow account', 'TSTDRV1', 'tba', 'sealed')`,
  );
  await mw.db.query("update lb_channels set connection_id = 'conn-slow' where id = any($1::text[])", [[slowA, slowB]]);
  slowChannels.add(slowA).add(slowB);
  const fastChannels = [
    await seedChannel(mw, 'tenant-a', shop('a-fast')),
    await seedChannel(mw, 'tenant-b', shop('b-1')),
    await seedChannel(mw, 'tenant-b', shop('b-2')),
    await seedChannel(mw, 'tenant-c', shop('c-1')),
  ];

  const slow: string[] = [];
  for (let i = 0; i < 5; i++) slow.push(await send(i % 2 === 0 ? slowA : slowB, `slow-${i}`));
  await waitFor(async () => (running === 4 ? true : undefined), 10_000, 'slow refunds running');

  const fast = await Promise.all(Array.from({ length: 60 }, (_, i) => send(fastChannels[i % fastChannels.length] as string, `fast-${i}`)));
  const fastTimes = await waitFor(async () => {
    const t = await timesOf(fast);
    return t.length === 60 && t.every((r) => r.posted !== null) ? t : undefined;
  }, 15_000, 'fast records posted');
  const waits = fastTimes.map((r) => (r.posted as number) - r.queued);
  process.stdout.write(`records behind 5 slow refunds: longest wait from queued to posted ${Math.round(Math.max(...waits))} ms\n`);
  expect(Math.max(...waits)).toBeLessThan(2_000);

  const slowTimes = await waitFor(async () => {
    const t = await timesOf(slow);
    return t.length === 5 && t.every((r) => r.posted !== null) ? t : undefined;
  }, 20_000, 'slow refunds posted');
  // The fast ones were taken while the slow ones still ran: those queued more than half a second before the first
  // slow refund finished (the intake takes a few seconds for 60) were posted before it.
  const firstSlow = Math.min(...slowTimes.map((r) => r.posted as number));
  const during = fastTimes.filter((r) => r.queued < firstSlow - 500);
  expect(during.length).toBeGreaterThanOrEqual(20);
  for (const r of during) expect(r.posted as number).toBeLessThan(firstSlow);
  // The slow connection held 4 of the 5 slots at most; the fifth refund waited for one of them.
  expect(most).toBe(4);
  expect(Math.max(...slowTimes.map((r) => r.posted as number)) - Math.min(...slowTimes.map((r) => r.queued))).toBeGreaterThanOrEqual(2 * SLOW_MS - 100);
}, 60_000);
