/**
 * eBay OAuth user access tokens from the seller's refresh token (eBay's "refresh token" grant):
 *   POST {api}/identity/v1/oauth2/token   Authorization: Basic base64(clientId:clientSecret)
 *        form grant_type=refresh_token&refresh_token=…&scope=<space-separated scopes, a subset of the consent>
 *   → 200 { access_token, expires_in, token_type: "User Access Token" }
 * The token is cached until shortly before it expires; concurrent callers share one refresh. An `invalid_grant`
 * answer means the refresh token was revoked or has expired: the seller must authorise the app again, so it comes
 * back as the coded error `reauthorization_required` and is not retried. Secrets never appear in errors or logs.
 */
import type { z } from 'zod';
import type { ConnectorError, ConnectorErrorCode } from '../shared/errors';
import type { HttpClient, HttpRequest } from '../shared/http-client';

export type TokenErrorCode = 'reauthorization_required' | 'invalid_client';

/** A connector failure, or a token failure with its own code. */
export type ClientError = Omit<ConnectorError, 'code'> & { code: ConnectorErrorCode | TokenErrorCode };
export type TokenResult = { ok: true; value: string } | { ok: false; error: ClientError };

export interface AccessTokenSource {
  /** A current access token (cached, refreshed when near expiry). */
  getAccessToken(): Promise<TokenResult>;
  /** Drops the cached token (the API refused it): the next call refreshes. */
  invalidate(): void;
}

/** What one token request answered: a token with its lifetime, or a failure. */
export type TokenFetch = () => Promise<{ ok: true; value: { accessToken: string; expiresInSeconds: number } } | { ok: false; error: ClientError }>;

/**
 * The cache both platforms' providers share: one token, refreshed `refreshBeforeMs` before expiry, one request in
 * flight for all concurrent callers. Failures are not cached: the next call asks again.
 */
export function createCachedTokenSource(fetchToken: TokenFetch, options: { now?: () => number; refreshBeforeMs?: number } = {}): AccessTokenSource {
  const now = options.now ?? Date.now;
  const margin = options.refreshBeforeMs ?? 60_000;
  let cached: { token: string; expiresAt: number } | null = null;
  let inFlight: Promise<TokenResult> | null = null;
  return {
    getAccessToken() {
      if (cached && now() < cached.expiresAt - margin) return Promise.resolve({ ok: true, value: cached.token });
      if (!inFlight) {
        const started = now();
        inFlight = fetchToken()
          .then((r): TokenResult => {
            if (!r.ok) return r;
            cached = { token: r.value.accessToken, expiresAt: started + r.value.expiresInSeconds * 1000 };
            return { ok: true, value: r.value.accessToken };
          })
          .finally(() => {
            inFlight = null;
          });
      }
      return inFlight;
    },
    invalidate() {
      cached = null;
    },
  };
}

/** A fixed token (a stored access token): nothing to refresh. */
export function staticTokenSource(token: string): AccessTokenSource {
  return { getAccessToken: () => Promise.resolve({ ok: true, value: token }), invalidate: () => undefined };
}

const tokenFailure = (code: ClientError['code'], message: string, extra: { retryable?: boolean; status?: number; providerBody?: unknown } = {}): { ok: false; error: ClientError } => ({
  ok: false,
  error: { code, message, retryable: extra.retryable ?? false, ...(extra.status === undefined ? {} : { status: extra.status }), ...(extra.providerBody === undefined ? {} : { providerBody: extra.providerBody }) },
});

/**
 * POSTs an OAuth 2.0 token form and reads the answer, turning OAuth error bodies into coded failures. `who` names
 * the platform in messages. Only `error`/`error_description` of a failure are kept (never the request).
 */
export async function postTokenForm(url: string, form: URLSearchParams, headers: Record<string, string>, who: string, timeoutMs: number): ReturnType<TokenFetch> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json', ...headers },
      body: form.toString(),
      signal: AbortSignal.timeout(timeoutMs),
      redirect: 'manual',
    });
  } catch (e) {
    const timedOut = e instanceof Error && e.name === 'TimeoutError';
    return tokenFailure(timedOut ? 'timeout' : 'network_error', `${who} token request: ${timedOut ? 'timed out' : 'could not reach the token service'}`, { retryable: true });
  }
  let body: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(await response.text());
    if (parsed && typeof parsed === 'object') body = parsed as Record<string, unknown>;
  } catch {
    // A non-JSON answer is reported by status below.
  }
  if (response.ok) {
    const token = body.access_token;
    const expiresIn = body.expires_in;
    if (typeof token !== 'string' || token === '' || typeof expiresIn !== 'number' || !(expiresIn > 0)) {
      return tokenFailure('invalid_payload', `${who} token response has no access_token/expires_in`, { status: response.status });
    }
    return { ok: true, value: { accessToken: token, expiresInSeconds: expiresIn } };
  }
  const error = typeof body.error === 'string' ? body.error : '';
  const description = typeof body.error_description === 'string' ? body.error_description : '';
  const providerBody = { error, error_description: description };
  if (error === 'invalid_grant') {
    return tokenFailure('reauthorization_required', `${who} refused the channel's refresh token (invalid_grant${description ? `: ${description}` : ''}); the channel needs re-authorisation: the seller must grant access again and the new refresh token be saved in the channel's secrets.`, { status: response.status, providerBody });
  }
  if (error === 'invalid_client' || response.status === 401) {
    return tokenFailure('invalid_client', `${who} refused the channel's client credentials (${error || `HTTP ${response.status}`}); check the client id and secret in the channel's secrets.`, { status: response.status, providerBody });
  }
  const retryable = response.status === 429 || response.status >= 500;
  return tokenFailure(retryable ? (response.status === 429 ? 'rate_limited' : 'provider_error') : 'provider_rejected', `${who} token request: HTTP ${response.status}${error ? ` ${error}` : ''}`, { retryable, status: response.status, providerBody });
}

export const EBAY_TOKEN_PATH = '/identity/v1/oauth2/token';
/** Scopes the refund flow needs: fulfillment (orders, issueRefund) and finances. */
export const EBAY_REFUND_SCOPES = ['https://api.ebay.com/oauth/api_scope/sell.fulfillment', 'https://api.ebay.com/oauth/api_scope/sell.finances'] as const;

export interface EbayUserTokenOptions {
  /** eBay API base URL (https://api.ebay.com, or a simulator): the token endpoint is on the same host. */
  baseUrl: string;
  clientId: string;
  clientSecret: string;
  refreshToken: string;
  scopes?: readonly string[];
  timeoutMs?: number;
  now?: () => number;
}

export function createEbayUserTokenSource(options: EbayUserTokenOptions): AccessTokenSource {
  const url = `${options.baseUrl.replace(/\/+$/, '')}${EBAY_TOKEN_PATH}`;
  const basic = Buffer.from(`${options.clientId}:${options.clientSecret}`, 'utf8').toString('base64');
  const form = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: options.refreshToken, scope: (options.scopes ?? EBAY_REFUND_SCOPES).join(' ') });
  return createCachedTokenSource(() => postTokenForm(url, form, { Authorization: `Basic ${basic}` }, 'eBay', options.timeoutMs ?? 15_000), options.now ? { now: options.now } : {});
}

/**
 * Wraps an HTTP client so each call carries a current access token. When the provider refuses a token that came from
 * a refreshing source (`refreshable`), the cached token is dropped and the call is tried once more with a fresh one.
 */
export function withAccessToken(
  http: HttpClient,
  tokens: AccessTokenSource,
  options: { refreshable: boolean; authorize: (token: string) => Record<string, string>; refusedCodes: readonly string[] },
): <S extends z.ZodType>(req: HttpRequest<S>) => Promise<{ ok: true; value: z.output<S> } | { ok: false; error: ClientError }> {
  return async (req) => {
    for (let attempt = 0; ; attempt += 1) {
      const token = await tokens.getAccessToken();
      if (!token.ok) return token;
      const result = await http.request({ ...req, headers: { ...req.headers, ...options.authorize(token.value) } });
      if (result.ok || !options.refusedCodes.includes(result.error.code) || !options.refreshable || attempt > 0) return result;
      tokens.invalidate();
    }
  };
}
