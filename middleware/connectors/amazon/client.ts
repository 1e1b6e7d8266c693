/**
 * The Amazon SP-API Finances v0 calls we use. Amazon has no seller refund API: refunds are read here and flow
 * Amazon -> NetSuite only. The access token is an LWA access token sent as x-amz-access-token, from a token
 * source (./token.ts: the LWA refresh-token grant) or given as is. Base URL e.g. https://sellingpartnerapi-na.amazon.com (or a simulator).
 */
import type { z } from 'zod';
import { createHttpClient, type HttpClientOptions, type HttpRequest } from '../shared/http-client';
import { type AccessTokenSource, type ClientError, staticTokenSource } from '../ebay/token';
import { type AmazonFinancialEventsResponse, amazonFinancialEventsResponse } from './schemas';

export type AmazonClientOptions = Omit<HttpClientOptions, 'headers'> &
  (
    | { /** A current LWA access token, used as is. */ accessToken: string }
    | { /** Where LWA access tokens come from (./token.ts). */ tokens: AccessTokenSource }
  );

type Result<T> = { ok: true; value: T } | { ok: false; error: ClientError };

export function createAmazonClient(options: AmazonClientOptions) {
  const tokens = 'tokens' in options ? options.tokens : staticTokenSource(options.accessToken);
  const http = createHttpClient(options);
  /** Each call with a current token; a refused token (SP-API answers 403) is dropped and the call tried once more. */
  async function call<S extends z.ZodType>(req: HttpRequest<S>): Promise<Result<z.output<S>>> {
    for (let attempt = 0; ; attempt += 1) {
      const token = await tokens.getAccessToken();
      if (!token.ok) return token;
      const result = await http.request({ ...req, headers: { ...req.headers, 'x-amz-access-token': token.value } });
      if (result.ok || (result.error.code !== 'unauthorized' && result.error.code !== 'forbidden') || !('tokens' in options) || attempt > 0) return result;
      tokens.invalidate();
    }
  }
  return {
    listFinancialEventsByOrderId(orderId: string, nextToken?: string): Promise<Result<AmazonFinancialEventsResponse>> {
      return call({
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
      return call({ method: 'GET', path: '/finances/v0/financialEvents', query, schema: amazonFinancialEventsResponse, what: 'Amazon listFinancialEvents' });
    },
  };
}

export type AmazonClient = ReturnType<typeof createAmazonClient>;
