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
  /** The order's currency when known: the fallback for a credit memo that states none. */
  currency?: string;
}

const STATE: Record<number, RefundTransactionStatus> = { 1: 'pending', 2: 'success', 3: 'failure' };

class MissingField extends Error {}

function required<T>(value: T | null | undefined, field: string, fix: string): T {
  if (value === undefined || value === null) throw new MissingField(`${field} is missing: ${fix}`);
  return value;
}

export function mapCreditMemo(memo: MagentoCreditMemo, ctx: MagentoContext): Result<CanonicalRefund> {
  try {
    const currency = required(
      memo.order_currency_code ?? ctx.currency ?? memo.store_currency_code ?? memo.base_currency_code,
      'creditmemo.order_currency_code',
      'no currency on the credit memo (order, store or base) and none known for its order; read the order first and pass its currency.',
    );
    const m = (v: string | number | null | undefined) => parseMoney(v ?? 0, currency).amount;
    const state = required(memo.state, 'creditmemo.state', 'without it Ledgerbridge cannot tell a refunded credit memo (2) from an open (1) or canceled (3) one.');
    const grandTotal = required(memo.grand_total, 'creditmemo.grand_total', 'the grand total is the money refunded.');
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
      transactions: [{ id: memo.transaction_id ?? memo.entity_id, amount: m(grandTotal), status: STATE[state] ?? 'error', gateway: memo.transaction_id ? 'magento_online' : 'magento_offline' }],
      note: memo.comments?.map((c) => c.comment ?? '').filter(Boolean).join('; ') || null,
      createdAt: required(memo.created_at ?? memo.updated_at, 'creditmemo.created_at', 'the refund date is needed for the NetSuite record.'),
    });
  } catch (e) {
    return connectorFailure('invalid_payload', `Magento credit memo ${memo.entity_id}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

const sum = (xs: readonly number[]) => xs.reduce((a, x) => a + x, 0);

/**
 * A Magento order -> canonical order. Magento's totals: grand_total = subtotal + shipping_amount + tax_amount +
 * discount_amount (negative; lines and shipping) (+ discount tax compensation in tax-inclusive stores). Item
 * discount_amount is positive; shipping_discount_amount is the shipping part of the order discount.
 */
export function mapOrder(order: MagentoOrder, account: string): Result<CanonicalOrder> {
  try {
    const currency = order.order_currency_code;
    const m = (v: string | number | null | undefined) => parseMoney(v ?? 0, currency).amount;
    const lines = order.items
      .filter((i) => !i.parent_item_id)
      .map((i) => {
        const quantity = i.qty_ordered;
        if (!Number.isInteger(quantity)) throw new RangeError(`item ${i.item_id} has a fractional quantity`);
        const rowTotal = i.row_total !== undefined && i.row_total !== null ? m(i.row_total) : m(i.price) * quantity;
        const tax = m(i.tax_amount);
        const discount = Math.abs(m(i.discount_amount));
        const rate = i.tax_percent === undefined || i.tax_percent === null ? null : String(i.tax_percent);
        return {
          lineId: i.item_id,
          sku: i.sku,
          quantity,
          amount: rowTotal + tax - discount,
          tax,
          unitPrice: i.price !== undefined && i.price !== null ? m(i.price) : quantity > 0 ? Math.round(rowTotal / quantity) : rowTotal,
          discount,
          taxLines: tax === 0 && rate === null ? [] : [{ title: null, rate, amount: tax }],
          duties: 0,
          locationId: null,
        };
      });
    const name = [order.customer_firstname, order.customer_lastname].filter(Boolean).join(' ');
    const shippingPrice = m(order.shipping_amount);
    const shippingDiscount = Math.abs(m(order.shipping_discount_amount));
    const shippingTax = m(order.shipping_tax_amount);
    const lineDiscounts = sum(lines.map((l) => l.discount));
    const discounts = order.discount_amount === undefined || order.discount_amount === null ? lineDiscounts + shippingDiscount : Math.abs(m(order.discount_amount));
    const cancelled = order.state === 'canceled';
    return ok({
      platform: 'magento',
      account,
      orderId: order.entity_id,
      orderNumber: order.increment_id ?? order.entity_id,
      currency: currency.toUpperCase(),
      taxesIncluded: false,
      customer: { email: order.customer_email ?? null, name: name || null, platformCustomerId: order.customer_id ?? null },
      lines,
      shipping: { amount: shippingPrice - shippingDiscount + shippingTax, tax: shippingTax },
      total: m(order.grand_total),
      createdAt: required(order.created_at ?? order.updated_at, 'order.created_at', 'the order date is needed for the sales order.'),
      presentmentCurrency: null,
      financialStatus: order.status ?? order.state ?? null,
      cancelledAt: cancelled ? (order.updated_at ?? null) : null,
      cancelReason: cancelled ? 'canceled' : null,
      locationId: null,
      shippingLines:
        shippingPrice === 0 && shippingTax === 0
          ? []
          : [{ lineId: null, title: order.shipping_description ?? null, price: shippingPrice, discountedPrice: shippingPrice - shippingDiscount, tax: shippingTax, taxLines: shippingTax === 0 ? [] : [{ title: null, rate: null, amount: shippingTax }] }],
      discountApplications:
        discounts === 0 ? [] : [{ type: order.coupon_code ? 'discount_code' : 'rule', label: order.coupon_code ?? order.discount_description ?? null, valueType: 'fixed_amount', value: null, targetType: null, allocationMethod: null }],
      totals: {
        lineItems: sum(lines.map((l) => l.amount - l.tax + l.discount)),
        lineDiscounts,
        shipping: shippingPrice - shippingDiscount,
        shippingDiscounts: shippingDiscount,
        orderDiscount: Math.max(0, discounts - lineDiscounts - shippingDiscount),
        discounts,
        tax: order.tax_amount === undefined || order.tax_amount === null ? sum(lines.map((l) => l.tax)) + shippingTax : m(order.tax_amount),
        duties: 0,
        tip: 0,
        total: m(order.grand_total),
        currentTotal: order.total_refunded === undefined || order.total_refunded === null ? null : m(order.grand_total) - m(order.total_refunded),
      },
    });
  } catch (e) {
    return connectorFailure('invalid_payload', `Magento order ${order.entity_id}: ${e instanceof Error ? e.message : String(e)}`);
  }
}
