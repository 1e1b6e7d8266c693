/**
 * Magento credit memos and orders -> canonical refunds and orders. Pure.
 * Line gross = row_total + tax_amount - discount_amount. Configurable products appear twice in Magento (the parent
 * row with the price, the child row at zero with the same SKU); the zero child is dropped so quantities are not
 * doubled. adjustment_positive / adjustment_negative are Magento's stated adjustments ("adjustment refund" /
 * "adjustment fee") and keep those reasons. The money refunded is the credit memo's grand_total once its state is
 * Refunded (2); Open (1) is pending, Canceled (3) failed.
 * Magento's credit memo read API does not say which items went back to stock (return_to_stock_items is a write
 * argument only), so restock comes from the caller when known and defaults to false.
 */
import { parseMoney } from '../../../core/money';
import type { CanonicalOrder } from '../../../core/orders';
import type { CanonicalRefund, CanonicalRefundLine, RefundTransactionStatus } from '../../../core/refunds';
import { type Result, connectorFailure, ok } from '../shared/errors';
import type { MagentoCreditMemo, MagentoOrder } from './schemas';

export interface MagentoContext {
  /** The store, e.g. 'https://shop.example.com/rest/default'. */
  account: string;
  /** order_item_ids known to have gone back to stock. */
  restockedOrderItemIds?: ReadonlySet<string>;
}

const STATE: Record<number, RefundTransactionStatus> = { 1: 'pending', 2: 'success', 3: 'failure' };

export function mapCreditMemo(memo: MagentoCreditMemo, ctx: MagentoContext): Result<CanonicalRefund> {
  const currency = memo.order_currency_code;
  const m = (v: string | number | null | undefined) => parseMoney(v ?? 0, currency).amount;
  try {
    const rows = memo.items.filter((i) => i.qty > 0);
    const lines: CanonicalRefundLine[] = [];
    for (const item of rows) {
      const gross = m(item.row_total) + m(item.tax_amount) - m(item.discount_amount);
      const sku = item.sku ?? '';
      if (gross === 0 && rows.some((other) => other !== item && other.sku === sku && m(other.row_total) > 0)) continue;
      if (!Number.isInteger(item.qty)) throw new RangeError(`item ${item.order_item_id} has a fractional quantity ${item.qty}`);
      lines.push({ sku, lineId: item.order_item_id, quantity: item.qty, amount: gross, tax: m(item.tax_amount), restock: ctx.restockedOrderItemIds?.has(item.order_item_id) ?? false });
    }
    const adjustments = [
      { amount: m(memo.adjustment_positive), reason: 'Adjustment refund' },
      { amount: -m(memo.adjustment_negative), reason: 'Adjustment fee' },
    ].filter((a) => a.amount !== 0);
    const shippingGross = memo.shipping_incl_tax !== undefined && memo.shipping_incl_tax !== null ? m(memo.shipping_incl_tax) : m(memo.shipping_amount) + m(memo.shipping_tax_amount);
    return ok({
      platform: 'magento',
      account: ctx.account,
      refundId: memo.entity_id,
      orderId: memo.order_id,
      currency: currency.toUpperCase(),
      lines,
      shipping: { amount: shippingGross, tax: m(memo.shipping_tax_amount) },
      adjustments,
      transactions: [{ id: memo.transaction_id ?? memo.entity_id, amount: m(memo.grand_total), status: STATE[memo.state] ?? 'error', gateway: memo.transaction_id ? 'magento_online' : 'magento_offline' }],
      note: memo.comments?.map((c) => c.comment ?? '').filter(Boolean).join('; ') || null,
      createdAt: memo.created_at,
    });
  } catch (e) {
    return connectorFailure('invalid_payload', `Magento credit memo ${memo.entity_id}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

export function mapOrder(order: MagentoOrder, account: string): Result<CanonicalOrder> {
  const currency = order.order_currency_code;
  const m = (v: string | number | null | undefined) => parseMoney(v ?? 0, currency).amount;
  try {
    const lines = order.items
      .filter((i) => !i.parent_item_id)
      .map((i) => {
        if (!Number.isInteger(i.qty_ordered)) throw new RangeError(`item ${i.item_id} has a fractional quantity`);
        return { lineId: i.item_id, sku: i.sku, quantity: i.qty_ordered, amount: m(i.row_total) + m(i.tax_amount) - m(i.discount_amount), tax: m(i.tax_amount) };
      });
    const name = [order.customer_firstname, order.customer_lastname].filter(Boolean).join(' ');
    return ok({
      platform: 'magento',
      account,
      orderId: order.entity_id,
      orderNumber: order.increment_id,
      currency: currency.toUpperCase(),
      taxesIncluded: false,
      customer: { email: order.customer_email ?? null, name: name || null, platformCustomerId: order.customer_id ?? null },
      lines,
      shipping: { amount: m(order.shipping_amount) + m(order.shipping_tax_amount), tax: m(order.shipping_tax_amount) },
      total: m(order.grand_total),
      createdAt: order.created_at,
    });
  } catch (e) {
    return connectorFailure('invalid_payload', `Magento order ${order.entity_id}: ${e instanceof Error ? e.message : String(e)}`);
  }
}
