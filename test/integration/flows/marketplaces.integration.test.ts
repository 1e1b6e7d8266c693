// Polled storefronts -> NetSuite: Magento credit memos (entity_id cursor), eBay order refunds (with the refunds its
// API cannot read reported as exceptions with eBay's explanation) and Amazon refund events, each found by the
// refund sweep against its simulator and posted once to the local account. eBay and Amazon calls carry access
// tokens minted from the channels' refresh tokens (the simulators accept no other).
import { refundExternalId } from '../../../core/refunds';
import { startMagentoSimulator, type MagentoSimulator } from '../../../middleware/simulators/magento';
import { startEbaySimulator, type EbaySimulator } from '../../../middleware/simulators/ebay';
import { startAmazonSimulator, type AmazonSimulator } from '../../../middleware/simulators/amazon';
import { IMPORTED_REFUND_TOPIC } from '../../../middleware/flows/refunds/sources';
import { UNREADABLE_REFUND_TOPIC } from '../../../middleware/flows/refunds/sweep';
import { addChannel, netsuiteOrder, recordsByExternalId, startStack, syncRecordsByTopic, waitForState, type Stack } from './stack';

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

async function postedImports(channelId: string): Promise<Array<{ refundId: string; state: string; code: string | null }>> {
  const rows = await syncRecordsByTopic(stack, channelId, IMPORTED_REFUND_TOPIC);
  const settled = await Promise.all(rows.map((r) => waitForState(stack, r.id, ['posted', 'failed', 'parked'])));
  return rows.map((r, i) => ({ refundId: (JSON.parse(r.body) as { refund: { refundId: string } }).refund.refundId, state: settled[i]?.state ?? '', code: settled[i]?.state_code ?? null }));
}

it('Magento: a polled credit memo becomes a cash refund for the money refunded, once; the cursor moves on', async () => {
  const order = magento.createOrder({ lines: [{ sku: 'LB-STOVE', qty: 2, price: '49.50' }] });
  netsuiteOrder(stack, String(order.entityId), [{ sku: 'LB-STOVE', quantity: 2, price: '49.50' }], 'cashsale');
  magento.issueRefund(String(order.entityId), { items: [{ sku: 'LB-STOVE', qty: 1 }], adjustmentNegative: '5.00', comment: 'restocking fee' });
  const sweep = await stack.mw.refunds.sweep();
  expect(sweep.magento).toEqual({ found: 1, queued: 1 });
  const [posted] = await postedImports(channels.magento);
  expect(posted).toMatchObject({ state: 'posted' });
  const ids = recordsByExternalId(stack.account, 'cashrefund', refundExternalId({ platform: 'magento', account: channels.magento, refundId: posted?.refundId ?? '' }, 'cashrefund'));
  expect(ids).toHaveLength(1);
  const record = stack.account.engine.load('cashrefund', ids[0] as string);
  expect(record.fields.total).toBe('44.50');
  expect(record.sublists.item?.some((l) => String(l.description).includes('Adjustment fee'))).toBe(true);
  expect((await stack.mw.refunds.sweep()).magento).toEqual({ found: 0, queued: 0 });
});

it('eBay: a readable refund becomes a credit memo; a refund the API cannot read is reported with the explanation', async () => {
  const order = ebay.createOrder({ lines: [{ sku: 'LB-STOVE', quantity: 2, price: '49.50' }] });
  netsuiteOrder(stack, order.orderId, [{ sku: 'LB-STOVE', quantity: 2, price: '49.50' }], 'invoice');
  ebay.issueRefund(order.orderId, { lines: [{ sku: 'LB-STOVE', amount: '49.50' }] });
  const hidden = ebay.createOrder({ lines: [{ sku: 'LB-TENT-2P', quantity: 1, price: '199.00' }] });
  ebay.issueRefund(hidden.orderId, { orderLevelAmount: '20.00', buyerRequested: false });
  const sweep = await stack.mw.refunds.sweep();
  expect(sweep.ebay).toMatchObject({ queued: 1, unreadable: 1 });
  const [posted] = await postedImports(channels.ebay);
  expect(posted).toMatchObject({ state: 'posted' });
  const memo = recordsByExternalId(stack.account, 'creditmemo', refundExternalId({ platform: 'ebay', account: channels.ebay, refundId: posted?.refundId ?? '' }, 'creditmemo'));
  expect(memo).toHaveLength(1);
  expect(stack.account.engine.load('creditmemo', memo[0] as string).fields.total).toBe('49.50');
  const [unreadable] = await syncRecordsByTopic(stack, channels.ebay, UNREADABLE_REFUND_TOPIC);
  const settled = await waitForState(stack, unreadable?.id ?? '', ['failed']);
  expect(settled.state_code).toBe('ebay_refund_unreadable');
  expect(settled.state_message).toContain('without a buyer request');
  expect((await stack.mw.refunds.sweep()).ebay).toMatchObject({ queued: 0, unreadable: 0 });
  expect(ebay.oauth.userMinted()).toBe(1); // one token for both sweeps and the reads between them
});

it('Amazon: a refund event becomes a cash refund for the money refunded (tax in, restocking fee out)', async () => {
  const order = amazon.createOrder({ items: [{ sku: 'LB-STOVE', quantity: 2, price: '49.50', tax: '4.00' }] });
  netsuiteOrder(stack, order.amazonOrderId, [{ sku: 'LB-STOVE', quantity: 2, price: '49.50' }], 'cashsale');
  amazon.issueRefund(order.amazonOrderId, { items: [{ sku: 'LB-STOVE', quantity: 1 }], restockingFee: '3.00' });
  const sweep = await stack.mw.refunds.sweep();
  expect(sweep.amazon).toEqual({ found: 1, queued: 1 });
  const [posted] = await postedImports(channels.amazon);
  expect(posted).toMatchObject({ state: 'posted' });
  const ids = recordsByExternalId(stack.account, 'cashrefund', refundExternalId({ platform: 'amazon', account: 'A1SELLER', refundId: posted?.refundId ?? '' }, 'cashrefund'));
  expect(ids).toHaveLength(1);
  expect(stack.account.engine.load('cashrefund', ids[0] as string).fields.total).toBe('50.50');
  expect(amazon.minted()).toBe(1);
});
