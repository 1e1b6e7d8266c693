/**
 * Adobe's published Magento REST answers (test/fixtures/conformance/magento/rest-2.4, sources in its README) through
 * the real readers and mappers: a GET /V1/creditmemo/{id} answer and a GET /V1/orders/{id} answer, read as the
 * HTTP client reads them (bigint-safe parse, then the zod schema). Expected values are computed here from the
 * fixture's own fields, in minor units.
 */
import { magentoCreditMemo, magentoCreditMemoSearch, magentoOrder, mapCreditMemo, mapOrder } from '../../../../../middleware/connectors/magento';
import { parsePayload } from '../../../../../middleware/connectors/shared/parse';
import { loadConformance, minorUnits, readConformanceText } from '../../../../fixtures/conformance/load';

const account = 'https://shop.example.com/rest/default';
const MEMO_TEXT = readConformanceText('magento', 'rest-2.4', 'creditmemo-get.200.json');
const ORDER_TEXT = readConformanceText('magento', 'rest-2.4', 'order-get.200.json');

interface PublishedMemo {
  entity_id: number;
  order_id: number;
  state: number;
  order_currency_code: string;
  grand_total: number;
  shipping_incl_tax: number;
  shipping_tax_amount: number;
  adjustment_positive: number;
  adjustment_negative: number;
  created_at: string;
  items: Array<{ order_item_id: number; sku: string; qty: number; row_total: number; tax_amount: number; base_cost: unknown }>;
}
interface PublishedOrder {
  entity_id: number;
  increment_id: string;
  order_currency_code: string;
  grand_total: number;
  customer_email: string;
  items: Array<{ item_id: number; sku: string; qty_ordered: number; price: number; row_total: number; tax_amount: number }>;
}
const MEMO = loadConformance('magento', 'rest-2.4', 'creditmemo-get.200.json') as unknown as PublishedMemo;
const ORDER = loadConformance('magento', 'rest-2.4', 'order-get.200.json') as unknown as PublishedOrder;
const minor = (n: number) => minorUnits(String(n));

describe("Adobe's published GET /V1/creditmemo/{id} answer", () => {
  const parsed = parsePayload(magentoCreditMemo, MEMO_TEXT, 'Magento credit memo', { root: 'creditmemo' });

  it('is read as published: a null base_cost on its item and no invoice or transaction id are not errors', () => {
    expect(MEMO.items[0]?.base_cost).toBeNull();
    expect('invoice_id' in MEMO || 'transaction_id' in MEMO).toBe(false);
    expect(parsed.ok ? '' : parsed.error.message).toBe('');
  });

  it('maps to a refund of its grand total, refunded (state 2), with its item line and shipping', () => {
    if (!parsed.ok) throw new Error(parsed.error.message);
    const mapped = mapCreditMemo(parsed.value, { account });
    if (!mapped.ok) throw new Error(mapped.error.message);
    const refund = mapped.value;
    expect(MEMO.state).toBe(2);
    expect(refund).toMatchObject({ platform: 'magento', refundId: String(MEMO.entity_id), orderId: String(MEMO.order_id), currency: MEMO.order_currency_code, createdAt: MEMO.created_at });
    expect(refund.transactions).toEqual([{ id: String(MEMO.entity_id), amount: minor(MEMO.grand_total), status: 'success', gateway: 'magento_offline' }]);
    expect(refund.lines).toEqual(
      MEMO.items.map((i) => ({ sku: i.sku, lineId: String(i.order_item_id), quantity: i.qty, amount: minor(i.row_total) + minor(i.tax_amount), tax: minor(i.tax_amount), restock: false })),
    );
    expect(refund.shipping).toEqual({ amount: minor(MEMO.shipping_incl_tax), tax: minor(MEMO.shipping_tax_amount) });
    expect(refund.adjustments).toEqual([]);
    // The parts the credit memo states add up to the money refunded.
    const parts = refund.lines.reduce((a, l) => a + l.amount, 0) + refund.shipping.amount + minor(MEMO.adjustment_positive) - minor(MEMO.adjustment_negative);
    expect(parts).toBe(refund.transactions[0]?.amount);
  });

  it("inside Magento's search result envelope (GET /V1/creditmemos) it reads the same", () => {
    const page = parsePayload(magentoCreditMemoSearch, `{"items":[${MEMO_TEXT}],"search_criteria":{"filter_groups":[]},"total_count":1}`, 'Magento credit memo search', { root: 'search' });
    if (!page.ok) throw new Error(page.error.message);
    expect(page.value.items).toHaveLength(1);
    expect(page.value.items[0]).toEqual(parsed.ok ? parsed.value : null);
  });
});

describe("Adobe's published GET /V1/orders/{id} answer", () => {
  const parsed = parsePayload(magentoOrder, ORDER_TEXT, 'Magento order', { root: 'order' });

  it('is read and mapped: its id, number, currency, customer, total and the item it shows', () => {
    if (!parsed.ok) throw new Error(parsed.error.message);
    const mapped = mapOrder(parsed.value, account);
    if (!mapped.ok) throw new Error(mapped.error.message);
    const order = mapped.value;
    expect(order).toMatchObject({ platform: 'magento', orderId: String(ORDER.entity_id), orderNumber: ORDER.increment_id, currency: ORDER.order_currency_code, total: minor(ORDER.grand_total) });
    expect(order.customer.email).toBe(ORDER.customer_email);
    expect(order.lines).toEqual(
      ORDER.items.map((i) =>
        expect.objectContaining({ lineId: String(i.item_id), sku: i.sku, quantity: i.qty_ordered, unitPrice: minor(i.price), amount: minor(i.row_total) + minor(i.tax_amount), tax: minor(i.tax_amount) }),
      ),
    );
  });

  it('the reader still names what a refund needs when the published order lacks it', () => {
    const { order_currency_code: _c, ...rest } = JSON.parse(ORDER_TEXT) as Record<string, unknown>;
    const r = parsePayload(magentoOrder, JSON.stringify(rest), 'Magento order', { root: 'order' });
    expect(!r.ok && r.error.message).toContain('order.order_currency_code is missing');
  });
});
