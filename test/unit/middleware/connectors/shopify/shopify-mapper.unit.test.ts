import { buildRefundPosting } from '../../../../../core/refunds';
import { mapOrder, mapRefund, parseWebhook, refundEnvelope, shopifyOrder } from '../../../../../middleware/connectors/shopify';
import { parsePayload } from '../../../../../middleware/connectors/shared/parse';
import { readSample } from '../samples';

const SETTINGS = { adjustmentItem: 'LB-REFUND-ADJ', shippingItem: 'LB-SHIPPING' };
const account = 'shop1.myshopify.io';

function sampleRefund(name: string) {
  const parsed = parsePayload(refundEnvelope, readSample('shopify', `rest-2025-07-refund-create.${name}.response.json`), 'sample');
  if (!parsed.ok) throw new Error(parsed.error.message);
  return parsed.value.refund;
}

describe('Shopify real samples -> canonical refunds', () => {
  it('maps the line-item refund: SKU, quantity, restock, the 41.94 actually refunded', () => {
    const mapped = mapRefund(sampleRefund('line-item-refund'), { account });
    expect(mapped.ok).toBe(true);
    if (!mapped.ok) return;
    expect(mapped.value).toEqual({
      platform: 'shopify',
      account,
      refundId: '929361472',
      orderId: '450789469',
      currency: 'USD',
      lines: [{ sku: 'IPOD2008RED', lineId: '518995019', quantity: 1, amount: 0, tax: 0, restock: false }],
      shipping: { amount: 0, tax: 0 },
      adjustments: [],
      transactions: [{ id: '1068278526', amount: 4194, status: 'success', gateway: 'bogus' }],
      note: 'wrong size',
      createdAt: '2025-04-02T11:38:34-05:00',
    });
    // The line says 0.00 but 41.94 went back to the customer: NetSuite gets 41.94 with an explained adjustment.
    const posting = buildRefundPosting(mapped.value, SETTINGS);
    expect(posting.ok && posting.value.total).toBe(4194);
    expect(posting.ok && posting.value.difference).toBe(4194);
  });

  it('maps the shipping-only refund once, although Shopify states it as a shipping line and an adjustment', () => {
    const mapped = mapRefund(sampleRefund('shipping-refund'), { account });
    expect(mapped.ok && mapped.value.shipping).toEqual({ amount: 500, tax: 0 });
    expect(mapped.ok && mapped.value.lines).toEqual([]);
    const posting = mapped.ok ? buildRefundPosting(mapped.value, SETTINGS) : undefined;
    expect(posting?.ok && posting.value.lines.map((l) => [l.kind, l.amount])).toEqual([['shipping', 500]]);
    expect(posting?.ok && posting.value.difference).toBe(0);
  });

  it('falls back to shipping_refund adjustments when there are no refund shipping lines', () => {
    const refund = sampleRefund('shipping-refund');
    const mapped = mapRefund({ ...refund, refund_shipping_lines: undefined }, { account });
    expect(mapped.ok && mapped.value.shipping).toEqual({ amount: 500, tax: 0 });
  });

  it('adds tax to tax-exclusive lines and not to tax-inclusive ones', () => {
    const base = sampleRefund('line-item-refund');
    const line = base.refund_line_items[0];
    if (!line) throw new Error('sample changed');
    const withTax = { ...base, refund_line_items: [{ ...line, subtotal: '199.00', total_tax: '3.98', subtotal_set: undefined, total_tax_set: undefined, restock_type: 'return' }] };
    const exclusive = mapRefund(withTax, { account });
    expect(exclusive.ok && exclusive.value.lines[0]).toMatchObject({ amount: 20298, tax: 398, restock: true });
    const inclusive = mapRefund(withTax, { account, taxesIncluded: true });
    expect(inclusive.ok && inclusive.value.lines[0]).toMatchObject({ amount: 19900, tax: 398 });
  });

  it('keeps a refund id above 2^53 exact through parse and map', () => {
    const text = readSample('shopify', 'rest-2025-07-refund-create.line-item-refund.response.json').replace('"id": 929361472', '"id": 9007199254740993');
    const parsed = parsePayload(refundEnvelope, text, 'sample');
    expect(parsed.ok && parsed.value.refund.id).toBe('9007199254740993');
    const mapped = parsed.ok ? mapRefund(parsed.value.refund, { account }) : undefined;
    expect(mapped?.ok && mapped.value.refundId).toBe('9007199254740993');
  });

  it('refuses amounts with more decimals than the currency has', () => {
    const refund = sampleRefund('shipping-refund');
    const bad = { ...refund, transactions: refund.transactions.map((t) => ({ ...t, amount: '5.001' })) };
    const mapped = mapRefund(bad, { account });
    expect(!mapped.ok && mapped.error.code).toBe('invalid_payload');
  });
});

describe('Shopify webhook parsing', () => {
  const body = readSample('shopify', 'rest-2025-07-refund-create.line-item-refund.response.json');
  const refundBody = JSON.stringify(JSON.parse(body).refund).replace('929361472', '9007199254740993');
  const headers = {
    'X-Shopify-Topic': 'refunds/create',
    'X-Shopify-Shop-Domain': account,
    'X-Shopify-Webhook-Id': 'b54557e4-bdd9-4b37-8a5f-bf7d70bcd043',
    'X-Shopify-Event-Id': '98880550-7158-44d4-b7cd-2c97c8a091b5',
    'X-Shopify-Triggered-At': '2025-04-02T16:38:35Z',
    'X-Shopify-API-Version': '2025-07',
    'X-Shopify-Hmac-Sha256': 'not-checked-here',
  };

  it('reads a refunds/create delivery with its de-duplication key and a big id', () => {
    const r = parseWebhook(Buffer.from(refundBody), headers);
    expect(r.ok).toBe(true);
    if (!r.ok || r.value.topic !== 'refunds/create') throw new Error('expected refunds/create');
    expect(r.value.delivery).toEqual({
      topic: 'refunds/create',
      shopDomain: account,
      webhookId: 'b54557e4-bdd9-4b37-8a5f-bf7d70bcd043',
      eventId: '98880550-7158-44d4-b7cd-2c97c8a091b5',
      triggeredAt: '2025-04-02T16:38:35Z',
      apiVersion: '2025-07',
    });
    expect(r.value.refund.id).toBe('9007199254740993');
  });

  it('refuses a delivery without the Shopify headers or with a body that is not a refund', () => {
    const missing = parseWebhook(refundBody, { 'X-Shopify-Topic': 'refunds/create' });
    expect(!missing.ok && missing.error.code).toBe('invalid_payload');
    const wrong = parseWebhook('{"id": 1}', headers);
    expect(!wrong.ok && wrong.error.code).toBe('invalid_payload');
    const notJson = parseWebhook('{"id": ', headers);
    expect(!notJson.ok && notJson.error.code).toBe('invalid_json');
  });
});

describe('Shopify order mapping', () => {
  it('maps lines by SKU with gross amounts after discounts', () => {
    const order = shopifyOrder.parse({
      id: '9007199254740995',
      name: '#1001',
      currency: 'USD',
      taxes_included: false,
      total_price: '409.94',
      created_at: '2025-04-01T10:00:00-05:00',
      email: 'bob.norman@mail.example.com',
      customer: { id: 207119551, first_name: 'Bob', last_name: 'Norman' },
      line_items: [
        { id: 466157049, sku: 'IPOD2008GREEN', quantity: 1, price: '199.00', discount_allocations: [{ amount: '3.34' }], tax_lines: [{ price: '3.98' }] },
        { id: 518995019, sku: 'IPOD2008RED', quantity: 1, price: '199.00', discount_allocations: [{ amount: '3.33' }], tax_lines: [{ price: '3.98' }] },
      ],
      shipping_lines: [{ id: 369256396, price: '5.00', tax_lines: [] }],
    });
    const mapped = mapOrder(order, account);
    expect(mapped.ok).toBe(true);
    if (!mapped.ok) return;
    expect(mapped.value.orderId).toBe('9007199254740995');
    expect(mapped.value.lines.map((l) => [l.sku, l.amount, l.tax])).toEqual([
      ['IPOD2008GREEN', 19964, 398],
      ['IPOD2008RED', 19965, 398],
    ]);
    expect(mapped.value.customer).toEqual({ email: 'bob.norman@mail.example.com', name: 'Bob Norman', platformCustomerId: '207119551' });
    expect(mapped.value.lines.reduce((a, l) => a + l.amount, 0) + mapped.value.shipping.amount).toBe(40429);
  });
});
