// NetSuite refund lines -> cart refund lines (NetSuite -> storefront): SKU matching across order lines, what is left
// to refund, restock per line location, shipping and adjustment lines.
import { mapNetSuiteRefundLines, type CartOrderLine, type LineMappingOptions } from '../../../../middleware/flows/refunds/outbound-lines';

const options: LineMappingOptions = {
  currency: 'USD',
  shippingItem: 'SHIPPING',
  adjustmentItem: 'REFUND-ADJUSTMENT',
  nonRestockLocationId: '9',
  storefrontLocations: { '1': 'shop-loc-1' },
};
const order: CartOrderLine[] = [
  { lineId: 'a', sku: 'TENT', quantity: 1, refundedQuantity: 0 },
  { lineId: 'b', sku: 'STOVE', quantity: 2, refundedQuantity: 1 },
  { lineId: 'c', sku: 'STOVE', quantity: 3, refundedQuantity: 0 },
];

describe('mapNetSuiteRefundLines', () => {
  it('fills lines of one SKU in order, each up to what it has left, and merges a split NetSuite line', () => {
    const mapped = mapNetSuiteRefundLines(
      [
        { sku: 'STOVE', quantity: 2, amount: '99.00', location: '1' },
        { sku: 'STOVE', quantity: 1, amount: '49.51', location: '1' },
      ],
      order,
      options,
    );
    expect(mapped.lines).toEqual([
      { lineId: 'b', sku: 'STOVE', quantity: 1, restock: true, locationId: 'shop-loc-1' },
      { lineId: 'c', sku: 'STOVE', quantity: 2, restock: true, locationId: 'shop-loc-1' },
    ]);
    expect(mapped.moneyOnly).toEqual([]);
  });

  it('restocks per line location: the non-restock location is not restocked; an unmapped location has no cart location', () => {
    const mapped = mapNetSuiteRefundLines(
      [
        { sku: 'TENT', quantity: 1, amount: '199.00', location: '9' },
        { sku: 'STOVE', quantity: 1, amount: '49.50', location: '2' },
        { sku: 'STOVE', quantity: 1, amount: '49.50', location: null },
      ],
      order,
      options,
    );
    expect(mapped.lines.map((l) => [l.lineId, l.quantity, l.restock, l.locationId])).toEqual([
      ['a', 1, false, null],
      ['b', 1, true, null],
      ['c', 1, true, null],
    ]);
  });

  it('turns shipping lines into the shipping refund and reports adjustment, unknown SKU and excess units as money only', () => {
    const mapped = mapNetSuiteRefundLines(
      [
        { sku: 'SHIPPING', quantity: 1, amount: '9.95', location: null },
        { sku: 'REFUND-ADJUSTMENT', quantity: 1, amount: '-5.00', location: null },
        { sku: 'LANTERN', quantity: 1, amount: '20.00', location: '1' },
        { sku: 'TENT', quantity: 2, amount: '398.00', location: '1' },
        { sku: null, quantity: 1, amount: '1.00', location: null },
      ],
      order,
      options,
    );
    expect(mapped.shipping).toBe(995);
    expect(mapped.lines).toEqual([{ lineId: 'a', sku: 'TENT', quantity: 1, restock: true, locationId: 'shop-loc-1' }]);
    expect(mapped.moneyOnly).toEqual([
      { sku: 'REFUND-ADJUSTMENT', quantity: 1, reason: 'adjustment' },
      { sku: 'LANTERN', quantity: 1, reason: 'SKU not on the order' },
      { sku: 'TENT', quantity: 1, reason: 'more units than the order has left to refund' },
      { sku: null, quantity: 1, reason: 'no item units on the line' },
    ]);
  });

  it('reads JPY amounts without a minor unit', () => {
    expect(mapNetSuiteRefundLines([{ sku: 'SHIPPING', quantity: 1, amount: '800', location: null }], order, { ...options, currency: 'JPY' }).shipping).toBe(800);
  });
});
