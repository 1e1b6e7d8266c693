/**
 * eBay OAuth application access tokens (the client-credentials grant), which getPublicKey requires:
 *   POST {baseUrl}/identity/v1/oauth2/token
 *   Authorization: Basic base64(clientId:clientSecret)
 *   Content-Type: application/x-www-form-urlencoded
 *   grant_type=client_credentials&scope=https://api.ebay.com/oauth/api_scope
 *   → 200 { access_token, expires_in (seconds; 7200 in eBay's docs), token_type: "Application Access Token" }
 * https://developer.ebay.com/api-docs/static/oauth-client-credentials-grant.html
 *
 * A token is reused until shortly before it expires (eBay asks apps not to mint one per call); callers that arrive
 * while a token is being minted share that one request. Failures are not remembered: the next caller asks again.
 * Error messages name the endpoint, the HTTP status and eBay's `error` code, never the client secret or a token.
 */

export const EBAY_TOKEN_PATH = '/identity/v1/oauth2/token';
export const EBAY_DEFAULT_SCOPE = 'https://api.ebay.com/oauth/api_scope';

export interface EbayAppTokenOptions {
  /** https://api.ebay.com, https://api.sandbox.ebay.com, or a simulator. */
  baseUrl: string;
  /** The app's client id (eBay "App ID"). */
  clientId: string;
  /** The app's client secret (eBay "Cert ID"). */
  clientSecret: string;
  /** Space-separated scopes. Default eBay's public application scope. */
  scope?: string;
  /** Milliseconds since the epoch; injectable for tests of expiry. */
  now?: () => number;
  /** Per-call timeout. Default 10 s. */
  timeoutMs?: number;
}

export class EbayTokenError extends Error {
  readonly code = 'ebay_token_unavailable';
  constructor(message: string) {
    super(message);
    this.name = 'EbayTokenError';
  }
}

export interface EbayAppTokenSource {
  getAccessToken(): Promise<string>;
  /** Tokens minted so far (calls to the token endpoint that returned a token). */
  stats(): { minted: number };
}

/** How long before `expires_in` a token is replaced: 5 minutes, or a tenth of its life if that is shorter. */
function refreshMarginMs(lifetimeMs: number): number {
  return Math.min(5 * 60_000, lifetimeMs / 10);
}

/** eBay's token errors are OAuth-style `{ error, error_description }`; other text is not echoed (it may be long). */
async function describeFailure(res: Response): Promise<string> {
  let detail = '';
  try {
    const body = (await res.json()) as Record<string, unknown>;
    const code = typeof body.error === 'string' ? body.error : '';
    const description = typeof body.error_description === 'string' ? body.error_description.slice(0, 200) : '';
    detail = [code, description].filter(Boolean).join(': ');
  } catch {
    // not JSON: the status says enough
  }
  const hint = res.status === 401 ? ' (check the eBay client id and client secret)' : '';
  return `eBay token endpoint answered HTTP ${res.status}${detail ? ` ${detail}` : ''}${hint}`;
}

export function createEbayAppTokenSource(options: EbayAppTokenOptions): EbayAppTokenSource {
  if (!options.clientId || !options.clientSecret) throw new Error('createEbayAppTokenSource needs a client id and a client secret');
  const scope = options.scope ?? EBAY_DEFAULT_SCOPE;
  const now = options.now ?? Date.now;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const url = `${options.baseUrl.replace(/\/+$/, '')}${EBAY_TOKEN_PATH}`;
  const basic = Buffer.from(`${options.clientId}:${options.clientSecret}`, 'utf8').toString('base64');
  let current: { token: string; renewAt: number } | undefined;
  let pending: Promise<string> | undefined;
  let minted = 0;

  async function mint(): Promise<string> {
    let res: Response;
    try {
      res = await fetch(url, {
        method: 'POST',
        headers: { Authorization: `Basic ${basic}`, 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
        body: new URLSearchParams({ grant_type: 'client_credentials', scope }).toString(),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      throw new EbayTokenError(`eBay token endpoint ${url} unreachable: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (res.status !== 200) throw new EbayTokenError(await describeFailure(res));
    let body: Record<string, unknown>;
    try {
      body = (await res.json()) as Record<string, unknown>;
    } catch {
      throw new EbayTokenError('eBay token endpoint answered with something that is not JSON');
    }
    const token = body?.access_token;
    const expiresIn = Number(body?.expires_in);
    if (typeof token !== 'string' || token.length === 0 || !Number.isFinite(expiresIn) || expiresIn <= 0) {
      throw new EbayTokenError('eBay token endpoint answered without an access_token and a positive expires_in');
    }
    const lifetimeMs = expiresIn * 1000;
    current = { token, renewAt: now() + lifetimeMs - refreshMarginMs(lifetimeMs) };
    minted += 1;
    return token;
  }

  return {
    async getAccessToken(): Promise<string> {
      if (current && now() < current.renewAt) return current.token;
      pending ??= mint().finally(() => {
        pending = undefined;
      });
      return pending;
    },
    stats: () => ({ minted }),
  };
}
