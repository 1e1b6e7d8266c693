/**
 * The Amazon SP-API Finances v0 calls we use. Amazon has no seller refund API: refunds are read here and flow
 * Amazon -> NetSuite only. The access token is an LWA access token sent as x-amz-access-token; obtaining it
 * (LWA refresh) is the caller's job. Base URL e.g. https://sellingpartnerapi-na.amazon.com (or a simulator).
 */
import { createHttpClient, type HttpClientOptions } from '../shared/http-client';
import type { Result } from '../shared/errors';
import { type AmazonFinancialEventsResponse, amazonFinancialEventsResponse } from './schemas';

export interface AmazonClientOptions extends Omit<HttpClientOptions, 'headers'> {
  accessToken: string;
}

export function createAmazonClient(options: AmazonClientOptions) {
  const http = createHttpClient({ ...options, headers: { 'x-amz-access-token': options.accessToken } });
  return {
    listFinancialEventsByOrderId(orderId: string, nextToken?: string): Promise<Result<AmazonFinancialEventsResponse>> {
      return http.request({
        method: 'GET',
        path: `/finances/v0/orders/${encodeURIComponent(orderId)}/financialEvents`,
        query: nextToken ? { NextToken: nextToken } : {},
        schema: amazonFinancialEventsResponse,
        what: 'Amazon listFinancialEventsByOrderId',
      });
    },
    /** Events posted after `postedAfter` (ISO-8601); pass NextToken alone to continue a page. */
    listFinancialEvents(params: { postedAfter: string; postedBefore?: string; maxResultsPerPage?: number } | { nextToken: string }): Promise<Result<AmazonFinancialEventsResponse>> {
      const query: Record<string, string | number> =
        'nextToken' in params
          ? { NextToken: params.nextToken }
          : { PostedAfter: params.postedAfter, ...(params.postedBefore ? { PostedBefore: params.postedBefore } : {}), MaxResultsPerPage: params.maxResultsPerPage ?? 100 };
      return http.request({ method: 'GET', path: '/finances/v0/financialEvents', query, schema: amazonFinancialEventsResponse, what: 'Amazon listFinancialEvents' });
    },
  };
}

export type AmazonClient = ReturnType<typeof createAmazonClient>;
