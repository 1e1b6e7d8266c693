/**
 * Simulated Shopify store: the Admin REST calls the connector uses (API 2025-07) and signed refunds/create
 * webhooks. Shapes follow Shopify's REST reference and its published samples (test/fixtures/conformance/shopify):
 *   GET  /admin/api/{v}/orders/{id}.json
 *   GET  /admin/api/{v}/orders/{id}/transactions.json
 *   GET  /admin/api/{v}/orders/{id}/refunds.json, /refunds/{refund_id}.json
 *   POST /admin/api/{v}/orders/{id}/refunds/calculate.json  (suggested_refund transactions)
 *   POST /admin/api/{v}/orders/{id}/refunds.json            (transactions must be kind "refund" with a parent_id)
 * Every request needs X-Shopify-Access-Token. Ids start above 2^53 and go out as bare JSON numbers, as Shopify's
 * 64-bit ids do. Webhooks carry X-Shopify-Hmac-Sha256 = base64(HMAC-SHA256(secret, raw body)).
 * Order and refund objects carry every field the connector reads with the JSON types of Shopify's published
 * samples (test/fixtures/conformance/shopify): discount allocations, tax lines with money sets, duties, shipping
 * lines with discounted price, discount applications, financial_status, cancelled_at / cancel_reason,
 * location_id, fulfillments, current_total_price; refund transactions may state `currency: null` in webhooks,
 * as Shopify's refunds/create sample does.
 */
import { createHmac, randomUUID } from 'node:crypto';
import { allocate, formatMoney, money, parseMoney } from '../../../core/money';
import { JsonNumber, parseJson, stringifyJson } from '../../connectors/shared/json';
import { type RequestLog, type Route, type SimRequest, type SimResponse, idSequence, numericIds, startServer } from '../shared/server';
import { expectState, openSimulatorState, restoreMap, trackChanges, type SimulatorPersistence } from '../shared/state';

export interface ShopifySimLineInput {
  sku: string;
  title?: string;
  quantity: number;
  /** Unit price as a decimal string. */
  price: string;
  /** Tax rate in basis points (600 = 6%). */
  taxRateBps?: number;
  /** A discount on the whole line as a decimal string (a discount code allocated to this line). */
  discount?: string;
}

export interface ShopifySimOrderInput {
  currency?: string;
  taxesIncluded?: boolean;
  email?: string;
  customer?: { firstName: string; lastName: string };
  lines: ShopifySimLineInput[];
  /** Shipping price as a decimal string. */
  shipping?: string;
  /** The discount code whose allocations the line discounts are (default 'SAVE' when a line has a discount). */
  discountCode?: string;
}

interface SimLine {
  id: string;
  sku: string;
  title: string;
  quantity: number;
  unitPrice: number;
  /** Line tax, minor units (on the discounted amount). */
  tax: number;
  /** Discount allocated to the whole line, minor units. */
  discount: number;
  taxRateBps: number;
  refundedQuantity: number;
}

export interface SimOrder {
  id: string;
  name: string;
  currency: string;
  taxesIncluded: boolean;
  email: string;
  customer: { id: string; firstName: string; lastName: string };
  lines: SimLine[];
  shippingLineId: string;
  shipping: number;
  shippingRefunded: number;
  saleTransactionId: string;
  total: number;
  refunded: number;
  createdAt: string;
  discountCode: string | null;
  cancelledAt: string | null;
  cancelReason: string | null;
}

export interface WebhookDelivery {
  topic: string;
  headers: Record<string, string>;
  body: string;
  status: number | null;
  error: string | null;
}

export interface ShopifySimulatorOptions {
  shopDomain?: string;
  accessToken?: string;
  /** The app's webhook signing secret (the API secret key). */
  webhookSecret?: string;
  /** Where refunds/create webhooks go; none = not delivered (recorded only). */
  webhookUrl?: string;
  /** Seed the realistic sample orders; default true. */
  seedSampleOrders?: boolean;
  /**
   * Refund transactions' `currency` in refunds/create webhook bodies: 'stated' (default) or 'null', as in Shopify's
   * published refunds/create sample. REST answers always state it.
   */
  webhookTransactionCurrency?: 'stated' | 'null';
  /**
   * Order objects as Shopify publishes them (JSON text, e.g. a webhook reference sample), served verbatim as
   * `{"order": …}` by GET orders/{id}.json under the object's own id (exact past 2^53). They are read-only:
   * no refunds, calculate or transactions.
   */
  publishedOrders?: readonly string[];
  now?: () => Date;
}

export interface RefundIssue {
  lines?: { sku: string; quantity: number; restock?: boolean }[];
  /** 'full' or a decimal string. */
  shipping?: 'full' | string;
  note?: string;
  /** Money to refund; default: what calculate suggests. A different amount makes Shopify record a discrepancy. */
  amount?: string;
  /** Outcome of the refund transaction; default 'success'. */
  transactionStatus?: 'success' | 'pending' | 'failure';
}

type ApiError = { status: number; body: unknown };
const isError = (v: unknown): v is ApiError => typeof v === 'object' && v !== null && 'status' in v && 'body' in v;

export const SHOPIFY_SIM_DEFAULTS = {
  shopDomain: 'ledgerbridge-sandbox.myshopify.com',
  accessToken: 'shpat_sandbox_token',
  webhookSecret: 'shopify_sandbox_webhook_secret',
} as const;

export async function startShopifySimulator(options: ShopifySimulatorOptions & SimulatorPersistence = {}) {
  const shopDomain = options.shopDomain ?? SHOPIFY_SIM_DEFAULTS.shopDomain;
  const accessToken = options.accessToken ?? SHOPIFY_SIM_DEFAULTS.accessToken;
  const webhookSecret = options.webhookSecret ?? SHOPIFY_SIM_DEFAULTS.webhookSecret;
  let webhookUrl = options.webhookUrl;
  const now = options.now ?? (() => new Date());
  const nextId = idSequence('9007199254740993');
  let orderNumber = 1000;

  const state = {
    orders: new Map<string, SimOrder>(),
    /** Refund objects as the API returns them, by order id. */
    refunds: new Map<string, Record<string, unknown>[]>(),
    deliveries: [] as WebhookDelivery[],
    requests: [] as RequestLog,
  };

  // With a state file (shared/state.ts): orders, refunds, the id sequence and order numbers survive a restart
  // (webhook deliveries and the request log do not).
  const persisted = openSimulatorState('shopify', options);
  const saved = (persisted?.read() ?? null) as Record<string, unknown> | null;
  if (persisted && saved) {
    expectState(typeof saved.nextId === 'string' && typeof saved.orderNumber === 'number', persisted.file, 'nextId and orderNumber are required');
    nextId.resume(saved.nextId as string);
    orderNumber = saved.orderNumber as number;
    restoreMap(state.orders, saved.orders, persisted.file, 'orders');
    expectState(saved.refunds instanceof Map, persisted.file, 'refunds must be a map');
    for (const [k, v] of saved.refunds as Map<string, unknown>) {
      expectState(Array.isArray(v), persisted.file, 'refunds holds an entry that is not a list');
      state.refunds.set(k, v as Record<string, unknown>[]);
    }
  }
  const snapshot = () => ({ nextId: nextId.peek(), orderNumber, orders: state.orders, refunds: state.refunds });

  const fmt = (amount: number, currency: string) => formatMoney(money(amount, currency));
  const moneySet = (amount: number, currency: string) => ({
    shop_money: { amount: fmt(amount, currency), currency_code: currency },
    presentment_money: { amount: fmt(amount, currency), currency_code: currency },
  });

  function lineTax(amount: number, bps: number, included: boolean): number {
    // Integer rounding half up: tax = amount * bps / 10000 (exclusive) or the tax inside a gross amount (inclusive).
    if (included) return amount - Math.floor((amount * 10_000 + Math.floor((10_000 + bps) / 2)) / (10_000 + bps));
    return Math.floor((amount * bps + 5_000) / 10_000);
  }

  function createOrder(input: ShopifySimOrderInput): SimOrder {
    const currency = input.currency ?? 'USD';
    const included = input.taxesIncluded ?? false;
    const lines: SimLine[] = input.lines.map((l) => {
      const unitPrice = parseMoney(l.price, currency).amount;
      const bps = l.taxRateBps ?? 0;
      const discount = parseMoney(l.discount ?? '0', currency).amount;
      if (discount > unitPrice * l.quantity) throw new RangeError(`line ${l.sku}: the discount exceeds the line price`);
      const net = unitPrice * l.quantity - discount;
      return { id: nextId(), sku: l.sku, title: l.title ?? l.sku, quantity: l.quantity, unitPrice, discount, tax: lineTax(net, bps, included), taxRateBps: bps, refundedQuantity: 0 };
    });
    const shipping = parseMoney(input.shipping ?? '0', currency).amount;
    const goods = lines.reduce((a, l) => a + l.unitPrice * l.quantity - l.discount + (included ? 0 : l.tax), 0);
    orderNumber += 1;
    const order: SimOrder = {
      id: nextId(),
      name: `#${orderNumber}`,
      currency,
      taxesIncluded: included,
      email: input.email ?? `customer${orderNumber}@example.com`,
      customer: { id: nextId(), firstName: input.customer?.firstName ?? 'Sam', lastName: input.customer?.lastName ?? `Buyer${orderNumber}` },
      lines,
      shippingLineId: nextId(),
      shipping,
      shippingRefunded: 0,
      saleTransactionId: nextId(),
      total: goods + shipping,
      refunded: 0,
      createdAt: now().toISOString(),
      discountCode: lines.some((l) => l.discount > 0) ? (input.discountCode ?? 'SAVE') : null,
      cancelledAt: null,
      cancelReason: null,
    };
    state.orders.set(order.id, order);
    state.refunds.set(order.id, []);
    return order;
  }

  const taxLineJson = (amount: number, bps: number, c: string) => ({ price: fmt(amount, c), rate: bps / 10_000, title: 'Tax', price_set: moneySet(amount, c), channel_liable: false });

  function orderJson(o: SimOrder) {
    const c = o.currency;
    const sum = (xs: number[]) => xs.reduce((a, x) => a + x, 0);
    const lineItemsPrice = sum(o.lines.map((l) => l.unitPrice * l.quantity));
    const discounts = sum(o.lines.map((l) => l.discount));
    const tax = sum(o.lines.map((l) => l.tax));
    const current = o.total - o.refunded;
    return {
      id: o.id,
      name: o.name,
      order_number: Number(o.name.slice(1)),
      email: o.email,
      currency: c,
      presentment_currency: c,
      taxes_included: o.taxesIncluded,
      created_at: o.createdAt,
      cancelled_at: o.cancelledAt,
      cancel_reason: o.cancelReason,
      location_id: null,
      financial_status: o.cancelledAt ? 'voided' : o.refunded === 0 ? 'paid' : o.refunded >= o.total ? 'refunded' : 'partially_refunded',
      total_line_items_price: fmt(lineItemsPrice, c),
      subtotal_price: fmt(lineItemsPrice - discounts, c),
      total_discounts: fmt(discounts, c),
      total_tax: fmt(tax, c),
      total_tip_received: fmt(0, c),
      total_price: fmt(o.total, c),
      current_total_price: fmt(current, c),
      total_price_set: moneySet(o.total, c),
      discount_codes: o.discountCode ? [{ code: o.discountCode, amount: fmt(discounts, c), type: 'fixed_amount' }] : [],
      discount_applications: o.discountCode
        ? [{ target_type: 'line_item', type: 'discount_code', value: fmt(discounts, c), value_type: 'fixed_amount', allocation_method: 'each', target_selection: 'entitled', code: o.discountCode }]
        : [],
      customer: { id: o.customer.id, email: o.email, first_name: o.customer.firstName, last_name: o.customer.lastName },
      line_items: o.lines.map((l) => ({
        id: l.id,
        sku: l.sku,
        title: l.title,
        name: l.title,
        quantity: l.quantity,
        current_quantity: l.quantity - l.refundedQuantity,
        fulfillable_quantity: l.quantity - l.refundedQuantity,
        price: fmt(l.unitPrice, c),
        price_set: moneySet(l.unitPrice, c),
        total_discount: fmt(0, c),
        total_discount_set: moneySet(0, c),
        discount_allocations: l.discount > 0 ? [{ amount: fmt(l.discount, c), amount_set: moneySet(l.discount, c), discount_application_index: 0 }] : [],
        duties: [],
        taxable: l.taxRateBps > 0,
        tax_lines: l.taxRateBps > 0 ? [taxLineJson(l.tax, l.taxRateBps, c)] : [],
        admin_graphql_api_id: `gid://shopify/LineItem/${l.id}`,
      })),
      shipping_lines:
        o.shipping > 0
          ? [
              {
                id: o.shippingLineId,
                title: 'Standard',
                code: 'Standard',
                source: 'shopify',
                price: fmt(o.shipping, c),
                price_set: moneySet(o.shipping, c),
                discounted_price: fmt(o.shipping, c),
                discounted_price_set: moneySet(o.shipping, c),
                tax_lines: [],
                discount_allocations: [],
              },
            ]
          : [],
      fulfillments: [],
      refunds: state.refunds.get(o.id) ?? [],
      admin_graphql_api_id: `gid://shopify/Order/${o.id}`,
    };
  }

  /** The merchant cancels the order in Shopify admin (cancelled_at, cancel_reason, financial_status voided). */
  function cancelOrder(orderId: string, reason: 'customer' | 'fraud' | 'inventory' | 'declined' | 'other' = 'customer'): SimOrder {
    const o = state.orders.get(orderId);
    if (!o) throw new Error(`no simulated order ${orderId}`);
    o.cancelledAt = now().toISOString();
    o.cancelReason = reason;
    return o;
  }

  function saleTransaction(o: SimOrder) {
    return { id: o.saleTransactionId, order_id: o.id, kind: 'sale', status: 'success', amount: fmt(o.total, o.currency), currency: o.currency, gateway: 'shopify_payments', parent_id: null, created_at: o.createdAt };
  }

  /** Money, tax and stock for refunding `quantity` more units of a line: units are priced by exact allocation. */
  function refundLineAmounts(o: SimOrder, line: SimLine, quantity: number) {
    const c = o.currency;
    const units = Array.from({ length: line.quantity }, () => 1);
    const price = allocate(money(line.unitPrice * line.quantity - line.discount, c), units);
    const tax = allocate(money(line.tax, c), units);
    const from = line.refundedQuantity;
    const take = (parts: { amount: number }[]) => parts.slice(from, from + quantity).reduce((a, p) => a + p.amount, 0);
    const subtotal = take(price);
    const lineTaxAmount = take(tax);
    // REST `subtotal` is tax-inclusive in tax-inclusive shops.
    return { subtotal, tax: lineTaxAmount, gross: o.taxesIncluded ? subtotal : subtotal + lineTaxAmount };
  }

  interface LineRequest { line: SimLine; quantity: number; restockType: string; locationId: string | null }

  function readRefundRequest(o: SimOrder, body: unknown): { lines: LineRequest[]; shipping: number; raw: Record<string, unknown> } | ApiError {
    const refund = (body as { refund?: Record<string, unknown> } | undefined)?.refund;
    if (!refund || typeof refund !== 'object') return { status: 400, body: { errors: { refund: 'Required parameter missing or invalid' } } };
    const lines: LineRequest[] = [];
    for (const item of (refund.refund_line_items as Record<string, unknown>[] | undefined) ?? []) {
      const line = o.lines.find((l) => l.id === String(item.line_item_id));
      const quantity = Number(item.quantity);
      if (!line) return { status: 422, body: { errors: { refund_line_items: [`Line item ${String(item.line_item_id)} does not belong to order`] } } };
      if (!Number.isInteger(quantity) || quantity < 1 || quantity > line.quantity - line.refundedQuantity) {
        return { status: 422, body: { errors: { refund_line_items: [`Quantity cannot refund more items than were purchased`] } } };
      }
      const restockType = String(item.restock_type ?? 'no_restock');
      if (!['no_restock', 'cancel', 'return'].includes(restockType)) return { status: 422, body: { errors: { restock_type: [`${restockType} is not a valid restock type`] } } };
      lines.push({ line, quantity, restockType, locationId: item.location_id === undefined || item.location_id === null ? null : String(item.location_id) });
    }
    const ship = refund.shipping as { full_refund?: boolean; amount?: string | number } | undefined;
    const remainingShipping = o.shipping - o.shippingRefunded;
    let shipping = 0;
    if (ship?.full_refund === true) shipping = remainingShipping;
    else if (ship?.amount !== undefined) {
      if (refund.currency === undefined) return { status: 422, body: { errors: { currency: ['is required when refunding shipping'] } } };
      shipping = parseMoney(ship.amount, o.currency).amount;
      if (shipping > remainingShipping) return { status: 422, body: { errors: { shipping: ['Shipping amount cannot be greater than the refundable shipping amount'] } } };
    }
    return { lines, shipping, raw: refund };
  }

  const remainingOnSale = (o: SimOrder) => o.total - o.refunded;

  function calculate(o: SimOrder, body: unknown): SimResponse {
    const req = readRefundRequest(o, body);
    if (isError(req)) return req;
    const c = o.currency;
    const lineItems = req.lines.map((r) => {
      const a = refundLineAmounts(o, r.line, r.quantity);
      return { line_item_id: r.line.id, quantity: r.quantity, restock_type: r.restockType, price: fmt(r.line.unitPrice, c), subtotal: fmt(a.subtotal, c), total_tax: fmt(a.tax, c), discounted_price: fmt(r.line.unitPrice, c), discounted_total_price: fmt(a.subtotal, c), total_cart_discount_amount: fmt(r.line.unitPrice * r.quantity - a.subtotal, c) };
    });
    const amount = Math.min(remainingOnSale(o), req.lines.reduce((acc, r) => acc + refundLineAmounts(o, r.line, r.quantity).gross, 0) + req.shipping);
    return {
      status: 200,
      body: numericIds({
        refund: {
          currency: c,
          shipping: { amount: fmt(req.shipping, c), tax: fmt(0, c), maximum_refundable: fmt(o.shipping - o.shippingRefunded, c) },
          duties: [],
          refund_line_items: lineItems,
          transactions: [
            { order_id: o.id, kind: 'suggested_refund', gateway: 'shopify_payments', parent_id: o.saleTransactionId, amount: fmt(amount, c), currency: c, maximum_refundable: fmt(remainingOnSale(o), c) },
          ],
        },
      }),
    };
  }

  function create(o: SimOrder, body: unknown, status: 'success' | 'pending' | 'failure' = 'success'): SimResponse & { refund?: Record<string, unknown> } {
    const req = readRefundRequest(o, body);
    if (isError(req)) return req;
    const c = o.currency;
    const txs = (req.raw.transactions as Record<string, unknown>[] | undefined) ?? [];
    let txTotal = 0;
    for (const t of txs) {
      if (t.kind !== 'refund') return { status: 422, body: { errors: { transactions: ['kind must be refund (change suggested_refund to refund)'] } } };
      if (String(t.parent_id) !== o.saleTransactionId) return { status: 422, body: { errors: { transactions: ['parent_id is not a capture or sale transaction of this order'] } } };
      const amount = parseMoney(t.amount as string | number, c).amount;
      if (amount <= 0) return { status: 422, body: { errors: { transactions: ['amount must be greater than 0'] } } };
      txTotal += amount;
    }
    if (txTotal > remainingOnSale(o)) return { status: 422, body: { errors: { base: ['Refund amount must be less than or equal to the refundable amount'] } } };

    const refundId = nextId();
    const createdAt = now().toISOString();
    const computed = req.lines.map((r) => ({ r, a: refundLineAmounts(o, r.line, r.quantity) }));
    const calculatedTotal = computed.reduce((acc, x) => acc + x.a.gross, 0) + req.shipping;
    const adjustments: Record<string, unknown>[] = [];
    if (req.shipping > 0) {
      adjustments.push({ id: nextId(), order_id: o.id, refund_id: refundId, amount: fmt(-req.shipping, c), tax_amount: fmt(0, c), kind: 'shipping_refund', reason: 'Shipping refund', amount_set: moneySet(-req.shipping, c), tax_amount_set: moneySet(0, c) });
    }
    if (status === 'success' && txTotal !== calculatedTotal) {
      // Shopify records the gap between calculated and refunded money as a refund_discrepancy adjustment.
      const gap = calculatedTotal - txTotal;
      adjustments.push({ id: nextId(), order_id: o.id, refund_id: refundId, amount: fmt(gap, c), tax_amount: fmt(0, c), kind: 'refund_discrepancy', reason: 'Refund discrepancy', amount_set: moneySet(gap, c), tax_amount_set: moneySet(0, c) });
    }
    const refund = {
      id: refundId,
      order_id: o.id,
      created_at: createdAt,
      processed_at: createdAt,
      note: (req.raw.note as string | undefined) ?? null,
      user_id: null,
      restock: req.lines.some((r) => r.restockType !== 'no_restock'),
      duties: [],
      return: null,
      admin_graphql_api_id: `gid://shopify/Refund/${refundId}`,
      refund_line_items: computed.map(({ r, a }) => ({
        id: nextId(),
        line_item_id: r.line.id,
        quantity: r.quantity,
        restock_type: r.restockType,
        location_id: r.locationId === null ? null : /^\d+$/.test(r.locationId) ? new JsonNumber(r.locationId) : r.locationId,
        subtotal: new JsonNumber(fmt(a.subtotal, c)),
        total_tax: new JsonNumber(fmt(a.tax, c)),
        subtotal_set: moneySet(a.subtotal, c),
        total_tax_set: moneySet(a.tax, c),
        line_item: {
          id: r.line.id,
          sku: r.line.sku,
          title: r.line.title,
          quantity: r.line.quantity,
          price: fmt(r.line.unitPrice, c),
          price_set: moneySet(r.line.unitPrice, c),
          discount_allocations: r.line.discount > 0 ? [{ amount: fmt(r.line.discount, c), amount_set: moneySet(r.line.discount, c), discount_application_index: 0 }] : [],
          tax_lines: r.line.taxRateBps > 0 ? [taxLineJson(r.line.tax, r.line.taxRateBps, c)] : [],
          duties: [],
        },
      })),
      refund_shipping_lines:
        req.shipping > 0 ? [{ id: nextId(), shipping_line_id: o.shippingLineId, subtotal_amount_set: moneySet(req.shipping, c), tax_amount_set: moneySet(0, c) }] : [],
      order_adjustments: adjustments,
      transactions: txs.map((t) => ({
        id: nextId(),
        order_id: o.id,
        kind: 'refund',
        gateway: String(t.gateway ?? 'shopify_payments'),
        status,
        message: status === 'success' ? 'Refund processed' : status === 'pending' ? 'Refund pending' : 'Refund declined',
        created_at: createdAt,
        processed_at: createdAt,
        parent_id: o.saleTransactionId,
        amount: fmt(parseMoney(t.amount as string | number, c).amount, c),
        currency: c,
        test: true,
        admin_graphql_api_id: `gid://shopify/OrderTransaction/${refundId}`,
      })),
    };
    for (const r of req.lines) r.line.refundedQuantity += r.quantity;
    o.shippingRefunded += req.shipping;
    if (status !== 'failure') o.refunded += txTotal;
    state.refunds.get(o.id)?.push(refund);
    return { status: 201, body: numericIds({ refund }), refund };
  }

  function sign(body: string): string {
    return createHmac('sha256', webhookSecret).update(body, 'utf8').digest('base64');
  }

  async function send(delivery: WebhookDelivery): Promise<WebhookDelivery> {
    if (!webhookUrl) return delivery;
    try {
      const res = await fetch(webhookUrl, { method: 'POST', headers: delivery.headers, body: delivery.body, signal: AbortSignal.timeout(5_000) });
      delivery.status = res.status;
      delivery.error = null;
    } catch (e) {
      delivery.status = null;
      delivery.error = e instanceof Error ? e.message : String(e);
    }
    return delivery;
  }

  /** Signs and POSTs a webhook (when a URL is set); every delivery is recorded in state.deliveries. */
  async function deliverWebhook(topic: string, payload: unknown): Promise<WebhookDelivery> {
    const body = stringifyJson(numericIds(topic === 'refunds/create' ? webhookRefund(payload) : payload));
    const delivery: WebhookDelivery = {
      topic,
      body,
      status: null,
      error: null,
      headers: {
        'Content-Type': 'application/json',
        'X-Shopify-Topic': topic,
        'X-Shopify-Hmac-Sha256': sign(body),
        'X-Shopify-Shop-Domain': shopDomain,
        'X-Shopify-API-Version': '2025-07',
        'X-Shopify-Webhook-Id': randomUUID(),
        'X-Shopify-Event-Id': randomUUID(),
        'X-Shopify-Triggered-At': now().toISOString(),
      },
    };
    state.deliveries.push(delivery);
    return send(delivery);
  }

  function webhookRefund(payload: unknown): unknown {
    if (options.webhookTransactionCurrency !== 'null' || payload === null || typeof payload !== 'object') return payload;
    const refund = payload as { transactions?: Record<string, unknown>[] };
    return { ...refund, transactions: (refund.transactions ?? []).map((t) => ({ ...t, currency: null })) };
  }

  /** Shopify retries a failed delivery with the original payload and headers; this does the same on demand. */
  async function redeliver(delivery: WebhookDelivery): Promise<WebhookDelivery> {
    const again: WebhookDelivery = { ...delivery, headers: { ...delivery.headers }, status: null, error: null };
    state.deliveries.push(again);
    return send(again);
  }

  /** The merchant refunds in Shopify admin: calculate, create, then Shopify fires refunds/create. */
  async function issueRefund(orderId: string, issue: RefundIssue = {}) {
    const o = state.orders.get(orderId);
    if (!o) throw new Error(`no simulated order ${orderId}`);
    const refundLineItems = (issue.lines ?? []).map((l) => {
      const line = o.lines.find((x) => x.sku === l.sku && x.quantity - x.refundedQuantity >= l.quantity) ?? o.lines.find((x) => x.sku === l.sku);
      if (!line) throw new Error(`order ${orderId} has no line with SKU ${l.sku}`);
      return { line_item_id: line.id, quantity: l.quantity, restock_type: l.restock === false ? 'no_restock' : 'return' };
    });
    const shipping = issue.shipping === 'full' ? { full_refund: true } : issue.shipping !== undefined ? { amount: issue.shipping } : undefined;
    const request = { refund: { currency: o.currency, refund_line_items: refundLineItems, ...(shipping ? { shipping } : {}) } };
    const calc = calculate(o, request);
    if (calc.status !== 200) throw new Error(`calculate refused: ${JSON.stringify(calc.body)}`);
    const suggested = (calc.body as { refund: { transactions: { amount: string }[] } }).refund.transactions[0]?.amount;
    const amount = issue.amount ?? suggested ?? '0';
    const transactions = parseMoney(amount, o.currency).amount > 0 ? [{ parent_id: o.saleTransactionId, amount, kind: 'refund', gateway: 'shopify_payments' }] : [];
    const created = create(o, { refund: { ...request.refund, note: issue.note ?? null, transactions } }, issue.transactionStatus ?? 'success');
    if (!created.refund) throw new Error(`create refused: ${JSON.stringify(created.body)}`);
    const delivery = await deliverWebhook('refunds/create', created.refund);
    return { refund: created.refund, delivery };
  }

  function authorized(req: SimRequest): boolean {
    return req.headers['x-shopify-access-token'] === accessToken;
  }

  const withOrder = (handler: (o: SimOrder, req: SimRequest) => SimResponse): Route['handle'] => (req) => {
    if (!authorized(req)) return { status: 401, body: { errors: '[API] Invalid API key or access token (unrecognized login or wrong password)' } };
    if (req.body instanceof Error) return { status: 400, body: { errors: 'Invalid JSON in request body' } };
    const o = state.orders.get(req.params[0] ?? '');
    return o ? handler(o, req) : { status: 404, body: { errors: 'Not Found' } };
  };

  const api = '/admin/api/[0-9]{4}-[0-9]{2}/orders/(\\d+)';
  const published = new Map<string, string>();
  for (const text of options.publishedOrders ?? []) {
    const order = parseJson(text) as { id?: unknown } | null;
    if (order === null || typeof order !== 'object' || (typeof order.id !== 'string' && typeof order.id !== 'number')) throw new TypeError('a published order needs an "id"');
    published.set(String(order.id), text);
  }
  const routes: Route[] = [
    {
      method: 'GET',
      pattern: new RegExp(`^${api}\\.json$`),
      handle: (req) => {
        const text = published.get(req.params[0] ?? '');
        if (!text || !authorized(req)) return withOrder((o) => ({ status: 200, body: numericIds({ order: orderJson(o) }) }))(req);
        return { status: 200, raw: { text: `{"order":${text}}`, contentType: 'application/json; charset=utf-8' } };
      },
    },
    { method: 'GET', pattern: new RegExp(`^${api}\\.json$`), handle: withOrder((o) => ({ status: 200, body: numericIds({ order: orderJson(o) }) })) },
    { method: 'GET', pattern: new RegExp(`^${api}/transactions\\.json$`), handle: withOrder((o) => ({ status: 200, body: numericIds({ transactions: [saleTransaction(o)] }) })) },
    { method: 'GET', pattern: new RegExp(`^${api}/refunds\\.json$`), handle: withOrder((o) => ({ status: 200, body: numericIds({ refunds: state.refunds.get(o.id) ?? [] }) })) },
    {
      method: 'GET',
      pattern: new RegExp(`^${api}/refunds/(\\d+)\\.json$`),
      handle: withOrder((o, req) => {
        const refund = (state.refunds.get(o.id) ?? []).find((r) => r.id === req.params[1]);
        return refund ? { status: 200, body: numericIds({ refund }) } : { status: 404, body: { errors: 'Not Found' } };
      }),
    },
    { method: 'POST', pattern: new RegExp(`^${api}/refunds/calculate\\.json$`), handle: withOrder((o, req) => calculate(o, req.body)) },
    {
      method: 'POST',
      pattern: new RegExp(`^${api}/refunds\\.json$`),
      handle: withOrder((o, req) => {
        const { status, body, refund } = create(o, req.body);
        // Like Shopify, an API-created refund also fires refunds/create (delivered after the response).
        if (refund) setImmediate(() => void deliverWebhook('refunds/create', refund));
        return { status, body };
      }),
    },
  ];

  const server = await startServer(routes, state.requests, undefined, { afterRequest: () => persisted?.changed() });

  if (!saved && (options.seedSampleOrders ?? true)) {
    for (const sample of SHOPIFY_SAMPLE_ORDERS) createOrder(sample);
  }
  persisted?.attach(snapshot);

  return {
    url: server.url,
    shopDomain,
    accessToken,
    webhookSecret,
    state,
    /** True when the state came from `stateFile`. */
    restored: saved !== null,
    /** Writes the state file now (no-op without one). */
    flushState: () => persisted?.flush(),
    close: async () => {
      try {
        await server.close();
      } finally {
        persisted?.close();
      }
    },
    createOrder: trackChanges(persisted, createOrder),
    orderJson,
    cancelOrder: trackChanges(persisted, cancelOrder),
    issueRefund: trackChanges(persisted, issueRefund),
    deliverWebhook,
    redeliver,
    setWebhookUrl(url: string | undefined) {
      webhookUrl = url;
    },
  };
}

export type ShopifySimulator = Awaited<ReturnType<typeof startShopifySimulator>>;

/** Realistic sample orders: tax-exclusive US with shipping, VAT-inclusive EUR, a yen order, several lines. */
export const SHOPIFY_SAMPLE_ORDERS: readonly ShopifySimOrderInput[] = [
  {
    currency: 'USD',
    email: 'bob.norman@example.com',
    customer: { firstName: 'Bob', lastName: 'Norman' },
    lines: [
      { sku: 'IPOD2008GREEN', title: 'IPod Nano - 8gb - green', quantity: 1, price: '199.00', taxRateBps: 600 },
      { sku: 'IPOD2008RED', title: 'IPod Nano - 8gb - red', quantity: 2, price: '199.00', taxRateBps: 600 },
    ],
    shipping: '5.00',
  },
  {
    currency: 'EUR',
    taxesIncluded: true,
    email: 'anna.schmidt@example.de',
    customer: { firstName: 'Anna', lastName: 'Schmidt' },
    lines: [
      { sku: 'MUG-BLUE', title: 'Mug - blue', quantity: 3, price: '24.99', taxRateBps: 1900 },
      { sku: 'TEA-EARLGREY', title: 'Earl Grey 100g', quantity: 1, price: '8.50', taxRateBps: 700 },
    ],
    shipping: '4.90',
  },
  {
    currency: 'JPY',
    taxesIncluded: true,
    email: 'k.tanaka@example.jp',
    customer: { firstName: 'Kenji', lastName: 'Tanaka' },
    lines: [{ sku: 'MATCHA-30G', title: 'Matcha 30g', quantity: 2, price: '1800', taxRateBps: 800 }],
  },
];
