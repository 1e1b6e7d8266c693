/**
 * Amazon refund events (Finances v0 RefundEventList) -> canonical refunds; shipment events -> canonical orders.
 * Pure.
 *
 * Signs are the seller's view: in a refund event the charge adjustments are negative (money back to the buyer)
 * and a restocking fee kept is positive, so the buyer's money for every charge is -ChargeAmount. Per item:
 * Principal, Tax, GiftWrap, GiftWrapTax and promotion adjustments make the line; Shipping and ShippingTax make the
 * shipping refund; RestockingFee is a stated adjustment. Fees (Commission, RefundCommission...) and withheld
 * marketplace-facilitator tax are between Amazon and the seller, not money to the buyer: they belong to the
 * settlement flow and are left out here. That refund charges are negative is seen in public code and Amazon's
 * models but not stated in Amazon's text (UNCONFIRMED); the mapping follows it.
 * Amazon posts a refund event once the refund is done, so the refund is one successful transaction for the sum.
 * The refund id is the order id plus its OrderAdjustmentItemIds (the idempotency key Amazon gives per refund
 * line), so the same event always maps to the same id. Restock is not reported by the event: false.
 */
import { parseMoney } from '../../../core/money';
import type { CanonicalOrder } from '../../../core/orders';
import type { CanonicalAdjustment, CanonicalRefund, CanonicalRefundLine } from '../../../core/refunds';
import { type Result, connectorFailure, ok } from '../shared/errors';
import type { AmazonShipmentEvent } from './schemas';

const LINE_CHARGES = new Set(['Principal', 'Tax', 'GiftWrap', 'GiftWrapTax']);
const TAX_CHARGES = new Set(['Tax', 'GiftWrapTax']);
const SHIPPING_CHARGES = new Set(['Shipping', 'ShippingTax']);

/** A field a refund or an order cannot do without, missing from an event Amazon documents as all-optional. */
class MissingField extends Error {}

function required<T>(value: T | undefined, field: string, fix: string): T {
  if (value === undefined) throw new MissingField(`${field} is missing: ${fix}`);
  return value;
}

type Money = { CurrencyCode?: string; CurrencyAmount?: number } | undefined;

/** The event's currency: the first charge (or promotion) that states one. */
function eventCurrency(items: AmazonShipmentEvent['ShipmentItemList'], adjustments: boolean): string | undefined {
  for (const item of items ?? []) {
    const charges = adjustments ? item.ItemChargeAdjustmentList : item.ItemChargeList;
    const promotions = adjustments ? item.PromotionAdjustmentList : item.PromotionList;
    const code = charges?.find((c) => c.ChargeAmount?.CurrencyCode)?.ChargeAmount?.CurrencyCode ?? promotions?.find((p) => p.PromotionAmount?.CurrencyCode)?.PromotionAmount?.CurrencyCode;
    if (code) return code;
  }
  return undefined;
}

export function mapRefundEvent(event: AmazonShipmentEvent, account: string): Result<CanonicalRefund> {
  const items = event.ShipmentItemAdjustmentList ?? [];
  const label = `Amazon refund event for order ${event.AmazonOrderId ?? '(no AmazonOrderId)'}`;
  const currency = eventCurrency(items, true);
  if (!currency) return connectorFailure('invalid_payload', `${label}: RefundEvent.ShipmentItemAdjustmentList[].ItemChargeAdjustmentList[].ChargeAmount.CurrencyCode is missing: the event carries no charge adjustment with a currency, so there is no refund to book.`);
  try {
    const orderId = required(event.AmazonOrderId, 'RefundEvent.AmazonOrderId', 'Amazon names the order of every refund event; without it the refund cannot be matched to a sales order.');
    const postedDate = required(event.PostedDate, 'RefundEvent.PostedDate', 'the refund date is needed for the NetSuite record.');
    const toBuyer = (a: Money, where: string) => {
      const code = required(a?.CurrencyCode, `${where}.CurrencyCode`, 'every amount needs its currency.');
      const amount = required(a?.CurrencyAmount, `${where}.CurrencyAmount`, 'every charge needs its amount.');
      if (code !== currency) throw new RangeError(`mixed currencies ${currency} and ${code}`);
      return 0 - parseMoney(amount, currency).amount; // 0 - x: never -0
    };
    const lines: CanonicalRefundLine[] = [];
    const adjustments: CanonicalAdjustment[] = [];
    let shipping = { amount: 0, tax: 0 };
    let total = 0;
    items.forEach((item, i) => {
      let amount = 0;
      let tax = 0;
      (item.ItemChargeAdjustmentList ?? []).forEach((c, j) => {
        const v = toBuyer(c.ChargeAmount, `RefundEvent.ShipmentItemAdjustmentList[${i}].ItemChargeAdjustmentList[${j}].ChargeAmount`);
        total += v;
        const type = c.ChargeType ?? '';
        if (LINE_CHARGES.has(type)) {
          amount += v;
          if (TAX_CHARGES.has(type)) tax += v;
        } else if (SHIPPING_CHARGES.has(type)) {
          shipping = { amount: shipping.amount + v, tax: shipping.tax + (type === 'ShippingTax' ? v : 0) };
        } else {
          adjustments.push({ amount: v, reason: type === 'RestockingFee' ? 'Restocking fee' : type ? `Amazon ${type}` : 'Amazon charge (no ChargeType stated)' });
        }
      });
      (item.PromotionAdjustmentList ?? []).forEach((p, j) => {
        if (p.PromotionAmount === undefined) return; // a promotion without an amount moves no money
        const v = toBuyer(p.PromotionAmount, `RefundEvent.ShipmentItemAdjustmentList[${i}].PromotionAdjustmentList[${j}].PromotionAmount`);
        total += v;
        if (p.PromotionType?.toLowerCase().includes('ship')) shipping = { ...shipping, amount: shipping.amount + v };
        else amount += v;
      });
      lines.push({ sku: item.SellerSKU ?? '', lineId: item.OrderItemId ?? null, quantity: item.QuantityShipped ?? 0, amount, tax, restock: false });
    });
    const adjustmentIds = items.map((i) => i.OrderAdjustmentItemId).filter((x): x is string => !!x).sort();
    return ok({
      platform: 'amazon',
      account,
      refundId: adjustmentIds.length > 0 ? `${orderId}:${adjustmentIds.join('+')}` : `${orderId}@${postedDate}`,
      orderId,
      currency: currency.toUpperCase(),
      lines,
      shipping,
      adjustments,
      transactions: [{ id: null, amount: total, status: 'success', gateway: 'amazon' }],
      note: event.MarketplaceName ?? null,
      createdAt: postedDate,
    });
  } catch (e) {
    return connectorFailure('invalid_payload', `${label}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** A canonical order from the order's shipment event (charges positive in shipment events). */
export function mapShipmentEventToOrder(event: AmazonShipmentEvent, account: string): Result<CanonicalOrder> {
  const items = event.ShipmentItemList ?? [];
  const label = `Amazon shipment event for order ${event.AmazonOrderId ?? '(no AmazonOrderId)'}`;
  const currency = eventCurrency(items, false);
  if (!currency) return connectorFailure('invalid_payload', `${label}: ShipmentEvent.ShipmentItemList[].ItemChargeList[].ChargeAmount.CurrencyCode is missing: the event carries no charge with a currency, so the order cannot be priced.`);
  try {
    const orderId = required(event.AmazonOrderId, 'ShipmentEvent.AmazonOrderId', 'the order id is needed to import the order.');
    const postedDate = required(event.PostedDate, 'ShipmentEvent.PostedDate', 'the shipment date is needed for the order date.');
    const m = (a: Money, where: string) => {
      const code = required(a?.CurrencyCode, `${where}.CurrencyCode`, 'every amount needs its currency.');
      if (code !== currency) throw new RangeError(`mixed currencies ${currency} and ${code}`);
      return parseMoney(required(a?.CurrencyAmount, `${where}.CurrencyAmount`, 'every charge needs its amount.'), currency).amount;
    };
    let shipping = { amount: 0, tax: 0 };
    let discounts = 0;
    let tax = 0;
    const lines = items.map((item, i) => {
      let amount = 0;
      let lineTax = 0;
      let principal = 0;
      let discount = 0;
      (item.ItemChargeList ?? []).forEach((c, j) => {
        const v = m(c.ChargeAmount, `ShipmentEvent.ShipmentItemList[${i}].ItemChargeList[${j}].ChargeAmount`);
        const type = c.ChargeType ?? '';
        if (LINE_CHARGES.has(type)) {
          amount += v;
          if (TAX_CHARGES.has(type)) lineTax += v;
          else principal += v;
        } else if (SHIPPING_CHARGES.has(type)) {
          shipping = { amount: shipping.amount + v, tax: shipping.tax + (type === 'ShippingTax' ? v : 0) };
        }
      });
      (item.PromotionList ?? []).forEach((p, j) => {
        if (p.PromotionAmount === undefined) return;
        const v = m(p.PromotionAmount, `ShipmentEvent.ShipmentItemList[${i}].PromotionList[${j}].PromotionAmount`);
        amount += v;
        discount -= v; // promotions are negative in shipment events
      });
      discounts += discount;
      tax += lineTax;
      const quantity = item.QuantityShipped ?? 0;
      return {
        lineId: item.OrderItemId ?? '',
        sku: item.SellerSKU ?? '',
        quantity,
        amount,
        tax: lineTax,
        unitPrice: quantity > 0 && principal % quantity === 0 ? principal / quantity : principal,
        discount,
        taxLines: lineTax === 0 ? [] : [{ title: 'Tax', rate: null, amount: lineTax }],
        duties: 0,
        locationId: null,
      };
    });
    const lineItems = lines.reduce((a, l) => a + (l.amount - l.tax + l.discount), 0);
    const total = lines.reduce((a, l) => a + l.amount, 0) + shipping.amount;
    return ok({
      platform: 'amazon',
      account,
      orderId,
      orderNumber: event.SellerOrderId ?? orderId,
      currency: currency.toUpperCase(),
      taxesIncluded: false,
      customer: { email: null, name: null, platformCustomerId: null },
      lines,
      shipping,
      total,
      createdAt: postedDate,
      presentmentCurrency: null,
      financialStatus: null,
      cancelledAt: null,
      cancelReason: null,
      locationId: null,
      shippingLines: shipping.amount === 0 ? [] : [{ lineId: null, title: null, price: shipping.amount - shipping.tax, discountedPrice: shipping.amount - shipping.tax, tax: shipping.tax, taxLines: [] }],
      discountApplications: [],
      totals: {
        lineItems,
        lineDiscounts: discounts,
        shipping: shipping.amount - shipping.tax,
        shippingDiscounts: 0,
        orderDiscount: 0,
        discounts,
        tax: tax + shipping.tax,
        duties: 0,
        tip: 0,
        total,
        currentTotal: null,
      },
    });
  } catch (e) {
    return connectorFailure('invalid_payload', `${label}: ${e instanceof Error ? e.message : String(e)}`);
  }
}
