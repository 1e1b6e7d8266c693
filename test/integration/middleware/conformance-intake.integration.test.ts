/**
 * Shopify's published webhook samples over real HTTP into the real intake (`POST /webhooks/shopify/:channelId`),
 * each signed with the channel's secret: every sample is accepted (2xx), stored byte for byte with its sync record
 * under its topic, and what was stored reads back through the Shopify connector as that topic's payload.
 */
import { randomBytes } from 'node:crypto';
import { mapOrder, mapRefund, parseWebhook } from '../../../middleware/connectors/shopify';
import type { RunningMiddleware } from '../../../middleware/runtime/server';
import { SHOPIFY_WEBHOOK_SAMPLES, shopifyWebhookSample, signedShopifyDelivery } from '../../fixtures/conformance/shopify-webhooks';
import { post, seedChannel, startTestMiddleware } from './harness';

const SECRET = 'shpss_' + randomBytes(16).toString('hex');
const SHOP = 'conformance-shop.myshopify.com';

let mw: RunningMiddleware;
let channelId: string;

beforeAll(async () => {
  // No workers: this file checks intake only; the records stay queued for the flows.
  ({ mw } = await startTestMiddleware({ workers: false }));
  channelId = await seedChannel(mw, 'tenant-conformance', { kind: 'shopify', name: 'Conformance shop', settings: { shopDomain: SHOP }, secrets: { webhookSecret: SECRET } });
}, 30_000);

afterAll(async () => {
  await mw?.close();
});

describe("Shopify's published webhook samples through the intake", () => {
  it.each(SHOPIFY_WEBHOOK_SAMPLES.map((s) => [s.topic]))('%s is accepted, stored under its topic and reads back through the connector', async (topic) => {
    const body = shopifyWebhookSample(topic);
    const eventId = `sample-${topic}`;
    const res = await post(`${mw.url}/webhooks/shopify/${channelId}`, signedShopifyDelivery(SECRET, body, { topic, shopDomain: SHOP, eventId }), body);
    expect(res.status).toBe(202);
    expect(res.json).toMatchObject({ received: true, duplicate: false });

    const record = await mw.db.query<{ topic: string; state: string; body: string; headers: Record<string, string>; platform_event_id: string }>(
      `select r.topic, r.state, e.body, e.headers, e.platform_event_id
         from lb_sync_records r join lb_webhook_events e on e.id = r.event_id
        where r.id = $1`,
      [res.json.syncRecordId],
    );
    const row = record.rows[0];
    expect(row?.topic).toBe(topic);
    expect(row?.platform_event_id).toBe(`${eventId}:${topic}`);
    expect(row?.body).toBe(body);

    // What the flow will read: the stored body and headers through the connector.
    const parsed = parseWebhook(row?.body ?? '', row?.headers ?? {});
    if (!parsed.ok) throw new Error(parsed.error.message);
    if (topic === 'refunds/create') {
      if (parsed.value.topic !== 'refunds/create') throw new Error(`read as ${parsed.value.topic}`);
      const refund = mapRefund(parsed.value.refund, { account: parsed.value.delivery.shopDomain });
      expect(refund.ok).toBe(true);
    } else {
      if (parsed.value.topic === 'refunds/create' || parsed.value.topic === 'other') throw new Error(`read as ${parsed.value.topic}`);
      expect(parsed.value.topic).toBe(topic);
      const order = mapOrder(parsed.value.order, parsed.value.delivery.shopDomain);
      expect(order.ok).toBe(true);
    }
  }, 20_000);

  it('a sample signed with another secret is refused with 401 and stores nothing', async () => {
    const body = shopifyWebhookSample('refunds/create');
    const res = await post(`${mw.url}/webhooks/shopify/${channelId}`, signedShopifyDelivery('wrong-secret', body, { topic: 'refunds/create', shopDomain: SHOP, eventId: 'forged' }), body);
    expect(res.status).toBe(401);
    const stored = await mw.db.query('select 1 from lb_webhook_events where platform_event_id like $1', ['forged%']);
    expect(stored.rows).toHaveLength(0);
  }, 20_000);
});
