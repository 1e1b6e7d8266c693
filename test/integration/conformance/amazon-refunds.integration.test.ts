/**
 * Amazon's published Finances v0 listFinancialEvents response (the model's sandbox answer) served verbatim by the
 * simulated Amazon as the first page of every poll, through the real refund sweep into the local NetSuite account.
 * Amazon's published page carries no RefundEventList (its event lists are others the flow does not book), so what
 * it proves is that the sweep reads Amazon's envelope as published, books nothing from it, follows its NextToken,
 * and still brings the refund events on the following page into NetSuite once, for the money refunded.
 */
import { refundExternalId } from '../../../core/refunds';
import { IMPORTED_REFUND_TOPIC } from '../../../middleware/flows/refunds/sources';
import { startAmazonSimulator, type AmazonSimulator } from '../../../middleware/simulators/amazon';
import { loadConformance, minorUnits, readConformanceText } from '../../fixtures/conformance/load';
import { addChannel, startStack, syncRecordsByTopic, waitForState, type Stack } from '../flows/stack';
import { channelSyncRecords, loadByExternalId, netsuiteMinor, seedNetSuiteOrder } from './harness';

const PAGE_FILE = 'listFinancialEvents.200.json';
const PAGE_TEXT = readConformanceText('amazon', 'finances-v0', PAGE_FILE);
const PAGE = loadConformance('amazon', 'finances-v0', PAGE_FILE) as { payload: { NextToken?: string; FinancialEvents: Record<string, unknown[]> } };
const SELLER = 'A1CONFORMANCE';

let stack: Stack;
let amazon: AmazonSimulator;
let channelId: string;

beforeAll(async () => {
  stack = await startStack();
  amazon = await startAmazonSimulator({ seedSampleOrders: false, publishedPages: [PAGE_TEXT] });
  channelId = await addChannel(
    stack,
    'amazon',
    { marketplaceId: 'ATVPDKIKX0DER', sellerId: SELLER, refundDirection: 'platform_to_netsuite' },
    { lwaClientId: amazon.lwaClientId, lwaClientSecret: amazon.lwaClientSecret, refreshToken: amazon.refreshToken },
    amazon.url,
  );
}, 60_000);
afterAll(async () => {
  await stack?.close();
  await amazon?.close();
});

const financeCalls = () => amazon.state.requests.filter((r) => r.path === '/finances/v0/financialEvents');

test("the published page is Amazon's envelope with event lists and a NextToken, and no refund events", () => {
  expect(typeof PAGE.payload.NextToken).toBe('string');
  expect(Object.keys(PAGE.payload.FinancialEvents).length).toBeGreaterThan(0);
  expect(PAGE.payload.FinancialEvents.RefundEventList ?? []).toHaveLength(0);
});

test('a sweep over the published page alone books nothing and fails nothing', async () => {
  const before = financeCalls().length;
  const sweep = await stack.mw.refunds.sweep();
  expect(sweep.amazon).toEqual({ found: (PAGE.payload.FinancialEvents.RefundEventList ?? []).length, queued: 0 });
  expect(sweep.unreadableItems.amazon).toBe(0);
  expect(JSON.stringify(sweep.errors ?? [])).not.toContain('Amazon');
  // The published page, then its NextToken followed to the simulator's own (empty) page.
  expect(financeCalls().slice(before).map((r) => r.status)).toEqual([200, 200]);
  expect(await channelSyncRecords(stack, channelId)).toEqual([]);
}, 30_000);

test('refund events after the published page are posted once, for the money refunded', async () => {
  const order = amazon.createOrder({ items: [{ sku: 'LB-STOVE', quantity: 2, price: '49.50', tax: '4.00' }] });
  seedNetSuiteOrder(stack, { platform: 'amazon', account: SELLER, orderId: order.amazonOrderId, lines: [{ sku: 'LB-STOVE', quantity: 2, price: '49.50' }] }, 'cashsale');
  const event = amazon.issueRefund(order.amazonOrderId, { items: [{ sku: 'LB-STOVE', quantity: 1 }], restockingFee: '3.00' });
  // Money refunded to the buyer: the event's charge adjustments (negative in the seller's view), in minor units.
  type Amount = { CurrencyAmount: { text: string } | number };
  const adjustments = event.ShipmentItemAdjustmentList as Array<{ ItemChargeAdjustmentList: Array<{ ChargeAmount: Amount }> }>;
  const text = (a: Amount) => (typeof a.CurrencyAmount === 'number' ? String(a.CurrencyAmount) : a.CurrencyAmount.text);
  const refunded = -adjustments.flatMap((a) => a.ItemChargeAdjustmentList).reduce((sum, c) => sum + minorUnits(text(c.ChargeAmount)), 0);
  expect(refunded).toBe(minorUnits('49.50') + minorUnits('4.00') - minorUnits('3.00'));

  const sweep = await stack.mw.refunds.sweep();
  expect(sweep.amazon).toEqual({ found: 1, queued: 1 });
  const [row] = await syncRecordsByTopic(stack, channelId, IMPORTED_REFUND_TOPIC);
  expect((await waitForState(stack, row?.id ?? '', ['posted', 'failed', 'parked'])).state).toBe('posted');
  const refundId = (JSON.parse(row?.body ?? '{}') as { refund: { refundId: string } }).refund.refundId;
  const records = loadByExternalId(stack, 'cashrefund', refundExternalId({ platform: 'amazon', account: SELLER, refundId }, 'cashrefund'));
  expect(records).toHaveLength(1);
  expect(netsuiteMinor(records[0]?.fields.total)).toBe(refunded);

  // The next sweep reads the published page again and finds the refund already known.
  expect((await stack.mw.refunds.sweep()).amazon).toEqual({ found: 1, queued: 0 });
  expect(loadByExternalId(stack, 'cashrefund', refundExternalId({ platform: 'amazon', account: SELLER, refundId }, 'cashrefund'))).toHaveLength(1);
}, 30_000);
