/**
 * The eBay Fulfillment API calls we use. eBay's REST notifications have no refund topic, so refunds are found by
 * polling getOrders by last-modified date (filter syntax per eBay's getOrders reference; exact range syntax
 * UNCONFIRMED) and reading each order's refunds. Base URL https://api.ebay.com (or a simulator).
 */
import { type Money, formatMoney } from '../../../core/money';
import { createHttpClient, type HttpClientOptions } from '../shared/http-client';
import type { Result } from '../shared/errors';
import { type EbayOrder, ebayIssueRefundResponse, ebayOrder, ebayOrderSearch } from './schemas';
import type { z } from 'zod';

export interface EbayClientOptions extends Omit<HttpClientOptions, 'headers'> {
  /** OAuth user access token (Bearer). */
  accessToken: string;
}

export type EbayRefundReason = 'BUYER_CANCEL' | 'SELLER_CANCEL' | 'ITEM_NOT_RECEIVED' | 'BUYER_RETURN' | 'ITEM_NOT_AS_DESCRIBED' | 'OTHER_ADJUSTMENT' | 'SHIPPING_DISCOUNT';

export function createEbayClient(options: EbayClientOptions) {
  const http = createHttpClient({ ...options, headers: { Authorization: `Bearer ${options.accessToken}` } });
  return {
    getOrder(orderId: string): Promise<Result<EbayOrder>> {
      return http.request({ method: 'GET', path: `/sell/fulfillment/v1/order/${encodeURIComponent(orderId)}`, schema: ebayOrder, what: 'eBay getOrder' });
    },
    /** Orders modified at or after `since` (ISO-8601), a page at a time. */
    getOrdersModifiedSince(since: string, limit = 50, offset = 0): Promise<Result<z.output<typeof ebayOrderSearch>>> {
      return http.request({
        method: 'GET',
        path: '/sell/fulfillment/v1/order',
        query: { filter: `lastmodifieddate:[${since}..]`, limit, offset },
        schema: ebayOrderSearch,
        what: 'eBay getOrders',
      });
    },
    /** issueRefund is asynchronous: the answer is PENDING; poll getOrder for REFUNDED. */
    issueOrderRefund(orderId: string, amount: Money, reason: EbayRefundReason, comment?: string): Promise<Result<z.output<typeof ebayIssueRefundResponse>>> {
      return http.request({
        method: 'POST',
        path: `/sell/fulfillment/v1/order/${encodeURIComponent(orderId)}/issue_refund`,
        body: { reasonForRefund: reason, ...(comment ? { comment: comment.slice(0, 100) } : {}), orderLevelRefundAmount: { value: formatMoney(amount), currency: amount.currency } },
        schema: ebayIssueRefundResponse,
        what: 'eBay issueRefund',
      });
    },
  };
}

export type EbayClient = ReturnType<typeof createEbayClient>;
