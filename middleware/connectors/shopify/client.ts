/**
 * The Shopify Admin REST calls we use (API version 2025-07), through the shared HTTP wrapper. The base URL is the
 * shop's origin (https://{shop}.myshopify.com) or a simulator's URL.
 */
import { type Money, formatMoney, parseMoney } from '../../../core/money';
import { createHttpClient, type HttpClient, type HttpClientOptions } from '../shared/http-client';
import { type Result, connectorFailure, ok } from '../shared/errors';
import { jsonId } from '../shared/json';
import {
  SHOPIFY_API_VERSION,
  type CalculatedRefund,
  type ShopifyOrder,
  type ShopifyRefund,
  calculatedRefund,
  orderEnvelope,
  refundEnvelope,
  refundsEnvelope,
} from './schemas';

export interface ShopifyClientOptions extends Omit<HttpClientOptions, 'headers'> {
  accessToken: string;
  apiVersion?: string;
}

export type RestockType = 'return' | 'cancel' | 'no_restock';

export interface ShopifyRefundRequest {
  lines: { lineItemId: string; quantity: number; restockType: RestockType; locationId?: string }[];
  /** Shipping to refund, in the order's currency; omitted = none. */
  shipping?: Money;
  /** The money to refund: the NetSuite record's total. Spread over the order's payments that Shopify suggests. */
  amount: Money;
  note?: string;
  notify?: boolean;
  /** Stable key of the NetSuite record being pushed (core/refunds storefrontRefundKey). Kept in the refund note. */
  idempotencyKey: string;
}

/** The marker that ties a Shopify refund to the NetSuite record that caused it. */
export function refundMarker(key: string): string {
  return `[ledgerbridge:${key}]`;
}

export interface ShopifyClient {
  getOrder(orderId: string): Promise<Result<ShopifyOrder>>;
  listRefunds(orderId: string): Promise<Result<ShopifyRefund[]>>;
  getRefund(orderId: string, refundId: string): Promise<Result<ShopifyRefund>>;
  calculateRefund(orderId: string, body: unknown): Promise<Result<CalculatedRefund['refund']>>;
  createRefund(orderId: string, body: unknown): Promise<Result<ShopifyRefund>>;
  /**
   * NetSuite -> Shopify: calculate, turn the suggested transactions into refund transactions for exactly
   * `amount`, then create. Posts once: a refund already carrying the request's marker is returned instead.
   */
  refundFromNetSuite(orderId: string, request: ShopifyRefundRequest): Promise<Result<{ refund: ShopifyRefund; created: boolean }>>;
}

export function createShopifyClient(options: ShopifyClientOptions): ShopifyClient {
  const http: HttpClient = createHttpClient({ ...options, headers: { 'X-Shopify-Access-Token': options.accessToken } });
  const base = `/admin/api/${options.apiVersion ?? SHOPIFY_API_VERSION}`;

  const client: ShopifyClient = {
    async getOrder(orderId) {
      const r = await http.request({ method: 'GET', path: `${base}/orders/${orderId}.json`, schema: orderEnvelope, what: 'Shopify get order' });
      return r.ok ? ok(r.value.order) : r;
    },
    async listRefunds(orderId) {
      const r = await http.request({ method: 'GET', path: `${base}/orders/${orderId}/refunds.json`, schema: refundsEnvelope, what: 'Shopify list refunds' });
      return r.ok ? ok(r.value.refunds) : r;
    },
    async getRefund(orderId, refundId) {
      const r = await http.request({ method: 'GET', path: `${base}/orders/${orderId}/refunds/${refundId}.json`, schema: refundEnvelope, what: 'Shopify get refund' });
      return r.ok ? ok(r.value.refund) : r;
    },
    async calculateRefund(orderId, body) {
      const r = await http.request({ method: 'POST', path: `${base}/orders/${orderId}/refunds/calculate.json`, body, schema: calculatedRefund, what: 'Shopify calculate refund' });
      return r.ok ? ok(r.value.refund) : r;
    },
    async createRefund(orderId, body) {
      const r = await http.request({ method: 'POST', path: `${base}/orders/${orderId}/refunds.json`, body, schema: refundEnvelope, what: 'Shopify create refund' });
      return r.ok ? ok(r.value.refund) : r;
    },
    async refundFromNetSuite(orderId, request) {
      const marker = refundMarker(request.idempotencyKey);
      // A retry after an unknown outcome must not refund twice: look for the refund we may already have made.
      const existing = await client.listRefunds(orderId);
      if (!existing.ok) return existing;
      const found = existing.value.find((r) => r.note?.includes(marker));
      if (found) return ok({ refund: found, created: false });

      const currency = request.amount.currency;
      const refundLineItems = request.lines.map((l) => ({
        line_item_id: jsonId(l.lineItemId),
        quantity: l.quantity,
        restock_type: l.restockType,
        ...(l.locationId ? { location_id: jsonId(l.locationId) } : {}),
      }));
      const shipping = request.shipping ? { amount: formatMoney(request.shipping) } : undefined;
      const calc = await client.calculateRefund(orderId, {
        refund: { currency, refund_line_items: refundLineItems, ...(shipping ? { shipping } : {}) },
      });
      if (!calc.ok) return calc;

      // Spread the NetSuite amount over the suggested parent transactions, each up to what it can still refund.
      let remaining = request.amount.amount;
      const transactions: { parent_id: unknown; amount: string; kind: 'refund'; gateway: string }[] = [];
      for (const t of calc.value.transactions) {
        if (remaining === 0) break;
        const max = parseMoney(t.maximum_refundable ?? t.amount, currency).amount;
        const take = Math.min(remaining, max);
        if (take > 0) {
          transactions.push({ parent_id: jsonId(t.parent_id), amount: formatMoney({ amount: take, currency }), kind: 'refund', gateway: t.gateway });
          remaining -= take;
        }
      }
      if (remaining > 0) {
        return connectorFailure('provider_rejected', `Shopify order ${orderId} can refund at most ${formatMoney({ amount: request.amount.amount - remaining, currency })} ${currency}, less than the ${formatMoney(request.amount)} in NetSuite.`);
      }
      const created = await client.createRefund(orderId, {
        refund: {
          currency,
          notify: request.notify ?? false,
          note: [request.note, marker].filter(Boolean).join(' '),
          refund_line_items: refundLineItems,
          ...(shipping ? { shipping } : {}),
          transactions,
        },
      });
      return created.ok ? ok({ refund: created.value, created: true }) : created;
    },
  };
  return client;
}
