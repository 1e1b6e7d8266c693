/**
 * Verifies Token-Based Authentication (OAuth 1.0a) the way NetSuite does (reference netsuite-platform.md 2.1):
 * HMAC-SHA256 only, oauth_version 1.0, realm equal to the account id (case-sensitive: `123456_sb1` is refused),
 * timestamp within ±5 minutes, nonce of at least 6 characters used once per consumer+token+timestamp, known
 * consumer key and token, signature over the request as received. Comparisons of secrets are constant-time.
 */
import {
  OAuthSyntaxError,
  computeSignature,
  parseAuthorizationHeader,
  safeEqual,
  signatureBaseString,
  signingKey,
  type TbaCredentials,
} from '../../core/netsuite/oauth1';

export const TBA_WINDOW_SECONDS = 5 * 60;
export const MIN_NONCE_LENGTH = 6;

/** Why a login failed: the HTTP body code and the Login Audit Trail detail (NSH/subsect_156935170194). */
export interface AuthFailure {
  ok: false;
  code: 'INVALID_LOGIN_ATTEMPT' | 'INVALID_REQUEST';
  detail: string;
}

export type TbaResult = { ok: true; consumerKey: string; tokenId: string } | AuthFailure;

export interface TbaVerifierOptions {
  /** The realm the account expects (upper-case sandbox form, e.g. 123456_SB1). */
  realm: string;
  credentials: readonly TbaCredentials[];
  now: () => Date;
}

const REQUIRED = ['oauth_consumer_key', 'oauth_token', 'oauth_nonce', 'oauth_timestamp', 'oauth_signature'] as const;

function fail(code: AuthFailure['code'], detail: string): AuthFailure {
  return { ok: false, code, detail };
}

export class TbaVerifier {
  private readonly usedNonces = new Map<string, number>();

  constructor(private readonly options: TbaVerifierOptions) {}

  verify(request: { method: string; url: string; authorization: string }): TbaResult {
    let header;
    try {
      header = parseAuthorizationHeader(request.authorization);
    } catch (err) {
      if (err instanceof OAuthSyntaxError) return fail('INVALID_REQUEST', err.detail);
      throw err;
    }
    const p = header.params;
    for (const name of REQUIRED) {
      if (!p[name]) return fail('INVALID_REQUEST', 'parameter_rejected');
    }
    // Only HMAC-SHA256 since 2023.1 (reference 2.1, NSH/section_1534941088); malformed header → INVALID_REQUEST (1.4).
    if (p.oauth_signature_method !== 'HMAC-SHA256') return fail('INVALID_REQUEST', 'UnknownAlgorithm');
    // The documented header always carries oauth_version="1.0"; we require it (stricter than RFC 5849, which makes
    // it optional; NetSuite's acceptance of an absent version is UNCONFIRMED, so fail closed).
    if (p.oauth_version !== '1.0') return fail('INVALID_REQUEST', 'VersionRejected');
    const timestamp = Number(p.oauth_timestamp);
    if (!/^\d{1,12}$/.test(p.oauth_timestamp!)) return fail('INVALID_REQUEST', 'InvalidTimestamp');
    const nowSeconds = Math.floor(this.options.now().getTime() / 1000);
    if (Math.abs(nowSeconds - timestamp) > TBA_WINDOW_SECONDS) return fail('INVALID_REQUEST', 'InvalidTimestamp');
    // Exact, case-sensitive: a lower-case sandbox realm gives "Invalid login attempt" (reference 2.1).
    if (header.realm === null || !safeEqual(header.realm, this.options.realm)) {
      return fail('INVALID_LOGIN_ATTEMPT', 'InvalidAccount');
    }
    if (p.oauth_nonce!.length < MIN_NONCE_LENGTH) return fail('INVALID_LOGIN_ATTEMPT', 'nonce_rejected');

    const consumerKey = p.oauth_consumer_key!;
    const tokenId = p.oauth_token!;
    const consumerMatches = this.options.credentials.filter((c) => safeEqual(c.consumerKey, consumerKey));
    if (consumerMatches.length === 0) return fail('INVALID_LOGIN_ATTEMPT', 'consumer_key_unknown');
    const creds = consumerMatches.find((c) => safeEqual(c.tokenId, tokenId));
    if (!creds) return fail('INVALID_LOGIN_ATTEMPT', 'token_rejected');

    const baseString = signatureBaseString({ method: request.method, url: request.url, oauthParams: p });
    let expected: string;
    try {
      expected = computeSignature('HMAC-SHA256', baseString, signingKey(creds.consumerSecret, creds.tokenSecret));
    } catch (err) {
      if (err instanceof OAuthSyntaxError) return fail('INVALID_REQUEST', err.detail);
      throw err;
    }
    if (!safeEqual(expected, p.oauth_signature!)) return fail('INVALID_LOGIN_ATTEMPT', 'InvalidSignature');

    // Replay: the same nonce and timestamp for this consumer and token (NSH/subsect_156935170194 nonce_used).
    // Recorded only after the signature verifies, so nobody can burn another client's nonces.
    const key = `${consumerKey}\u0000${tokenId}\u0000${p.oauth_nonce}\u0000${timestamp}`;
    if (this.usedNonces.has(key)) return fail('INVALID_LOGIN_ATTEMPT', 'nonce_used');
    this.rememberNonce(key, timestamp, nowSeconds);
    return { ok: true, consumerKey, tokenId };
  }

  private rememberNonce(key: string, timestamp: number, nowSeconds: number): void {
    this.usedNonces.set(key, timestamp);
    // A timestamp outside the window is refused anyway, so older nonces can be forgotten.
    if (this.usedNonces.size > 1000) {
      for (const [k, ts] of this.usedNonces) {
        if (Math.abs(nowSeconds - ts) > TBA_WINDOW_SECONDS) this.usedNonces.delete(k);
      }
    }
  }
}
