import { ebayOrder, mapOrderRefunds } from '../../../../../middleware/connectors/ebay';

// Shape per eBay's Order / OrderRefund / LineItemRefund types (Fulfillment API v1).
const order = (over: Record<string, unknown> = {}) =>
  ebayOrder.parse({
    orderId: '12-34567-89012',
    creationDate: '2026-11-01T10:00:00.000Z',
    orderPaymentStatus: 'PARTIALLY_REFUNDED',
    pricingSummary: { total: { value: '100.00', currency: 'USD' } },
    paymentSummary: { refunds: [] },
    lineItems: [{ lineItemId: '1000', sku: 'A', quantity: 2, lineItemCost: { value: '80.00', currency: 'USD' } }],
    ...over,
  });

describe('eBay refund mapping', () => {
  it('reports a refunded order with no listed refund as unreadable, with the explanation', () => {
    const r = mapOrderRefunds(order(), 'seller');
    expect(r.ok && r.value.refunds).toEqual([]);
    expect(r.ok && r.value.unreadable[0]?.explanation).toMatch(/without a buyer request/);
  });

  it('keys refunds eBay made itself by refundReferenceId, and failed ones do not count as read', () => {
    const r = mapOrderRefunds(order({ paymentSummary: { refunds: [{ refundReferenceId: 'R-9', refundStatus: 'FAILED', amount: { value: '10.00', currency: 'USD' } }] } }), 'seller');
    expect(r.ok && r.value.refunds.map((x) => [x.refundId, x.transactions[0]?.status])).toEqual([['R-9', 'failure']]);
    expect(r.ok && r.value.unreadable).toHaveLength(1);
  });

  it('a PAID order with nothing listed is not reported', () => {
    const r = mapOrderRefunds(order({ orderPaymentStatus: 'PAID' }), 'seller');
    expect(r.ok && r.value).toEqual({ refunds: [], unreadable: [] });
  });

  it('counts whole units covered by a line refund; the money stays exact', () => {
    const r = mapOrderRefunds(
      order({
        paymentSummary: { refunds: [{ refundId: '5001', refundStatus: 'REFUNDED', amount: { value: '50.00', currency: 'USD' } }] },
        lineItems: [{ lineItemId: '1000', sku: 'A', quantity: 2, lineItemCost: { value: '80.00', currency: 'USD' }, refunds: [{ refundId: '5001', amount: { value: '50.00', currency: 'USD' } }] }],
      }),
      'seller',
    );
    expect(r.ok && r.value.refunds[0]?.lines).toEqual([{ sku: 'A', lineId: '1000', quantity: 1, amount: 5000, tax: 0, restock: false }]);
  });
});
