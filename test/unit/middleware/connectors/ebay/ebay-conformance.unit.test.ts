/**
 * eBay's reader against what eBay publishes: every Fulfillment API property is optional in eBay's contract, so
 * orders with only some of them parse, and what a refund or an order import needs is named when missing. The
 * notification sample (eBay's SDK test data) is checked in the simulator's conformance test.
 */
import { ebayOrder, mapOrder, mapOrderRefunds } from '../../../../../middleware/connectors/ebay';
import { parsePayload } from '../../../../../middleware/connectors/shared/parse';

const account = 'seller_1';
const amt = (value: string, currency = 'USD') => ({ value, currency });

function parse(order: Record<string, unknown>) {
  const parsed = parsePayload(ebayOrder, JSON.stringify(order), 'eBay getOrder response', { root: 'order' });
  if (!parsed.ok) throw new Error(parsed.error.message);
  return parsed.value;
}

describe('eBay orders with the contract optional fields absent', () => {
  it('an order with only an id parses: no refunds, nothing unreadable', () => {
    const mapped = mapOrderRefunds(parse({ orderId: '01-1' }), account);
    expect(mapped.ok && mapped.value).toEqual({ refunds: [], unreadable: [] });
  });

  it('an order without orderId is refused naming the field', () => {
    const parsed = parsePayload(ebayOrder, '{"lineItems":[]}', 'eBay getOrder response', { root: 'order' });
    expect(!parsed.ok && parsed.error.message).toContain('order.orderId is missing');
  });

  it('a refund without its amount currency is refused naming the field', () => {
    const mapped = mapOrderRefunds(parse({ orderId: '01-2', paymentSummary: { refunds: [{ refundId: 'R1', refundStatus: 'REFUNDED', amount: { value: '5.00' } }] } }), account);
    expect(!mapped.ok && mapped.error.message).toContain('order.paymentSummary.refunds[0].amount.currency is missing');
  });

  it('an order import without pricingSummary.total is refused naming the field', () => {
    const mapped = mapOrder(parse({ orderId: '01-3', creationDate: '2026-01-01T00:00:00.000Z', lineItems: [] }), account);
    expect(!mapped.ok && mapped.error.message).toContain('order.pricingSummary.total is missing');
  });

  it('an order with promotions, delivery discount, seller-collected tax and a cancellation reproduces its total', () => {
    const order = parse({
      orderId: '01-4',
      creationDate: '2026-01-01T00:00:00.000Z',
      orderPaymentStatus: 'PAID',
      cancelStatus: { cancelState: 'CANCELED', cancelledDate: '2026-01-03T00:00:00.000Z' },
      pricingSummary: {
        priceSubtotal: amt('100.00'),
        priceDiscount: amt('-10.00'),
        deliveryCost: amt('8.00'),
        deliveryDiscount: amt('-3.00'),
        tax: amt('7.20'),
        total: amt('102.20'),
      },
      lineItems: [
        { lineItemId: 'L1', sku: 'A', quantity: 2, lineItemCost: amt('60.00'), appliedPromotions: [{ discountAmount: amt('10.00') }], taxes: [{ taxType: 'STATE_SALES_TAX', amount: amt('4.00') }] },
        { lineItemId: 'L2', sku: 'B', quantity: 1, lineItemCost: amt('40.00'), taxes: [{ taxType: 'STATE_SALES_TAX', amount: amt('3.20') }] },
      ],
    });
    const mapped = mapOrder(order, account);
    if (!mapped.ok) throw new Error(mapped.error.message);
    const t = mapped.value.totals;
    if (!t) throw new Error('no totals');
    expect(t.total).toBe(10220);
    expect(t.lineItems - t.lineDiscounts - t.orderDiscount + t.shipping + t.tax + t.duties + t.tip).toBe(t.total);
    expect(mapped.value.lines.reduce((a, l) => a + l.amount, 0) + mapped.value.shipping.amount).toBe(t.total);
    expect(mapped.value.lines.map((l) => [l.lineId, l.unitPrice, l.discount, l.tax])).toEqual([
      ['L1', 3000, 1000, 400],
      ['L2', 4000, 0, 320],
    ]);
    expect(mapped.value).toMatchObject({ financialStatus: 'PAID', cancelledAt: '2026-01-03T00:00:00.000Z', cancelReason: 'CANCELED' });
    expect(mapped.value.shippingLines).toEqual([{ lineId: null, title: null, price: 800, discountedPrice: 500, tax: 0, taxLines: [] }]);
  });
});
