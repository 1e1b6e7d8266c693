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
import type { CanonicalOrder, CanonicalOrderLine, CanonicalOrderTotals, CanonicalShippingLine, CanonicalTaxLine } from '../../../core/orders';
import type { CanonicalRefund, CanonicalRefundLine, CanonicalRefundTransaction, RefundTransactionStatus } from '../../../core/refunds';
import { type Result, connectorFailure, ok } from '../shared/errors';
import { parsePayload } from '../shared/parse';
import { z } from 'zod';
import { type ShopifyOrder, type ShopifyRefund, moneySet, shopifyOrder, shopifyRefund, webhookHeaders } from './schemas';

type MoneySet = z.output<typeof moneySet>;

export interface ShopifyRefundContext {
  /** The shop, e.g. 'shop1.myshopify.com'. */
  account: string;
  /** The order's currency, known when the order was fetched; otherwise taken from the transactions or amount sets. */
  currency?: string;
  /** The shop's currency: the last fallback when neither the order, the transactions nor the amounts state one. */
  shopCurrency?: string;
  /** The order's `taxes_included`; default false. */
  taxesIncluded?: boolean;
  /** line_item_id -> SKU, for payloads that do not embed the line item. */
  skuByLineItemId?: ReadonlyMap<string, string>;
}

function refundCurrency(refund: ShopifyRefund, ctx: ShopifyRefundContext): string | undefined {
  if (ctx.currency) return ctx.currency;
  const fromTx = refund.transactions.find((t) => t.kind === 'refund' && t.currency)?.currency;
  if (fromTx) return fromTx;
  // Shopify's refunds/create sample has `currency: null` on its transactions: the refund's own amounts say it.
  const set = refund.refund_line_items.find((l) => l.subtotal_set)?.subtotal_set ?? refund.refund_shipping_lines?.[0]?.subtotal_amount_set;
  return set?.presentment_money.currency_code ?? ctx.shopCurrency;
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
  if (!currency) {
    return connectorFailure('invalid_payload', `Shopify refund ${refund.id}: refund.transactions[].currency is null and no amount set states a currency: fetch the order (GET orders/${refund.order_id}.json) and pass its currency, or configure the shop currency on the channel.`);
  }
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

type ShopifyTaxLine = ShopifyOrder['line_items'][number]['tax_lines'][number];

function taxLinesOf(lines: readonly ShopifyTaxLine[], currency: string): CanonicalTaxLine[] {
  return lines.map((t) => ({ title: t.title ?? null, rate: t.rate === undefined || t.rate === null ? null : String(t.rate), amount: parseMoney(t.price, currency).amount }));
}

const sum = (values: readonly number[]): number => values.reduce((a, v) => a + v, 0);

function dutyAmount(d: ShopifyOrder['line_items'][number]['duties'][number], currency: string): number {
  const money = d.price_set?.shop_money ?? d.shop_money;
  return money ? parseMoney(money.amount, currency).amount : 0;
}

/**
 * A Shopify order (REST `order`, orders/create, orders/paid, orders/updated webhooks) -> canonical order.
 * Amounts are in the shop currency (`currency`); `presentmentCurrency` says what the buyer paid in.
 * `totals` holds Shopify's stated totals and the parts that reproduce `total_price`: discounts allocated to lines,
 * shipping after its discounts, and the rest of `total_discounts` as an order-level discount (Shopify's docs
 * sample counts a discount in `total_discounts` that no line or shipping line carries).
 */
export function mapOrder(order: ShopifyOrder, account: string): Result<CanonicalOrder> {
  const currency = order.currency;
  try {
    const m = (v: string | number | null | undefined) => (v === undefined || v === null ? 0 : parseMoney(v, currency).amount);
    const fulfilledAt = new Map<string, string>();
    for (const f of order.fulfillments) for (const li of f.line_items) if (f.location_id) fulfilledAt.set(li.id, f.location_id);
    const lines: CanonicalOrderLine[] = order.line_items.map((l) => {
      const unit = parseMoney(l.price, currency);
      const gross = times(unit, l.quantity);
      const discount = l.discount_allocations ? sum(l.discount_allocations.map((d) => m(d.amount))) : m(l.total_discount);
      const taxLines = taxLinesOf(l.tax_lines, currency);
      const tax = sum(taxLines.map((t) => t.amount));
      const duties = sum(l.duties.map((d) => dutyAmount(d, currency)));
      return {
        lineId: l.id,
        sku: l.sku ?? '',
        quantity: l.quantity,
        amount: gross - discount + (order.taxes_included ? 0 : tax),
        tax,
        unitPrice: unit.amount,
        discount,
        taxLines,
        duties,
        locationId: fulfilledAt.get(l.id) ?? null,
      };
    });
    const shippingLines: CanonicalShippingLine[] = order.shipping_lines.map((s) => {
      const price = m(s.price);
      const allocated = sum(s.discount_allocations.map((d) => m(d.amount)));
      const discountedPrice = s.discounted_price === undefined || s.discounted_price === null ? price - allocated : m(s.discounted_price);
      const taxLines = taxLinesOf(s.tax_lines, currency);
      return { lineId: s.id ?? null, title: s.title ?? s.code ?? null, price, discountedPrice, tax: sum(taxLines.map((t) => t.amount)), taxLines };
    });
    const shipping = shippingLines.reduce(
      (acc, s) => ({ amount: acc.amount + s.discountedPrice + (order.taxes_included ? 0 : s.tax), tax: acc.tax + s.tax }),
      { amount: 0, tax: 0 },
    );
    const lineItems = sum(lines.map((l) => (l.unitPrice ?? 0) * l.quantity));
    const lineDiscounts = sum(lines.map((l) => l.discount ?? 0));
    const shippingDiscounts = sum(shippingLines.map((s) => s.price - s.discountedPrice));
    const lineTax = sum(lines.map((l) => l.tax)) + shipping.tax;
    const discounts = order.total_discounts === undefined || order.total_discounts === null ? lineDiscounts + shippingDiscounts : m(order.total_discounts);
    const tax = order.total_tax === undefined || order.total_tax === null ? lineTax : m(order.total_tax);
    const totals: CanonicalOrderTotals = {
      lineItems,
      lineDiscounts,
      shipping: sum(shippingLines.map((s) => s.discountedPrice)),
      shippingDiscounts,
      orderDiscount: Math.max(0, discounts - lineDiscounts - shippingDiscounts),
      discounts,
      tax,
      duties: sum(lines.map((l) => l.duties ?? 0)),
      tip: m(order.total_tip_received),
      total: m(order.total_price),
      currentTotal: order.current_total_price === undefined || order.current_total_price === null ? null : m(order.current_total_price),
    };
    const customer = order.customer;
    const name = customer ? [customer.first_name, customer.last_name].filter(Boolean).join(' ') : '';
    return ok({
      platform: 'shopify',
      account,
      orderId: order.id,
      orderNumber: order.name ?? (order.order_number === undefined || order.order_number === null ? order.id : `#${order.order_number}`),
      currency: currency.toUpperCase(),
      taxesIncluded: order.taxes_included,
      customer: { email: order.email || customer?.email || null, name: name || null, platformCustomerId: customer?.id ?? null },
      lines,
      shipping,
      total: totals.total,
      createdAt: order.created_at,
      presentmentCurrency: order.presentment_currency?.toUpperCase() ?? null,
      financialStatus: order.financial_status ?? null,
      cancelledAt: order.cancelled_at ?? null,
      cancelReason: order.cancel_reason ?? null,
      locationId: order.location_id ?? order.fulfillments.find((f) => f.location_id)?.location_id ?? null,
      shippingLines,
      discountApplications: order.discount_applications.map((d) => ({
        type: d.type ?? null,
        label: d.code ?? d.title ?? d.description ?? null,
        valueType: d.value_type ?? null,
        value: d.value === undefined || d.value === null ? null : String(d.value),
        targetType: d.target_type ?? null,
        allocationMethod: d.allocation_method ?? null,
      })),
      totals,
    });
  } catch (e) {
    return connectorFailure('invalid_payload', `Shopify order ${order.id}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

export type ShopifyWebhook =
  | { topic: 'refunds/create'; delivery: ShopifyDelivery; refund: ShopifyRefund }
  | { topic: 'orders/create' | 'orders/updated' | 'orders/paid'; delivery: ShopifyDelivery; order: ShopifyOrder }
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
    const refund = parsePayload(shopifyRefund, rawBody, 'Shopify refunds/create webhook', { root: 'refund' });
    return refund.ok ? ok({ topic: 'refunds/create', delivery, refund: refund.value }) : refund;
  }
  if (delivery.topic === 'orders/create' || delivery.topic === 'orders/updated' || delivery.topic === 'orders/paid') {
    const order = parsePayload(shopifyOrder, rawBody, `Shopify ${delivery.topic} webhook`, { root: 'order' });
    return order.ok ? ok({ topic: delivery.topic, delivery, order: order.value }) : order;
  }
  const body = parsePayload(z.unknown(), rawBody, 'Shopify webhook');
  return body.ok ? ok({ topic: 'other', delivery, body: body.value }) : body;
}
