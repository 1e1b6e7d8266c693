/**
 * The Amazon SP-API Finances v0 calls we use. Amazon has no seller refund API: refunds are read here and flow
 * Amazon -> NetSuite only. The access token is an LWA access token sent as x-amz-access-token, from a token
 * source (./token.ts: the LWA refresh-token grant) or given as is. Base URL e.g. https://sellingpartnerapi-na.amazon.com (or a simulator).
 */
import { createHttpClient, type HttpClientOptions } from '../shared/http-client';
import { type AccessTokenSource, type ClientError, staticTokenSource, withAccessToken } from '../ebay/token';
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
  const call = withAccessToken(http, tokens, {
    refreshable: 'tokens' in options,
    authorize: (token) => ({ 'x-amz-access-token': token }),
    refusedCodes: ['unauthorized', 'forbidden'],
  });
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
