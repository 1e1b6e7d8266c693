/**
 * The simulated eBay token service. Client-credentials grant (application access tokens):
 *   POST /identity/v1/oauth2/token   Authorization: Basic base64(clientId:clientSecret)
 *        body (form) grant_type=client_credentials&scope=<space-separated scopes>
 *   → 200 { access_token, expires_in, token_type: "Application Access Token" }
 * Wrong or missing client credentials → 401 invalid_client; another grant → 400 unsupported_grant_type; a scope the
 * simulator does not grant → 400 invalid_scope (OAuth 2.0 error bodies, as eBay answers; eBay's exact
 * error_description wording is UNCONFIRMED). Issued tokens expire after `expiresInSeconds` on the simulator's clock.
 * Refresh-token grant (user access tokens, what the Sell APIs take):
 *   body (form) grant_type=refresh_token&refresh_token=…&scope=<subset of the consented scopes, optional>
 *   → 200 { access_token, expires_in, token_type: "User Access Token" }
 * A refresh token other than the one the simulator was started with (or after `revokeRefreshToken`) → 400
 * invalid_grant. User tokens expire after `userTokenTtlSeconds`; the Sell API routes accept only those.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { Route, SimResponse } from '../shared/server';

export const EBAY_SIM_TOKEN_PATH = '/identity/v1/oauth2/token';
/** Scopes an application token may carry (eBay's public application scope). */
const GRANTABLE_SCOPES = new Set(['https://api.ebay.com/oauth/api_scope']);

export interface EbayOAuthOptions {
  clientId: string;
  clientSecret: string;
  /** A token accepted without being minted (tests that do not exercise the grant). */
  fixedApplicationToken: string;
  expiresInSeconds: number;
  /** The seller's refresh token (refresh-token grant). */
  refreshToken: string;
  /** Scopes the seller consented to; a refresh may ask for these or fewer. */
  userScopes: readonly string[];
  userTokenTtlSeconds: number;
  /** A user token treated as already issued at start (a channel holding a current access token). */
  preIssuedUserToken?: string;
  now: () => Date;
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}

function basicCredentials(headers: IncomingHttpHeaders): { id: string; secret: string } | null {
  const h = headers.authorization;
  if (!h || !/^Basic /i.test(h)) return null;
  const decoded = Buffer.from(h.slice(6).trim(), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? null : { id: decoded.slice(0, colon), secret: decoded.slice(colon + 1) };
}

const oauthError = (status: number, error: string, description: string): SimResponse => ({ status, body: { error, error_description: description } });

export function createEbayOAuth(options: EbayOAuthOptions) {
  /** Minted token → expiry (ms since the epoch on the simulator's clock). */
  const issued = new Map<string, number>();
  let minted = 0;
  /** Minted user token → expiry. */
  const userIssued = new Map<string, number>();
  let userMinted = 0;
  let refreshRevoked = false;
  if (options.preIssuedUserToken) userIssued.set(options.preIssuedUserToken, options.now().getTime() + options.userTokenTtlSeconds * 1000);

  function refreshGrant(form: URLSearchParams): SimResponse {
    const presented = form.get('refresh_token') ?? '';
    if (refreshRevoked || !sameText(presented, options.refreshToken)) return oauthError(400, 'invalid_grant', 'the provided authorization refresh token is invalid or was issued to another client');
    const scopes = (form.get('scope') ?? '').split(' ').filter(Boolean);
    if (scopes.some((s) => !options.userScopes.includes(s))) return oauthError(400, 'invalid_scope', 'the requested scope is invalid, unknown, malformed, or exceeds the scope granted to the client');
    const token = `v^1.1#i^1#p^3#sim#${randomBytes(24).toString('base64url')}`;
    userIssued.set(token, options.now().getTime() + options.userTokenTtlSeconds * 1000);
    userMinted += 1;
    return { status: 200, body: { access_token: token, expires_in: options.userTokenTtlSeconds, token_type: 'User Access Token' } };
  }

  const routes: Route[] = [
    {
      method: 'POST',
      pattern: /^\/identity\/v1\/oauth2\/token$/,
      handle: (req) => {
        const creds = basicCredentials(req.headers);
        if (!creds || !sameText(creds.id, options.clientId) || !sameText(creds.secret, options.clientSecret)) {
          return oauthError(401, 'invalid_client', 'client authentication failed');
        }
        if (!String(req.headers['content-type'] ?? '').toLowerCase().startsWith('application/x-www-form-urlencoded')) {
          return oauthError(400, 'invalid_request', 'request must be application/x-www-form-urlencoded');
        }
        const form = new URLSearchParams(req.rawBody);
        if (form.get('grant_type') === 'refresh_token') return refreshGrant(form);
        if (form.get('grant_type') !== 'client_credentials') return oauthError(400, 'unsupported_grant_type', 'grant type in request is not supported by the authorization server');
        const scopes = (form.get('scope') ?? '').split(' ').filter(Boolean);
        if (scopes.some((s) => !GRANTABLE_SCOPES.has(s))) return oauthError(400, 'invalid_scope', 'the requested scope is invalid, unknown, malformed, or exceeds the scope granted to the client');
        const token = `v^1.1#i^1#sim#${randomBytes(24).toString('base64url')}`;
        issued.set(token, options.now().getTime() + options.expiresInSeconds * 1000);
        minted += 1;
        return { status: 200, body: { access_token: token, expires_in: options.expiresInSeconds, token_type: 'Application Access Token' } };
      },
    },
  ];

  return {
    routes,
    /** True for the fixed token and for minted tokens that have not expired. */
    isApplicationToken(token: string | null): boolean {
      if (token === null) return false;
      if (sameText(token, options.fixedApplicationToken)) return true;
      const expiresAt = issued.get(token);
      return expiresAt !== undefined && options.now().getTime() < expiresAt;
    },
    /** Application tokens minted so far. */
    minted: () => minted,
    /** Forgets every minted token (as if eBay revoked them). */
    revokeAll: () => {
      issued.clear();
      userIssued.clear();
    },
    /** True for user tokens issued (refresh grant, or pre-issued) that have not expired. */
    isUserToken(token: string | null): boolean {
      if (token === null) return false;
      const expiresAt = userIssued.get(token);
      return expiresAt !== undefined && options.now().getTime() < expiresAt;
    },
    /** User tokens minted by the refresh grant so far. */
    userMinted: () => userMinted,
    /** The seller withdrew consent: the refresh token answers invalid_grant from now on. */
    revokeRefreshToken: () => {
      refreshRevoked = true;
    },
    /** The token service's state for a state file: issued tokens with their expiry, counts, the revocation. */
    state: (): EbayOAuthState => ({ issued, minted, userIssued, userMinted, refreshRevoked }),
    /** Takes back a saved state (tokens issued before a restart stay valid until they expire). */
    restore(saved: EbayOAuthState) {
      for (const [k, v] of saved.issued) issued.set(k, v);
      for (const [k, v] of saved.userIssued) userIssued.set(k, v);
      minted = saved.minted;
      userMinted = saved.userMinted;
      refreshRevoked = saved.refreshRevoked;
    },
  };
}

export interface EbayOAuthState {
  issued: Map<string, number>;
  minted: number;
  userIssued: Map<string, number>;
  userMinted: number;
  refreshRevoked: boolean;
}

/** True when a decoded value has the shape of EbayOAuthState. */
export function isEbayOAuthState(v: unknown): v is EbayOAuthState {
  if (!v || typeof v !== 'object') return false;
  const o = v as Record<string, unknown>;
  const expiries = (m: unknown) => m instanceof Map && [...(m as Map<unknown, unknown>).entries()].every(([k, x]) => typeof k === 'string' && typeof x === 'number');
  return expiries(o.issued) && expiries(o.userIssued) && Number.isSafeInteger(o.minted) && Number.isSafeInteger(o.userMinted) && typeof o.refreshRevoked === 'boolean';
}
