/**
 * Shopify payloads -> canonical orders and refunds. Pure.
 *
 * Amounts: refund amounts are taken in the presentment currency (the currency the customer paid and was refunded
 * in, which is the currency of the refund transactions); a `*_set` is preferred over the bare number.
 * Tax: Shopify's refund line `subtotal` is tax-inclusive when the shop's prices include tax (`taxes_included`) and
 * tax-exclusive otherwise; canonical line amounts are gross, so the tax is added only in the second case.
 * Shipping: `refund_shipping_lines` when present; older payloads state it only as `shipping_refund` order
 * adjustments (negative), which are used then and ignored otherwise (the 2025-07 sample carries both for one
 * refund). `refund_discrepancy` adjustments are not copied as amounts: the refund posting computes the exact
 * difference between lines and refunded money itself and books it with a reason, so copying it would count it
 * twice; its reason is kept in the note.
 */
import { type Money, parseMoney } from '../../../core/money';
import type { CanonicalOrder, CanonicalOrderLine } from '../../../core/orders';
import type { CanonicalRefund, CanonicalRefundLine, CanonicalRefundTransaction, RefundTransactionStatus } from '../../../core/refunds';
import { type Result, connectorFailure, ok } from '../shared/errors';
import { parsePayload } from '../shared/parse';
import { z } from 'zod';
import { type ShopifyOrder, type ShopifyRefund, moneySet, shopifyOrder, shopifyRefund, webhookHeaders } from './schemas';

type MoneySet = z.output<typeof moneySet>;

export interface ShopifyRefundContext {
  /** The shop, e.g. 'shop1.myshopify.com'. */
  account: string;
  /** Known when the order was fetched; otherwise taken from the transactions or amount sets. */
  currency?: string;
  /** The order's `taxes_included`; default false. */
  taxesIncluded?: boolean;
  /** line_item_id -> SKU, for payloads that do not embed the line item. */
  skuByLineItemId?: ReadonlyMap<string, string>;
}

function refundCurrency(refund: ShopifyRefund, ctx: ShopifyRefundContext): string | undefined {
  if (ctx.currency) return ctx.currency;
  const fromTx = refund.transactions.find((t) => t.kind === 'refund' && t.currency)?.currency;
  if (fromTx) return fromTx;
  const set = refund.refund_line_items.find((l) => l.subtotal_set)?.subtotal_set ?? refund.refund_shipping_lines?.[0]?.subtotal_amount_set;
  return set?.presentment_money.currency_code;
}

function amountIn(currency: string, set: MoneySet | undefined, plain: string | number | undefined): number {
  if (set && set.presentment_money.currency_code.toUpperCase() === currency.toUpperCase()) {
    return parseMoney(set.presentment_money.amount, currency).amount;
  }
  if (plain !== undefined) return parseMoney(plain, currency).amount;
  if (set) return parseMoney(set.shop_money.amount, currency).amount;
  return 0;
}

const STATUS: Record<string, RefundTransactionStatus> = { success: 'success', pending: 'pending', failure: 'failure', error: 'error' };

/** restock_type 'return' (fulfilled goods back) and 'cancel' (unfulfilled) put stock back; 'no_restock' does not. */
function restocks(type: string | null | undefined): boolean {
  return type === 'return' || type === 'cancel' || type === 'legacy_restock';
}

export function mapRefund(refund: ShopifyRefund, ctx: ShopifyRefundContext): Result<CanonicalRefund> {
  const currency = refundCurrency(refund, ctx);
  if (!currency) return connectorFailure('invalid_payload', `Shopify refund ${refund.id} states no currency; fetch the order and pass its currency.`);
  const included = ctx.taxesIncluded ?? false;
  try {
    const lines: CanonicalRefundLine[] = refund.refund_line_items.map((l) => {
      const subtotal = amountIn(currency, l.subtotal_set, l.subtotal);
      const tax = amountIn(currency, l.total_tax_set, l.total_tax);
      return {
        sku: l.line_item?.sku ?? ctx.skuByLineItemId?.get(l.line_item_id) ?? '',
        lineId: l.line_item_id,
        quantity: l.quantity,
        amount: included ? subtotal : subtotal + tax,
        tax,
        restock: restocks(l.restock_type),
      };
    });

    let shipping = { amount: 0, tax: 0 };
    for (const s of refund.refund_shipping_lines ?? []) {
      const subtotal = amountIn(currency, s.subtotal_amount_set, undefined);
      const tax = amountIn(currency, s.tax_amount_set, undefined);
      shipping = { amount: shipping.amount + (included ? subtotal : subtotal + tax), tax: shipping.tax + tax };
    }
    if (shipping.amount === 0) {
      for (const a of refund.order_adjustments.filter((x) => x.kind === 'shipping_refund')) {
        const amount = -amountIn(currency, a.amount_set, a.amount);
        const tax = -amountIn(currency, a.tax_amount_set, a.tax_amount ?? 0);
        shipping = { amount: shipping.amount + (included ? amount : amount + tax), tax: shipping.tax + tax };
      }
    }

    const discrepancies = refund.order_adjustments.filter((a) => a.kind !== 'shipping_refund' && a.reason).map((a) => a.reason as string);
    const transactions: CanonicalRefundTransaction[] = refund.transactions
      .filter((t) => t.kind === 'refund')
      .map((t) => ({ id: t.id, amount: parseMoney(t.amount, currency).amount, status: STATUS[t.status] ?? 'error', gateway: t.gateway ?? 'unknown' }));

    const note = [refund.note ?? '', ...discrepancies].filter((s) => s !== '').join('; ');
    return ok({
      platform: 'shopify',
      account: ctx.account,
      refundId: refund.id,
      orderId: refund.order_id,
      currency: currency.toUpperCase(),
      lines,
      shipping,
      adjustments: [],
      transactions,
      note: note === '' ? null : note,
      createdAt: refund.processed_at ?? refund.created_at,
    });
  } catch (e) {
    return connectorFailure('invalid_payload', `Shopify refund ${refund.id}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

function times(m: Money, quantity: number): number {
  const total = m.amount * quantity;
  if (!Number.isSafeInteger(total)) throw new RangeError('line amount out of range');
  return total;
}

export function mapOrder(order: ShopifyOrder, account: string): Result<CanonicalOrder> {
  const currency = order.currency;
  try {
    const lines: CanonicalOrderLine[] = order.line_items.map((l) => {
      const gross = times(parseMoney(l.price, currency), l.quantity);
      const discount = l.discount_allocations
        ? l.discount_allocations.reduce((a, d) => a + parseMoney(d.amount, currency).amount, 0)
        : parseMoney(l.total_discount ?? '0', currency).amount;
      const tax = l.tax_lines.reduce((a, t) => a + parseMoney(t.price, currency).amount, 0);
      return { lineId: l.id, sku: l.sku ?? '', quantity: l.quantity, amount: gross - discount + (order.taxes_included ? 0 : tax), tax };
    });
    const shipping = order.shipping_lines.reduce(
      (acc, s) => {
        const price = parseMoney(s.discounted_price ?? s.price, currency).amount;
        const tax = s.tax_lines.reduce((a, t) => a + parseMoney(t.price, currency).amount, 0);
        return { amount: acc.amount + price + (order.taxes_included ? 0 : tax), tax: acc.tax + tax };
      },
      { amount: 0, tax: 0 },
    );
    const customer = order.customer;
    const name = customer ? [customer.first_name, customer.last_name].filter(Boolean).join(' ') : '';
    return ok({
      platform: 'shopify',
      account,
      orderId: order.id,
      orderNumber: order.name,
      currency: currency.toUpperCase(),
      taxesIncluded: order.taxes_included,
      customer: { email: order.email ?? customer?.email ?? null, name: name || null, platformCustomerId: customer?.id ?? null },
      lines,
      shipping,
      total: parseMoney(order.total_price, currency).amount,
      createdAt: order.created_at,
    });
  } catch (e) {
    return connectorFailure('invalid_payload', `Shopify order ${order.id}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

export type ShopifyWebhook =
  | { topic: 'refunds/create'; delivery: ShopifyDelivery; refund: ShopifyRefund }
  | { topic: 'orders/create' | 'orders/updated'; delivery: ShopifyDelivery; order: ShopifyOrder }
  | { topic: 'other'; delivery: ShopifyDelivery; body: unknown };

export interface ShopifyDelivery {
  topic: string;
  shopDomain: string;
  /** Unique per delivery attempt (X-Shopify-Webhook-Id). */
  webhookId: string;
  /** Shared by every delivery of one merchant action (X-Shopify-Event-Id): the de-duplication key. */
  eventId: string;
  triggeredAt: string | null;
  apiVersion: string | null;
}

/**
 * Reads a Shopify webhook delivery. This does NOT check the signature: the intake verifies X-Shopify-Hmac-Sha256
 * on the raw body (middleware/webhooks/verify) before anything here runs.
 */
export function parseWebhook(rawBody: string | Buffer, headers: Record<string, string | string[] | undefined>): Result<ShopifyWebhook> {
  const flat: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) if (v !== undefined) flat[k.toLowerCase()] = Array.isArray(v) ? (v[0] ?? '') : v;
  const h = webhookHeaders.safeParse(flat);
  if (!h.success) return connectorFailure('invalid_payload', `Shopify webhook headers are missing: ${h.error.issues.map((i) => i.path.join('.')).join(', ')}`);
  const delivery: ShopifyDelivery = {
    topic: h.data['x-shopify-topic'],
    shopDomain: h.data['x-shopify-shop-domain'],
    webhookId: h.data['x-shopify-webhook-id'],
    eventId: h.data['x-shopify-event-id'] ?? h.data['x-shopify-webhook-id'],
    triggeredAt: h.data['x-shopify-triggered-at'] ?? null,
    apiVersion: h.data['x-shopify-api-version'] ?? null,
  };
  if (delivery.topic === 'refunds/create') {
    const refund = parsePayload(shopifyRefund, rawBody, 'Shopify refunds/create webhook');
    return refund.ok ? ok({ topic: 'refunds/create', delivery, refund: refund.value }) : refund;
  }
  if (delivery.topic === 'orders/create' || delivery.topic === 'orders/updated') {
    const order = parsePayload(shopifyOrder, rawBody, `Shopify ${delivery.topic} webhook`);
    return order.ok ? ok({ topic: delivery.topic, delivery, order: order.value }) : order;
  }
  const body = parsePayload(z.unknown(), rawBody, 'Shopify webhook');
  return body.ok ? ok({ topic: 'other', delivery, body: body.value }) : body;
}
