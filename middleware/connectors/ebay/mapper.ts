/**
 * eBay orders -> canonical orders and refunds. Pure.
 *
 * One canonical refund per eBay refund (keyed by refundId, or refundReferenceId for refunds eBay made itself).
 * Line-level refunds (lineItems[].refunds) with the same id become its lines; eBay gives no quantity for a line
 * refund, so the quantity is the number of whole units the amount covers (informational; the money is exact).
 * eBay's refund `amount` is the seller's net: tax eBay collected and remits is not in it, so the buyer's refund
 * can be larger. That is the money that left the seller, which is what NetSuite books.
 *
 * Unreadable refunds: when the order says money was refunded (PARTIALLY_/FULLY_REFUNDED) but no refund is listed,
 * or the listed refunds do not cover the refunded state, the refund is reported with an explanation instead of
 * being guessed. That eBay refunds issued without a buyer request may be invisible to the API is a known
 * connector limitation (NetSuite Connector docs); eBay's own documentation does not confirm it (UNCONFIRMED).
 */
import { parseMoney } from '../../../core/money';
import type { CanonicalOrder } from '../../../core/orders';
import type { CanonicalRefund, CanonicalRefundLine, RefundTransactionStatus } from '../../../core/refunds';
import { type Result, connectorFailure, ok } from '../shared/errors';
import type { EbayAmount, EbayOrder } from './schemas';

export interface UnreadableRefund {
  platform: 'ebay';
  account: string;
  orderId: string;
  code: 'ebay_refund_unreadable';
  explanation: string;
}

export interface EbayOrderRefunds {
  refunds: CanonicalRefund[];
  unreadable: UnreadableRefund[];
}

const STATUS: Record<string, RefundTransactionStatus> = { REFUNDED: 'success', PENDING: 'pending', FAILED: 'failure' };

export const EBAY_UNREADABLE_EXPLANATION =
  'eBay marks this order as refunded, but its Fulfillment API returns no readable refund for it. Refunds issued ' +
  'without a buyer request (no return or cancellation) may not be readable through the API. Record the refund in ' +
  'NetSuite by hand, or issue eBay refunds through a return or cancellation request.';

class MissingField extends Error {}

function required<T>(value: T | undefined, field: string, fix: string): T {
  if (value === undefined) throw new MissingField(`${field} is missing: ${fix}`);
  return value;
}

export function mapOrderRefunds(order: EbayOrder, account: string): Result<EbayOrderRefunds> {
  try {
    const refunds: CanonicalRefund[] = [];
    order.paymentSummary.refunds.forEach((r, i) => {
      const refundId = r.refundId ?? r.refundReferenceId;
      if (!refundId) return;
      const where = `order.paymentSummary.refunds[${i}]`;
      const currency = required(r.amount?.currency, `${where}.amount.currency`, 'eBay states the currency of every refund amount; without it the refund cannot be booked.');
      const value = required(r.amount?.value, `${where}.amount.value`, 'the refund amount is the money NetSuite books.');
      const lines: CanonicalRefundLine[] = [];
      order.lineItems.forEach((item, j) => {
        for (const lr of item.refunds ?? []) {
          if ((lr.refundId ?? lr.refundReferenceId) !== refundId) continue;
          const amount = parseMoney(required(lr.amount?.value, `order.lineItems[${j}].refunds[].amount.value`, 'a line refund needs its amount.'), currency).amount;
          const quantity = item.quantity ?? 0;
          const cost = item.lineItemCost?.value;
          const unitPrice = quantity > 0 && cost !== undefined ? Math.floor(parseMoney(cost, currency).amount / quantity) : 0;
          const units = unitPrice > 0 ? Math.min(quantity, Math.floor(amount / unitPrice)) : 0;
          lines.push({ sku: item.sku ?? item.legacyItemId ?? '', lineId: item.lineItemId ?? null, quantity: units, amount, tax: 0, restock: false });
        }
      });
      refunds.push({
        platform: 'ebay',
        account,
        refundId,
        orderId: order.orderId,
        currency: currency.toUpperCase(),
        lines,
        shipping: { amount: 0, tax: 0 },
        adjustments: [],
        transactions: [{ id: refundId, amount: parseMoney(value, currency).amount, status: STATUS[r.refundStatus ?? ''] ?? 'pending', gateway: 'ebay_managed_payments' }],
        note: null,
        createdAt: required(r.refundDate ?? order.lastModifiedDate ?? order.creationDate, `${where}.refundDate`, 'neither the refund nor the order states a date.'),
      });
    });
    const refundedState = order.orderPaymentStatus === 'PARTIALLY_REFUNDED' || order.orderPaymentStatus === 'FULLY_REFUNDED';
    const listedSuccess = refunds.some((r) => r.transactions.some((t) => t.status === 'success'));
    const unreadable: UnreadableRefund[] =
      refundedState && !listedSuccess ? [{ platform: 'ebay', account, orderId: order.orderId, code: 'ebay_refund_unreadable', explanation: EBAY_UNREADABLE_EXPLANATION }] : [];
    return ok({ refunds, unreadable });
  } catch (e) {
    return connectorFailure('invalid_payload', `eBay order ${order.orderId}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

const sum = (xs: readonly number[]) => xs.reduce((a, x) => a + x, 0);

/**
 * An eBay order -> canonical order. eBay's pricingSummary states priceSubtotal (lines before discounts),
 * priceDiscount (negative), deliveryCost, deliveryDiscount (negative), tax (seller-collected), adjustment and
 * total; the parts reproduce the total: total = subtotal + discounts + delivery + deliveryDiscount + tax + adjustment.
 * Line amounts are after the line's promotions (discountedLineItemCost when eBay gives it) plus the seller-collected
 * taxes; tax eBay collects and remits itself is not the seller's money and stays out.
 */
export function mapOrder(order: EbayOrder, account: string): Result<CanonicalOrder> {
  try {
    const summary = order.pricingSummary;
    const total = required(summary?.total, 'order.pricingSummary.total', 'eBay states the order total on every order; without it the order cannot be imported.');
    const currency = required(total.currency, 'order.pricingSummary.total.currency', 'the order currency is needed to import the order.');
    const m = (a: EbayAmount | undefined) => (a?.value === undefined ? 0 : parseMoney(a.value, currency).amount);
    const lines = order.lineItems.map((l, i) => {
      const quantity = required(l.quantity, `order.lineItems[${i}].quantity`, 'the quantity sold is needed for the sales order line.');
      const cost = m(required(l.lineItemCost, `order.lineItems[${i}].lineItemCost`, 'the line price is needed for the sales order line.'));
      const promotions = sum((l.appliedPromotions ?? []).map((p) => Math.abs(m(p.discountAmount))));
      const discount = l.discountedLineItemCost ? cost - m(l.discountedLineItemCost) : promotions;
      const taxLines = (l.taxes ?? []).map((t) => ({ title: t.taxType ?? null, rate: null, amount: m(t.amount) }));
      const tax = sum(taxLines.map((t) => t.amount));
      return {
        lineId: required(l.lineItemId ?? l.legacyItemId, `order.lineItems[${i}].lineItemId`, 'a line id is needed so refunds can point back at the line.'),
        sku: l.sku ?? l.legacyItemId ?? '',
        quantity,
        amount: cost - discount + tax,
        tax,
        unitPrice: quantity > 0 && cost % quantity === 0 ? cost / quantity : cost,
        discount,
        taxLines,
        duties: m(l.deliveryCost?.importCharges),
        locationId: null,
      };
    });
    const delivery = m(summary?.deliveryCost);
    const deliveryDiscount = Math.abs(m(summary?.deliveryDiscount));
    const lineItems = summary?.priceSubtotal ? m(summary.priceSubtotal) : sum(lines.map((l) => l.amount - l.tax + l.discount));
    const lineDiscounts = sum(lines.map((l) => l.discount));
    const statedDiscount = Math.abs(m(summary?.priceDiscount ?? summary?.priceDiscountSubtotal));
    const tax = summary?.tax ? m(summary.tax) : sum(lines.map((l) => l.tax));
    const cancelled = order.cancelStatus?.cancelState === 'CANCELED';
    return ok({
      platform: 'ebay',
      account,
      orderId: order.orderId,
      orderNumber: order.legacyOrderId ?? order.orderId,
      currency: currency.toUpperCase(),
      taxesIncluded: false,
      customer: { email: order.buyer?.buyerRegistrationAddress?.email ?? null, name: order.buyer?.buyerRegistrationAddress?.fullName ?? null, platformCustomerId: order.buyer?.username ?? null },
      lines,
      shipping: { amount: delivery - deliveryDiscount, tax: 0 },
      total: m(total),
      createdAt: required(order.creationDate ?? order.lastModifiedDate, 'order.creationDate', 'the order date is needed for the sales order.'),
      presentmentCurrency: total.convertedFromCurrency?.toUpperCase() ?? null,
      financialStatus: order.orderPaymentStatus ?? null,
      cancelledAt: cancelled ? (order.cancelStatus?.cancelledDate ?? order.lastModifiedDate ?? null) : null,
      cancelReason: cancelled ? 'CANCELED' : null,
      locationId: null,
      shippingLines: delivery === 0 ? [] : [{ lineId: null, title: null, price: delivery, discountedPrice: delivery - deliveryDiscount, tax: 0, taxLines: [] }],
      discountApplications: [],
      totals: {
        lineItems,
        lineDiscounts,
        shipping: delivery - deliveryDiscount,
        shippingDiscounts: deliveryDiscount,
        orderDiscount: Math.max(0, statedDiscount - lineDiscounts),
        discounts: Math.max(statedDiscount, lineDiscounts) + deliveryDiscount,
        tax,
        duties: sum(lines.map((l) => l.duties)),
        tip: 0,
        total: m(total),
        currentTotal: null,
      },
    });
  } catch (e) {
    return connectorFailure('invalid_payload', `eBay order ${order.orderId}: ${e instanceof Error ? e.message : String(e)}`);
  }
}
