/**
 * A captured Shopify delivery replayed. Shopify's X-Shopify-Webhook-Id / X-Shopify-Event-Id headers are not covered
 * by the HMAC, so whoever holds one signed body can send it again under any ids and it passes the signature check.
 * Whatever the ids, the refund it describes must reach NetSuite once. Shopify's published refunds/create sample,
 * signed with the channel's secret, is POSTed over loopback HTTP to the real intake: 10 times at once under the same
 * id, then 10 times at once under fresh ids; the real processor posts it into the local NetSuite account.
 */
import { refundExternalId } from '../../../core/refunds';
import { startShopifySimulator, type ShopifySimulator } from '../../../middleware/simulators/shopify';
import { loadConformance, readConformanceText } from '../../fixtures/conformance/load';
import { shopifyWebhookSample } from '../../fixtures/conformance/shopify-webhooks';
import { startStack, waitForState, type Stack } from '../flows/stack';
import { addShopifyChannel, channelSyncRecords, deliverShopifyWebhook, loadByExternalId, seedNetSuiteOrder } from '../conformance/harness';

interface SampleOrder {
  id: string;
  currency: string;
  line_items: Array<{ sku: string; quantity: number; price: string }>;
}

const BODY = shopifyWebhookSample('refunds/create');
const ORDER_TEXT = readConformanceText('shopify', 'webhooks-2026-04', 'orders-create.json');
const ORDER = loadConformance('shopify', 'webhooks-2026-04', 'orders-create.json') as unknown as SampleOrder;
const REFUND_ID_TEXT = /^\s*\{\s*"id"\s*:\s*(\d+)/.exec(BODY)?.[1] ?? '';
const TERMINAL = ['posted', 'failed', 'parked', 'cancelled', 'skipped'];

let stack: Stack;
let shopify: ShopifySimulator;
let channel: { channelId: string; shopDomain: string; webhookSecret: string };

beforeAll(async () => {
  stack = await startStack();
  shopify = await startShopifySimulator({ seedSampleOrders: false, publishedOrders: [ORDER_TEXT] });
  channel = await addShopifyChannel(stack, shopify, 'replay-shop.myshopify.com');
  seedNetSuiteOrder(
    stack,
    { platform: 'shopify', account: channel.shopDomain, orderId: ORDER.id, currency: ORDER.currency, lines: ORDER.line_items.map((l) => ({ sku: l.sku, quantity: l.quantity, price: l.price })) },
    'cashsale',
  );
}, 60_000);
afterAll(async () => {
  await stack?.close();
  await shopify?.close();
});

const refundRecords = () => {
  const ext = (kind: 'cashrefund' | 'creditmemo') => refundExternalId({ platform: 'shopify', account: channel.shopDomain, refundId: REFUND_ID_TEXT }, kind);
  return [...loadByExternalId(stack, 'cashrefund', ext('cashrefund')), ...loadByExternalId(stack, 'creditmemo', ext('creditmemo'))];
};

async function settleAll() {
  const records = await channelSyncRecords(stack, channel.channelId);
  return Promise.all(records.map((r) => waitForState(stack, r.id, TERMINAL, 30_000)));
}

test('the sample names one refund whose order is in NetSuite and none of its refund records yet', () => {
  expect(REFUND_ID_TEXT).toMatch(/^\d{10,}$/);
  expect(refundRecords()).toHaveLength(0);
});

test('the same signed delivery 10 times at once under the same id: one accepted, nine duplicates, one NetSuite record', async () => {
  const results = await Promise.all(Array.from({ length: 10 }, () => deliverShopifyWebhook(stack, channel, 'refunds/create', BODY, 'replay-same-id')));
  for (const r of results) expect(r.status).toBeLessThan(300);
  const accepted = results.filter((r) => r.json.duplicate !== true);
  expect(accepted).toHaveLength(1);
  expect(results.filter((r) => r.json.duplicate === true)).toHaveLength(9);

  const states = await settleAll();
  expect(states.map((s) => s.state)).toEqual(['posted']);
  expect(refundRecords()).toHaveLength(1);
}, 60_000);

test('the same signed body 10 times at once under new ids: still one NetSuite record, every sync record settled without error', async () => {
  const before = refundRecords();
  expect(before).toHaveLength(1);
  const results = await Promise.all(Array.from({ length: 10 }, (_, i) => deliverShopifyWebhook(stack, channel, 'refunds/create', BODY, `replay-new-id-${i}`)));
  for (const r of results) expect(r.status).toBeLessThan(300);

  const states = await settleAll();
  for (const s of states) expect(`${s.state} ${s.state_code ?? ''}`).toMatch(/^(posted|skipped) /);
  expect(states.some((s) => s.state === 'failed' || s.state === 'parked')).toBe(false);

  const after = refundRecords();
  expect(after).toHaveLength(1);
  expect(after[0]?.id).toBe(before[0]?.id);
}, 90_000);
