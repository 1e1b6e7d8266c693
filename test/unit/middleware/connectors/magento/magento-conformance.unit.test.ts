/**
 * The Magento reader against Magento's REST schema: what the schema leaves optional may be absent, what a refund
 * or an order import needs is named when missing, and an order's total parts reproduce its grand_total.
 */
import { magentoCreditMemo, magentoOrder, mapCreditMemo, mapOrder } from '../../../../../middleware/connectors/magento';
import { parsePayload } from '../../../../../middleware/connectors/shared/parse';

const account = 'https://shop.example.com/rest/default';

function memo(body: Record<string, unknown>) {
  const parsed = parsePayload(magentoCreditMemo, JSON.stringify(body), 'Magento credit memo', { root: 'creditmemo' });
  if (!parsed.ok) throw new Error(parsed.error.message);
  return parsed.value;
}

describe('Magento credit memos with the schema optional fields absent', () => {
  const base = { entity_id: 7, order_id: 3, state: 2, grand_total: 25, created_at: '2026-01-02 10:00:00', items: [{ entity_id: 70, order_item_id: 30, qty: 1, sku: 'A', row_total: 25 }] };

  it('a credit memo without order_currency_code takes the order currency passed by the caller', () => {
    const rest = { ...base } as Record<string, unknown>;
    const mapped = mapCreditMemo(memo(rest), { account, currency: 'EUR' });
    expect(mapped.ok && [mapped.value.currency, mapped.value.transactions[0]?.amount]).toEqual(['EUR', 2500]);
  });

  it('falls back to the store, then the base currency the credit memo states', () => {
    const mapped = mapCreditMemo(memo({ ...base, base_currency_code: 'GBP' }), { account });
    expect(mapped.ok && mapped.value.currency).toBe('GBP');
  });

  it('names the field when no currency is known at all', () => {
    const mapped = mapCreditMemo(memo(base), { account });
    expect(!mapped.ok && mapped.error.message).toContain('creditmemo.order_currency_code is missing');
  });

  it('names state and grand_total when they are missing', () => {
    const withCurrency = { ...base, order_currency_code: 'USD' } as Record<string, unknown>;
    const { state: _state, ...noState } = withCurrency;
    expect(((r) => !r.ok && r.error.message)(mapCreditMemo(memo(noState), { account }))).toContain('creditmemo.state is missing');
    const { grand_total: _total, ...noTotal } = withCurrency;
    expect(((r) => !r.ok && r.error.message)(mapCreditMemo(memo(noTotal), { account }))).toContain('creditmemo.grand_total is missing');
  });

  it('the schema required fields stay required: an item without qty is refused naming it', () => {
    const parsed = parsePayload(magentoCreditMemo, JSON.stringify({ ...base, items: [{ order_item_id: 30 }] }), 'Magento credit memo', { root: 'creditmemo' });
    expect(!parsed.ok && parsed.error.message).toContain('creditmemo.items[0].qty is missing');
  });
});

describe('Magento orders: totals', () => {
  it('an order with a coupon on lines and shipping reproduces grand_total', () => {
    const parsed = parsePayload(
      magentoOrder,
      JSON.stringify({
        entity_id: 3,
        increment_id: '000000003',
        state: 'processing',
        status: 'processing',
        order_currency_code: 'USD',
        customer_email: 'roni_cost@example.com',
        grand_total: 110.2,
        subtotal: 100,
        tax_amount: 7.2,
        discount_amount: -12,
        coupon_code: 'H20',
        shipping_amount: 15,
        shipping_discount_amount: 4,
        shipping_tax_amount: 0,
        created_at: '2026-01-01 09:00:00',
        items: [
          { item_id: 30, sku: 'MB01', qty_ordered: 2, price: 30, row_total: 60, tax_amount: 4.32, tax_percent: 8.25, discount_amount: 6 },
          { item_id: 31, sku: 'MB02', qty_ordered: 1, price: 40, row_total: 40, tax_amount: 2.88, tax_percent: 8.25, discount_amount: 2 },
          { item_id: 32, parent_item_id: 31, sku: 'MB02', qty_ordered: 1, price: 0, row_total: 0 },
        ],
      }),
      'Magento order',
      { root: 'order' },
    );
    if (!parsed.ok) throw new Error(parsed.error.message);
    const mapped = mapOrder(parsed.value, account);
    if (!mapped.ok) throw new Error(mapped.error.message);
    const t = mapped.value.totals;
    if (!t) throw new Error('no totals');
    expect(t).toMatchObject({ lineItems: 10000, lineDiscounts: 800, shippingDiscounts: 400, orderDiscount: 0, discounts: 1200, shipping: 1100, tax: 720, total: 11020 });
    expect(t.lineItems - t.lineDiscounts - t.orderDiscount + t.shipping + t.tax).toBe(t.total);
    expect(mapped.value.lines.reduce((a, l) => a + l.amount, 0) + mapped.value.shipping.amount).toBe(t.total);
    expect(mapped.value.lines.map((l) => [l.lineId, l.unitPrice, l.discount, l.taxLines?.[0]?.rate])).toEqual([
      ['30', 3000, 600, '8.25'],
      ['31', 4000, 200, '8.25'],
    ]);
    expect(mapped.value.discountApplications?.[0]?.label).toBe('H20');
  });
});
