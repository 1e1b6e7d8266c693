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

export function mapRefundEvent(event: AmazonShipmentEvent, account: string): Result<CanonicalRefund> {
  const items = event.ShipmentItemAdjustmentList ?? [];
  const currency = items.flatMap((i) => i.ItemChargeAdjustmentList ?? []).find(Boolean)?.ChargeAmount.CurrencyCode;
  if (!currency) return connectorFailure('invalid_payload', `Amazon refund event for order ${event.AmazonOrderId} carries no charge adjustments.`);
  try {
    const toBuyer = (a: { CurrencyCode: string; CurrencyAmount: number }) => {
      if (a.CurrencyCode !== currency) throw new RangeError(`mixed currencies ${currency} and ${a.CurrencyCode}`);
      return 0 - parseMoney(a.CurrencyAmount, currency).amount; // 0 - x: never -0
    };
    const lines: CanonicalRefundLine[] = [];
    const adjustments: CanonicalAdjustment[] = [];
    let shipping = { amount: 0, tax: 0 };
    let total = 0;
    for (const item of items) {
      let amount = 0;
      let tax = 0;
      for (const c of item.ItemChargeAdjustmentList ?? []) {
        const v = toBuyer(c.ChargeAmount);
        total += v;
        if (LINE_CHARGES.has(c.ChargeType)) {
          amount += v;
          if (TAX_CHARGES.has(c.ChargeType)) tax += v;
        } else if (SHIPPING_CHARGES.has(c.ChargeType)) {
          shipping = { amount: shipping.amount + v, tax: shipping.tax + (c.ChargeType === 'ShippingTax' ? v : 0) };
        } else {
          adjustments.push({ amount: v, reason: c.ChargeType === 'RestockingFee' ? 'Restocking fee' : `Amazon ${c.ChargeType}` });
        }
      }
      for (const p of item.PromotionAdjustmentList ?? []) {
        const v = toBuyer(p.PromotionAmount);
        total += v;
        if (p.PromotionType?.toLowerCase().includes('ship')) shipping = { ...shipping, amount: shipping.amount + v };
        else amount += v;
      }
      lines.push({ sku: item.SellerSKU ?? '', lineId: item.OrderItemId ?? null, quantity: item.QuantityShipped ?? 0, amount, tax, restock: false });
    }
    const adjustmentIds = items.map((i) => i.OrderAdjustmentItemId).filter((x): x is string => !!x).sort();
    return ok({
      platform: 'amazon',
      account,
      refundId: adjustmentIds.length > 0 ? `${event.AmazonOrderId}:${adjustmentIds.join('+')}` : `${event.AmazonOrderId}@${event.PostedDate}`,
      orderId: event.AmazonOrderId,
      currency: currency.toUpperCase(),
      lines,
      shipping,
      adjustments,
      transactions: [{ id: null, amount: total, status: 'success', gateway: 'amazon' }],
      note: event.MarketplaceName ?? null,
      createdAt: event.PostedDate,
    });
  } catch (e) {
    return connectorFailure('invalid_payload', `Amazon refund event for order ${event.AmazonOrderId}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** A canonical order from the order's shipment event (charges positive in shipment events). */
export function mapShipmentEventToOrder(event: AmazonShipmentEvent, account: string): Result<CanonicalOrder> {
  const items = event.ShipmentItemList ?? [];
  const currency = items.flatMap((i) => i.ItemChargeList ?? []).find(Boolean)?.ChargeAmount.CurrencyCode;
  if (!currency) return connectorFailure('invalid_payload', `Amazon shipment event for order ${event.AmazonOrderId} carries no charges.`);
  try {
    const m = (a: { CurrencyAmount: number }) => parseMoney(a.CurrencyAmount, currency).amount;
    let shipping = { amount: 0, tax: 0 };
    const lines = items.map((item) => {
      let amount = 0;
      let tax = 0;
      for (const c of item.ItemChargeList ?? []) {
        if (LINE_CHARGES.has(c.ChargeType)) {
          amount += m(c.ChargeAmount);
          if (TAX_CHARGES.has(c.ChargeType)) tax += m(c.ChargeAmount);
        } else if (SHIPPING_CHARGES.has(c.ChargeType)) {
          shipping = { amount: shipping.amount + m(c.ChargeAmount), tax: shipping.tax + (c.ChargeType === 'ShippingTax' ? m(c.ChargeAmount) : 0) };
        }
      }
      for (const p of item.PromotionList ?? []) amount += m(p.PromotionAmount);
      return { lineId: item.OrderItemId ?? '', sku: item.SellerSKU ?? '', quantity: item.QuantityShipped ?? 0, amount, tax };
    });
    return ok({
      platform: 'amazon',
      account,
      orderId: event.AmazonOrderId,
      orderNumber: event.AmazonOrderId,
      currency: currency.toUpperCase(),
      taxesIncluded: false,
      customer: { email: null, name: null, platformCustomerId: null },
      lines,
      shipping,
      total: lines.reduce((a, l) => a + l.amount, 0) + shipping.amount,
      createdAt: event.PostedDate,
    });
  } catch (e) {
    return connectorFailure('invalid_payload', `Amazon shipment event for order ${event.AmazonOrderId}: ${e instanceof Error ? e.message : String(e)}`);
  }
}
