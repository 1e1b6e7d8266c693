import { planSalesOrder, salesOrderLookup } from '../../../../core/orders';
import type { CanonicalOrder } from '../../../../core/orders';

const order: CanonicalOrder = {
  platform: 'shopify',
  account: 'shop1.myshopify.com',
  orderId: '9007199254740993',
  orderNumber: '#1001',
  currency: 'USD',
  taxesIncluded: false,
  customer: { email: 'bob@example.com', name: 'Bob Norman', platformCustomerId: '207119551' },
  lines: [{ lineId: '466157049', sku: 'IPOD2008GREEN', quantity: 1, amount: 21094, tax: 1194 }],
  shipping: { amount: 500, tax: 0 },
  total: 21594,
  createdAt: '2025-04-01T10:00:00Z',
};

describe('sales order plan', () => {
  it('derives the externalId from the order so re-imports are idempotent', () => {
    const a = planSalesOrder(order, 'cash_sale');
    expect(a.externalId).toBe('lb-shopify-shop1_2emyshopify_2ecom-9007199254740993-salesorder');
    expect(planSalesOrder({ ...order }, 'invoice').externalId).toBe(a.externalId);
    expect(a.lines).toEqual([{ item: 'IPOD2008GREEN', quantity: 1, amount: 21094, tax: 1194, platformLineId: '466157049' }]);
    expect(a.billing).toBe('cash_sale');
    expect(a.total).toBe(21594);
  });

  it('finds the sales order by our externalId or by the field another connector fills', () => {
    expect(salesOrderLookup({ mode: 'imported' }, order)).toEqual({ by: 'externalid', value: planSalesOrder(order, 'invoice').externalId });
    expect(salesOrderLookup({ mode: 'external_field', fieldId: 'custbody_celigo_shopify_id' }, order)).toEqual({
      by: 'field',
      fieldId: 'custbody_celigo_shopify_id',
      value: '9007199254740993',
    });
    expect(() => salesOrderLookup({ mode: 'external_field', fieldId: 'memo; drop' }, order)).toThrow(RangeError);
  });
});
