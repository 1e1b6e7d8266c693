/**
 * Amazon's published Finances v0 sandbox responses (test/fixtures/conformance/amazon) through the connector's
 * reader, and the reader's tolerance for what financesV0.json leaves optional (every property of its events).
 */
import { amazonFinancialEventsResponse, mapRefundEvent, mapShipmentEventToOrder } from '../../../../../middleware/connectors/amazon';
import { parsePayload } from '../../../../../middleware/connectors/shared/parse';
import { loadConformance, readConformanceText } from '../../../../fixtures/conformance/load';

type Obj = Record<string, unknown>;
const account = 'A2SELLER';

describe('Amazon Finances v0 sandbox responses through the reader', () => {
  it.each(['listFinancialEventsByOrderId.200.json', 'listFinancialEvents.200.json'])('%s parses; the lists the connector does not read are ignored', (file) => {
    const fixture = loadConformance('amazon', 'finances-v0', file) as Obj;
    const payload = fixture.payload as Obj;
    const parsed = parsePayload(amazonFinancialEventsResponse, readConformanceText('amazon', 'finances-v0', file), 'sample');
    if (!parsed.ok) throw new Error(parsed.error.message);
    expect(parsed.value.payload.NextToken).toBe(payload.NextToken);
    const events = payload.FinancialEvents as Obj;
    expect(Object.keys(events).length).toBeGreaterThan(0);
    expect(parsed.value.payload.FinancialEvents.RefundEventList).toBe(events.RefundEventList);
    expect(parsed.value.payload.FinancialEvents.ShipmentEventList).toBe(events.ShipmentEventList);
  });

  it('an answer without payload or FinancialEvents (both optional in the model) reads as no events', () => {
    for (const body of ['{}', '{"payload":{}}', '{"payload":{"NextToken":"t"}}']) {
      const parsed = parsePayload(amazonFinancialEventsResponse, body, 'answer');
      expect(parsed.ok && parsed.value.payload.FinancialEvents).toEqual({});
    }
  });
});

describe('Amazon events with the optional fields financesV0.json allows to be absent', () => {
  const charge = (type: string | undefined, amount: number | undefined, code: string | undefined = 'USD') => ({
    ...(type === undefined ? {} : { ChargeType: type }),
    ChargeAmount: { ...(code === undefined ? {} : { CurrencyCode: code }), ...(amount === undefined ? {} : { CurrencyAmount: amount }) },
  });

  it('a refund event without AmazonOrderId is refused naming the field', () => {
    const mapped = mapRefundEvent({ PostedDate: '2026-01-02T00:00:00Z', ShipmentItemAdjustmentList: [{ ItemChargeAdjustmentList: [charge('Principal', -10)] }] }, account);
    expect(!mapped.ok && mapped.error.message).toContain('RefundEvent.AmazonOrderId is missing');
  });

  it('a charge without CurrencyAmount is refused naming where it is', () => {
    const mapped = mapRefundEvent(
      { AmazonOrderId: '111-1', PostedDate: '2026-01-02T00:00:00Z', ShipmentItemAdjustmentList: [{ ItemChargeAdjustmentList: [charge('Principal', -10), charge('Tax', undefined)] }] },
      account,
    );
    expect(!mapped.ok && mapped.error.message).toContain('RefundEvent.ShipmentItemAdjustmentList[0].ItemChargeAdjustmentList[1].ChargeAmount.CurrencyAmount is missing');
  });

  it('a charge without ChargeType is kept as a stated adjustment, so the money still adds up', () => {
    const mapped = mapRefundEvent(
      { AmazonOrderId: '111-2', PostedDate: '2026-01-02T00:00:00Z', ShipmentItemAdjustmentList: [{ SellerSKU: 'A', ItemChargeAdjustmentList: [charge('Principal', -10), charge(undefined, -2.5)] }] },
      account,
    );
    if (!mapped.ok) throw new Error(mapped.error.message);
    expect(mapped.value.adjustments).toEqual([{ amount: 250, reason: 'Amazon charge (no ChargeType stated)' }]);
    expect(mapped.value.transactions[0]?.amount).toBe(1250);
  });

  it('a shipment event maps to an order whose total parts add up', () => {
    const mapped = mapShipmentEventToOrder(
      {
        AmazonOrderId: '111-3',
        PostedDate: '2026-01-01T00:00:00Z',
        ShipmentItemList: [
          { SellerSKU: 'A', OrderItemId: '9', QuantityShipped: 2, ItemChargeList: [charge('Principal', 20), charge('Tax', 1.6), charge('Shipping', 4.99), charge('ShippingTax', 0.4)], PromotionList: [{ PromotionAmount: { CurrencyCode: 'USD', CurrencyAmount: -2 } }] },
        ],
      },
      account,
    );
    if (!mapped.ok) throw new Error(mapped.error.message);
    const t = mapped.value.totals;
    if (!t) throw new Error('no totals');
    expect(t).toMatchObject({ lineItems: 2000, lineDiscounts: 200, shipping: 499, tax: 200, total: 2000 - 200 + 160 + 499 + 40 });
    expect(t.lineItems - t.lineDiscounts + t.shipping + t.tax).toBe(t.total);
    expect(mapped.value.lines[0]).toMatchObject({ unitPrice: 1000, quantity: 2, discount: 200, tax: 160 });
  });
});
