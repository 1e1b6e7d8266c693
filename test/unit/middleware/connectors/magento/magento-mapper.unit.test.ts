import { magentoCreditMemo, mapCreditMemo } from '../../../../../middleware/connectors/magento';

// Shape per Magento's CreditmemoInterface (sales_creditmemo fields), decimals as JSON numbers.
const memo = (over: Record<string, unknown> = {}) =>
  magentoCreditMemo.parse({
    entity_id: 7,
    order_id: 3,
    state: 2,
    order_currency_code: 'USD',
    grand_total: 61.29,
    tax_amount: 4.29,
    shipping_amount: 10,
    shipping_incl_tax: 10,
    shipping_tax_amount: 0,
    adjustment_positive: 0,
    adjustment_negative: 5,
    created_at: '2026-11-20 10:00:00',
    items: [
      { entity_id: 70, order_item_id: 11, sku: 'MH01-XS-Black', qty: 1, price: 52, row_total: 52, tax_amount: 4.29, discount_amount: 0 },
      { entity_id: 71, order_item_id: 12, sku: 'MH01-XS-Black', qty: 1, price: 0, row_total: 0, tax_amount: 0, discount_amount: 0 },
      { entity_id: 72, order_item_id: 13, sku: '24-MB01', qty: 0, price: 34, row_total: 0, tax_amount: 0 },
    ],
    ...over,
  });

describe('Magento credit memo mapping', () => {
  it('drops the zero child row of a configurable product and rows not refunded', () => {
    const r = mapCreditMemo(memo(), { account: 'm' });
    expect(r.ok && r.value.lines).toEqual([{ sku: 'MH01-XS-Black', lineId: '11', quantity: 1, amount: 5629, tax: 429, restock: false }]);
    expect(r.ok && r.value.adjustments).toEqual([{ amount: -500, reason: 'Adjustment fee' }]);
  });

  it('maps the credit memo state to the refund transaction status', () => {
    const states = [1, 2, 3, 9].map((state) => {
      const r = mapCreditMemo(memo({ state }), { account: 'm' });
      return r.ok ? r.value.transactions[0]?.status : r.error.code;
    });
    expect(states).toEqual(['pending', 'success', 'failure', 'error']);
  });

  it('refuses fractional quantities and over-precise amounts', () => {
    const frac = mapCreditMemo(memo({ items: [{ order_item_id: 11, sku: 'X', qty: 1.5, row_total: 1 }] }), { account: 'm' });
    expect(!frac.ok && frac.error.code).toBe('invalid_payload');
    const precise = mapCreditMemo(memo({ grand_total: 61.295 }), { account: 'm' });
    expect(!precise.ok && precise.error.code).toBe('invalid_payload');
  });
});
