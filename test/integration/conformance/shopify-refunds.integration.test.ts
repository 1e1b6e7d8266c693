/**
 * Shopify's published refunds/create sample through the real path: signed with the channel's secret and POSTed over
 * HTTP to the intake, processed by the refund flow (which reads the order, Shopify's published order sample, from
 * a simulated Shopify that serves it verbatim), and posted into the local NetSuite account as the record the order's
 * billing calls for. The expected money is computed here from the fixture (successful transactions, minor units).
 */
import { refundExternalId } from '../../../core/refunds';
import { startShopifySimulator, type ShopifySimulator } from '../../../middleware/simulators/shopify';
import { loadConformance, minorUnits, readConformanceText } from '../../fixtures/conformance/load';
import { shopifyWebhookSample } from '../../fixtures/conformance/shopify-webhooks';
import { startStack, waitForState, type Stack } from '../flows/stack';
import { addShopifyChannel, channelSyncRecords, deliverShopifyWebhook, lineSum, loadByExternalId, netsuiteMinor, seedNetSuiteOrder, type Billing } from './harness';

interface SampleRefund {
  id: string;
  order_id: string;
  note: string | null;
  transactions: Array<{ kind: string; status: string; amount: string }>;
  refund_line_items: Array<{ quantity: number; subtotal_set: { shop_money: { amount: string } }; total_tax_set: { shop_money: { amount: string } }; line_item: { sku: string; price: string } }>;
}
interface SampleOrder {
  id: string;
  currency: string;
  line_items: Array<{ sku: string; quantity: number; price: string }>;
}

const BODY = shopifyWebhookSample('refunds/create');
const REFUND = loadConformance('shopify', 'webhooks-2026-04', 'refunds-create.json') as unknown as SampleRefund;
const ORDER_TEXT = readConformanceText('shopify', 'webhooks-2026-04', 'orders-create.json');
const ORDER = loadConformance('shopify', 'webhooks-2026-04', 'orders-create.json') as unknown as SampleOrder;

/** The refund id exactly as the published text writes it (read from the text, not through a number). */
const REFUND_ID_TEXT = /^\s*\{\s*"id"\s*:\s*(\d+)/.exec(BODY)?.[1] ?? '';
/** Money refunded: the successful refund transactions, in minor units. */
const REFUNDED = REFUND.transactions.filter((t) => t.kind === 'refund' && t.status === 'success').reduce((a, t) => a + minorUnits(t.amount), 0);
/** What the refunded lines are worth (subtotal + tax as Shopify states them), in minor units. */
const LINES = REFUND.refund_line_items.reduce((a, l) => a + minorUnits(l.subtotal_set.shop_money.amount) + minorUnits(l.total_tax_set.shop_money.amount), 0);

let stack: Stack;
let shopify: ShopifySimulator;
const channels: Record<Billing, { channelId: string; shopDomain: string; webhookSecret: string }> = {} as never;
const orders: Record<Billing, { salesOrderId: string; billingId: string | null }> = {} as never;
const BILLINGS: Billing[] = ['cashsale', 'invoice', 'invoice_paid'];

beforeAll(async () => {
  stack = await startStack();
  shopify = await startShopifySimulator({ seedSampleOrders: false, publishedOrders: [ORDER_TEXT] });
  for (const billing of BILLINGS) {
    // One channel (shop) per billing kind: the same published order, linked in NetSuite per shop.
    const shopDomain = `conformance-${billing.replace('_', '-')}.myshopify.com`;
    channels[billing] = await addShopifyChannel(stack, shopify, shopDomain);
    orders[billing] = seedNetSuiteOrder(
      stack,
      { platform: 'shopify', account: shopDomain, orderId: ORDER.id, currency: ORDER.currency, lines: ORDER.line_items.map((l) => ({ sku: l.sku, quantity: l.quantity, price: l.price })) },
      billing,
    );
  }
}, 60_000);
afterAll(async () => {
  await stack?.close();
  await shopify?.close();
});

const ext = (billing: Billing, kind: 'cashrefund' | 'creditmemo' | 'customerrefund') =>
  refundExternalId({ platform: 'shopify', account: channels[billing].shopDomain, refundId: REFUND_ID_TEXT }, kind);

async function deliverAndSettle(billing: Billing, eventId: string) {
  const res = await deliverShopifyWebhook(stack, channels[billing], 'refunds/create', BODY, eventId);
  expect(res.status).toBe(202);
  const settled = await waitForState(stack, res.json.syncRecordId ?? '', ['posted', 'failed', 'parked', 'cancelled']);
  return { res, settled };
}

test('the fixture is what this suite says it is: ids past 2^53, money refunded differs from the lines', () => {
  expect(BigInt(REFUND_ID_TEXT) > BigInt(Number.MAX_SAFE_INTEGER)).toBe(true);
  expect(REFUND.id).toBe(REFUND_ID_TEXT); // the loader keeps it as its exact digits
  expect(REFUND.order_id).toBe(ORDER.id);
  expect(REFUNDED).toBeGreaterThan(0);
  expect(REFUNDED).not.toBe(LINES);
});

describe.each([
  ['cashsale' as const, 'cashrefund' as const],
  ['invoice' as const, 'creditmemo' as const],
  ['invoice_paid' as const, 'creditmemo' as const],
])("Shopify's published refunds/create sample, order billed by %s", (billing, kind) => {
  it(`is posted once as a ${kind} whose total is the money refunded, the difference on the adjustment line with its reason`, async () => {
    const { settled } = await deliverAndSettle(billing, `sample-${billing}-1`);
    expect(settled).toMatchObject({ state: 'posted' });

    const records = loadByExternalId(stack, kind, ext(billing, kind));
    expect(records).toHaveLength(1);
    const record = records[0] as (typeof records)[number];
    expect(netsuiteMinor(record.fields.total)).toBe(REFUNDED);
    expect(record.fields.externalid).toContain(REFUND_ID_TEXT);
    expect(record.fields.custbody_lb_platform_ref).toBe(`shopify:${REFUND_ID_TEXT}`);
    expect(record.fields.createdfrom).toBe(orders[billing].billingId);

    // Every refunded line is there at its published amount; the rest of the total is the adjustment.
    const adjustmentItem = stack.seeded.items['REFUND-ADJUSTMENT'];
    for (const line of REFUND.refund_line_items) {
      const item = stack.seeded.items[line.line_item.sku];
      expect(lineSum(record, (l) => l.item === item)).toBe(minorUnits(line.subtotal_set.shop_money.amount) + minorUnits(line.total_tax_set.shop_money.amount));
    }
    const adjustment = (record.sublists.item ?? []).filter((l) => l.item === adjustmentItem);
    expect(adjustment).toHaveLength(1);
    expect(netsuiteMinor(adjustment[0]?.amount)).toBe(REFUNDED - LINES);
    const diff = ((LINES - REFUNDED) / 100).toFixed(2);
    expect(String(adjustment[0]?.description)).toContain(`less money refunded than the lines by ${diff}`);
    expect(lineSum(record, () => true)).toBe(REFUNDED);

    if (billing === 'invoice_paid') {
      const payouts = loadByExternalId(stack, 'customerrefund', ext(billing, 'customerrefund'));
      expect(payouts).toHaveLength(1);
      expect(netsuiteMinor(payouts[0]?.fields.total)).toBe(REFUNDED);
      expect(payouts[0]?.sublists.apply?.find((l) => l.apply === true)?.doc).toBe(record.id);
    } else {
      expect(loadByExternalId(stack, 'customerrefund', ext(billing, 'customerrefund'))).toHaveLength(0);
    }
  }, 30_000);

  it('the same delivery again, with the same and with a new event id, leaves one NetSuite record', async () => {
    const same = await deliverShopifyWebhook(stack, channels[billing], 'refunds/create', BODY, `sample-${billing}-1`);
    expect(same.status).toBeLessThan(300);
    expect(same.json.duplicate).toBe(true);

    const { settled } = await deliverAndSettle(billing, `sample-${billing}-2`);
    expect(settled.state).toBe('posted');
    expect(loadByExternalId(stack, kind, ext(billing, kind))).toHaveLength(1);
    expect(loadByExternalId(stack, 'cashrefund', ext(billing, 'cashrefund')).length + loadByExternalId(stack, 'creditmemo', ext(billing, 'creditmemo')).length).toBe(1);
    const records = await channelSyncRecords(stack, channels[billing].channelId);
    expect(records.map((r) => r.state)).toEqual(['posted', 'posted']);
  }, 30_000);
});

test("a refund id that no double holds (the sample's own GraphQL id) stays exact through intake, processor and NetSuite", async () => {
  // The published sample's numeric ids were rounded when it was published; its admin_graphql_api_id keeps the
  // refund's real id. The same sample carrying that id must reach NetSuite digit for digit.
  const exact = /"admin_graphql_api_id"\s*:\s*"gid:\/\/shopify\/Refund\/(\d+)"/.exec(BODY)?.[1] ?? '';
  expect(String(Number(exact))).not.toBe(exact); // JSON.parse would round it
  const body = BODY.replace(/^(\s*\{\s*"id"\s*:\s*)\d+/, `$1${exact}`);
  expect(body).not.toBe(BODY);
  // A shop of its own: the sample refunds every line of the order, which NetSuite lets be refunded once.
  const shop = await addShopifyChannel(stack, shopify, 'conformance-exact-id.myshopify.com');
  seedNetSuiteOrder(stack, { platform: 'shopify', account: shop.shopDomain, orderId: ORDER.id, currency: ORDER.currency, lines: ORDER.line_items }, 'cashsale');
  const res = await deliverShopifyWebhook(stack, shop, 'refunds/create', body, 'sample-exact-id');
  expect(res.status).toBe(202);
  const settled = await waitForState(stack, res.json.syncRecordId ?? '', ['posted', 'failed', 'parked']);
  expect(`${settled.state} ${settled.state_code ?? ''}: ${settled.state_message ?? ''}`).toMatch(/^posted /);
  const externalId = refundExternalId({ platform: 'shopify', account: shop.shopDomain, refundId: exact }, 'cashrefund');
  const records = loadByExternalId(stack, 'cashrefund', externalId);
  expect(records).toHaveLength(1);
  expect(records[0]?.fields.custbody_lb_platform_ref).toBe(`shopify:${exact}`);
  expect(String(records[0]?.fields.externalid)).toContain(exact);
  expect(netsuiteMinor(records[0]?.fields.total)).toBe(REFUNDED);
}, 30_000);
