/**
 * The Magento REST calls we use. Magento Open Source has no refund webhook, so new credit memos are found by
 * polling GET /V1/creditmemos with a cursor: entity_id greater than the last one seen, ascending. (Offline credit
 * memos are created in state Refunded, so the id cursor sees them complete; an updated_at cursor would also catch
 * later state changes but filtering credit memos on updated_at is UNCONFIRMED, so the documented-safe id filter is
 * used.) Base URL: the store's REST root, e.g. https://shop.example.com/rest/default.
 */
import { formatMoney, type Money } from '../../../core/money';
import { createHttpClient, type HttpClientOptions } from '../shared/http-client';
import { type Result, ok } from '../shared/errors';
import { JsonNumber, jsonId } from '../shared/json';
import { type MagentoCreditMemo, type MagentoOrder, magentoCreditMemo, magentoCreditMemoSearch, magentoOrder, magentoRefundResponse } from './schemas';

export interface MagentoClientOptions extends Omit<HttpClientOptions, 'headers'> {
  /** Integration access token (Bearer). */
  accessToken: string;
}

export interface CreditMemoPage {
  creditMemos: MagentoCreditMemo[];
  /** Pass back as `after` on the next poll; unchanged when nothing new arrived. */
  cursor: string;
  /** True when a full page came back: poll again straight away. */
  more: boolean;
}

export interface MagentoRefundRequest {
  items: { orderItemId: string; qty: number; restock: boolean }[];
  shipping?: Money;
  adjustmentPositive?: Money;
  adjustmentNegative?: Money;
  notify?: boolean;
  /** Stable key of the NetSuite record being pushed; kept in the credit memo comment to refund only once. */
  idempotencyKey: string;
}

export function refundMarker(key: string): string {
  return `[ledgerbridge:${key}]`;
}

/** searchCriteria as Magento's query-string encoding. */
export function searchCriteria(filters: { field: string; value: string; condition: string }[], sort: { field: string; direction: 'ASC' | 'DESC' }, pageSize: number, currentPage = 1): Record<string, string> {
  const q: Record<string, string> = {};
  filters.forEach((f, i) => {
    q[`searchCriteria[filter_groups][${i}][filters][0][field]`] = f.field;
    q[`searchCriteria[filter_groups][${i}][filters][0][value]`] = f.value;
    q[`searchCriteria[filter_groups][${i}][filters][0][condition_type]`] = f.condition;
  });
  q['searchCriteria[sortOrders][0][field]'] = sort.field;
  q['searchCriteria[sortOrders][0][direction]'] = sort.direction;
  q['searchCriteria[pageSize]'] = String(pageSize);
  q['searchCriteria[currentPage]'] = String(currentPage);
  return q;
}

export function createMagentoClient(options: MagentoClientOptions) {
  const http = createHttpClient({ ...options, headers: { Authorization: `Bearer ${options.accessToken}` } });

  const client = {
    async getOrder(orderId: string): Promise<Result<MagentoOrder>> {
      return http.request({ method: 'GET', path: `/V1/orders/${encodeURIComponent(orderId)}`, schema: magentoOrder, what: 'Magento get order' });
    },
    async getCreditMemo(id: string): Promise<Result<MagentoCreditMemo>> {
      return http.request({ method: 'GET', path: `/V1/creditmemo/${encodeURIComponent(id)}`, schema: magentoCreditMemo, what: 'Magento get credit memo' });
    },
    /** New credit memos after `after` (an entity_id; '0' to start), oldest first. */
    async pollCreditMemos(after: string, pageSize = 50): Promise<Result<CreditMemoPage>> {
      const r = await http.request({
        method: 'GET',
        path: '/V1/creditmemos',
        query: searchCriteria([{ field: 'entity_id', value: after, condition: 'gt' }], { field: 'entity_id', direction: 'ASC' }, pageSize),
        schema: magentoCreditMemoSearch,
        what: 'Magento search credit memos',
      });
      if (!r.ok) return r;
      const last = r.value.items[r.value.items.length - 1];
      return ok({ creditMemos: r.value.items, cursor: last ? last.entity_id : after, more: r.value.items.length === pageSize });
    },
    async creditMemosForOrder(orderId: string): Promise<Result<MagentoCreditMemo[]>> {
      const r = await http.request({
        method: 'GET',
        path: '/V1/creditmemos',
        query: searchCriteria([{ field: 'order_id', value: orderId, condition: 'eq' }], { field: 'entity_id', direction: 'ASC' }, 100),
        schema: magentoCreditMemoSearch,
        what: 'Magento credit memos of an order',
      });
      return r.ok ? ok(r.value.items) : r;
    },
    /**
     * NetSuite -> Magento: an offline credit memo through POST /V1/order/{id}/refund (RefundOrderInterface).
     * Posts once: a credit memo whose comment carries the request's marker is returned instead of a new one.
     */
    async refundOrder(orderId: string, request: MagentoRefundRequest): Promise<Result<{ creditMemoId: string; created: boolean }>> {
      const marker = refundMarker(request.idempotencyKey);
      const existing = await client.creditMemosForOrder(orderId);
      if (!existing.ok) return existing;
      const found = existing.value.find((m) => m.comments?.some((c) => c.comment?.includes(marker)));
      if (found) return ok({ creditMemoId: found.entity_id, created: false });
      // Decimal literals written exactly (no float conversion on the way out).
      const amount = (m: Money | undefined) => new JsonNumber(m ? formatMoney(m) : '0');
      const r = await http.request({
        method: 'POST',
        path: `/V1/order/${encodeURIComponent(orderId)}/refund`,
        body: {
          items: request.items.map((i) => ({ order_item_id: jsonId(i.orderItemId), qty: i.qty })),
          notify: request.notify ?? false,
          appendComment: true,
          comment: { comment: `Refund from NetSuite ${marker}`, is_visible_on_front: 0 },
          arguments: {
            shipping_amount: amount(request.shipping),
            adjustment_positive: amount(request.adjustmentPositive),
            adjustment_negative: amount(request.adjustmentNegative),
            extension_attributes: { return_to_stock_items: request.items.filter((i) => i.restock).map((i) => jsonId(i.orderItemId)) },
          },
        },
        schema: magentoRefundResponse,
        what: 'Magento refund order',
      });
      return r.ok ? ok({ creditMemoId: r.value, created: true }) : r;
    },
  };
  return client;
}

export type MagentoClient = ReturnType<typeof createMagentoClient>;
