/**
 * SP-API access tokens from Login with Amazon (LWA), refresh-token grant:
 *   POST https://api.amazon.com/auth/o2/token
 *        form grant_type=refresh_token&refresh_token=…&client_id=…&client_secret=…
 *   → 200 { access_token: "Atza|…", token_type: "bearer", expires_in: 3600, refresh_token }
 * The access token goes in `x-amz-access-token`. Cached until shortly before expiry, one refresh shared by
 * concurrent callers (the cache is eBay's, ../ebay/token.ts); `invalid_grant` → `reauthorization_required`.
 */
import { type AccessTokenSource, createCachedTokenSource, postTokenForm } from '../ebay/token';

export const LWA_TOKEN_URL = 'https://api.amazon.com/auth/o2/token';
export const LWA_TOKEN_PATH = '/auth/o2/token';

export interface LwaTokenOptions {
  /** The LWA token endpoint; default Amazon's. Tests and the sandbox pass a simulator's. */
  tokenUrl?: string;
  clientId: string;
  clientSecret: string;
  refreshToken: string;
  timeoutMs?: number;
  now?: () => number;
}

export function createLwaTokenSource(options: LwaTokenOptions): AccessTokenSource {
  const form = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: options.refreshToken, client_id: options.clientId, client_secret: options.clientSecret });
  return createCachedTokenSource(() => postTokenForm(options.tokenUrl ?? LWA_TOKEN_URL, form, {}, 'Login with Amazon', options.timeoutMs ?? 15_000), options.now ? { now: options.now } : {});
}
