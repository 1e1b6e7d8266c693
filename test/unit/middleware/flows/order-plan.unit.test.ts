/**
 * What an imported order becomes in NetSuite, decided before anything is written: the payment-status rule, the
 * location, and lines whose sum is the platform's order total — checked with Shopify's published orders/create
 * and orders/paid samples and with Magento, eBay and Amazon orders built to their published schemas.
 */
import type { CanonicalOrder } from '../../../../core/orders';
import { parseMoney } from '../../../../core/money';
import { mapOrder as mapShopify, shopifyOrder } from '../../../../middleware/connectors/shopify';
import { magentoOrder, mapOrder as mapMagento } from '../../../../middleware/connectors/magento';
import { ebayOrder, mapOrder as mapEbay } from '../../../../middleware/connectors/ebay';
import { mapShipmentEventToOrder } from '../../../../middleware/connectors/amazon';
import { parsePayload } from '../../../../middleware/connectors/shared/parse';
import { importRuleOf, planOrderLines } from '../../../../middleware/flows/orders/order-plan';
import { readChannelOrderSettings } from '../../../../middleware/ports/order-import-settings';
import { shopifyWebhookSample } from '../../../fixtures/conformance/shopify-webhooks';

const ITEMS = { discountItem: 'PROMO', taxItem: 'TAX', tipItem: 'TIP' };
const settings = (orderImport: Record<string, unknown> = {}) => readChannelOrderSettings({ refunds: { orderImport: { enabled: true, defaultLocationId: '7', ...ITEMS, ...orderImport } } });

function shopify(body: string): CanonicalOrder {
  const parsed = parsePayload(shopifyOrder, body, 'Shopify webhook');
  if (!parsed.ok) throw new Error(parsed.error.message);
  const mapped = mapShopify(parsed.value, 'shop.example');
  if (!mapped.ok) throw new Error(mapped.error.message);
  return mapped.value;
}

const sum = (plan: { items: { quantity: number; rate?: string }[] }, currency = 'USD') => plan.items.reduce((a, l) => a + parseMoney(l.rate ?? '0', currency).amount * l.quantity, 0);

describe("Shopify's published orders/create and orders/paid samples", () => {
  it.each(['orders/create', 'orders/paid'] as const)('%s: the lines make total_price (404.95), the discount and the shipping discount on their own lines', (topic) => {
    const order = shopify(shopifyWebhookSample(topic));
    expect(order.total).toBe(40495);
    const plan = planOrderLines(order, settings());
    if (!plan.ok) throw new Error(plan.error.message);
    expect(plan.value.total).toBe(40495);
    expect(sum(plan.value)).toBe(40495);
    expect(plan.value.items.map((l) => [l.sku, l.quantity, l.rate])).toEqual([
      ['SKU2006-001', 1, '89.99'],
      ['LENS-PROTECT-2YR', 1, '19.99'],
      ['CASE-LEATHER-PREM', 1, '24.99'],
      ['SKU2006-020', 1, '159.99'],
      ['SKU2006-035', 1, '119.99'],
      ['SHIPPING', 1, '10.00'],
      ['PROMO', 1, '-10.00'],
      ['PROMO', 1, '-10.00'],
    ]);
    expect(plan.value.items.slice(0, 5).every((l) => l.values?.location === '7')).toBe(true);
    expect(plan.value.locationId).toBe('7');
    // The published id is beyond 2^53: kept digit for digit.
    expect(order.orderId).toBe('820982911946154500');
    expect(plan.value.externalId).toContain('820982911946154500');
  });

  it('the published samples are cancelled and voided: skipped, nothing imported', () => {
    for (const topic of ['orders/create', 'orders/paid'] as const) {
      const rule = importRuleOf(shopify(shopifyWebhookSample(topic)));
      expect(rule).toMatchObject({ kind: 'skip', code: 'order_cancelled' });
      if (rule.kind === 'skip') expect(rule.reason).toContain('was cancelled on 2021-12-31T19:00:00-05:00 (customer)');
    }
  });

  it('without a discount item the plan stops naming the setting; without any location it names defaultLocationId', () => {
    const order = shopify(shopifyWebhookSample('orders/paid'));
    const noItem = planOrderLines(order, readChannelOrderSettings({ refunds: { orderImport: { enabled: true, defaultLocationId: '7' } } }));
    expect(noItem).toMatchObject({ ok: false, error: { code: 'order_import_item_missing' } });
    if (!noItem.ok) expect(noItem.error.message).toContain('settings.refunds.orderImport.discountItem');
    const noLocation = planOrderLines(order, readChannelOrderSettings({ refunds: { orderImport: { enabled: true, ...ITEMS } } }));
    expect(noLocation).toMatchObject({ ok: false, error: { code: 'order_location_unknown' } });
    if (!noLocation.ok) expect(noLocation.error.message).toContain('settings.refunds.orderImport.defaultLocationId');
  });

  it('the older locationId setting still names the default location; a mapped platform location wins over it', () => {
    const order = shopify(shopifyWebhookSample('orders/paid'));
    const older = planOrderLines(order, readChannelOrderSettings({ refunds: { orderImport: { enabled: true, locationId: '3', ...ITEMS } } }));
    expect(older.ok && older.value.locationId).toBe('3');
    const mapped = planOrderLines({ ...order, locationId: '655441491' }, settings({ locations: { '655441491': '12' } }));
    expect(mapped.ok && mapped.value.locationId).toBe('12');
  });

  it('a total the lines do not make stops the import with both figures and the difference', () => {
    const order = shopify(shopifyWebhookSample('orders/paid'));
    const plan = planOrderLines({ ...order, total: 41495 }, settings());
    expect(plan).toMatchObject({ ok: false, error: { code: 'order_total_mismatch' } });
    if (!plan.ok) {
      expect(plan.error.message).toContain('make 404.95 USD in NetSuite');
      expect(plan.error.message).toContain('order total is 414.95 USD');
      expect(plan.error.message).toContain('difference -10.00 USD');
    }
  });
});

describe('import rule per documented payment status', () => {
  const base = shopify(shopifyWebhookSample('orders/paid'));
  const open = { ...base, cancelledAt: null, cancelReason: null };
  it.each([
    ['pending', 'unbilled'],
    ['authorized', 'unbilled'],
    ['partially_paid', 'billed'],
    ['paid', 'billed'],
    ['partially_refunded', 'billed'],
    ['refunded', 'billed'],
    ['voided', 'skip'],
  ])('Shopify %s → %s', (status, kind) => {
    expect(importRuleOf({ ...open, financialStatus: status }).kind).toBe(kind);
  });
  it('a cancelled order is skipped whatever its payment status', () => {
    expect(importRuleOf({ ...open, financialStatus: 'paid', cancelledAt: '2026-01-01T00:00:00Z' }).kind).toBe('skip');
  });
  it('Magento canceled and pending_payment, eBay PENDING; no status (Amazon shipment events) is billed', () => {
    expect(importRuleOf({ ...open, platform: 'magento', financialStatus: 'canceled' }).kind).toBe('skip');
    expect(importRuleOf({ ...open, platform: 'magento', financialStatus: 'pending_payment' }).kind).toBe('unbilled');
    expect(importRuleOf({ ...open, platform: 'magento', financialStatus: 'processing' }).kind).toBe('billed');
    expect(importRuleOf({ ...open, platform: 'ebay', financialStatus: 'PENDING' }).kind).toBe('unbilled');
    expect(importRuleOf({ ...open, platform: 'ebay', financialStatus: 'PAID' }).kind).toBe('billed');
    expect(importRuleOf({ ...open, platform: 'amazon', financialStatus: null }).kind).toBe('billed');
  });
});

describe('Magento, eBay and Amazon orders: the NetSuite lines make the platform total', () => {
  it('Magento (grand_total 110.20: line and shipping discounts, tax)', () => {
    const parsed = parsePayload(
      magentoOrder,
      JSON.stringify({
        entity_id: 3, increment_id: '000000003', state: 'processing', status: 'processing', order_currency_code: 'USD', customer_email: 'roni_cost@example.com',
        grand_total: 110.2, subtotal: 100, tax_amount: 7.2, discount_amount: -12, coupon_code: 'H20', shipping_amount: 15, shipping_discount_amount: 4, shipping_tax_amount: 0, created_at: '2026-01-01 09:00:00',
        items: [
          { item_id: 30, sku: 'MB01', qty_ordered: 2, price: 30, row_total: 60, tax_amount: 4.32, tax_percent: 8.25, discount_amount: 6 },
          { item_id: 31, sku: 'MB02', qty_ordered: 1, price: 40, row_total: 40, tax_amount: 2.88, tax_percent: 8.25, discount_amount: 2 },
        ],
      }),
      'Magento order',
      { root: 'order' },
    );
    if (!parsed.ok) throw new Error(parsed.error.message);
    const order = mapMagento(parsed.value, 'https://shop.example.com/rest/default');
    if (!order.ok) throw new Error(order.error.message);
    const plan = planOrderLines(order.value, settings());
    if (!plan.ok) throw new Error(plan.error.message);
    expect(plan.value.total).toBe(11020);
    expect(plan.value.items.map((l) => [l.sku, l.quantity, l.rate])).toEqual([
      ['MB01', 2, '30.00'],
      ['PROMO', 1, '-6.00'],
      ['MB02', 1, '40.00'],
      ['PROMO', 1, '-2.00'],
      ['SHIPPING', 1, '15.00'],
      ['PROMO', 1, '-4.00'],
      ['TAX', 1, '7.20'],
    ]);
  });

  it('eBay (total 102.20: promotion, delivery discount, seller-collected tax)', () => {
    const amt = (value: string) => ({ value, currency: 'USD' });
    const parsed = parsePayload(
      ebayOrder,
      JSON.stringify({
        orderId: '01-4', creationDate: '2026-01-01T00:00:00.000Z', orderPaymentStatus: 'PAID',
        pricingSummary: { priceSubtotal: amt('100.00'), priceDiscount: amt('-10.00'), deliveryCost: amt('8.00'), deliveryDiscount: amt('-3.00'), tax: amt('7.20'), total: amt('102.20') },
        lineItems: [
          { lineItemId: 'L1', sku: 'A', quantity: 2, lineItemCost: amt('60.00'), appliedPromotions: [{ discountAmount: amt('10.00') }], taxes: [{ taxType: 'STATE_SALES_TAX', amount: amt('4.00') }] },
          { lineItemId: 'L2', sku: 'B', quantity: 1, lineItemCost: amt('40.00'), taxes: [{ taxType: 'STATE_SALES_TAX', amount: amt('3.20') }] },
        ],
      }),
      'eBay getOrder response',
      { root: 'order' },
    );
    if (!parsed.ok) throw new Error(parsed.error.message);
    const order = mapEbay(parsed.value, 'seller_1');
    if (!order.ok) throw new Error(order.error.message);
    const plan = planOrderLines(order.value, settings());
    if (!plan.ok) throw new Error(plan.error.message);
    expect(plan.value.total).toBe(10220);
    expect(sum(plan.value)).toBe(10220);
    expect(plan.value.items.find((l) => l.sku === 'TAX')?.values?.description).toBe('Tax: STATE_SALES_TAX');
  });

  it('Amazon shipment event (principal, promotion, tax, shipping and shipping tax)', () => {
    const charge = (type: string, amount: number) => ({ ChargeType: type, ChargeAmount: { CurrencyCode: 'USD', CurrencyAmount: amount } });
    const order = mapShipmentEventToOrder(
      {
        AmazonOrderId: '111-3', PostedDate: '2026-01-01T00:00:00Z',
        ShipmentItemList: [{ SellerSKU: 'A', OrderItemId: '9', QuantityShipped: 2, ItemChargeList: [charge('Principal', 20), charge('Tax', 1.6), charge('Shipping', 4.99), charge('ShippingTax', 0.4)], PromotionList: [{ PromotionAmount: { CurrencyCode: 'USD', CurrencyAmount: -2 } }] }],
      },
      'A2SELLER',
    );
    if (!order.ok) throw new Error(order.error.message);
    const plan = planOrderLines(order.value, settings());
    if (!plan.ok) throw new Error(plan.error.message);
    expect(plan.value.total).toBe(order.value.total);
    expect(plan.value.items.map((l) => [l.sku, l.quantity, l.rate])).toEqual([
      ['A', 2, '10.00'],
      ['PROMO', 1, '-2.00'],
      ['SHIPPING', 1, '4.99'],
      ['TAX', 1, '2.00'],
    ]);
  });
});
