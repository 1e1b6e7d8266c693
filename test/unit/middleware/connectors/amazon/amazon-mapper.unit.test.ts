import { amazonShipmentEvent, mapRefundEvent } from '../../../../../middleware/connectors/amazon';

// Shape per Finances v0 ShipmentEvent in RefundEventList.
const usd = (v: number) => ({ CurrencyCode: 'USD', CurrencyAmount: v });
const event = (items: unknown[]) => amazonShipmentEvent.parse({ AmazonOrderId: '112-8095165-5463447', PostedDate: '2026-11-20T10:00:00Z', ShipmentItemAdjustmentList: items });

describe('Amazon refund event mapping', () => {
  it('turns negative charge adjustments into buyer money, leaving fees out', () => {
    const r = mapRefundEvent(
      event([
        {
          SellerSKU: 'edifier-p270-gold',
          OrderAdjustmentItemId: '52986411826454',
          QuantityShipped: 1,
          ItemChargeAdjustmentList: [{ ChargeType: 'Principal', ChargeAmount: usd(-27.99) }, { ChargeType: 'Tax', ChargeAmount: usd(-2.31) }, { ChargeType: 'ShippingTax', ChargeAmount: usd(-0.4) }, { ChargeType: 'Shipping', ChargeAmount: usd(-4.99) }],
          ItemFeeAdjustmentList: [{ FeeType: 'Commission', FeeAmount: usd(4.2) }, { FeeType: 'RefundCommission', FeeAmount: usd(-0.84) }],
          PromotionAdjustmentList: [{ PromotionType: 'PromotionMetaDataDefinitionValue', PromotionAmount: usd(1) }],
        },
      ]),
      'A1',
    );
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.refundId).toBe('112-8095165-5463447:52986411826454');
    expect(r.value.lines).toEqual([{ sku: 'edifier-p270-gold', lineId: null, quantity: 1, amount: 2930, tax: 231, restock: false }]);
    expect(r.value.shipping).toEqual({ amount: 539, tax: 40 });
    expect(r.value.transactions[0]?.amount).toBe(2930 + 539);
  });

  it('a tax-only refund is a line of pure tax', () => {
    const r = mapRefundEvent(event([{ SellerSKU: 'X', OrderAdjustmentItemId: '1', ItemChargeAdjustmentList: [{ ChargeType: 'Tax', ChargeAmount: usd(-1.5) }, { ChargeType: 'Principal', ChargeAmount: usd(0) }] }]), 'A1');
    expect(r.ok && r.value.lines[0]).toMatchObject({ amount: 150, tax: 150 });
    expect(r.ok && Object.is(r.value.shipping.amount, 0)).toBe(true);
  });

  it('refuses events without charges or with mixed currencies', () => {
    const none = mapRefundEvent(event([{ SellerSKU: 'X' }]), 'A1');
    expect(!none.ok && none.error.code).toBe('invalid_payload');
    const mixed = mapRefundEvent(event([{ SellerSKU: 'X', ItemChargeAdjustmentList: [{ ChargeType: 'Principal', ChargeAmount: usd(-1) }, { ChargeType: 'Tax', ChargeAmount: { CurrencyCode: 'EUR', CurrencyAmount: -1 } }] }]), 'A1');
    expect(!mixed.ok && mixed.error.code).toBe('invalid_payload');
  });
});
