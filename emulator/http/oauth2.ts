/**
 * OAuth 2.0 client credentials (machine to machine) as NetSuite runs it (reference netsuite-platform.md 2.2):
 * the client posts a JWT assertion signed with the private key of a certificate registered for the integration;
 * the account answers a 60-minute bearer token that RESTlet and REST calls carry.
 */
import { X509Certificate, createHash, createPublicKey, randomBytes, type KeyObject, type webcrypto } from 'node:crypto';
import { compactVerify, decodeProtectedHeader } from 'jose';
import type { AuthFailure } from './tba-verifier';

export const TOKEN_PATH = '/services/rest/auth/oauth2/v1/token';
export const ACCESS_TOKEN_SECONDS = 3600;
/** exp may be at most 60 minutes after iat (reference 2.2; the documented sample uses exactly 3600 s). */
export const MAX_ASSERTION_SECONDS = 3600;
const CLOCK_SKEW_SECONDS = 300;
const ALLOWED_ALGS = ['PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512'];
const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

export type OAuthScope = 'restlets' | 'rest_webservices' | 'suite_analytics';

export interface M2mClient {
  clientId: string;
  /** The Certificate ID NetSuite shows for the uploaded certificate; the assertion's `kid`. */
  certificateId: string;
  /** The certificate's public key: PEM (public key or X.509 certificate) or a key object. */
  publicKey: string | KeyObject | webcrypto.CryptoKey;
  scopes: readonly string[];
}

export interface OAuthErrorBody {
  error: 'invalid_request' | 'invalid_client' | 'invalid_grant' | 'unsupported_grant_type';
  error_description: string;
}

export type TokenResult =
  | { ok: true; body: { access_token: string; expires_in: number; token_type: 'bearer' } }
  | { ok: false; body: OAuthErrorBody };

export type BearerResult = { ok: true; clientId: string; scopes: readonly string[] } | AuthFailure;

interface IssuedToken {
  clientId: string;
  scopes: string[];
  expiresAt: number;
}

function toKey(key: M2mClient['publicKey']): KeyObject | webcrypto.CryptoKey {
  if (typeof key !== 'string') return key;
  return key.includes('BEGIN CERTIFICATE') ? new X509Certificate(key).publicKey : createPublicKey(key);
}

function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

function oauthError(error: OAuthErrorBody['error'], description: string): TokenResult {
  return { ok: false, body: { error, error_description: description } };
}

function parseScopes(scope: unknown): string[] | null {
  // The text says comma-separated; the documented sample JWT uses a JSON array. Accept both (reference 2.2).
  if (typeof scope === 'string') return scope.split(/[\s,]+/).filter((s) => s !== '');
  if (Array.isArray(scope) && scope.every((s) => typeof s === 'string')) return scope as string[];
  return null;
}

export class OAuth2Server {
  private readonly clients: { client: M2mClient; key: KeyObject | webcrypto.CryptoKey }[];
  private readonly tokens = new Map<string, IssuedToken>();
  private readonly usedJtis = new Map<string, number>();

  constructor(
    clients: readonly M2mClient[],
    private readonly now: () => Date,
  ) {
    this.clients = clients.map((client) => ({ client, key: toKey(client.publicKey) }));
  }

  /**
   * The token endpoint's logic for a parsed form. `audiences` are the token endpoint URLs the assertion's `aud` may
   * name (the suitetalk and restlets hosts of the account, and the URL the request actually reached).
   *
   * Error codes (400, RFC 6749 5.2): NetSuite's exact choice per failure is UNCONFIRMED. We answer invalid_client
   * when the client cannot be identified (unknown kid, iss not the certificate's client) and invalid_grant for an
   * assertion that is otherwise unacceptable (algorithm, signature, time claims, audience, scope, reuse).
   */
  async exchange(form: Record<string, unknown> | undefined, audiences: readonly string[]): Promise<TokenResult> {
    if (!form) return oauthError('invalid_request', 'Send Content-Type: application/x-www-form-urlencoded.');
    for (const [name, value] of Object.entries(form)) {
      if (typeof value !== 'string') return oauthError('invalid_request', `Parameter ${name} is repeated or malformed.`);
    }
    const { grant_type, client_assertion_type, client_assertion } = form as Record<string, string | undefined>;
    if (!grant_type) return oauthError('invalid_request', 'grant_type is required.');
    if (grant_type !== 'client_credentials') {
      return oauthError('unsupported_grant_type', 'Only grant_type=client_credentials is supported here.');
    }
    if (client_assertion_type !== JWT_BEARER) {
      return oauthError('invalid_request', `client_assertion_type must be ${JWT_BEARER}.`);
    }
    if (!client_assertion) return oauthError('invalid_request', 'client_assertion is required.');

    let header;
    try {
      header = decodeProtectedHeader(client_assertion);
    } catch {
      return oauthError('invalid_grant', 'client_assertion is not a JWT.');
    }
    // RS256 is not among the documented algorithms: refused (reference 2.2; NetSuite's answer UNCONFIRMED).
    if (typeof header.alg !== 'string' || !ALLOWED_ALGS.includes(header.alg)) {
      return oauthError('invalid_grant', `Assertion algorithm ${String(header.alg)} is not accepted; use ${ALLOWED_ALGS.join(', ')}.`);
    }
    if (typeof header.typ !== 'string' || header.typ.toUpperCase() !== 'JWT') {
      return oauthError('invalid_grant', 'Assertion header typ must be JWT.');
    }
    const registered = this.clients.find((c) => c.client.certificateId === header.kid);
    if (!registered) return oauthError('invalid_client', 'Assertion kid is not a registered certificate id.');

    let claims: Record<string, unknown>;
    try {
      const verified = await compactVerify(client_assertion, registered.key, { algorithms: ALLOWED_ALGS });
      claims = JSON.parse(new TextDecoder().decode(verified.payload)) as Record<string, unknown>;
    } catch {
      return oauthError('invalid_grant', 'Assertion signature does not verify with the registered certificate.');
    }
    if (typeof claims !== 'object' || claims === null) return oauthError('invalid_grant', 'Assertion payload is not a JSON object.');
    if (claims.iss !== registered.client.clientId) {
      return oauthError('invalid_client', 'Assertion iss is not the client id the certificate belongs to.');
    }
    const aud = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
    if (!aud.some((a) => typeof a === 'string' && audiences.includes(a))) {
      return oauthError('invalid_grant', 'Assertion aud must be the token endpoint URL.');
    }
    const nowSeconds = Math.floor(this.now().getTime() / 1000);
    const { iat, exp } = claims;
    if (typeof iat !== 'number' || typeof exp !== 'number') return oauthError('invalid_grant', 'Assertion needs numeric iat and exp.');
    if (iat > nowSeconds + CLOCK_SKEW_SECONDS) return oauthError('invalid_grant', 'Assertion iat is in the future.');
    if (exp <= iat) return oauthError('invalid_grant', 'Assertion exp must be after iat.');
    if (exp - iat > MAX_ASSERTION_SECONDS) return oauthError('invalid_grant', 'Assertion exp is more than 60 minutes after iat.');
    if (exp <= nowSeconds) return oauthError('invalid_grant', 'Assertion has expired.');
    const scopes = parseScopes(claims.scope);
    if (!scopes || scopes.length === 0) return oauthError('invalid_grant', 'Assertion scope is missing.');
    const notAllowed = scopes.filter((s) => !registered.client.scopes.includes(s));
    if (notAllowed.length > 0) return oauthError('invalid_grant', `Scope not granted to this client: ${notAllowed.join(', ')}.`);
    if (claims.jti !== undefined) {
      if (typeof claims.jti !== 'string') return oauthError('invalid_grant', 'Assertion jti must be a string.');
      const jtiKey = `${registered.client.clientId}\u0000${claims.jti}`;
      if (this.usedJtis.has(jtiKey)) return oauthError('invalid_grant', 'Assertion jti was already used.');
      this.usedJtis.set(jtiKey, exp);
    }
    this.prune(nowSeconds);

    const accessToken = randomBytes(32).toString('base64url');
    this.tokens.set(hashToken(accessToken), {
      clientId: registered.client.clientId,
      scopes,
      expiresAt: nowSeconds + ACCESS_TOKEN_SECONDS,
    });
    return { ok: true, body: { access_token: accessToken, expires_in: ACCESS_TOKEN_SECONDS, token_type: 'bearer' } };
  }

  /** Checks `Authorization: Bearer <token>` for a call that needs `scope` (reference 2.2 "Calling a RESTlet"). */
  verifyBearer(token: string, scope: OAuthScope): BearerResult {
    // Tokens are stored by hash: the lookup never compares the secret itself.
    const known = this.tokens.get(hashToken(token));
    if (!known) return { ok: false, code: 'INVALID_LOGIN_ATTEMPT', detail: 'InvalidToken' };
    if (known.expiresAt <= Math.floor(this.now().getTime() / 1000)) {
      return { ok: false, code: 'INVALID_LOGIN_ATTEMPT', detail: 'AccessTokenExpired' };
    }
    if (!known.scopes.includes(scope)) return { ok: false, code: 'INVALID_LOGIN_ATTEMPT', detail: 'ScopeMismatched' };
    return { ok: true, clientId: known.clientId, scopes: known.scopes };
  }

  private prune(nowSeconds: number): void {
    for (const [k, exp] of this.usedJtis) if (exp <= nowSeconds) this.usedJtis.delete(k);
    for (const [k, t] of this.tokens) if (t.expiresAt <= nowSeconds) this.tokens.delete(k);
  }
}
