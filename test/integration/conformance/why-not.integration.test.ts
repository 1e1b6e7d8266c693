/**
 * "Why didn't this sync?" over HTTP agrees with the refund's own sync records: a Shopify refund whose payload the
 * flow cannot read (failed invalid_payload) is reported as that failure with its message — not as a refund waiting
 * for its order — and the action the answer proposes (cancel, then un-cancel) is one the API takes. A refund that was
 * posted (Shopify's published sample) is reported with its NetSuite record and total; one parked for its order with
 * its reason and age.
 */
import { startShopifySimulator, type ShopifySimulator } from '../../../middleware/simulators/shopify';
import { loadConformance, readConformanceText } from '../../fixtures/conformance/load';
import { shopifyWebhookSample } from '../../fixtures/conformance/shopify-webhooks';
import { api, startStack, waitForState, type Stack } from '../flows/stack';
import { addShopifyChannel, deliverShopifyWebhook, loadByExternalId, seedNetSuiteOrder } from './harness';
import { refundExternalId } from '../../../core/refunds';

interface Check { id: string; status: string; detail: string; fix: string | null; syncRecordId?: string; actions?: Array<{ method: string; path: string; body?: unknown; label: string }> }
interface Answer { basis: string; ready: boolean; firstFailure: string | null; checks: Check[] }

const ORDER_TEXT = readConformanceText('shopify', 'webhooks-2026-04', 'orders-create.json');
const ORDER = loadConformance('shopify', 'webhooks-2026-04', 'orders-create.json') as unknown as { id: string; line_items: Array<{ sku: string; quantity: number; price: string }> };
const SAMPLE = shopifyWebhookSample('refunds/create');
const SAMPLE_ID = /^\s*\{\s*"id"\s*:\s*(\d+)/.exec(SAMPLE)?.[1] ?? '';
// A refund of an order NetSuite does not have, whose transactions are not a list: the flow cannot read it.
const BAD_ORDER_ID = '9007199254740993001';
const BAD_REFUND_ID = '9007199254740993777';
const BAD = `{"id":${BAD_REFUND_ID},"order_id":${BAD_ORDER_ID},"created_at":"2026-04-01T12:00:00-05:00","note":null,"restock":false,"transactions":"refund of 10.00","refund_line_items":[]}`;

let stack: Stack;
let shopify: ShopifySimulator;
let channel: Awaited<ReturnType<typeof addShopifyChannel>>;

beforeAll(async () => {
  stack = await startStack();
  shopify = await startShopifySimulator({ seedSampleOrders: false, publishedOrders: [ORDER_TEXT] });
  channel = await addShopifyChannel(stack, shopify, 'why-not-shop.myshopify.com');
}, 60_000);
afterAll(async () => {
  await stack?.close();
  await shopify?.close();
});

const whyNot = async (orderId: string, refundId?: string) => {
  const res = await api(stack, 'GET', `/v1/channels/${channel.channelId}/orders/${orderId}/why-not${refundId ? `?refundId=${refundId}` : ''}`);
  expect(res.status).toBe(200);
  return res.json as Answer;
};

test('a refund that failed invalid_payload is reported as that failure, and its proposed actions are accepted', async () => {
  const delivered = await deliverShopifyWebhook(stack, channel, 'refunds/create', BAD, 'bad-refund-1');
  expect(delivered.status).toBe(202);
  const syncRecordId = delivered.json.syncRecordId ?? '';
  const failed = await waitForState(stack, syncRecordId, ['failed', 'parked', 'posted']);
  expect(failed.state_code).toBe('invalid_payload');

  for (const answer of [await whyNot(BAD_ORDER_ID, BAD_REFUND_ID), await whyNot(BAD_ORDER_ID)]) {
    expect(answer).toMatchObject({ basis: 'sync_records', ready: false, firstFailure: 'sync_record' });
    expect(answer.checks.map((c) => c.id)).toEqual(['sync_record']);
    const [check] = answer.checks;
    expect(check).toMatchObject({ status: 'fail', syncRecordId });
    expect(check?.detail).toContain(`invalid_payload: ${failed.state_message}`);
    expect(JSON.stringify(answer)).not.toMatch(/parked|linked to any NetSuite sales order/);
    expect(check?.actions?.map((a) => `${a.method} ${a.path}`)).toEqual([`POST /v1/sync-records/${syncRecordId}/cancel`]);
  }

  // The proposed action, as the API takes it; then the answer follows the record.
  const [cancel] = (await whyNot(BAD_ORDER_ID, BAD_REFUND_ID)).checks[0]?.actions ?? [];
  const cancelled = await api(stack, cancel?.method ?? '', cancel?.path ?? '', { reason: 'recorded in NetSuite by hand' });
  expect(cancelled.status).toBe(200);
  const afterCancel = await whyNot(BAD_ORDER_ID, BAD_REFUND_ID);
  expect(afterCancel.checks[0]).toMatchObject({ status: 'fail', fix: 'Un-cancel it if it should sync.' });
  const [uncancel] = afterCancel.checks[0]?.actions ?? [];
  expect(uncancel?.path).toBe(`/v1/sync-records/${syncRecordId}/uncancel`);
  expect((await api(stack, uncancel?.method ?? '', uncancel?.path ?? '', {})).status).toBe(200);
  expect((await waitForState(stack, syncRecordId, ['failed'])).state_code).toBe('invalid_payload');
}, 60_000);

test('a refund that posted is reported with its NetSuite record and total; an order without records is reasoned from facts', async () => {
  seedNetSuiteOrder(stack, { platform: 'shopify', account: channel.shopDomain, orderId: ORDER.id, lines: ORDER.line_items }, 'cashsale');
  const delivered = await deliverShopifyWebhook(stack, channel, 'refunds/create', SAMPLE, 'sample-1');
  expect((await waitForState(stack, delivered.json.syncRecordId ?? '', ['posted', 'failed', 'parked'])).state).toBe('posted');
  const [cashRefund] = loadByExternalId(stack, 'cashrefund', refundExternalId({ platform: 'shopify', account: channel.shopDomain, refundId: SAMPLE_ID }, 'cashrefund'));

  const answer = await whyNot(ORDER.id, SAMPLE_ID);
  expect(answer).toMatchObject({ basis: 'sync_records', ready: true, firstFailure: null });
  expect(answer.checks).toHaveLength(1);
  expect(answer.checks[0]).toMatchObject({ status: 'pass', fix: null, syncRecordId: delivered.json.syncRecordId });
  expect(answer.checks[0]?.detail).toBe(`Posted: the refund is in NetSuite as cashrefund ${cashRefund?.id} (total 85.00 USD).`);

  // A second delivery with a new event id is one more record; both say the refund is in NetSuite.
  const again = await deliverShopifyWebhook(stack, channel, 'refunds/create', SAMPLE, 'sample-2');
  await waitForState(stack, again.json.syncRecordId ?? '', ['posted']);
  const both = await whyNot(ORDER.id, SAMPLE_ID);
  expect(both.checks.map((c) => [c.syncRecordId, c.status])).toEqual([
    [delivered.json.syncRecordId, 'pass'],
    [again.json.syncRecordId, 'pass'],
  ]);

  // No record for this order: the prerequisites, with facts read now.
  const none = await whyNot('4242424242');
  expect(none.basis).toBe('prerequisites');
  expect(none.firstFailure).toBe('order_synced');
}, 60_000);

test('a refund parked for its order is reported parked, with its reason and how long it has waited', async () => {
  const shop = await addShopifyChannel(stack, shopify, 'why-not-parked.myshopify.com');
  const delivered = await deliverShopifyWebhook(stack, shop, 'refunds/create', SAMPLE, 'sample-parked');
  const parked = await waitForState(stack, delivered.json.syncRecordId ?? '', ['parked', 'failed', 'posted']);
  expect(parked.state_code).toBe('order_not_synced');
  const res = await api(stack, 'GET', `/v1/channels/${shop.channelId}/orders/${ORDER.id}/why-not?refundId=${SAMPLE_ID}`);
  expect(res.status).toBe(200);
  const answer = res.json as Answer;
  expect(answer).toMatchObject({ basis: 'sync_records', ready: false, firstFailure: 'sync_record' });
  expect(answer.checks).toHaveLength(1);
  expect(answer.checks[0]?.detail).toMatch(new RegExp(`^Parked for \\d+ minutes: order_not_synced: ${parked.state_message?.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`));
  expect(answer.checks[0]?.fix).toMatch(/Import the order/);
}, 60_000);
