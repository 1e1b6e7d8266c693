// Polls that meet a platform item the connector cannot read (a Magento credit memo, an eBay order, an Amazon refund
// event) record it as an exception instead of skipping it behind the moving cursor: a sync record on the unreadable
// topic, failed with `unreadable_platform_item`, naming the item and what was wrong, listed by /v1/exceptions, once
// per item however often a poll sees it again. Readable items beside it still sync.
import { startMagentoSimulator, type MagentoSimulator } from '../../../middleware/simulators/magento';
import { startEbaySimulator, type EbaySimulator } from '../../../middleware/simulators/ebay';
import { startAmazonSimulator, type AmazonSimulator } from '../../../middleware/simulators/amazon';
import { IMPORTED_REFUND_TOPIC } from '../../../middleware/flows/refunds/sources';
import { MAGENTO_STREAM, UNREADABLE_REFUND_TOPIC } from '../../../middleware/flows/refunds/sweep';
import { setCursor } from '../../../middleware/flows/refunds/store';
import { addChannel, api, netsuiteOrder, startStack, syncRecordsByTopic, waitForState, type Stack } from './stack';

let stack: Stack;
let magento: MagentoSimulator;
let ebay: EbaySimulator;
let amazon: AmazonSimulator;
const channels = { magento: '', ebay: '', amazon: '' };
const link = { orderLink: { mode: 'external_field', fieldId: 'otherrefnum' } };

beforeAll(async () => {
  [stack, magento, ebay, amazon] = await Promise.all([
    startStack(),
    startMagentoSimulator({ seedSampleOrders: false }),
    startEbaySimulator({ seedSampleOrders: false }),
    startAmazonSimulator({ seedSampleOrders: false }),
  ]);
  channels.magento = await addChannel(stack, 'magento', { baseUrl: 'https://magento.example.test', refundDirection: 'platform_to_netsuite', refunds: link }, { accessToken: magento.accessToken }, magento.restUrl);
  channels.ebay = await addChannel(stack, 'ebay', { refunds: link }, { clientId: ebay.clientId, clientSecret: ebay.clientSecret, refreshToken: ebay.refreshToken }, ebay.url);
  channels.amazon = await addChannel(stack, 'amazon', { marketplaceId: 'ATVPDKIKX0DER', sellerId: 'A1SELLER', refunds: link }, { lwaClientId: amazon.lwaClientId, lwaClientSecret: amazon.lwaClientSecret, refreshToken: amazon.refreshToken }, amazon.url);
}, 30_000);
afterAll(async () => {
  await Promise.all([stack?.close(), magento?.close(), ebay?.close(), amazon?.close()]);
});

interface ExceptionItem { reason: string; syncRecord: { id: string; channelId: string; topic: string; state: string; stateCode: string | null; stateMessage: string | null } }

async function exceptionsOf(channelId: string): Promise<ExceptionItem[]> {
  const { status, json } = await api(stack, 'GET', '/v1/exceptions');
  expect(status).toBe(200);
  return (json.items as unknown as ExceptionItem[]).filter((i) => i.syncRecord.channelId === channelId && i.syncRecord.stateCode === 'unreadable_platform_item');
}

/** The channel's exceptions for unreadable items, once every record on the unreadable topic has settled. */
async function settledUnreadable(channelId: string): Promise<ExceptionItem[]> {
  for (const r of await syncRecordsByTopic(stack, channelId, UNREADABLE_REFUND_TOPIC)) await waitForState(stack, r.id, ['failed', 'posted', 'parked', 'skipped']);
  return exceptionsOf(channelId);
}

async function importedStates(channelId: string): Promise<string[]> {
  const rows = await syncRecordsByTopic(stack, channelId, IMPORTED_REFUND_TOPIC);
  return Promise.all(rows.map(async (r) => (await waitForState(stack, r.id, ['posted', 'failed', 'parked'])).state));
}

it('Magento: a credit memo without its state is an exception naming the memo; the poll goes on and a re-poll adds none', async () => {
  const good = magento.createOrder({ lines: [{ sku: 'LB-STOVE', qty: 1, price: '49.50' }] });
  netsuiteOrder(stack, String(good.entityId), [{ sku: 'LB-STOVE', quantity: 1, price: '49.50' }], 'cashsale');
  const bad = magento.createOrder({ lines: [{ sku: 'LB-TENT-2P', qty: 1, price: '199.00' }] });
  magento.issueRefund(String(bad.entityId), { items: [{ sku: 'LB-TENT-2P', qty: 1 }] });
  magento.issueRefund(String(good.entityId), { items: [{ sku: 'LB-STOVE', qty: 1 }] });
  // The store answers the first memo without `state` (a damaged row, an extension's override).
  const [badMemoId, badMemo] = [...magento.state.creditMemos.entries()].find(([, m]) => String(m.order_id) === String(bad.entityId)) as [string, Record<string, unknown>];
  delete badMemo.state;

  const sweep = await stack.mw.refunds.sweep();
  expect(sweep.magento).toEqual({ found: 2, queued: 1 });
  expect(sweep.unreadableItems.magento).toBe(1);
  expect(await importedStates(channels.magento)).toEqual(['posted']);
  const [exception, ...more] = await settledUnreadable(channels.magento);
  expect(more).toEqual([]);
  expect(exception).toMatchObject({ reason: 'failed', syncRecord: { topic: UNREADABLE_REFUND_TOPIC, state: 'failed', stateCode: 'unreadable_platform_item' } });
  expect(exception?.syncRecord.stateMessage).toContain(`Magento credit memo ${badMemoId} (order ${bad.entityId})`);
  expect(exception?.syncRecord.stateMessage).toContain('creditmemo.state is missing');

  // The cursor moved past both memos; polling them again (cursor reset) finds the exception already recorded.
  await setCursor(stack.mw.db, channels.magento, MAGENTO_STREAM, '0');
  const again = await stack.mw.refunds.sweep();
  expect(again.magento).toEqual({ found: 2, queued: 0 });
  expect(again.unreadableItems.magento).toBe(0);
  expect(await settledUnreadable(channels.magento)).toHaveLength(1);
});

it('eBay: an order whose refund carries no currency is an exception naming the order, once over overlapping polls', async () => {
  const order = ebay.createOrder({ lines: [{ sku: 'LB-STOVE', quantity: 2, price: '49.50' }] });
  netsuiteOrder(stack, order.orderId, [{ sku: 'LB-STOVE', quantity: 2, price: '49.50' }], 'invoice');
  ebay.issueRefund(order.orderId, { lines: [{ sku: 'LB-STOVE', amount: '49.50' }], withoutCurrency: true });
  const readable = ebay.createOrder({ lines: [{ sku: 'LB-TENT-2P', quantity: 1, price: '199.00' }] });
  netsuiteOrder(stack, readable.orderId, [{ sku: 'LB-TENT-2P', quantity: 1, price: '199.00' }], 'invoice');
  ebay.issueRefund(readable.orderId, { orderLevelAmount: '20.00' });

  const sweep = await stack.mw.refunds.sweep();
  expect(sweep.ebay).toMatchObject({ found: 1, queued: 1, unreadable: 0 });
  expect(sweep.unreadableItems.ebay).toBe(1);
  expect(await importedStates(channels.ebay)).toEqual(['posted']);
  const [exception, ...more] = await settledUnreadable(channels.ebay);
  expect(more).toEqual([]);
  expect(exception?.syncRecord).toMatchObject({ state: 'failed', stateCode: 'unreadable_platform_item' });
  expect(exception?.syncRecord.stateMessage).toContain(`eBay order ${order.orderId} cannot be read`);
  expect(exception?.syncRecord.stateMessage).toContain('amount.currency is missing');

  // eBay polls look back past their cursor (refunds post late): the next poll reads the same order again.
  const again = await stack.mw.refunds.sweep();
  expect(again.unreadableItems.ebay).toBe(0);
  expect(await settledUnreadable(channels.ebay)).toHaveLength(1);
});

it('Amazon: a refund event without currencies is an exception naming the event, once over overlapping polls', async () => {
  const order = amazon.createOrder({ items: [{ sku: 'LB-STOVE', quantity: 2, price: '49.50', tax: '4.00' }] });
  netsuiteOrder(stack, order.amazonOrderId, [{ sku: 'LB-STOVE', quantity: 2, price: '49.50' }], 'cashsale');
  const event = amazon.issueRefund(order.amazonOrderId, { items: [{ sku: 'LB-STOVE', quantity: 1 }] });
  // Amazon answers the event with its charge amounts lacking CurrencyCode.
  const adjustments = event.ShipmentItemAdjustmentList as Array<{ OrderAdjustmentItemId: string; ItemChargeAdjustmentList: Array<{ ChargeAmount: Record<string, unknown> }> }>;
  for (const a of adjustments) for (const c of a.ItemChargeAdjustmentList) delete c.ChargeAmount.CurrencyCode;
  const readable = amazon.createOrder({ items: [{ sku: 'LB-TENT-2P', quantity: 1, price: '199.00' }] });
  netsuiteOrder(stack, readable.amazonOrderId, [{ sku: 'LB-TENT-2P', quantity: 1, price: '199.00' }], 'cashsale');
  amazon.issueRefund(readable.amazonOrderId, { items: [{ sku: 'LB-TENT-2P', quantity: 1 }] });

  const sweep = await stack.mw.refunds.sweep();
  expect(sweep.amazon).toEqual({ found: 2, queued: 1 });
  expect(sweep.unreadableItems.amazon).toBe(1);
  expect(await importedStates(channels.amazon)).toEqual(['posted']);
  const [exception, ...more] = await settledUnreadable(channels.amazon);
  expect(more).toEqual([]);
  expect(exception?.syncRecord).toMatchObject({ state: 'failed', stateCode: 'unreadable_platform_item' });
  expect(exception?.syncRecord.stateMessage).toContain(`Amazon refund event ${order.amazonOrderId}:${adjustments[0]?.OrderAdjustmentItemId} (order ${order.amazonOrderId})`);
  expect(exception?.syncRecord.stateMessage).toContain('CurrencyCode is missing');

  const again = await stack.mw.refunds.sweep();
  expect(again.amazon.found).toBe(2);
  expect(again.unreadableItems.amazon).toBe(0);
  expect(await settledUnreadable(channels.amazon)).toHaveLength(1);
});

it('an eBay refund its API does not return is still reported with eBay\'s explanation on the same topic', async () => {
  const hidden = ebay.createOrder({ lines: [{ sku: 'LB-TENT-2P', quantity: 1, price: '199.00' }] });
  ebay.issueRefund(hidden.orderId, { orderLevelAmount: '20.00', buyerRequested: false });
  const sweep = await stack.mw.refunds.sweep();
  expect(sweep.ebay.unreadable).toBe(1);
  const rows = await syncRecordsByTopic(stack, channels.ebay, UNREADABLE_REFUND_TOPIC);
  const settled = await Promise.all(rows.map((r) => waitForState(stack, r.id, ['failed'])));
  expect(settled.map((s) => s.state_code).sort()).toEqual(['ebay_refund_unreadable', 'unreadable_platform_item']);
});
