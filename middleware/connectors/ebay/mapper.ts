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
import type { EbayOrder } from './schemas';

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

export function mapOrderRefunds(order: EbayOrder, account: string): Result<EbayOrderRefunds> {
  try {
    const refunds: CanonicalRefund[] = [];
    for (const r of order.paymentSummary.refunds) {
      const refundId = r.refundId ?? r.refundReferenceId;
      if (!refundId) continue;
      const currency = r.amount.currency;
      const lines: CanonicalRefundLine[] = [];
      for (const item of order.lineItems) {
        for (const lr of item.refunds ?? []) {
          if ((lr.refundId ?? lr.refundReferenceId) !== refundId) continue;
          const amount = parseMoney(lr.amount.value, currency).amount;
          const unitPrice = item.quantity > 0 ? Math.floor(parseMoney(item.lineItemCost.value, currency).amount / item.quantity) : 0;
          const quantity = unitPrice > 0 ? Math.min(item.quantity, Math.floor(amount / unitPrice)) : 0;
          lines.push({ sku: item.sku ?? item.legacyItemId ?? '', lineId: item.lineItemId, quantity, amount, tax: 0, restock: false });
        }
      }
      refunds.push({
        platform: 'ebay',
        account,
        refundId,
        orderId: order.orderId,
        currency: currency.toUpperCase(),
        lines,
        shipping: { amount: 0, tax: 0 },
        adjustments: [],
        transactions: [{ id: refundId, amount: parseMoney(r.amount.value, currency).amount, status: STATUS[r.refundStatus ?? ''] ?? 'pending', gateway: 'ebay_managed_payments' }],
        note: null,
        createdAt: r.refundDate ?? order.lastModifiedDate ?? order.creationDate,
      });
    }
    const refundedState = order.orderPaymentStatus === 'PARTIALLY_REFUNDED' || order.orderPaymentStatus === 'FULLY_REFUNDED';
    const listedSuccess = refunds.some((r) => r.transactions.some((t) => t.status === 'success'));
    const unreadable: UnreadableRefund[] =
      refundedState && !listedSuccess ? [{ platform: 'ebay', account, orderId: order.orderId, code: 'ebay_refund_unreadable', explanation: EBAY_UNREADABLE_EXPLANATION }] : [];
    return ok({ refunds, unreadable });
  } catch (e) {
    return connectorFailure('invalid_payload', `eBay order ${order.orderId}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

export function mapOrder(order: EbayOrder, account: string): Result<CanonicalOrder> {
  const currency = order.pricingSummary.total.currency;
  try {
    const m = (v: string | undefined) => parseMoney(v ?? '0', currency).amount;
    const lines = order.lineItems.map((l) => ({ lineId: l.lineItemId, sku: l.sku ?? l.legacyItemId ?? '', quantity: l.quantity, amount: m(l.lineItemCost.value), tax: 0 }));
    return ok({
      platform: 'ebay',
      account,
      orderId: order.orderId,
      orderNumber: order.legacyOrderId ?? order.orderId,
      currency: currency.toUpperCase(),
      taxesIncluded: false,
      customer: { email: order.buyer?.buyerRegistrationAddress?.email ?? null, name: order.buyer?.buyerRegistrationAddress?.fullName ?? null, platformCustomerId: order.buyer?.username ?? null },
      lines,
      shipping: { amount: m(order.pricingSummary.deliveryCost?.value), tax: 0 },
      total: m(order.pricingSummary.total.value),
      createdAt: order.creationDate,
    });
  } catch (e) {
    return connectorFailure('invalid_payload', `eBay order ${order.orderId}: ${e instanceof Error ? e.message : String(e)}`);
  }
}
