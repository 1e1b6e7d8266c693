/**
 * Adobe's published GET /V1/creditmemo/{id} answer (test/fixtures/conformance/magento/rest-2.4) through the real
 * path: a simulated Magento serves it verbatim in its credit memo search, the refund sweep polls it with the channel's
 * entity_id cursor, the refund processor posts it into the local NetSuite account as the record the order's billing
 * calls for. The order the credit memo belongs to (order_id 1, not published) is seeded in NetSuite with the credit
 * memo's own SKU and price. Expected money is computed here from the fixture (its grand_total, in minor units).
 */
import { refundExternalId } from '../../../core/refunds';
import { IMPORTED_REFUND_TOPIC } from '../../../middleware/flows/refunds/sources';
import { startMagentoSimulator, type MagentoSimulator } from '../../../middleware/simulators/magento';
import { loadConformance, minorUnits, readConformanceText } from '../../fixtures/conformance/load';
import { addChannel, startStack, syncRecordsByTopic, waitForState, type Stack } from '../flows/stack';
import { channelSyncRecords, lineSum, loadByExternalId, netsuiteMinor, seedNetSuiteOrder, type Billing } from './harness';

interface PublishedMemo {
  entity_id: number;
  order_id: number;
  grand_total: number;
  shipping_incl_tax: number;
  items: Array<{ sku: string; qty: number; price: number; row_total: number; tax_amount: number }>;
}

const MEMO_TEXT = readConformanceText('magento', 'rest-2.4', 'creditmemo-get.200.json');
const MEMO = loadConformance('magento', 'rest-2.4', 'creditmemo-get.200.json') as unknown as PublishedMemo;
const REFUNDED = minorUnits(String(MEMO.grand_total));
const price = (n: number) => (minorUnits(String(n)) / 100).toFixed(2);

let stack: Stack;
let magento: MagentoSimulator;
const channels: Partial<Record<Billing, string>> = {};
const orders: Partial<Record<Billing, { salesOrderId: string; billingId: string | null }>> = {};
const CASES = [
  ['cashsale', 'cashrefund'],
  ['invoice', 'creditmemo'],
] as const;

beforeAll(async () => {
  stack = await startStack();
  magento = await startMagentoSimulator({ seedSampleOrders: false, publishedCreditMemos: [MEMO_TEXT] });
  for (const [billing] of CASES) {
    // One store (channel) per billing kind, both polling the same Magento: the published credit memo is found by each.
    const channelId = await addChannel(stack, 'magento', { baseUrl: `https://magento-${billing}.example.test`, refundDirection: 'platform_to_netsuite' }, { accessToken: magento.accessToken }, magento.restUrl);
    channels[billing] = channelId;
    orders[billing] = seedNetSuiteOrder(
      stack,
      { platform: 'magento', account: channelId, orderId: String(MEMO.order_id), lines: MEMO.items.map((i) => ({ sku: i.sku, quantity: i.qty, price: price(i.price) })) },
      billing,
    );
  }
}, 60_000);
afterAll(async () => {
  await stack?.close();
  await magento?.close();
});

const searches = () => magento.state.requests.filter((r) => r.path.endsWith('/V1/creditmemos'));

test('the sweep finds the published credit memo on each store and queues it once per store', async () => {
  const before = searches().length;
  const sweep = await stack.mw.refunds.sweep();
  expect(sweep.magento).toEqual({ found: CASES.length, queued: CASES.length });
  expect(sweep.unreadableItems.magento).toBe(0);
  expect(searches().slice(before).every((r) => r.status === 200)).toBe(true);
}, 30_000);

describe.each(CASES)("Adobe's published credit memo, order billed by %s", (billing, kind) => {
  it(`is posted once as a ${kind} for the credit memo's grand total, its item at the published amount`, async () => {
    const channelId = channels[billing] ?? '';
    const [row] = await syncRecordsByTopic(stack, channelId, IMPORTED_REFUND_TOPIC);
    const settled = await waitForState(stack, row?.id ?? '', ['posted', 'failed', 'parked']);
    expect(`${settled.state} ${settled.state_code ?? ''}: ${settled.state_message ?? ''}`).toMatch(/^posted /);
    const records = loadByExternalId(stack, kind, refundExternalId({ platform: 'magento', account: channelId, refundId: String(MEMO.entity_id) }, kind));
    expect(records).toHaveLength(1);
    const record = records[0] as (typeof records)[number];
    expect(netsuiteMinor(record.fields.total)).toBe(REFUNDED);
    expect(record.fields.createdfrom).toBe(orders[billing]?.billingId);
    expect(record.fields.custbody_lb_platform_ref).toBe(`magento:${String(MEMO.entity_id)}`);
    for (const item of MEMO.items) {
      expect(lineSum(record, (l) => l.item === stack.seeded.items[item.sku])).toBe(minorUnits(String(item.row_total)) + minorUnits(String(item.tax_amount)));
    }
    // The rest of the money refunded is the shipping the credit memo refunds.
    const items = MEMO.items.reduce((a, i) => a + minorUnits(String(i.row_total)) + minorUnits(String(i.tax_amount)), 0);
    expect(REFUNDED - items).toBe(minorUnits(String(MEMO.shipping_incl_tax)));
    expect(lineSum(record, () => true)).toBe(REFUNDED);
  }, 30_000);
});

test('the next sweep reads past the published credit memo (the cursor moved) and NetSuite keeps one record per store', async () => {
  expect((await stack.mw.refunds.sweep()).magento).toEqual({ found: 0, queued: 0 });
  for (const [billing, kind] of CASES) {
    const channelId = channels[billing] ?? '';
    expect((await channelSyncRecords(stack, channelId)).map((r) => r.state)).toEqual(['posted']);
    expect(loadByExternalId(stack, kind, refundExternalId({ platform: 'magento', account: channelId, refundId: String(MEMO.entity_id) }, kind))).toHaveLength(1);
  }
}, 30_000);
