/**
 * The one outbound HTTP wrapper the connectors share: axios with a base URL (injectable, so tests and the sandbox
 * point it at a simulator), a timeout, bigint-safe JSON both ways, zod on every response, and provider failures
 * turned into ConnectorError values. GETs are retried on network errors, 429 and 5xx; other methods only when the
 * caller passes an idempotency key the provider honours.
 */
import axios, { type AxiosInstance, type AxiosResponse } from 'axios';
import type { z } from 'zod';
import { type ConnectorError, type ConnectorErrorCode, type Result, connectorFailure } from './errors';
import { JsonParseError, parseJson, stringifyJson } from './json';
import { parsePayload } from './parse';

export interface HttpClientOptions {
  baseUrl: string;
  /** Sent on every request (auth headers). */
  headers?: Record<string, string>;
  /** Per-request timeout; default 15 s. */
  timeoutMs?: number;
  /** Extra attempts for retryable failures; default 2. */
  retries?: number;
  /** Delay before retry n (1-based); default 200 ms * 2^(n-1). Tests pass () => 0. */
  backoffMs?: (attempt: number) => number;
}

export interface HttpRequest<S extends z.ZodType> {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  query?: Record<string, string | number>;
  body?: unknown;
  headers?: Record<string, string>;
  schema: S;
  /** Marks a non-GET request as safe to retry (the key is sent in `idempotencyHeader`). */
  idempotencyKey?: string;
  idempotencyHeader?: string;
  /** Names the call in error messages, e.g. 'Shopify create refund'. */
  what: string;
}

export interface HttpClient {
  request<S extends z.ZodType>(req: HttpRequest<S>): Promise<Result<z.output<S>>>;
}

function statusCode(status: number): { code: ConnectorErrorCode; retryable: boolean } {
  if (status === 401) return { code: 'unauthorized', retryable: false };
  if (status === 403) return { code: 'forbidden', retryable: false };
  if (status === 404) return { code: 'not_found', retryable: false };
  if (status === 429) return { code: 'rate_limited', retryable: true };
  if (status >= 500) return { code: 'provider_error', retryable: true };
  return { code: 'provider_rejected', retryable: false };
}

function safeBody(text: string): unknown {
  try {
    return parseJson(text);
  } catch (e) {
    return e instanceof JsonParseError ? text.slice(0, 500) : undefined;
  }
}

export function createHttpClient(options: HttpClientOptions): HttpClient {
  const instance: AxiosInstance = axios.create({
    baseURL: options.baseUrl.replace(/\/+$/, ''),
    timeout: options.timeoutMs ?? 15_000,
    headers: { Accept: 'application/json', ...options.headers },
    // Keep the raw text: JSON is parsed by the bigint-safe parser, never by axios' JSON.parse.
    responseType: 'text',
    transformResponse: [(data: unknown) => data],
    validateStatus: () => true,
    maxRedirects: 0,
  });
  const retries = options.retries ?? 2;
  const backoff = options.backoffMs ?? ((n: number) => 200 * 2 ** (n - 1));

  async function once<S extends z.ZodType>(req: HttpRequest<S>): Promise<Result<z.output<S>>> {
    let response: AxiosResponse<string>;
    try {
      response = await instance.request<string>({
        method: req.method,
        url: req.path,
        params: req.query,
        headers: {
          ...(req.body === undefined ? {} : { 'Content-Type': 'application/json' }),
          ...(req.idempotencyKey ? { [req.idempotencyHeader ?? 'Idempotency-Key']: req.idempotencyKey } : {}),
          ...req.headers,
        },
        data: req.body === undefined ? undefined : stringifyJson(req.body),
        transformRequest: [(data: unknown) => data],
      });
    } catch (e) {
      const timedOut = axios.isAxiosError(e) && (e.code === 'ECONNABORTED' || e.code === 'ETIMEDOUT');
      return connectorFailure(timedOut ? 'timeout' : 'network_error', `${req.what}: ${timedOut ? 'timed out' : 'could not reach the provider'} (${e instanceof Error ? e.message : String(e)})`, { retryable: true });
    }
    const text = typeof response.data === 'string' ? response.data : '';
    if (response.status < 200 || response.status >= 300) {
      const { code, retryable } = statusCode(response.status);
      return connectorFailure(code, `${req.what}: HTTP ${response.status}`, { retryable, status: response.status, providerBody: safeBody(text) });
    }
    return parsePayload(req.schema, text === '' ? 'null' : text, `${req.what} response`);
  }

  return {
    async request(req) {
      const mayRetry = req.method === 'GET' || req.idempotencyKey !== undefined;
      let attempt = 0;
      for (;;) {
        const result = await once(req);
        if (result.ok || !mayRetry || !result.error.retryable || attempt >= retries) return result;
        attempt += 1;
        const delay = backoff(attempt);
        if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
      }
    },
  };
}

export type { ConnectorError };
