/**
 * Shopify's own published samples (test/fixtures/conformance/shopify) through the connector: webhook samples of
 * every topic the flows consume, and the Admin REST order and refund responses. Expected values come from the
 * fixtures' own numbers.
 */
import { calculatedRefund, mapOrder, mapRefund, orderEnvelope, parseWebhook, refundEnvelope, refundsEnvelope, shopifyOrder, shopifyRefund } from '../../../../../middleware/connectors/shopify';
import { parsePayload } from '../../../../../middleware/connectors/shared/parse';
import type { CanonicalOrder } from '../../../../../core/orders';
import { loadConformance, minorUnits, readConformanceText } from '../../../../fixtures/conformance/load';

type Obj = Record<string, unknown>;
const account = 'conformance.myshopify.com';
const WEBHOOKS = 'webhooks-2026-04';
const REST = 'rest-2026-07';

const headers = (topic: string) => ({
  'x-shopify-topic': topic,
  'x-shopify-shop-domain': account,
  'x-shopify-webhook-id': `wh-${topic}`,
  'x-shopify-event-id': `ev-${topic}`,
  'x-shopify-api-version': '2026-04',
  'x-shopify-hmac-sha256': 'not-checked-here',
});

const arr = (v: unknown): Obj[] => (Array.isArray(v) ? (v as Obj[]) : []);
const sumOf = (values: number[]) => values.reduce((a, v) => a + v, 0);

/** The identity every mapped order must satisfy, checked against the platform's own total. */
function expectTotalsAddUp(order: CanonicalOrder, fixture: Obj) {
  const t = order.totals;
  if (!t) throw new Error('no totals');
  expect(t.total).toBe(minorUnits(fixture.total_price));
  expect(t.discounts).toBe(minorUnits(fixture.total_discounts));
  expect(t.tax).toBe(minorUnits(fixture.total_tax));
  expect(t.lineItems).toBe(minorUnits(fixture.total_line_items_price));
  expect(t.currentTotal).toBe(minorUnits(fixture.current_total_price));
  const taxAdded = order.taxesIncluded ? 0 : t.tax;
  expect(t.lineItems - t.lineDiscounts - t.orderDiscount + t.shipping + taxAdded + t.duties + t.tip).toBe(t.total);
  expect(t.lineDiscounts + t.shippingDiscounts + t.orderDiscount).toBe(t.discounts);
  // The canonical lines and shipping (gross, after line discounts) plus the order-level discount give the total too.
  expect(sumOf(order.lines.map((l) => l.amount)) + order.shipping.amount - t.orderDiscount + t.duties + t.tip).toBe(t.total);
}

function expectOrderMatchesFixture(order: CanonicalOrder, fixture: Obj) {
  expect(order.orderId).toBe(String(fixture.id));
  expect(order.currency).toBe(fixture.currency);
  expect(order.presentmentCurrency).toBe(fixture.presentment_currency);
  expect(order.taxesIncluded).toBe(fixture.taxes_included);
  expect(order.financialStatus).toBe(fixture.financial_status);
  expect(order.cancelledAt).toBe(fixture.cancelled_at);
  expect(order.cancelReason).toBe(fixture.cancel_reason);
  const items = arr(fixture.line_items);
  expect(order.lines.map((l) => [l.lineId, l.sku, l.quantity, l.unitPrice, l.discount])).toEqual(
    items.map((li) => [String(li.id), li.sku, li.quantity, minorUnits(li.price), sumOf(arr(li.discount_allocations).map((d) => minorUnits(d.amount)))]),
  );
  expect(order.lines.map((l) => l.tax)).toEqual(items.map((li) => sumOf(arr(li.tax_lines).map((t) => minorUnits(t.price)))));
  expect(order.shippingLines?.map((s) => [s.lineId, s.price, s.discountedPrice])).toEqual(
    arr(fixture.shipping_lines).map((s) => [String(s.id), minorUnits(s.price), minorUnits(s.discounted_price)]),
  );
  expect(order.discountApplications?.length).toBe(arr(fixture.discount_applications).length);
  expectTotalsAddUp(order, fixture);
}

describe('Shopify webhook samples (docs, 2026-04) through parseWebhook and the mapper', () => {
  it.each(['orders/create', 'orders/paid', 'orders/updated'])('%s parses, keeps its 64-bit ids exact and reproduces total_price', (topic) => {
    const file = `${topic.replace('/', '-')}.json`;
    const fixture = loadConformance('shopify', WEBHOOKS, file) as Obj;
    const parsed = parseWebhook(readConformanceText('shopify', WEBHOOKS, file), headers(topic));
    if (!parsed.ok) throw new Error(parsed.error.message);
    if (parsed.value.topic === 'refunds/create' || parsed.value.topic === 'other') throw new Error(`read as ${parsed.value.topic}`);
    expect(parsed.value.topic).toBe(topic);
    // The sample's order id is beyond 2^53: it must arrive as the exact digits written in the sample.
    expect(typeof fixture.id).toBe('string');
    expect(parsed.value.order.id).toBe(fixture.id);
    const mapped = mapOrder(parsed.value.order, account);
    if (!mapped.ok) throw new Error(mapped.error.message);
    expectOrderMatchesFixture(mapped.value, fixture);
    // The sample is a cancelled order and carries a discount no line holds: both must be visible to the import.
    expect(mapped.value.cancelledAt).not.toBeNull();
    expect(mapped.value.totals?.orderDiscount).toBeGreaterThan(0);
    expect(mapped.value.customer.platformCustomerId).toBe(String((fixture.customer as Obj).id));
  });

  it('refunds/create parses although its transactions have currency: null, and the money is the sum of its successful transactions', () => {
    const fixture = loadConformance('shopify', WEBHOOKS, 'refunds-create.json') as Obj;
    const txs = arr(fixture.transactions);
    expect(txs.every((t) => t.currency === null)).toBe(true);
    const parsed = parseWebhook(readConformanceText('shopify', WEBHOOKS, 'refunds-create.json'), headers('refunds/create'));
    if (!parsed.ok) throw new Error(parsed.error.message);
    if (parsed.value.topic !== 'refunds/create') throw new Error(`read as ${parsed.value.topic}`);
    const mapped = mapRefund(parsed.value.refund, { account });
    if (!mapped.ok) throw new Error(mapped.error.message);
    const refund = mapped.value;
    expect(refund.refundId).toBe(String(fixture.id));
    expect(refund.orderId).toBe(String(fixture.order_id));
    const lines = arr(fixture.refund_line_items);
    // The currency comes from the refund's own amount sets.
    expect(refund.currency).toBe(((lines[0]?.subtotal_set as Obj).presentment_money as Obj).currency_code);
    const success = txs.filter((t) => t.kind === 'refund' && t.status === 'success');
    expect(sumOf(refund.transactions.filter((t) => t.status === 'success').map((t) => t.amount))).toBe(sumOf(success.map((t) => minorUnits(t.amount))));
    expect(refund.transactions.map((t) => t.id)).toEqual(success.map((t) => String(t.id)));
    expect(refund.lines.map((l) => [l.lineId, l.sku, l.quantity, l.amount])).toEqual(
      lines.map((l) => [String(l.line_item_id), (l.line_item as Obj).sku, l.quantity, minorUnits(l.subtotal) + minorUnits(l.total_tax)]),
    );
  });

  it('a refund with no currency anywhere takes the order currency, else the shop currency, else names the field', () => {
    const raw = readConformanceText('shopify', WEBHOOKS, 'refunds-create.json');
    const parsed = parsePayload(shopifyRefund, raw, 'sample', { root: 'refund' });
    if (!parsed.ok) throw new Error(parsed.error.message);
    const bare = {
      ...parsed.value,
      refund_line_items: parsed.value.refund_line_items.map((l) => ({ ...l, subtotal_set: undefined, total_tax_set: undefined })),
      refund_shipping_lines: [],
    };
    const fromOrder = mapRefund(bare, { account, currency: 'CAD', shopCurrency: 'USD' });
    expect(fromOrder.ok && fromOrder.value.currency).toBe('CAD');
    const fromShop = mapRefund(bare, { account, shopCurrency: 'EUR' });
    expect(fromShop.ok && fromShop.value.currency).toBe('EUR');
    const none = mapRefund(bare, { account });
    expect(!none.ok && none.error.code).toBe('invalid_payload');
    expect(!none.ok && none.error.message).toContain('refund.transactions[].currency is null');
  });

  it('a transaction without an amount is refused naming the field', () => {
    const fixture = JSON.parse(readConformanceText('shopify', WEBHOOKS, 'refunds-create.json')) as Obj;
    delete (arr(fixture.transactions)[0] as Obj).amount;
    const parsed = parsePayload(shopifyRefund, JSON.stringify(fixture), 'Shopify refunds/create webhook', { root: 'refund' });
    expect(!parsed.ok && parsed.error.code).toBe('invalid_payload');
    expect(!parsed.ok && parsed.error.message).toContain('refund.transactions[0].amount is missing');
  });
});

describe('Shopify Admin REST samples (shopify-app-js 2026-07 tests) through the schemas and the mapper', () => {
  it('GET orders/{id}.json: the order reproduces total_price from lines, discount allocations, shipping and tax', () => {
    const fixture = (loadConformance('shopify', REST, 'get-order.response.json') as Obj).order as Obj;
    const parsed = parsePayload(orderEnvelope, readConformanceText('shopify', REST, 'get-order.response.json'), 'sample');
    if (!parsed.ok) throw new Error(parsed.error.message);
    const mapped = mapOrder(parsed.value.order, account);
    if (!mapped.ok) throw new Error(mapped.error.message);
    expectOrderMatchesFixture(mapped.value, fixture);
    expect(mapped.value.totals?.orderDiscount).toBe(0);
    expect(mapped.value.lines[0]?.taxLines).toEqual([{ title: 'State Tax', rate: '0.06', amount: minorUnits('3.98') }]);
    expect(mapped.value.discountApplications?.[0]).toMatchObject({ type: 'discount_code', label: 'TENOFF', valueType: 'fixed_amount' });
    // The first fulfillment's location is the order's location when the order names none.
    const fulfillment = arr(fixture.fulfillments)[0] as Obj;
    expect(mapped.value.locationId).toBe(String(fulfillment.location_id));
  });

  it.each(['create-refund.line-item.response.json', 'create-refund.shipping.response.json', 'get-refund.response.json'])('%s: the refund money is the sum of its successful transactions', (file) => {
    const fixture = (loadConformance('shopify', REST, file) as Obj).refund as Obj;
    const parsed = parsePayload(refundEnvelope, readConformanceText('shopify', REST, file), 'sample');
    if (!parsed.ok) throw new Error(parsed.error.message);
    const mapped = mapRefund(parsed.value.refund, { account });
    if (!mapped.ok) throw new Error(mapped.error.message);
    expect(mapped.value.refundId).toBe(String(fixture.id));
    const success = arr(fixture.transactions).filter((t) => t.kind === 'refund' && t.status === 'success');
    expect(sumOf(mapped.value.transactions.map((t) => t.amount))).toBe(sumOf(success.map((t) => minorUnits(t.amount))));
    expect(mapped.value.lines.map((l) => l.lineId)).toEqual(arr(fixture.refund_line_items).map((l) => String(l.line_item_id)));
  });

  it('GET orders/{id}/refunds.json and refunds/calculate.json parse', () => {
    const list = parsePayload(refundsEnvelope, readConformanceText('shopify', REST, 'list-refunds.response.json'), 'sample');
    if (!list.ok) throw new Error(list.error.message);
    expect(list.value.refunds.map((r) => r.id)).toEqual(arr((loadConformance('shopify', REST, 'list-refunds.response.json') as Obj).refunds).map((r) => String(r.id)));
    const calc = parsePayload(calculatedRefund, readConformanceText('shopify', REST, 'calculate-refund.response.json'), 'sample');
    if (!calc.ok) throw new Error(calc.error.message);
    const fixture = (loadConformance('shopify', REST, 'calculate-refund.response.json') as Obj).refund as Obj;
    expect(calc.value.refund.transactions.map((t) => t.parent_id)).toEqual(arr(fixture.transactions).map((t) => String(t.parent_id)));
  });

  it('the webhook order schema and the REST order schema are the same reader', () => {
    const rest = (loadConformance('shopify', REST, 'get-order.response.json') as Obj).order;
    expect(shopifyOrder.safeParse(rest).success).toBe(true);
  });
});
